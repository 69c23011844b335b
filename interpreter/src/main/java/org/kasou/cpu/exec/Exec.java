package org.kasou.cpu.exec;

import static org.kasou.isa.DecodedInsn.LOC_IMM;
import static org.kasou.isa.DecodedInsn.LOC_MEM;
import static org.kasou.isa.DecodedInsn.LOC_REG;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;
import org.kasou.cpu.Segment;
import org.kasou.cpu.sys.FarTransfer;
import org.kasou.cpu.sys.Interrupts;
import org.kasou.cpu.sys.Segmentation;
import org.kasou.cpu.sys.SystemOps;
import org.kasou.isa.DecodedInsn;
import org.kasou.mem.Memory;

/**
 * The semantics of every {@link org.kasou.isa.Op}, one static method per family, dispatched by
 * {@link #execute}. The caller has set {@code state.eip} to the next instruction; control
 * transfers overwrite it. Every read and check that can fault comes first, then memory writes,
 * then register updates, so that a fault leaves the registers as they were (the interpreter
 * restores EIP and the lazy flags). Arithmetic flags come from the alu helpers (Alu, Shifts,
 * MulDiv, Bcd, BitOps, Conditions).
 */
public final class Exec {
    private Exec() {}

    /** Keep executing the block. */
    public static final int NEXT = 0;
    /** Stop the block after this instruction (EIP is set). */
    public static final int STOP = 1;

    public static int execute(Cpu cpu, DecodedInsn d) {
        CpuState s = cpu.state;
        int[] r = s.gpr;
        Memory m = cpu.memory;
        switch (d.op) {
            case ADD: case OR: case ADC: case SBB: case AND: case SUB: case XOR: case CMP:
                alu(cpu, d, d.op.aluIndex());
                return NEXT;
            case TEST: {
                int ea = Operands.eaIfMem(s, d);
                Alu.test(s, d.dstSize, Operands.readDst(cpu, d, ea), Operands.readSrc(cpu, d, ea));
                return NEXT;
            }
            case INC: case DEC: case NEG: case NOT:
                unary(cpu, d);
                return NEXT;
            case ROL: case ROR: case RCL: case RCR: case SHL: case SHR: case SAR:
                shift(cpu, d);
                return NEXT;
            case SHLD: case SHRD:
                doubleShift(cpu, d);
                return NEXT;
            case MUL: case IMUL1: case DIV: case IDIV: {
                int v = Operands.readDst(cpu, d, Operands.eaIfMem(s, d));
                switch (d.op) {
                    case MUL: MulDiv.mul(s, d.dstSize, v); break;
                    case IMUL1: MulDiv.imul1(s, d.dstSize, v); break;
                    case DIV: MulDiv.div(cpu, d.dstSize, v); break;
                    default: MulDiv.idiv(cpu, d.dstSize, v); break;
                }
                return NEXT;
            }
            case IMUL: {
                int ea = Operands.eaIfMem(s, d);
                int res;
                if (d.third == LOC_IMM) {
                    res = MulDiv.imul(s, d.dstSize, Operands.readSrc(cpu, d, ea), d.imm);
                } else {
                    res = MulDiv.imul(s, d.dstSize, Operands.readReg(s, d.dstReg, d.dstSize), Operands.readSrc(cpu, d, ea));
                }
                Operands.writeReg(s, d.dstReg, d.dstSize, res);
                return NEXT;
            }
            case DAA: Bcd.daa(s); return NEXT;
            case DAS: Bcd.das(s); return NEXT;
            case AAA: Bcd.aaa(s); return NEXT;
            case AAS: Bcd.aas(s); return NEXT;
            case AAM: Bcd.aam(cpu, d.imm & 0xFF); return NEXT;
            case AAD: Bcd.aad(s, d.imm & 0xFF); return NEXT;
            case SALC:
                Operands.writeReg(s, CpuState.EAX, 1, LazyFlags.cf(s) ? 0xFF : 0);
                return NEXT;
            case BT: case BTS: case BTR: case BTC:
                bitTest(cpu, d);
                return NEXT;
            case BSF: case BSR: {
                int v = Operands.readSrc(cpu, d, Operands.eaIfMem(s, d));
                int old = Operands.readReg(s, d.dstReg, d.dstSize);
                int res = d.op == org.kasou.isa.Op.BSF ? BitOps.bsf(s, d.dstSize, old, v) : BitOps.bsr(s, d.dstSize, old, v);
                Operands.writeReg(s, d.dstReg, d.dstSize, res);
                return NEXT;
            }
            case BSWAP:
                // With a 16-bit operand the result is undefined; P6 and later clear the word.
                r[d.dstReg] = d.opSize == 4 ? BitOps.bswap(r[d.dstReg]) : r[d.dstReg] & 0xFFFF0000;
                return NEXT;

            case MOV: {
                int ea = Operands.eaIfMem(s, d);
                Operands.writeDst(cpu, d, ea, Operands.readSrc(cpu, d, ea));
                return NEXT;
            }
            case MOV_FROM_SREG: {
                if (d.srcReg > Segment.GS) throw Operands.ud(cpu);
                int sel = s.seg[d.srcReg].selector;
                if (d.dst == LOC_MEM) m.write16(d.eaSeg, Operands.ea(s, d), sel);
                else Operands.writeReg(s, d.dstReg, d.opSize, sel); // P6: a 32-bit register gets the zero-extended selector
                return NEXT;
            }
            case MOV_TO_SREG: {
                if (d.dstReg == Segment.CS || d.dstReg > Segment.GS) throw Operands.ud(cpu);
                int sel = d.src == LOC_MEM ? m.read16(d.eaSeg, Operands.ea(s, d)) : r[d.srcReg] & 0xFFFF;
                Segmentation.loadSegment(cpu, d.dstReg, sel);
                return STOP;
            }
            case MOVZX: case MOVSX: {
                int v = Operands.readSrc(cpu, d, Operands.eaIfMem(s, d));
                if (d.op == org.kasou.isa.Op.MOVSX) v = LazyFlags.sx(d.srcSize, v);
                Operands.writeReg(s, d.dstReg, d.dstSize, v);
                return NEXT;
            }
            case LEA:
                Operands.writeReg(s, d.dstReg, d.dstSize, Operands.ea(s, d));
                return NEXT;
            case XCHG: {
                int ea = Operands.eaIfMem(s, d);
                int a = Operands.readDst(cpu, d, ea);
                int b = Operands.readSrc(cpu, d, ea);
                Operands.writeDst(cpu, d, ea, b);
                Operands.writeSrc(cpu, d, ea, a);
                return NEXT;
            }
            case XLAT: {
                int off = r[CpuState.EBX] + (r[CpuState.EAX] & 0xFF);
                if (d.addrSize == 2) off &= 0xFFFF;
                Operands.writeReg(s, CpuState.EAX, 1, m.read8(d.eaSeg, off));
                return NEXT;
            }
            case CBW:
                if (d.opSize == 2) Operands.writeReg(s, CpuState.EAX, 2, (byte) r[CpuState.EAX]);
                else r[CpuState.EAX] = (short) r[CpuState.EAX];
                return NEXT;
            case CWD:
                if (d.opSize == 2) Operands.writeReg(s, CpuState.EDX, 2, ((short) r[CpuState.EAX]) >> 15);
                else r[CpuState.EDX] = r[CpuState.EAX] >> 31;
                return NEXT;
            case CMOV: {
                int v = Operands.readSrc(cpu, d, Operands.eaIfMem(s, d)); // the source is read (and may fault) either way
                if (Conditions.test(s, d.cc)) Operands.writeReg(s, d.dstReg, d.dstSize, v);
                return NEXT;
            }
            case SETCC:
                Operands.writeDst(cpu, d, Operands.eaIfMem(s, d), Conditions.test(s, d.cc) ? 1 : 0);
                return NEXT;
            case CMPXCHG: {
                int ea = Operands.eaIfMem(s, d);
                int size = d.dstSize;
                int old = Operands.readDst(cpu, d, ea);
                int acc = Operands.readReg(s, CpuState.EAX, size);
                Alu.cmp(s, size, acc, old);
                if (acc == old) {
                    Operands.writeDst(cpu, d, ea, Operands.readSrc(cpu, d, ea));
                } else {
                    if (d.dst == LOC_MEM) Operands.writeDst(cpu, d, ea, old); // the destination is always written
                    Operands.writeReg(s, CpuState.EAX, size, old);
                }
                return NEXT;
            }
            case CMPXCHG8B: {
                int ea = Operands.ea(s, d);
                int ea4 = d.addrSize == 2 ? (ea + 4) & 0xFFFF : ea + 4;
                int lo = m.read32(d.eaSeg, ea);
                int hi = m.read32(d.eaSeg, ea4);
                m.probeWrite(d.eaSeg, ea, 4);
                m.probeWrite(d.eaSeg, ea4, 4);
                boolean eq = lo == r[CpuState.EAX] && hi == r[CpuState.EDX];
                if (eq) {
                    m.write32(d.eaSeg, ea, r[CpuState.EBX]);
                    m.write32(d.eaSeg, ea4, r[CpuState.ECX]);
                } else {
                    m.write32(d.eaSeg, ea, lo);
                    m.write32(d.eaSeg, ea4, hi);
                    r[CpuState.EAX] = lo;
                    r[CpuState.EDX] = hi;
                }
                setZf(s, eq);
                return NEXT;
            }
            case XADD: {
                int ea = Operands.eaIfMem(s, d);
                int a = Operands.readDst(cpu, d, ea);
                int b = Operands.readSrc(cpu, d, ea);
                int sum = Alu.add(s, d.dstSize, a, b);
                if (d.dst == DecodedInsn.LOC_MEM) {
                    Operands.writeDst(cpu, d, ea, sum); // may fault: before any register changes
                    Operands.writeSrc(cpu, d, ea, a);
                } else {
                    // XADD r, r with one register: the sum is written last (SDM vol. 2, XADD)
                    Operands.writeSrc(cpu, d, ea, a);
                    Operands.writeDst(cpu, d, ea, sum);
                }
                return NEXT;
            }
            case LES: return loadFarPointer(cpu, d, Segment.ES);
            case LDS: return loadFarPointer(cpu, d, Segment.DS);
            case LSS: return loadFarPointer(cpu, d, Segment.SS);
            case LFS: return loadFarPointer(cpu, d, Segment.FS);
            case LGS: return loadFarPointer(cpu, d, Segment.GS);

            case PUSH: case POP: case PUSH_SREG: case POP_SREG: case PUSHA: case POPA:
            case PUSHF: case POPF: case ENTER: case LEAVE:
                return Stacks.execute(cpu, d);

            case JMP: case JMP_IND: case JCC: case CALL: case CALL_IND: case RET:
            case LOOP: case LOOPE: case LOOPNE: case JCXZ:
                return Branches.near(cpu, d);
            case JMP_FAR:
                FarTransfer.jmpFar(cpu, d.imm2, d.imm, d.opSize, d.next);
                return STOP;
            case CALL_FAR:
                FarTransfer.callFar(cpu, d.imm2, d.imm, d.opSize, d.next);
                return STOP;
            case JMP_FAR_IND: case CALL_FAR_IND: {
                int ea = Operands.ea(s, d);
                int off = m.read(d.eaSeg, ea, d.opSize);
                int sel = m.read16(d.eaSeg, d.addrSize == 2 ? (ea + d.opSize) & 0xFFFF : ea + d.opSize);
                if (d.op == org.kasou.isa.Op.JMP_FAR_IND) FarTransfer.jmpFar(cpu, sel, off, d.opSize, d.next);
                else FarTransfer.callFar(cpu, sel, off, d.opSize, d.next);
                return STOP;
            }
            case RET_FAR:
                FarTransfer.retFar(cpu, d.opSize, d.opcode == 0xCA ? d.imm & 0xFFFF : 0);
                return STOP;
            case INT:
                Interrupts.softwareInterrupt(cpu, d.imm & 0xFF, d.eip, d.next);
                return STOP;
            case INT3:
                Interrupts.int3(cpu, d.eip, d.next);
                return STOP;
            case INTO:
                Interrupts.into(cpu, d.eip, d.next);
                return STOP;
            case INT1:
                Interrupts.icebp(cpu, d.eip, d.next);
                return STOP;
            case IRET:
                FarTransfer.iret(cpu, d.opSize);
                return STOP;
            case BOUND: {
                int ea = Operands.ea(s, d);
                int size = d.opSize;
                int idx = LazyFlags.sx(size, Operands.readReg(s, d.dstReg, size));
                int lower = LazyFlags.sx(size, m.read(d.eaSeg, ea, size));
                int upper = LazyFlags.sx(size, m.read(d.eaSeg, d.addrSize == 2 ? (ea + size) & 0xFFFF : ea + size, size));
                if (idx < lower || idx > upper) throw cpu.fault.set(CpuFault.BR, CpuFault.NO_ERROR_CODE);
                return NEXT;
            }

            case MOVS: case CMPS: case SCAS: case LODS: case STOS: case INS: case OUTS:
                // OUTS, like OUT, may have told a device to stop the CPU: the block ends after it.
                return Strings.execute(cpu, d) && d.op != org.kasou.isa.Op.OUTS ? NEXT : STOP;
            case IN: {
                int port = d.src == LOC_IMM ? d.imm & 0xFF : r[CpuState.EDX] & 0xFFFF;
                int size = d.dstSize;
                SystemOps.checkIo(cpu, port, size);
                Operands.writeReg(s, CpuState.EAX, size, cpu.io.in(port, size));
                return NEXT;
            }
            case OUT: {
                int port = d.dst == LOC_IMM ? d.imm & 0xFF : r[CpuState.EDX] & 0xFFFF;
                int size = d.srcSize;
                SystemOps.checkIo(cpu, port, size);
                cpu.io.out(port, size, Operands.readReg(s, CpuState.EAX, size));
                return STOP;
            }

            case CLC: setCf(s, false); return NEXT;
            case STC: setCf(s, true); return NEXT;
            case CMC: setCf(s, !LazyFlags.cf(s)); return NEXT;
            case CLD: s.eflagsRest &= ~Flags.DF; return NEXT;
            case STD: s.eflagsRest |= Flags.DF; return NEXT;
            case CLI: SystemOps.cli(cpu); return NEXT;
            case STI: SystemOps.sti(cpu); return STOP;
            case SAHF: {
                int mask = Flags.SF | Flags.ZF | Flags.AF | Flags.PF | Flags.CF;
                LazyFlags.setArith(s, (LazyFlags.arith(s) & ~mask) | ((r[CpuState.EAX] >>> 8) & mask));
                return NEXT;
            }
            case LAHF: {
                int mask = Flags.SF | Flags.ZF | Flags.AF | Flags.PF | Flags.CF;
                Operands.writeReg(s, 4, 1, (LazyFlags.arith(s) & mask) | Flags.FIXED1);
                return NEXT;
            }
            case NOP:
                return NEXT;
            case PAUSE:
                if (cpu.spinWaitHint != null) cpu.spinWaitHint.run();
                return NEXT;
            case WAIT:
                if ((s.cr0 & (CpuState.CR0_MP | CpuState.CR0_TS)) == (CpuState.CR0_MP | CpuState.CR0_TS)) {
                    throw cpu.fault.set(CpuFault.NM, CpuFault.NO_ERROR_CODE);
                }
                X87Exec.reportPendingError(cpu);
                return NEXT;
            case X87:
                return X87Exec.execute(cpu, d);
            case HLT:
                SystemOps.hlt(cpu);
                return STOP;

            default:
                return SystemExec.execute(cpu, d);
        }
    }

    // ------------------------------------------------------------------------------------------

    /** Group-1 ALU operation {@code kind} (0 ADD .. 7 CMP) on two values; CMP returns dst. */
    public static int alu(CpuState s, int kind, int size, int a, int b) {
        switch (kind) {
            case 0: return Alu.add(s, size, a, b);
            case 1: return Alu.or(s, size, a, b);
            case 2: return Alu.adc(s, size, a, b);
            case 3: return Alu.sbb(s, size, a, b);
            case 4: return Alu.and(s, size, a, b);
            case 5: return Alu.sub(s, size, a, b);
            case 6: return Alu.xor(s, size, a, b);
            default: Alu.cmp(s, size, a, b); return a;
        }
    }

    private static void alu(Cpu cpu, DecodedInsn d, int kind) {
        CpuState s = cpu.state;
        int size = d.dstSize;
        if (d.dst == LOC_REG) {
            int a = Operands.readReg(s, d.dstReg, size);
            int b = d.src == LOC_MEM ? cpu.memory.read(d.eaSeg, Operands.ea(s, d), size) : Operands.readSrc(cpu, d, 0);
            int res = alu(s, kind, size, a, b);
            if (kind != 7) Operands.writeReg(s, d.dstReg, size, res);
        } else {
            int ea = Operands.ea(s, d);
            int a = cpu.memory.read(d.eaSeg, ea, size);
            int b = Operands.readSrc(cpu, d, ea);
            int res = alu(s, kind, size, a, b);
            if (kind != 7) cpu.memory.write(d.eaSeg, ea, size, res);
        }
    }

    private static void unary(Cpu cpu, DecodedInsn d) {
        CpuState s = cpu.state;
        int size = d.dstSize;
        int ea = Operands.eaIfMem(s, d);
        int v = Operands.readDst(cpu, d, ea);
        int res;
        switch (d.op) {
            case INC: res = Alu.inc(s, size, v); break;
            case DEC: res = Alu.dec(s, size, v); break;
            case NEG: res = Alu.neg(s, size, v); break;
            default: res = ~v & LazyFlags.mask(size); break;
        }
        Operands.writeDst(cpu, d, ea, res);
    }

    private static void shift(Cpu cpu, DecodedInsn d) {
        CpuState s = cpu.state;
        int count = (d.src == LOC_IMM ? d.imm : s.gpr[CpuState.ECX]) & 0x1F;
        int ea = Operands.eaIfMem(s, d);
        int v = Operands.readDst(cpu, d, ea);
        if (count == 0) {
            // no change and flags untouched, but a memory operand is still checked for writing
            if (d.dst == LOC_MEM) cpu.memory.probeWrite(d.eaSeg, ea, d.dstSize);
            return;
        }
        Operands.writeDst(cpu, d, ea, Shifts.shift(s, d.reg, d.dstSize, v, count));
    }

    private static void doubleShift(Cpu cpu, DecodedInsn d) {
        CpuState s = cpu.state;
        int count = (d.third == LOC_IMM ? d.imm : s.gpr[CpuState.ECX]) & 0x1F;
        int ea = Operands.eaIfMem(s, d);
        int v = Operands.readDst(cpu, d, ea);
        int src = Operands.readReg(s, d.srcReg, d.srcSize);
        if (count == 0) {
            if (d.dst == LOC_MEM) cpu.memory.probeWrite(d.eaSeg, ea, d.dstSize);
            return;
        }
        int res = d.op == org.kasou.isa.Op.SHLD ? Shifts.shld(s, d.dstSize, v, src, count) : Shifts.shrd(s, d.dstSize, v, src, count);
        Operands.writeDst(cpu, d, ea, res);
    }

    /** BT/BTS/BTR/BTC: a register bit offset addresses a bit string in memory (SDM vol. 2, BT). */
    private static void bitTest(Cpu cpu, DecodedInsn d) {
        CpuState s = cpu.state;
        int size = d.dstSize;
        int bit;
        int ea = 0;
        if (d.src == LOC_IMM) {
            bit = d.imm & ((size << 3) - 1);
            if (d.dst == LOC_MEM) ea = Operands.ea(s, d);
        } else {
            int off = LazyFlags.sx(size, Operands.readReg(s, d.srcReg, size));
            bit = off & ((size << 3) - 1);
            if (d.dst == LOC_MEM) {
                ea = Operands.ea(s, d) + (off >> (size == 4 ? 5 : 4)) * size;
                if (d.addrSize == 2) ea &= 0xFFFF;
            }
        }
        int v = d.dst == LOC_MEM ? cpu.memory.read(d.eaSeg, ea, size) : Operands.readReg(s, d.dstReg, size);
        int res;
        switch (d.op) {
            case BT: BitOps.bt(s, size, v, bit); return;
            case BTS: res = BitOps.bts(s, size, v, bit); break;
            case BTR: res = BitOps.btr(s, size, v, bit); break;
            default: res = BitOps.btc(s, size, v, bit); break;
        }
        if (d.dst == LOC_MEM) cpu.memory.write(d.eaSeg, ea, size, res);
        else Operands.writeReg(s, d.dstReg, size, res);
    }

    private static int loadFarPointer(Cpu cpu, DecodedInsn d, int seg) {
        CpuState s = cpu.state;
        int ea = Operands.ea(s, d);
        int off = cpu.memory.read(d.eaSeg, ea, d.opSize);
        int sel = cpu.memory.read16(d.eaSeg, d.addrSize == 2 ? (ea + d.opSize) & 0xFFFF : ea + d.opSize);
        Segmentation.loadSegment(cpu, seg, sel);
        Operands.writeReg(s, d.dstReg, d.opSize, off);
        return seg == Segment.SS ? STOP : NEXT;
    }

    static void setCf(CpuState s, boolean cf) {
        LazyFlags.setArith(s, (LazyFlags.arith(s) & ~Flags.CF) | (cf ? Flags.CF : 0));
    }

    static void setZf(CpuState s, boolean zf) {
        LazyFlags.setArith(s, (LazyFlags.arith(s) & ~Flags.ZF) | (zf ? Flags.ZF : 0));
    }
}
