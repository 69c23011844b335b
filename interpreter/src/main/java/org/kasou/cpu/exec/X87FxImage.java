package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.FpuState;
import org.kasou.isa.DecodedInsn;

/**
 * FXSAVE and FXRSTOR (0F AE /0 and /1): the x87 state in the 512-byte image of SDM vol. 2A
 * (FXSAVE, table 3-53, non-64-bit layout) at a 16-byte-aligned address. This CPU has no SSE, so
 * the MXCSR fields are stored as zeros and ignored on restore, and the XMM and reserved areas
 * (bytes 160-511) are neither written nor read. Neither instruction waits for a pending x87
 * exception, and FXSAVE, unlike FNSAVE, leaves the x87 state as it is.
 */
final class X87FxImage {
    static final int SIZE = 512;
    private static final int REGISTERS = 32, REGISTER_STRIDE = 16;

    private X87FxImage() {}

    /** Runs FXSAVE or FXRSTOR; the caller has made the #NM checks. */
    static int execute(Cpu cpu, DecodedInsn d) {
        int ea = Operands.ea(cpu.state, d);
        // the segment limit is checked before the alignment: the host reports #SS, not #GP, for
        // a misaligned operand beyond SS's limit
        if (d.reg == 0) X87Memory.probeWrite(cpu, d, ea, SIZE);
        else X87Memory.probeRead(cpu, d, ea, SIZE);
        if (((cpu.state.seg[d.eaSeg].base + ea) & 15) != 0) throw cpu.fault.set(CpuFault.GP, 0);
        if (d.reg == 0) save(cpu, d, ea);
        else restore(cpu, d, ea);
        return Exec.NEXT;
    }

    private static void save(Cpu cpu, DecodedInsn d, int ea) {
        FpuState f = cpu.state.fpu;
        int abridgedTags = 0;
        for (int p = 0; p < 8; p++) {
            if (f.tag(p) != FpuState.TAG_EMPTY) abridgedTags |= 1 << p;
        }
        // the host (an AMD CPU) stores the last instruction and operand pointers only while an
        // unmasked exception is pending, zeros otherwise
        boolean pointers = f.errorPending();
        X87Memory.write16(cpu, d, ea, 0, f.control);
        X87Memory.write16(cpu, d, ea, 2, f.statusWord());
        X87Memory.write16(cpu, d, ea, 4, abridgedTags);
        X87Memory.write16(cpu, d, ea, 6, pointers ? f.fop : 0);
        X87Memory.write32(cpu, d, ea, 8, pointers ? f.fip : 0);
        X87Memory.write32(cpu, d, ea, 12, pointers ? f.fcs & 0xFFFF : 0);
        X87Memory.write32(cpu, d, ea, 16, pointers ? f.fdp : 0);
        X87Memory.write32(cpu, d, ea, 20, pointers ? f.fds & 0xFFFF : 0);
        X87Memory.write64(cpu, d, ea, 24, 0); // MXCSR and MXCSR_MASK: no SSE
        for (int i = 0; i < 8; i++) {
            int at = REGISTERS + REGISTER_STRIDE * i;
            X87Memory.write80(cpu, d, ea, at, f.stSe(i), f.stSig(i));
            X87Memory.write16(cpu, d, ea, at + 10, 0);
            X87Memory.write32(cpu, d, ea, at + 12, 0);
        }
    }

    private static void restore(Cpu cpu, DecodedInsn d, int ea) {
        FpuState f = cpu.state.fpu;
        f.setControl(X87Memory.read16(cpu, d, ea, 0));
        f.setStatusWord(X87Memory.read16(cpu, d, ea, 2));
        int abridgedTags = X87Memory.read16(cpu, d, ea, 4) & 0xFF;
        f.fop = X87Memory.read16(cpu, d, ea, 6) & 0x7FF;
        f.fip = X87Memory.read32(cpu, d, ea, 8);
        f.fcs = X87Memory.read16(cpu, d, ea, 12);
        f.fdp = X87Memory.read32(cpu, d, ea, 16);
        f.fds = X87Memory.read16(cpu, d, ea, 20);
        for (int i = 0; i < 8; i++) {
            int phys = f.physical(i), at = REGISTERS + REGISTER_STRIDE * i;
            f.sig[phys] = X87Memory.read64(cpu, d, ea, at);
            f.se[phys] = X87Memory.read16(cpu, d, ea, at + 8);
        }
        int tags = 0;
        for (int p = 0; p < 8; p++) {
            int t = (abridgedTags & (1 << p)) == 0 ? FpuState.TAG_EMPTY : FpuState.tagOf(f.se[p], f.sig[p]);
            tags |= t << (2 * p);
        }
        f.tags = tags;
    }
}
