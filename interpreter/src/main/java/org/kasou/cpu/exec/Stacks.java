package org.kasou.cpu.exec;

import static org.kasou.isa.DecodedInsn.LOC_MEM;
import static org.kasou.isa.DecodedInsn.LOC_REG;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.Segment;
import org.kasou.cpu.sys.Segmentation;
import org.kasou.cpu.sys.SystemOps;
import org.kasou.isa.DecodedInsn;
import org.kasou.mem.Memory;

/** PUSH, POP (all forms), PUSHA/POPA, PUSHF/POPF, ENTER and LEAVE (SDM vol. 2 pages). */
final class Stacks {
    private Stacks() {}

    static int execute(Cpu cpu, DecodedInsn d) {
        CpuState s = cpu.state;
        int[] r = s.gpr;
        Memory m = cpu.memory;
        Segment ss = s.seg[Segment.SS];
        int size = d.opSize;
        switch (d.op) {
            case PUSH: {
                // PUSH ESP pushes the value before the push; memory operands are read first.
                int v = Operands.readDst(cpu, d, d.dst == LOC_MEM ? Operands.ea(s, d) : 0);
                StackOps.push(cpu, size, v);
                return Exec.NEXT;
            }
            case POP: {
                int esp = r[CpuState.ESP];
                int v = m.read(Segment.SS, StackOps.offset(ss, esp), size);
                int newEsp = StackOps.espAdd(ss, esp, size);
                if (d.dst == LOC_REG) {
                    r[CpuState.ESP] = newEsp;
                    Operands.writeReg(s, d.dstReg, size, v); // POP ESP: the popped value wins
                } else {
                    // An ESP-based destination address uses ESP after the increment (SDM vol. 2, POP).
                    r[CpuState.ESP] = newEsp;
                    try {
                        m.write(d.eaSeg, Operands.ea(s, d), size, v);
                    } catch (CpuFault f) {
                        r[CpuState.ESP] = esp;
                        throw f;
                    }
                }
                return Exec.NEXT;
            }
            case PUSH_SREG: {
                int sel = s.seg[d.dstReg].selector;
                int esp = StackOps.espAdd(ss, r[CpuState.ESP], -size);
                // A 32-bit push of a segment register writes only the selector's 16 bits (P6 and later).
                m.write16(Segment.SS, StackOps.offset(ss, esp), sel);
                r[CpuState.ESP] = esp;
                return Exec.NEXT;
            }
            case POP_SREG: {
                int esp = r[CpuState.ESP];
                int sel = m.read16(Segment.SS, StackOps.offset(ss, esp));
                // POP SS changes the segment object ss refers to: the increment uses the stack size
                // it had before, computed now and stored once the load can no longer fault.
                int after = StackOps.espAdd(ss, esp, size);
                Segmentation.loadSegment(cpu, d.dstReg, sel);
                r[CpuState.ESP] = after;
                return d.dstReg == Segment.SS ? Exec.STOP : Exec.NEXT;
            }
            case PUSHA: {
                int esp = r[CpuState.ESP];
                int sp = esp;
                for (int i = 0; i < 8; i++) {
                    sp = StackOps.espAdd(ss, sp, -size);
                    m.write(Segment.SS, StackOps.offset(ss, sp), size, i == CpuState.ESP ? esp : r[i]);
                }
                r[CpuState.ESP] = sp;
                return Exec.NEXT;
            }
            case POPA: {
                // Read all eight slots (EDI at the top) before changing any register.
                int sp = r[CpuState.ESP];
                int di = m.read(Segment.SS, StackOps.offset(ss, sp), size);
                int si = m.read(Segment.SS, StackOps.offset(ss, sp = StackOps.espAdd(ss, sp, size)), size);
                int bp = m.read(Segment.SS, StackOps.offset(ss, sp = StackOps.espAdd(ss, sp, size)), size);
                sp = StackOps.espAdd(ss, sp, size); // the ESP slot is skipped
                int bx = m.read(Segment.SS, StackOps.offset(ss, sp = StackOps.espAdd(ss, sp, size)), size);
                int dx = m.read(Segment.SS, StackOps.offset(ss, sp = StackOps.espAdd(ss, sp, size)), size);
                int cx = m.read(Segment.SS, StackOps.offset(ss, sp = StackOps.espAdd(ss, sp, size)), size);
                int ax = m.read(Segment.SS, StackOps.offset(ss, sp = StackOps.espAdd(ss, sp, size)), size);
                sp = StackOps.espAdd(ss, sp, size);
                Operands.writeReg(s, CpuState.EDI, size, di);
                Operands.writeReg(s, CpuState.ESI, size, si);
                Operands.writeReg(s, CpuState.EBP, size, bp);
                Operands.writeReg(s, CpuState.EBX, size, bx);
                Operands.writeReg(s, CpuState.EDX, size, dx);
                Operands.writeReg(s, CpuState.ECX, size, cx);
                Operands.writeReg(s, CpuState.EAX, size, ax);
                r[CpuState.ESP] = sp;
                return Exec.NEXT;
            }
            case PUSHF: {
                if (s.v86() && ((s.eflagsRest & Flags.IOPL) >>> 12) < 3) throw Operands.gp0(cpu);
                int v = s.eflags() & ~(Flags.VM | Flags.RF); // the image has VM and RF clear
                StackOps.push(cpu, size, size == 2 ? v & 0xFFFF : v);
                return Exec.NEXT;
            }
            case POPF: {
                int esp = r[CpuState.ESP];
                int v = m.read(Segment.SS, StackOps.offset(ss, esp), size);
                SystemOps.popf(cpu, size == 2 ? (s.eflags() & 0xFFFF0000) | v : v, size);
                r[CpuState.ESP] = StackOps.espAdd(ss, esp, size);
                return Exec.STOP;
            }
            case ENTER:
                enter(cpu, d);
                return Exec.NEXT;
            case LEAVE: {
                int ebp = r[CpuState.EBP];
                int v = m.read(Segment.SS, StackOps.offset(ss, ebp), size);
                // a 16-bit stack copies BP into SP only: ESP's upper half stays (SDM vol. 2, LEAVE)
                int sp = ss.big() ? ebp : (r[CpuState.ESP] & 0xFFFF0000) | (ebp & 0xFFFF);
                r[CpuState.ESP] = StackOps.espAdd(ss, sp, size);
                Operands.writeReg(s, CpuState.EBP, size, v);
                return Exec.NEXT;
            }
            default:
                throw Operands.ud(cpu);
        }
    }

    /** ENTER imm16, imm8 (SDM vol. 2, ENTER), with nesting levels; registers change last. */
    private static void enter(Cpu cpu, DecodedInsn d) {
        CpuState s = cpu.state;
        int[] r = s.gpr;
        Memory m = cpu.memory;
        Segment ss = s.seg[Segment.SS];
        int size = d.opSize;
        int alloc = d.imm & 0xFFFF;
        int level = d.imm2 & 0x1F;
        int esp = StackOps.espAdd(ss, r[CpuState.ESP], -size);
        m.write(Segment.SS, StackOps.offset(ss, esp), size, r[CpuState.EBP]);
        int frameTemp = esp;
        if (level > 0) {
            int ebp = r[CpuState.EBP];
            for (int i = 1; i < level; i++) {
                ebp = StackOps.espAdd(ss, ebp, -size);
                int v = m.read(Segment.SS, StackOps.offset(ss, ebp), size);
                esp = StackOps.espAdd(ss, esp, -size);
                m.write(Segment.SS, StackOps.offset(ss, esp), size, v);
            }
            esp = StackOps.espAdd(ss, esp, -size);
            m.write(Segment.SS, StackOps.offset(ss, esp), size, frameTemp);
        }
        int newEsp = StackOps.espAdd(ss, esp, -alloc);
        // The new stack top must be writable (SDM: #SS if it is outside the segment).
        if (alloc != 0) m.probeWrite(Segment.SS, StackOps.offset(ss, newEsp), 1);
        Operands.writeReg(s, CpuState.EBP, size, frameTemp);
        r[CpuState.ESP] = newEsp;
    }
}
