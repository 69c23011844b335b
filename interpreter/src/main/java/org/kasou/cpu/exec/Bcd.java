package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;

/** Decimal adjust instructions (SDM vol. 2: DAA, DAS, AAA, AAS, AAM, AAD) on AL and AH. */
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
        LazyFlags.setResult(s, 1, al, cf | af);
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
        LazyFlags.setResult(s, 1, al, cf | af);
    }

    public static void aaa(CpuState s) {
        int f = LazyFlags.arith(s);
        int ax = s.gpr[CpuState.EAX] & 0xFFFF;
        int cfAf = 0;
        if ((ax & 0xF) > 9 || (f & Flags.AF) != 0) {
            ax += 0x106;
            cfAf = Flags.CF | Flags.AF;
        }
        ax &= 0xFF0F;
        setAx(s, ax);
        LazyFlags.setResult(s, 1, ax, cfAf);
    }

    public static void aas(CpuState s) {
        int f = LazyFlags.arith(s);
        int ax = s.gpr[CpuState.EAX] & 0xFFFF;
        int cfAf = 0;
        if ((ax & 0xF) > 9 || (f & Flags.AF) != 0) {
            ax = ax - 6 - 0x100;
            cfAf = Flags.CF | Flags.AF;
        }
        ax &= 0xFF0F;
        setAx(s, ax);
        LazyFlags.setResult(s, 1, ax, cfAf);
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
        int al = ((ax & 0xFF) + ((ax >>> 8) & 0xFF) * (imm & 0xFF)) & 0xFF;
        setAx(s, al);
        LazyFlags.setResult(s, 1, al, 0);
    }
}
