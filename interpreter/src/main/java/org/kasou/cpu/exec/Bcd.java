package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;

/**
 * Decimal adjust instructions (SDM vol. 2: DAA, DAS, AAA, AAS, AAM, AAD) on AL and AH.
 *
 * <p>Flags the SDM leaves undefined follow the host CPU of the test vectors (AMD Zen): DAA/DAS
 * set OF as the 8-bit ADD/SUB of the correction; AAA/AAS set SF, ZF, PF and OF as the 16-bit
 * ADD/SUB of AX and 0x106 (or 0); AAD sets every flag as the 8-bit ADD of AL and AH * imm;
 * AAM clears CF, AF and OF.
 */
public final class Bcd {
    private Bcd() {}

    private static int al(CpuState s) { return s.gpr[CpuState.EAX] & 0xFF; }

    private static void setAl(CpuState s, int v) {
        s.gpr[CpuState.EAX] = (s.gpr[CpuState.EAX] & ~0xFF) | (v & 0xFF);
    }

    private static void setAx(CpuState s, int v) {
        s.gpr[CpuState.EAX] = (s.gpr[CpuState.EAX] & ~0xFFFF) | (v & 0xFFFF);
    }

    public static void daa(CpuState s) {
        int f = LazyFlags.arith(s);
        int oldAl = al(s);
        boolean oldCf = (f & Flags.CF) != 0;
        int al = oldAl, cf = 0, af = 0;
        if ((al & 0xF) > 9 || (f & Flags.AF) != 0) {
            al += 6;
            af = Flags.AF;
        }
        if (oldAl > 0x99 || oldCf) {
            al += 0x60;
            cf = Flags.CF;
        }
        setAl(s, al);
        int corr = (al - oldAl) & 0xFF;
        int of = (((oldAl ^ al) & (corr ^ al)) >>> 7) & 1; // as ADD AL, corr
        LazyFlags.setResult(s, 1, al, cf | af | (of << 11));
    }

    public static void das(CpuState s) {
        int f = LazyFlags.arith(s);
        int oldAl = al(s);
        boolean oldCf = (f & Flags.CF) != 0;
        int al = oldAl, cf = 0, af = 0;
        if ((al & 0xF) > 9 || (f & Flags.AF) != 0) {
            cf = oldCf || al < 6 ? Flags.CF : 0;
            al -= 6;
            af = Flags.AF;
        }
        if (oldAl > 0x99 || oldCf) {
            al -= 0x60;
            cf = Flags.CF;
        }
        setAl(s, al);
        int corr = (oldAl - al) & 0xFF;
        int of = (((oldAl ^ corr) & (oldAl ^ al)) >>> 7) & 1; // as SUB AL, corr
        LazyFlags.setResult(s, 1, al, cf | af | (of << 11));
    }

    public static void aaa(CpuState s) {
        int f = LazyFlags.arith(s);
        int ax = s.gpr[CpuState.EAX] & 0xFFFF;
        int cfAf = 0, sum = ax;
        if ((ax & 0xF) > 9 || (f & Flags.AF) != 0) {
            sum = (ax + 0x106) & 0xFFFF;
            cfAf = Flags.CF | Flags.AF;
        }
        setAx(s, sum & 0xFF0F);
        int of = (((ax ^ sum) & sum) >>> 15) & 1; // as ADD AX, 0x106 (0x106 is positive)
        LazyFlags.setResult(s, 2, sum, cfAf | (of << 11));
    }

    public static void aas(CpuState s) {
        int f = LazyFlags.arith(s);
        int ax = s.gpr[CpuState.EAX] & 0xFFFF;
        int cfAf = 0, diff = ax;
        if ((ax & 0xF) > 9 || (f & Flags.AF) != 0) {
            diff = (ax - 0x106) & 0xFFFF; // AX - 6, then AH - 1
            cfAf = Flags.CF | Flags.AF;
        }
        setAx(s, diff & 0xFF0F);
        int of = ((ax & ~diff) >>> 15) & 1; // as SUB AX, 0x106
        LazyFlags.setResult(s, 2, diff, cfAf | (of << 11));
    }

    /** AAM: AH = AL / imm, AL = AL mod imm; #DE when imm is 0. */
    public static void aam(Cpu cpu, int imm) {
        imm &= 0xFF;
        if (imm == 0) {
            throw cpu.fault.set(CpuFault.DE, CpuFault.NO_ERROR_CODE);
        }
        CpuState s = cpu.state;
        int al = al(s);
        int res = ((al / imm) << 8) | (al % imm);
        setAx(s, res);
        LazyFlags.setResult(s, 1, res, 0);
    }

    /** AAD: AL = AL + AH * imm, AH = 0. */
    public static void aad(CpuState s, int imm) {
        int ax = s.gpr[CpuState.EAX];
        int product = ((ax >>> 8) & 0xFF) * (imm & 0xFF);
        int al = Alu.add(s, 1, ax & 0xFF, product & 0xFF);
        setAx(s, al);
    }
}
