package org.kasou.conformance.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The JIT against the interpreter on long sequences with loops, under an instruction budget. */
class EngineDifferentialTest {
    @Test
    @Timeout(120)
    void jitAgreesWithTheInterpreterOnLoops() {
        EngineDifferential.Summary s = EngineDifferential.run(0x4C4F4F50L, 3000, 20, 60, 20_000, 5);
        assertEquals(0, s.failed(), s.failed() + " of " + s.cases() + " loop cases differ between the JIT and the interpreter:\n"
                + String.join("\n", s.reports()));
    }
}
