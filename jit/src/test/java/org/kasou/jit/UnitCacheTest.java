package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class UnitCacheTest {
    @Test
    void identityMappedKeysAreFoundAndSpreadOut() {
        UnitCache c = new UnitCache();
        List<JitEngine.Unit> units = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            int a = 0x100000 + i * 7; // code at its physical address: phys == eip
            JitEngine.Unit u = new JitEngine.Unit(a, a);
            units.add(u);
            assertNull(c.put(u));
        }
        assertEquals(5000, c.size());
        for (JitEngine.Unit u : units) assertSame(u, c.get(u.phys, u.eip));
        assertNull(c.get(0x100001, 0x100001));
        assertNull(c.get(0x100000, 0x100007));
    }

    /** A key found missing stays missing while additions() stays: the engine skips its probe then. */
    @Test
    void additionsChangeWithEveryPutOnly() {
        UnitCache c = new UnitCache();
        int before = c.additions();
        assertTrue(before != 0, "0 is a block's stamp before the engine sets one");
        JitEngine.Unit a = new JitEngine.Unit(0x2000, 0x10);
        c.put(a);
        int afterPut = c.additions();
        assertTrue(afterPut != before);
        c.get(0x2000, 0x10);
        c.get(0x3000, 0x10);
        c.remove(a);
        assertEquals(afterPut, c.additions(), "lookups and removals add nothing");
        c.put(new JitEngine.Unit(0x2000, 0x10));
        assertTrue(c.additions() != afterPut, "a unit put again");
    }

    @Test
    void putReplacesTheUnitWithTheSameKey() {
        UnitCache c = new UnitCache();
        JitEngine.Unit a = new JitEngine.Unit(0x2000, 0x10);
        JitEngine.Unit b = new JitEngine.Unit(0x2000, 0x10);
        assertNull(c.put(a));
        assertSame(a, c.put(b));
        assertSame(b, c.get(0x2000, 0x10));
        assertEquals(1, c.size());
    }

    @Test
    void removalKeepsEveryOtherUnitReachable() {
        Random rnd = new Random(7);
        UnitCache c = new UnitCache();
        List<JitEngine.Unit> live = new ArrayList<>();
        for (int step = 0; step < 20000; step++) {
            if (live.isEmpty() || rnd.nextInt(3) != 0) {
                int phys = rnd.nextInt(64) << 12 | rnd.nextInt(4096);
                if (c.get(phys, phys) != null) continue;
                JitEngine.Unit u = new JitEngine.Unit(phys, phys);
                c.put(u);
                live.add(u);
            } else {
                JitEngine.Unit u = live.remove(rnd.nextInt(live.size()));
                assertTrue(c.remove(u));
            }
        }
        assertEquals(live.size(), c.size());
        for (JitEngine.Unit u : live) assertSame(u, c.get(u.phys, u.eip));
    }

    @Test
    void removeOldestGoesInInsertionOrderAndSkipsRemovedUnits() {
        UnitCache c = new UnitCache();
        JitEngine.Unit[] u = new JitEngine.Unit[5];
        for (int i = 0; i < u.length; i++) c.put(u[i] = new JitEngine.Unit(i << 12, i << 12));
        c.remove(u[0]);
        c.remove(u[2]);
        assertSame(u[1], c.removeOldest());
        assertSame(u[3], c.removeOldest());
        assertSame(u[4], c.removeOldest());
        assertNull(c.removeOldest());
        assertEquals(0, c.size());
    }
}
