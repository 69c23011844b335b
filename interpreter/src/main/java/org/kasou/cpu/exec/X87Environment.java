package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.FpuState;
import org.kasou.fpu.FpuControl;
import org.kasou.isa.DecodedInsn;

/**
 * FNSTENV, FLDENV, FNSAVE and FRSTOR images (SDM vol. 1, 8.1.10, figures 8-9 to 8-12): 14 bytes
 * with a 16-bit operand size, 28 with a 32-bit one; the real-mode layouts (real and virtual-8086
 * mode) hold 20- or 32-bit linear pointers and no selectors; FSAVE appends ST(0)..ST(7).
 */
final class X87Environment {
    private static final int REGISTER_BYTES = 80;

    private X87Environment() {}

    static int environmentSize(DecodedInsn d) {
        return d.opSize == 4 ? 28 : 14;
    }

    private static boolean realLayout(CpuState s) {
        return !s.protectedMode() || s.v86();
    }

    /** FNSTENV: the environment, then every exception masked. */
    static void storeEnvironment(Cpu cpu, DecodedInsn d, int ea) {
        X87Memory.probeWrite(cpu, d, ea, environmentSize(d));
        writeEnvironment(cpu, d, ea);
        FpuState f = cpu.state.fpu;
        f.setControl(f.control | FpuControl.MASK_ALL);
    }

    static void loadEnvironment(Cpu cpu, DecodedInsn d, int ea) {
        X87Memory.probeRead(cpu, d, ea, environmentSize(d));
        readEnvironment(cpu, d, ea);
    }

    /** FNSAVE: environment and registers, then FNINIT. */
    static void save(Cpu cpu, DecodedInsn d, int ea) {
        int env = environmentSize(d);
        X87Memory.probeWrite(cpu, d, ea, env + REGISTER_BYTES);
        writeEnvironment(cpu, d, ea);
        FpuState f = cpu.state.fpu;
        for (int i = 0; i < 8; i++) X87Memory.write80(cpu, d, ea, env + 10 * i, f.stSe(i), f.stSig(i));
        f.init();
    }

    static void restore(Cpu cpu, DecodedInsn d, int ea) {
        int env = environmentSize(d);
        X87Memory.probeRead(cpu, d, ea, env + REGISTER_BYTES);
        FpuState f = cpu.state.fpu;
        int tagWord = readEnvironment(cpu, d, ea);
        for (int i = 0; i < 8; i++) {
            int phys = f.physical(i);
            f.sig[phys] = X87Memory.read64(cpu, d, ea, env + 10 * i);
            f.se[phys] = X87Memory.read16(cpu, d, ea, env + 10 * i + 8);
        }
        f.setTagWord(tagWord);
    }

    private static void writeEnvironment(Cpu cpu, DecodedInsn d, int ea) {
        CpuState s = cpu.state;
        FpuState f = s.fpu;
        boolean wide = d.opSize == 4;
        int step = wide ? 4 : 2;
        // the 32-bit layouts fill the unused upper halves with ones, as the hardware does
        int[] words = new int[7];
        words[0] = f.control;
        words[1] = f.statusWord();
        words[2] = f.tagWord();
        if (realLayout(s)) {
            int ip = (f.fcs << 4) + f.fip, dp = (f.fds << 4) + f.fdp;
            words[3] = ip & 0xFFFF;
            words[4] = (ip >>> 16) << 12 | f.fop;
            words[5] = dp & 0xFFFF;
            words[6] = (dp >>> 16) << 12;
        } else {
            words[3] = f.fip;
            words[4] = f.fcs | (wide ? f.fop << 16 : 0);
            words[5] = f.fdp;
            words[6] = f.fds;
        }
        for (int k = 0; k < 7; k++) {
            int v = words[k];
            if (wide) {
                boolean padded = k <= 2 || k == 6 && !realLayout(s);
                X87Memory.write32(cpu, d, ea, k * step, padded ? (v & 0xFFFF) | 0xFFFF_0000 : v);
            } else {
                X87Memory.write16(cpu, d, ea, k * step, v);
            }
        }
    }

    /** Loads the environment; returns the tag word, which takes effect once the registers are in. */
    private static int readEnvironment(Cpu cpu, DecodedInsn d, int ea) {
        CpuState s = cpu.state;
        FpuState f = s.fpu;
        boolean wide = d.opSize == 4;
        int step = wide ? 4 : 2;
        int[] words = new int[7];
        for (int k = 0; k < 7; k++) {
            words[k] = wide ? X87Memory.read32(cpu, d, ea, k * step) : X87Memory.read16(cpu, d, ea, k * step);
        }
        f.setControl(words[0]);
        f.setStatusWord(words[1] & 0xFFFF);
        if (realLayout(s)) {
            int highMask = wide ? 0xFFFF : 0xF;
            f.fcs = f.fds = 0;
            f.fip = (words[3] & 0xFFFF) | ((words[4] >>> 12) & highMask) << 16;
            f.fop = words[4] & 0x7FF;
            f.fdp = (words[5] & 0xFFFF) | ((words[6] >>> 12) & highMask) << 16;
        } else {
            f.fip = wide ? words[3] : words[3] & 0xFFFF;
            f.fcs = words[4] & 0xFFFF;
            f.fop = wide ? (words[4] >>> 16) & 0x7FF : 0; // the 16-bit layout has none: cleared, as on the host
            f.fdp = wide ? words[5] : words[5] & 0xFFFF;
            f.fds = words[6] & 0xFFFF;
        }
        f.setTagWord(words[2] & 0xFFFF);
        return words[2] & 0xFFFF;
    }
}
