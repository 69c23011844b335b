package org.kasou.embed;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;

/**
 * The saved registers of an engine ({@link Engine#saveContext()}): general registers, EIP,
 * EFLAGS, segment registers with their caches, descriptor-table registers, control and debug
 * registers, the CPL and the x87 FPU (registers, stack top, tags, control, status and the last
 * instruction and operand pointers). Immutable once taken.
 */
public final class CpuContext {
    private final int[] gpr = new int[8];
    private final int eip, eflags, cpl;
    private final int[] seg = new int[8 * 4];
    private final boolean[] segValid = new boolean[8];
    private final int cr0, cr2, cr3, cr4, gdtrBase, gdtrLimit, idtrBase, idtrLimit;
    private final int[] dr = new int[8];
    private final int[] fpuSe = new int[8];
    private final long[] fpuSig = new long[8];
    /** tags, top, control, status, fip, fcs, fop, fdp, fds */
    private final int[] fpuWords = new int[9];

    private CpuContext(CpuState s) {
        System.arraycopy(s.gpr, 0, gpr, 0, 8);
        eip = s.eip;
        eflags = s.eflags();
        cpl = s.cpl;
        for (int i = 0; i < 8; i++) {
            Segment g = s.seg[i];
            seg[4 * i] = g.selector;
            seg[4 * i + 1] = g.base;
            seg[4 * i + 2] = g.limit;
            seg[4 * i + 3] = g.access;
            segValid[i] = g.valid;
        }
        cr0 = s.cr0;
        cr2 = s.cr2;
        cr3 = s.cr3;
        cr4 = s.cr4;
        gdtrBase = s.gdtrBase;
        gdtrLimit = s.gdtrLimit;
        idtrBase = s.idtrBase;
        idtrLimit = s.idtrLimit;
        System.arraycopy(s.dr, 0, dr, 0, 8);
        org.kasou.cpu.FpuState f = s.fpu;
        System.arraycopy(f.se, 0, fpuSe, 0, 8);
        System.arraycopy(f.sig, 0, fpuSig, 0, 8);
        int[] w = {f.tags, f.top, f.control, f.status, f.fip, f.fcs, f.fop, f.fdp, f.fds};
        System.arraycopy(w, 0, fpuWords, 0, w.length);
    }

    static CpuContext capture(CpuState s) {
        return new CpuContext(s);
    }

    void applyTo(CpuState s) {
        System.arraycopy(gpr, 0, s.gpr, 0, 8);
        s.eip = eip;
        s.setEflags(eflags);
        s.cpl = cpl;
        for (int i = 0; i < 8; i++) {
            s.seg[i].set(seg[4 * i], seg[4 * i + 1], seg[4 * i + 2], seg[4 * i + 3]);
            s.seg[i].valid = segValid[i];
        }
        s.cr0 = cr0;
        s.cr2 = cr2;
        s.cr3 = cr3;
        s.cr4 = cr4;
        s.gdtrBase = gdtrBase;
        s.gdtrLimit = gdtrLimit;
        s.idtrBase = idtrBase;
        s.idtrLimit = idtrLimit;
        System.arraycopy(dr, 0, s.dr, 0, 8);
        org.kasou.cpu.FpuState f = s.fpu;
        System.arraycopy(fpuSe, 0, f.se, 0, 8);
        System.arraycopy(fpuSig, 0, f.sig, 0, 8);
        f.tags = fpuWords[0];
        f.top = fpuWords[1];
        f.control = fpuWords[2];
        f.status = fpuWords[3];
        f.fip = fpuWords[4];
        f.fcs = fpuWords[5];
        f.fop = fpuWords[6];
        f.fdp = fpuWords[7];
        f.fds = fpuWords[8];
        s.halted = false;
    }

    /** The saved value of a general register, EIP or EFLAGS (for inspection). */
    public long get(Register r) {
        return switch (r) {
            case EIP -> eip & 0xFFFFFFFFL;
            case EFLAGS -> eflags & 0xFFFFFFFFL;
            default -> {
                if (r.ordinal() > Register.EDI.ordinal()) throw new IllegalArgumentException("a context shows EAX-EDI, EIP and EFLAGS, not " + r);
                yield gpr[r.ordinal()] & 0xFFFFFFFFL;
            }
        };
    }
}
