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
    void keepsTablesByKindAndSizeAndOnlyAFew() {
        int[] small = {1, 2, 3, 4};
        SpareTables.give(small); // kept by its size: a table of a million entries is another kind
        int[] t = SpareTables.ints();
        assertEquals(SpareTables.ENTRIES, t.length);
        int[] smallAgain = SpareTables.take(int[].class, 4);
        assertSame(small, smallAgain);
        assertArrayEquals(new int[4], smallAgain);
        long[] longs = SpareTables.take(long[].class, 8);
        longs[7] = 1;
        SpareTables.give(longs);
        assertEquals(0, SpareTables.take(long[].class, 8)[7]);

        int keep = SpareTables.limit(SpareTables.ints());
        int[][] many = new int[keep + 3][];
        for (int i = 0; i < many.length; i++) many[i] = SpareTables.ints();
        for (int[] m : many) SpareTables.give(m);
        assertTrue(SpareTables.kept() >= keep);
        int[][] taken = new int[keep + 1][];
        for (int i = 0; i < taken.length; i++) taken[i] = SpareTables.ints();
        assertNotSame(taken[0], taken[keep]);
        for (int i = 0; i < keep; i++) assertTrue(java.util.Arrays.asList(many).contains(taken[i]), "a kept table");
        assertTrue(!java.util.Arrays.asList(many).contains(taken[keep]), "beyond the few kept: a new table");
    }
}
