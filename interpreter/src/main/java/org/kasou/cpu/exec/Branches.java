package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.LazyFlags;
import org.kasou.cpu.Segment;
import org.kasou.isa.DecodedInsn;

/** Near control transfers: JMP, Jcc, CALL, RET, LOOP/LOOPE/LOOPNE, JCXZ/JECXZ (SDM vol. 2). */
public final class Branches {
    private Branches() {}

    /** Sets EIP to a near target after the CS limit check (#GP(0) beyond it). */
    public static void jump(Cpu cpu, int target) {
        CpuState s = cpu.state;
        if (Integer.compareUnsigned(target, s.seg[Segment.CS].limit) > 0) throw Operands.gp0(cpu);
        s.eip = target;
    }

    static int near(Cpu cpu, DecodedInsn d) {
        CpuState s = cpu.state;
        int[] r = s.gpr;
        switch (d.op) {
            case JMP:
                jump(cpu, d.target);
                return Exec.STOP;
            case JCC:
                if (Conditions.test(s, d.cc)) jump(cpu, d.target);
                return Exec.STOP;
            case JMP_IND: {
                int t = Operands.readDst(cpu, d, Operands.eaIfMem(s, d));
                jump(cpu, t);
                return Exec.STOP;
            }
            case CALL:
                call(cpu, d, d.target);
                return Exec.STOP;
            case CALL_IND:
                call(cpu, d, Operands.readDst(cpu, d, Operands.eaIfMem(s, d)));
                return Exec.STOP;
            case RET: {
                Segment ss = s.seg[Segment.SS];
                int esp = r[CpuState.ESP];
                int t = cpu.memory.read(Segment.SS, StackOps.offset(ss, esp), d.opSize);
                jump(cpu, t);
                r[CpuState.ESP] = StackOps.espAdd(ss, esp, d.opSize + (d.opcode == 0xC2 ? d.imm & 0xFFFF : 0));
                return Exec.STOP;
            }
            case LOOP: case LOOPE: case LOOPNE: {
                boolean a32 = d.addrSize == 4;
                int count = (a32 ? r[CpuState.ECX] : r[CpuState.ECX] & 0xFFFF) - 1;
                if (!a32) count &= 0xFFFF;
                boolean take = count != 0;
                if (take && d.op != org.kasou.isa.Op.LOOP) take = LazyFlags.zf(s) == (d.op == org.kasou.isa.Op.LOOPE);
                if (take) jump(cpu, d.target);
                r[CpuState.ECX] = a32 ? count : (r[CpuState.ECX] & 0xFFFF0000) | count;
                return Exec.STOP;
            }
            case JCXZ: {
                int count = d.addrSize == 4 ? r[CpuState.ECX] : r[CpuState.ECX] & 0xFFFF;
                if (count == 0) jump(cpu, d.target);
                return Exec.STOP;
            }
            default:
                throw Operands.ud(cpu);
        }
    }

    /** Near CALL: the target is checked, then the return address pushed, then EIP set. */
    static void call(Cpu cpu, DecodedInsn d, int target) {
        CpuState s = cpu.state;
        if (Integer.compareUnsigned(target, s.seg[Segment.CS].limit) > 0) throw Operands.gp0(cpu);
        StackOps.push(cpu, d.opSize, d.next);
        s.eip = target;
    }
}
