package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;

class ConditionsTest {
    /** The condition from EFLAGS, straight from the SDM's table (vol. 1, appendix B). */
    static boolean expected(int f, int cc) {
        boolean cf = (f & Flags.CF) != 0, zf = (f & Flags.ZF) != 0, sf = (f & Flags.SF) != 0,
                of = (f & Flags.OF) != 0, pf = (f & Flags.PF) != 0;
        boolean r;
        switch (cc >> 1) {
            case 0: r = of; break;
            case 1: r = cf; break;
            case 2: r = zf; break;
            case 3: r = cf || zf; break;
            case 4: r = sf; break;
            case 5: r = pf; break;
            case 6: r = sf != of; break;
            default: r = zf || sf != of; break;
        }
        return r ^ ((cc & 1) != 0);
    }

    @Test
    void everyConditionOnEveryCombinationOfKnownFlags() {
        CpuState s = new CpuState();
        for (int bits = 0; bits < 64; bits++) {
            int f = ((bits & 1) != 0 ? Flags.CF : 0) | ((bits & 2) != 0 ? Flags.PF : 0)
                    | ((bits & 4) != 0 ? Flags.AF : 0) | ((bits & 8) != 0 ? Flags.ZF : 0)
                    | ((bits & 16) != 0 ? Flags.SF : 0) | ((bits & 32) != 0 ? Flags.OF : 0);
            LazyFlags.setArith(s, f);
            for (int cc = 0; cc < 16; cc++) {
                assertEquals(expected(f, cc), Conditions.test(s, cc), "flags " + Integer.toHexString(f) + " cc " + cc);
            }
        }
    }

    @Test
    void compareShortcutsMatchTheFlags() {
        // CMP of every pair of interesting 8-, 16- and 32-bit values: the SUB shortcuts
        // (unsigned and signed compares of the recorded operands) must equal the flag formulas.
        int[] values = {0, 1, 2, 0x7F, 0x80, 0x81, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, 0xFFFFFFFF};
        CpuState s = new CpuState();
        for (int size : new int[] {1, 2, 4}) {
            for (int a : values) {
                for (int b : values) {
                    int ma = a & LazyFlags.mask(size), mb = b & LazyFlags.mask(size);
                    Alu.cmp(s, size, ma, mb);
                    int f = LazyFlags.arith(s);
                    long ua = ma & 0xFFFFFFFFL, ub = mb & 0xFFFFFFFFL;
                    int sa = LazyFlags.sx(size, ma), sb = LazyFlags.sx(size, mb);
                    assertEquals(ua < ub, Conditions.test(s, Conditions.B));
                    assertEquals(ua <= ub, Conditions.test(s, Conditions.BE));
                    assertEquals(ua > ub, Conditions.test(s, Conditions.A));
                    assertEquals(sa < sb, Conditions.test(s, Conditions.L), size + " " + a + " " + b);
                    assertEquals(sa <= sb, Conditions.test(s, Conditions.LE));
                    assertEquals(sa > sb, Conditions.test(s, Conditions.G));
                    assertEquals(ma == mb, Conditions.test(s, Conditions.E));
                    for (int cc = 0; cc < 16; cc++) {
                        assertEquals(expected(f, cc), Conditions.test(s, cc));
                    }
                }
            }
        }
    }
}
