package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The bucket that bounds the share of time compiles take (CompileBudget), on a clock the test moves. */
class CompileBudgetTest {
    private long now;

    @Test
    void compilesTakeFromTheBucketAndTimeFillsItAtItsShare() {
        CompileBudget b = new CompileBudget(0.25, 10_000_000, 1_000_000, () -> now);
        assertTrue(b.allows(), "full at the start");
        b.spent(4_000_000); // 5 ms with the unit's charge: 5 left
        assertTrue(b.allows());
        b.spent(9_000_000); // 10 ms: 5 short
        assertFalse(b.allows());
        now += 19_000_000; // a quarter of 19 ms: still 0.25 ms short
        assertFalse(b.allows());
        now += 2_000_000;
        assertTrue(b.allows(), "filled again at a quarter of the time that passed");
    }

    @Test
    void theBucketHoldsNoMoreThanItsCapacity() {
        CompileBudget b = new CompileBudget(0.5, 10_000_000, 0, () -> now);
        now += 1_000_000_000; // a second of no compiles saves up only the capacity
        b.spent(10_000_000);
        assertFalse(b.allows());
        now += 2_000_000;
        assertTrue(b.allows());
    }

    @Test
    void theUnlimitedBudgetAlwaysAllows() {
        CompileBudget b = CompileBudget.unlimited();
        for (int i = 0; i < 1000; i++) b.spent(1_000_000_000L);
        assertTrue(b.allows());
    }
}
