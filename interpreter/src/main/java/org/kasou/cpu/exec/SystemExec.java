package org.kasou.cpu.exec;

import static org.kasou.isa.DecodedInsn.LOC_MEM;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.sys.SystemOps;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.InsnForm;

/**
 * The system instructions, as operand plumbing around {@link SystemOps} (which holds their
 * semantics and privilege checks).
 */
final class SystemExec {
    private SystemExec() {}

    static int execute(Cpu cpu, DecodedInsn d) {
        CpuState s = cpu.state;
        int[] r = s.gpr;
        if (d.form != null && d.form.has(InsnForm.PM_ONLY) && (!s.protectedMode() || s.v86())) {
            throw Operands.ud(cpu);
        }
        switch (d.op) {
            case LGDT: SystemOps.lgdt(cpu, d.eaSeg, Operands.ea(s, d), d.opSize); return Exec.NEXT;
            case LIDT: SystemOps.lidt(cpu, d.eaSeg, Operands.ea(s, d), d.opSize); return Exec.NEXT;
            case SGDT: SystemOps.sgdt(cpu, d.eaSeg, Operands.ea(s, d), d.opSize); return Exec.NEXT;
            case SIDT: SystemOps.sidt(cpu, d.eaSeg, Operands.ea(s, d), d.opSize); return Exec.NEXT;
            case LLDT: SystemOps.lldt(cpu, Operands.readDst(cpu, d, Operands.eaIfMem(s, d))); return Exec.NEXT;
            case LTR: SystemOps.ltr(cpu, Operands.readDst(cpu, d, Operands.eaIfMem(s, d))); return Exec.NEXT;
            case SLDT: storeWordOrReg(cpu, d, SystemOps.sldt(cpu)); return Exec.NEXT;
            case STR: storeWordOrReg(cpu, d, SystemOps.str(cpu)); return Exec.NEXT;
            case SMSW: storeWordOrReg(cpu, d, SystemOps.smsw(cpu)); return Exec.NEXT;
            case LMSW: SystemOps.lmsw(cpu, Operands.readDst(cpu, d, Operands.eaIfMem(s, d))); return Exec.STOP;
            case CLTS: SystemOps.clts(cpu); return Exec.NEXT;
            case INVLPG: SystemOps.invlpg(cpu, d.eaSeg, Operands.ea(s, d)); return Exec.STOP;
            case INVD: case WBINVD:
                checkCpl0(cpu);
                return Exec.NEXT;
            case LAR: case LSL: {
                int sel = Operands.readSrc(cpu, d, Operands.eaIfMem(s, d)) & 0xFFFF;
                long v = d.op == org.kasou.isa.Op.LAR ? SystemOps.lar(cpu, sel) : SystemOps.lsl(cpu, sel);
                if (v != -1) Operands.writeReg(s, d.dstReg, d.opSize, (int) v);
                return Exec.NEXT;
            }
            case VERR: SystemOps.verr(cpu, Operands.readDst(cpu, d, Operands.eaIfMem(s, d))); return Exec.NEXT;
            case VERW: SystemOps.verw(cpu, Operands.readDst(cpu, d, Operands.eaIfMem(s, d))); return Exec.NEXT;
            case ARPL: {
                int ea = Operands.eaIfMem(s, d);
                int a = Operands.readDst(cpu, d, ea);
                int res = SystemOps.arpl(cpu, a, Operands.readReg(s, d.srcReg, 2));
                if (res != a) Operands.writeDst(cpu, d, ea, res);
                return Exec.NEXT;
            }
            case MOV_TO_CR: SystemOps.movToCr(cpu, d.dstReg, r[d.srcReg]); return Exec.STOP;
            case MOV_FROM_CR: r[d.dstReg] = SystemOps.movFromCr(cpu, d.srcReg); return Exec.NEXT;
            case MOV_TO_DR: SystemOps.movToDr(cpu, d.dstReg, r[d.srcReg]); return Exec.STOP;
            case MOV_FROM_DR: r[d.dstReg] = SystemOps.movFromDr(cpu, d.srcReg); return Exec.NEXT;
            case CPUID: SystemOps.cpuid(cpu); return Exec.NEXT;
            case RDTSC: SystemOps.rdtsc(cpu); return Exec.NEXT;
            case RDMSR: SystemOps.rdmsr(cpu); return Exec.NEXT;
            case WRMSR: SystemOps.wrmsr(cpu); return Exec.STOP;
            case RDPMC:
                // No performance counters: #GP(0) for a counter this CPU lacks or at CPL > 0 without CR4.PCE.
                if (Integer.compareUnsigned(r[CpuState.ECX], 1) > 0
                        || (s.protectedMode() && s.cpl != 0 && (s.cr4 & 0x100) == 0)) {
                    throw Operands.gp0(cpu);
                }
                r[CpuState.EAX] = 0;
                r[CpuState.EDX] = 0;
                return Exec.NEXT;
            case SYSENTER:
                if (!SystemOps.sysenterHandled(cpu, d.next)) SystemOps.sysenter(cpu);
                return Exec.STOP;
            case SYSEXIT: SystemOps.sysexit(cpu); return Exec.STOP;
            default:
                // RSM outside SMM, UD2, decode-only x87/SIMD ops
                throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
        }
    }

    /** SLDT, STR, SMSW: a word to memory, or the operand size to a register (zero-extended). */
    private static void storeWordOrReg(Cpu cpu, DecodedInsn d, int v) {
        CpuState s = cpu.state;
        if (d.dst == LOC_MEM) cpu.memory.write16(d.eaSeg, Operands.ea(s, d), v);
        else Operands.writeReg(s, d.dstReg, d.opSize, d.op == org.kasou.isa.Op.SMSW ? v : v & 0xFFFF);
    }

    private static void checkCpl0(Cpu cpu) {
        CpuState s = cpu.state;
        if (s.protectedMode() && (s.cpl != 0 || s.v86())) throw Operands.gp0(cpu);
    }
}
