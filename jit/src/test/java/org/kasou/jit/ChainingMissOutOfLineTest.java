package org.kasou.jit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link ChainingTest} with units whose exits to a fixed EIP check their last unit through
 * {@link ChainLink#followDirect} and call {@link ChainLink#followMiss} otherwise, as under the
 * launcher: every link rule must hold the same way.
 */
class ChainingMissOutOfLineTest extends ChainingTest {
    private static boolean before;

    @BeforeAll
    static void missesOutOfLine() {
        before = ChainLink.missOutOfLine;
        ChainLink.missOutOfLine = true;
    }

    @AfterAll
    static void restore() {
        ChainLink.missOutOfLine = before;
    }
}
