package org.kasou.cpu;

import org.kasou.cpu.exec.Alu;
import org.kasou.cpu.exec.Conditions;
import org.kasou.cpu.exec.Exec;
import org.kasou.cpu.exec.MulDiv;
import org.kasou.cpu.exec.Operands;
import org.kasou.cpu.exec.Shifts;
import org.kasou.cpu.exec.StackOps;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Handlers;
import org.kasou.mem.Memory;

/**
 * The interpreter's fast forms that access memory or sub-registers, one small method per form,
 * for the forms without a {@link FastOp} of their own (16-bit addressing, rarer forms): run by
 * {@link FormOp} from the decoded instruction.
 *
 * <p>Why not more switch cases: HotSpot's C2 schedules a value used by several cases of one switch
 * before the switch, so every field and address computation the cases share is loaded for every
 * instruction (and spilled), and the inlining budget of the one big method runs out long before
 * the memory paths it calls are inlined. A form here is compiled on its own, with the memory fast
 * path inlined into it, and loads only what it uses.
 *
 * <p>Each form keeps the precise-fault rule of the generic path: every read and check that can
 * fault first, then memory writes, then registers and flags (a read-modify-write stores its result
 * before it records the flags, so that a faulting write leaves the flags as they were).
 */
abstract class MemoryForm {
    abstract void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d);

    /** The form of each handler id that runs here, null for the others. */
    static final MemoryForm[] BY_HANDLER = new MemoryForm[Handlers.COUNT];

    private static void restoreFlags(CpuState s, int op, int res, int dst, int src, int known) {
        s.lfOp = op;
        s.lfRes = res;
        s.lfDst = dst;
        s.lfSrc = src;
        s.lfKnown = known;
    }

    private static void put(int handler, MemoryForm f) {
        BY_HANDLER[handler] = f;
    }

    static {
        put(Handlers.MOV_RM32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                s.gpr[d.dstReg] = m.read32(d.eaSeg, Operands.ea(s, d));
            }
        });
        put(Handlers.MOV_MR32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                m.write32(d.eaSeg, Operands.ea(s, d), s.gpr[d.srcReg]);
            }
        });
        put(Handlers.MOV_MI32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                m.write32(d.eaSeg, Operands.ea(s, d), d.imm);
            }
        });
        put(Handlers.ALU_RM32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int v = m.read32(d.eaSeg, Operands.ea(s, d));
                int[] r = s.gpr;
                r[d.dstReg] = Exec.alu(s, d.aux, 4, r[d.dstReg], v);
            }
        });
        put(Handlers.ALU_MR32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int ea = Operands.ea(s, d);
                int v = m.read32(d.eaSeg, ea);
                int src = s.gpr[d.srcReg];
                if (d.aux != 7) m.write32(d.eaSeg, ea, MemoryOps.aluValue32(s, d.aux, v, src));
                Exec.alu(s, d.aux, 4, v, src);
            }
        });
        put(Handlers.ALU_MI32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int ea = Operands.ea(s, d);
                int v = m.read32(d.eaSeg, ea);
                int src = d.imm;
                if (d.aux != 7) m.write32(d.eaSeg, ea, MemoryOps.aluValue32(s, d.aux, v, src));
                Exec.alu(s, d.aux, 4, v, src);
            }
        });
        put(Handlers.MOV_RM8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                Operands.writeReg(s, d.dstReg, 1, m.read8(d.eaSeg, Operands.ea(s, d)));
            }
        });
        put(Handlers.MOV_MR8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                m.write8(d.eaSeg, Operands.ea(s, d), Operands.readReg(s, d.srcReg, 1));
            }
        });
        put(Handlers.MOV_MI8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                m.write8(d.eaSeg, Operands.ea(s, d), d.imm);
            }
        });
        put(Handlers.CMP_MI8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                Alu.cmp(s, 1, m.read8(d.eaSeg, Operands.ea(s, d)), d.imm);
            }
        });
        put(Handlers.CMP_RM8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                Alu.cmp(s, 1, Operands.readReg(s, d.dstReg, 1), m.read8(d.eaSeg, Operands.ea(s, d)));
            }
        });
        put(Handlers.CMP_MR8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                Alu.cmp(s, 1, m.read8(d.eaSeg, Operands.ea(s, d)), Operands.readReg(s, d.srcReg, 1));
            }
        });
        put(Handlers.MOVZX_RM8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                s.gpr[d.dstReg] = m.read8(d.eaSeg, Operands.ea(s, d));
            }
        });
        put(Handlers.MOVZX_M16, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                s.gpr[d.dstReg] = m.read16(d.eaSeg, Operands.ea(s, d));
            }
        });
        put(Handlers.MOVSX_M8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                s.gpr[d.dstReg] = (byte) m.read8(d.eaSeg, Operands.ea(s, d));
            }
        });
        put(Handlers.MOVSX_M16, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                s.gpr[d.dstReg] = (short) m.read16(d.eaSeg, Operands.ea(s, d));
            }
        });
        put(Handlers.CMOV_RM32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int v = m.read32(d.eaSeg, Operands.ea(s, d)); // read (and maybe fault) either way
                if (Conditions.test(s, d.cc)) s.gpr[d.dstReg] = v;
            }
        });
        put(Handlers.PUSH_R32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                StackOps.push32(cpu, s.gpr[d.dstReg]);
            }
        });
        put(Handlers.PUSH_I32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                StackOps.push32(cpu, d.imm);
            }
        });
        put(Handlers.POP_R32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int v = StackOps.pop32(cpu);
                s.gpr[d.dstReg] = v;
            }
        });

        // Byte-register forms (their sub-register views would crowd the dispatch method too).
        put(Handlers.MOV_RR8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                Operands.writeReg(s, d.dstReg, 1, Operands.readReg(s, d.srcReg, 1));
            }
        });
        put(Handlers.MOV_RI8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                Operands.writeReg(s, d.dstReg, 1, d.imm);
            }
        });
        put(Handlers.ALU_RR8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int res = Exec.alu(s, d.aux, 1, Operands.readReg(s, d.dstReg, 1), Operands.readReg(s, d.srcReg, 1));
                if (d.aux != 7) Operands.writeReg(s, d.dstReg, 1, res);
            }
        });
        put(Handlers.ALU_RI8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int res = Exec.alu(s, d.aux, 1, Operands.readReg(s, d.dstReg, 1), d.imm);
                if (d.aux != 7) Operands.writeReg(s, d.dstReg, 1, res);
            }
        });
        put(Handlers.TEST_RR8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                Alu.test(s, 1, Operands.readReg(s, d.dstReg, 1), Operands.readReg(s, d.srcReg, 1));
            }
        });
        put(Handlers.TEST_RI8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                Alu.test(s, 1, Operands.readReg(s, d.dstReg, 1), d.imm);
            }
        });
        put(Handlers.MOVZX_R8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                s.gpr[d.dstReg] = Operands.readReg(s, d.srcReg, 1);
            }
        });
        put(Handlers.MOVSX_R8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                s.gpr[d.dstReg] = (byte) Operands.readReg(s, d.srcReg, 1);
            }
        });

        // Register forms whose operands or flags would otherwise be loaded before the dispatch switch.
        put(Handlers.ADC_RR32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                r[d.dstReg] = Alu.adc(s, 4, r[d.dstReg], r[d.srcReg]);
            }
        });
        put(Handlers.SBB_RR32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                r[d.dstReg] = Alu.sbb(s, 4, r[d.dstReg], r[d.srcReg]);
            }
        });
        put(Handlers.ADC_RI32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                r[d.dstReg] = Alu.adc(s, 4, r[d.dstReg], d.imm);
            }
        });
        put(Handlers.SBB_RI32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                r[d.dstReg] = Alu.sbb(s, 4, r[d.dstReg], d.imm);
            }
        });
        put(Handlers.INC_R32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                r[d.dstReg] = Alu.inc(s, 4, r[d.dstReg]);
            }
        });
        put(Handlers.DEC_R32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                r[d.dstReg] = Alu.dec(s, 4, r[d.dstReg]);
            }
        });
        put(Handlers.LEA32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                int a = d.eaDisp;
                if (d.eaBase >= 0) a += r[d.eaBase];
                if (d.eaIndex >= 0) a += r[d.eaIndex] << d.eaScale;
                r[d.dstReg] = a;
            }
        });
        put(Handlers.SHIFT_RI32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                int c = d.imm & 0x1F;
                if (c != 0) r[d.dstReg] = Shifts.shift(s, d.reg, 4, r[d.dstReg], c);
            }
        });
        put(Handlers.SHIFT_RC32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                int c = r[CpuState.ECX] & 0x1F;
                if (c != 0) r[d.dstReg] = Shifts.shift(s, d.reg, 4, r[d.dstReg], c);
            }
        });
        put(Handlers.MOVZX_R16, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                r[d.dstReg] = r[d.srcReg] & 0xFFFF;
            }
        });
        put(Handlers.MOVSX_R16, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                r[d.dstReg] = (short) r[d.srcReg];
            }
        });
        put(Handlers.IMUL_RR32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                r[d.dstReg] = MulDiv.imul(s, 4, r[d.dstReg], r[d.srcReg]);
            }
        });
        put(Handlers.IMUL_RRI32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                r[d.dstReg] = MulDiv.imul(s, 4, r[d.srcReg], d.imm);
            }
        });
        put(Handlers.CMOV_RR32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int[] r = s.gpr;
                if (Conditions.test(s, d.cc)) r[d.dstReg] = r[d.srcReg];
            }
        });

        // Forms of compiled C that used to take the generic path.
        put(Handlers.SETCC_R8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                Operands.writeReg(s, d.dstReg, 1, Conditions.test(s, d.cc) ? 1 : 0);
            }
        });
        put(Handlers.SETCC_M8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                m.write8(d.eaSeg, Operands.ea(s, d), Conditions.test(s, d.cc) ? 1 : 0);
            }
        });
        put(Handlers.MUL_32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int v = d.dst == DecodedInsn.LOC_MEM ? m.read32(d.eaSeg, Operands.ea(s, d)) : s.gpr[d.dstReg];
                MulDiv.mul(s, 4, v);
            }
        });
        put(Handlers.NOT_R32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                s.gpr[d.dstReg] = ~s.gpr[d.dstReg];
            }
        });
        put(Handlers.NEG_R32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                s.gpr[d.dstReg] = Alu.neg(s, 4, s.gpr[d.dstReg]);
            }
        });
        put(Handlers.MOV_RM16, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                Operands.writeReg(s, d.dstReg, 2, m.read16(d.eaSeg, Operands.ea(s, d)));
            }
        });
        put(Handlers.MOV_MR16, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                m.write16(d.eaSeg, Operands.ea(s, d), s.gpr[d.srcReg]);
            }
        });
        put(Handlers.MOV_MI16, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                m.write16(d.eaSeg, Operands.ea(s, d), d.imm);
            }
        });
        put(Handlers.SHIFT_M32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int count = (d.src == DecodedInsn.LOC_IMM ? d.imm : s.gpr[CpuState.ECX]) & 0x1F;
                int ea = Operands.ea(s, d);
                int v = m.read32(d.eaSeg, ea);
                if (count == 0) {
                    m.probeWrite(d.eaSeg, ea, 4); // no change, flags untouched, but checked for writing
                    return;
                }
                int op = s.lfOp, res0 = s.lfRes, dst0 = s.lfDst, src0 = s.lfSrc, known = s.lfKnown;
                int res = Shifts.shift(s, d.reg, 4, v, count);
                try {
                    m.write32(d.eaSeg, ea, res);
                } catch (CpuFault e) {
                    restoreFlags(s, op, res0, dst0, src0, known); // a faulting write leaves the flags as they were
                    throw e;
                }
            }
        });
        put(Handlers.IMUL_RM32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int v = m.read32(d.eaSeg, Operands.ea(s, d));
                s.gpr[d.dstReg] = MulDiv.imul(s, 4, s.gpr[d.dstReg], v);
            }
        });
        put(Handlers.IMUL_RMI32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int v = m.read32(d.eaSeg, Operands.ea(s, d));
                s.gpr[d.dstReg] = MulDiv.imul(s, 4, v, d.imm);
            }
        });
        put(Handlers.TEST_M32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int v = m.read32(d.eaSeg, Operands.ea(s, d));
                Alu.test(s, 4, v, d.src == DecodedInsn.LOC_IMM ? d.imm : s.gpr[d.srcReg]);
            }
        });
        put(Handlers.TEST_M8, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int v = m.read8(d.eaSeg, Operands.ea(s, d));
                Alu.test(s, 1, v, d.src == DecodedInsn.LOC_IMM ? d.imm : Operands.readReg(s, d.srcReg, 1));
            }
        });
        put(Handlers.INCDEC_M32, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                int ea = Operands.ea(s, d);
                int v = m.read32(d.eaSeg, ea);
                int op = s.lfOp, res0 = s.lfRes, dst0 = s.lfDst, src0 = s.lfSrc, known = s.lfKnown;
                int res = d.op == org.kasou.isa.Op.INC ? Alu.inc(s, 4, v) : Alu.dec(s, 4, v);
                try {
                    m.write32(d.eaSeg, ea, res);
                } catch (CpuFault e) {
                    restoreFlags(s, op, res0, dst0, src0, known); // a faulting write leaves the flags as they were
                    throw e;
                }
            }
        });
        put(Handlers.CDQ, new MemoryForm() {
            void run(Cpu cpu, CpuState s, Memory m, DecodedInsn d) {
                s.gpr[CpuState.EDX] = s.gpr[CpuState.EAX] >> 31;
            }
        });
    }
}
