package org.kasou.mem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SpareTablesTest {
    @Test
    void aTableGivenBackComesBackCleared() {
        int[] ints = SpareTables.ints();
        ints[5] = 7;
        ints[SpareTables.ENTRIES - 1] = -1;
        SpareTables.give(ints);
        int[] again = SpareTables.ints();
        assertSame(ints, again);
        assertArrayEquals(new int[SpareTables.ENTRIES], again);

        byte[][] pages = SpareTables.pages();
        pages[123] = new byte[4096];
        SpareTables.give(pages);
        byte[][] pagesAgain = SpareTables.pages();
        assertSame(pages, pagesAgain);
        assertNull(pagesAgain[123]);

        byte[] bytes = SpareTables.bytes();
        bytes[99] = 3;
        SpareTables.give(bytes);
        byte[] bytesAgain = SpareTables.bytes();
        assertSame(bytes, bytesAgain);
        assertEquals(0, bytesAgain[99]);
    }

    @Test
    void keepsOnlyTablesOfItsSizeAndOnlyAFew() {
        SpareTables.give(new int[16]); // not a table of a million entries: not kept
        int[] t = SpareTables.ints();
        assertEquals(SpareTables.ENTRIES, t.length);

        int[][] many = new int[SpareTables.KEEP + 3][];
        for (int i = 0; i < many.length; i++) many[i] = SpareTables.ints();
        for (int[] m : many) SpareTables.give(m);
        assertTrue(SpareTables.kept() <= 3 * SpareTables.KEEP);
        int[][] taken = new int[SpareTables.KEEP + 1][];
        for (int i = 0; i < taken.length; i++) taken[i] = SpareTables.ints();
        assertNotSame(taken[0], taken[SpareTables.KEEP]);
        for (int i = 0; i < SpareTables.KEEP; i++) assertTrue(java.util.Arrays.asList(many).contains(taken[i]), "a kept table");
        assertTrue(!java.util.Arrays.asList(many).contains(taken[SpareTables.KEEP]), "beyond the few kept: a new table");
    }
}
