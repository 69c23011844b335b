package org.kasou.cpu;

import org.kasou.cpu.exec.Shifts;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Handlers;

/**
 * Turns a block's decoded instructions, whose form the {@link org.kasou.isa.HandlerSelector} has
 * chosen ({@link DecodedInsn#handler}), into the {@link FastOp}s that run them, and fuses a
 * compare or test with the conditional branch after it.
 */
final class OpFactory {
    private OpFactory() {}

    /** Fills {@code b.plain} and {@code b.ops}; with {@code fast} false every instruction takes the generic path. */
    static void build(Interpreter.Block b, boolean fast) {
        int n = b.count;
        FastOp[] plain = new FastOp[n];
        for (int i = 0; i < n; i++) {
            DecodedInsn d = b.insns[i];
            plain[i] = fast ? create(i, d, b.eip) : generic(i, d);
        }
        FastOp[] ops = plain;
        if (fast) {
            ops = plain.clone();
            for (int i = 0; i + 1 < n; i++) {
                FastOp f = fuse(i, b.insns[i], b.insns[i + 1], b.eip);
                if (f != null) ops[i] = f;
            }
            // An instruction that does nothing (a JMP the block continues through, a NOP) is not
            // dispatched: its place runs the op after it, which returns that op's index + 1 and so
            // counts the skipped instruction as retired; a fault there is reported for that op's
            // own instruction, after the skipped one.
            for (int i = n - 2; i >= 0; i--) {
                int h = b.insns[i].handler;
                if (h == Handlers.JMP_INLINE || h == Handlers.NOP) ops[i] = ops[i + 1];
            }
        }
        b.plain = plain;
        b.ops = ops;
    }

    private static FastOp generic(int i, DecodedInsn d) {
        if (d.atomic() && d.handler != Handlers.UD && d.handler != Handlers.GP0) return new AtomicOp(i, d);
        switch (d.handler) {
            case Handlers.UD: return new FastOp.Fault(i, false);
            case Handlers.GP0: return new FastOp.Fault(i, true);
            case Handlers.JMP_INLINE: return new BranchOps.JmpInline(i); // the block goes on at the target
            case Handlers.CALL_INLINE32: return new BranchOps.CallInline(i, d, 0);
            default: return new GenericOp(i, d);
        }
    }

    /** Jcc rel8/rel32 (not LOOP or JCXZ, whose ops leave the block either way). */
    static boolean isJcc(DecodedInsn d) {
        return d.handler == Handlers.JCC || d.handler == Handlers.JZ || d.handler == Handlers.JNZ;
    }

    private static FastOp fuse(int i, DecodedInsn d, DecodedInsn j, int blockEip) {
        if (!isJcc(j)) return null;
        switch (d.handler) {
            case Handlers.CMP_RR32: return new FusedOps.CmpRRJcc(i, d, j, blockEip);
            case Handlers.CMP_RI32: return new FusedOps.CmpRIJcc(i, d, j, blockEip);
            case Handlers.TEST_RR32: return new FusedOps.TestRRJcc(i, d, j, blockEip);
            case Handlers.TEST_RI32: return new FusedOps.TestRIJcc(i, d, j, blockEip);
            case Handlers.ALU_RI8: return d.aux == 7 ? new FusedOps.CmpRI8Jcc(i, d, j, blockEip) : null;
            case Handlers.TEST_RR8: return new FusedOps.TestRR8Jcc(i, d, j, blockEip);
            case Handlers.ALU_RM32: return d.aux == 7 && d.addrSize == 4 ? new FusedOps.CmpRMJcc(i, d, j, blockEip) : null;
            case Handlers.CMP_MI8: return d.addrSize == 4 ? new FusedOps.CmpMI8Jcc(i, d, j, blockEip) : null;
            case Handlers.CMP_RM8: return d.addrSize == 4 ? new FusedOps.CmpRM8Jcc(i, d, j, blockEip) : null;
            case Handlers.CMP_MR8: return d.addrSize == 4 ? new FusedOps.CmpMR8Jcc(i, d, j, blockEip) : null;
            case Handlers.ALU_MR32:
            case Handlers.ALU_MI32:
                return d.aux == 7 && d.addrSize == 4 ? new FusedOps.CmpMRJcc(i, d, j, blockEip) : null;
            default: return null;
        }
    }

    /** The op for one instruction. */
    static FastOp create(int i, DecodedInsn d, int blockEip) {
        int h = d.handler;
        if (d.atomic() && h != Handlers.UD && h != Handlers.GP0) return new AtomicOp(i, d);
        boolean a32 = d.addrSize == 4;
        switch (h) {
            case Handlers.MOV_RR32: return new RegisterOps.MovRR(i, d.dstReg, d.srcReg);
            case Handlers.MOV_RI32: return new RegisterOps.MovRI(i, d.dstReg, d.imm);
            case Handlers.ADD_RR32: return new RegisterOps.AddRR(i, d.dstReg, d.srcReg);
            case Handlers.OR_RR32: return new RegisterOps.OrRR(i, d.dstReg, d.srcReg);
            case Handlers.ADC_RR32: return new RegisterOps.AdcRR(i, d.dstReg, d.srcReg);
            case Handlers.SBB_RR32: return new RegisterOps.SbbRR(i, d.dstReg, d.srcReg);
            case Handlers.AND_RR32: return new RegisterOps.AndRR(i, d.dstReg, d.srcReg);
            case Handlers.SUB_RR32: return new RegisterOps.SubRR(i, d.dstReg, d.srcReg);
            case Handlers.XOR_RR32: return new RegisterOps.XorRR(i, d.dstReg, d.srcReg);
            case Handlers.CMP_RR32: return new RegisterOps.CmpRR(i, d.dstReg, d.srcReg);
            case Handlers.ADD_RI32: return new RegisterOps.AddRI(i, d.dstReg, d.imm);
            case Handlers.OR_RI32: return new RegisterOps.OrRI(i, d.dstReg, d.imm);
            case Handlers.ADC_RI32: return new RegisterOps.AdcRI(i, d.dstReg, d.imm);
            case Handlers.SBB_RI32: return new RegisterOps.SbbRI(i, d.dstReg, d.imm);
            case Handlers.AND_RI32: return new RegisterOps.AndRI(i, d.dstReg, d.imm);
            case Handlers.SUB_RI32: return new RegisterOps.SubRI(i, d.dstReg, d.imm);
            case Handlers.XOR_RI32: return new RegisterOps.XorRI(i, d.dstReg, d.imm);
            case Handlers.CMP_RI32: return new RegisterOps.CmpRI(i, d.dstReg, d.imm);
            case Handlers.TEST_RR32: return new RegisterOps.TestRR(i, d.dstReg, d.srcReg);
            case Handlers.TEST_RI32: return new RegisterOps.TestRI(i, d.dstReg, d.imm);
            case Handlers.INC_R32: return new RegisterOps.IncR(i, d.dstReg);
            case Handlers.DEC_R32: return new RegisterOps.DecR(i, d.dstReg);
            case Handlers.NOT_R32: return new RegisterOps.NotR(i, d.dstReg);
            case Handlers.NEG_R32: return new RegisterOps.NegR(i, d.dstReg);
            case Handlers.NOP: return new RegisterOps.Nop(i);
            case Handlers.CDQ: return new RegisterOps.Cdq(i);
            case Handlers.SHIFT_RI32: {
                int c = d.imm & 0x1F;
                switch (d.reg) {
                    case Shifts.SHL: case Shifts.SAL: return new RegisterOps.ShlRI(i, d.dstReg, c);
                    case Shifts.SHR: return new RegisterOps.ShrRI(i, d.dstReg, c);
                    case Shifts.SAR: return new RegisterOps.SarRI(i, d.dstReg, c);
                    case Shifts.ROL: return new RegisterOps.RolRI(i, d.dstReg, c);
                    case Shifts.ROR: return new RegisterOps.RorRI(i, d.dstReg, c);
                    default: return new RegisterOps.ShiftRI(i, d.dstReg, d.reg, c);
                }
            }
            case Handlers.SHIFT_RC32: return new RegisterOps.ShiftRC(i, d.dstReg, d.reg);
            case Handlers.MOVZX_R8: return new RegisterOps.MovzxR8(i, d.dstReg, d.srcReg);
            case Handlers.MOVSX_R8: return new RegisterOps.MovsxR8(i, d.dstReg, d.srcReg);
            case Handlers.MOVZX_R16: return new RegisterOps.MovzxR16(i, d.dstReg, d.srcReg);
            case Handlers.MOVSX_R16: return new RegisterOps.MovsxR16(i, d.dstReg, d.srcReg);
            case Handlers.IMUL_RR32: return new RegisterOps.ImulRR(i, d.dstReg, d.srcReg);
            case Handlers.IMUL_RRI32: return new RegisterOps.ImulRRI(i, d.dstReg, d.srcReg, d.imm);
            case Handlers.CMOV_RR32: return new RegisterOps.CmovRR(i, d.dstReg, d.srcReg, d.cc);
            case Handlers.SETCC_R8: return new RegisterOps.SetccR8(i, d.dstReg, d.cc);
            case Handlers.LEA32: return new RegisterOps.Lea(i, d);
            case Handlers.MOV_RR8: return new RegisterOps.MovRR8(i, d.dstReg, d.srcReg);
            case Handlers.MOV_RI8: return new RegisterOps.MovRI8(i, d.dstReg, d.imm);
            case Handlers.ALU_RR8: return new RegisterOps.AluRR8(i, d.aux, d.dstReg, d.srcReg);
            case Handlers.ALU_RI8:
                return d.aux == 7 ? new RegisterOps.CmpRI8(i, d.dstReg, d.imm) : new RegisterOps.AluRI8(i, d.aux, d.dstReg, d.imm);
            case Handlers.TEST_RR8: return new RegisterOps.TestRR8(i, d.dstReg, d.srcReg);
            case Handlers.TEST_RI8: return new RegisterOps.TestRI8(i, d.dstReg, d.imm);

            case Handlers.JCC: return new BranchOps.Jcc(i, d, blockEip);
            case Handlers.JZ: return new BranchOps.Jz(i, d, blockEip);
            case Handlers.JNZ: return new BranchOps.Jnz(i, d, blockEip);
            case Handlers.JMP_REL: return new BranchOps.Jmp(i, d, blockEip);
            case Handlers.JMP_INLINE: return new BranchOps.JmpInline(i);
            case Handlers.CALL_INLINE32: return new BranchOps.CallInline(i, d, blockEip);
            case Handlers.CALL_REL32: return new BranchOps.Call(i, d, blockEip);
            case Handlers.RET32: return new BranchOps.Ret(i, 0);
            case Handlers.RET_IMM32: return new BranchOps.Ret(i, d.imm & 0xFFFF);
            case Handlers.CALL_IND32:
                return d.dst == DecodedInsn.LOC_MEM && a32 ? new MemoryOps.IndirectM(i, d, true) : new BranchOps.Indirect(i, d, true);
            case Handlers.JMP_IND32:
                return d.dst == DecodedInsn.LOC_MEM && a32 ? new MemoryOps.IndirectM(i, d, false) : new BranchOps.Indirect(i, d, false);
            case Handlers.PUSH_R32: return new MemoryOps.PushR32(i, d);
            case Handlers.PUSH_I32: return new MemoryOps.PushI32(i, d);
            case Handlers.POP_R32: return new MemoryOps.PopR32(i, d);
            case Handlers.UD: return new FastOp.Fault(i, false);
            case Handlers.GP0: return new FastOp.Fault(i, true);
            case Handlers.GENERIC: {
                FastOp f = DecodedFormOps.create(i, d);
                return f != null ? f : new GenericOp(i, d);
            }
            default:
                break;
        }
        if (a32) {
            switch (h) {
                case Handlers.MOV_RM32: return new MemoryOps.MovRM32(i, d);
                case Handlers.MOV_MR32: return new MemoryOps.MovMR32(i, d);
                case Handlers.MOV_MI32: return new MemoryOps.MovMI32(i, d);
                case Handlers.MOV_RM16: return new MemoryOps.MovRM16(i, d);
                case Handlers.MOV_MR16: return new MemoryOps.MovMR16(i, d);
                case Handlers.MOV_MI16: return new MemoryOps.MovMI16(i, d);
                case Handlers.MOV_RM8: return new MemoryOps.MovRM8(i, d);
                case Handlers.MOV_MR8: return new MemoryOps.MovMR8(i, d);
                case Handlers.MOV_MI8: return new MemoryOps.MovMI8(i, d);
                case Handlers.MOVZX_RM8: return new MemoryOps.MovzxRM8(i, d);
                case Handlers.MOVZX_M16: return new MemoryOps.MovzxM16(i, d);
                case Handlers.MOVSX_M8: return new MemoryOps.MovsxM8(i, d);
                case Handlers.MOVSX_M16: return new MemoryOps.MovsxM16(i, d);
                case Handlers.ALU_RM32:
                    return d.aux == 7 ? new MemoryOps.CmpRM32(i, d) : d.aux == 0 ? new MemoryOps.AddRM32(i, d) : new MemoryOps.AluRM32(i, d);
                case Handlers.ALU_MR32:
                case Handlers.ALU_MI32:
                    switch (d.aux) {
                        case 0: return new MemoryOps.AddMR32(i, d);
                        case 1: return new MemoryOps.OrMR32(i, d);
                        case 4: return new MemoryOps.AndMR32(i, d);
                        case 5: return new MemoryOps.SubMR32(i, d);
                        case 6: return new MemoryOps.XorMR32(i, d);
                        case 7: return new MemoryOps.CmpMR32(i, d);
                        default: return new MemoryOps.AluMR32(i, d);
                    }
                case Handlers.CMP_MI8: return new MemoryOps.CmpMI8(i, d);
                case Handlers.CMP_RM8: return new MemoryOps.CmpRM8(i, d);
                case Handlers.CMP_MR8: return new MemoryOps.CmpMR8(i, d);
                case Handlers.TEST_M32: return new MemoryOps.TestM32(i, d);
                case Handlers.TEST_M8: return new MemoryOps.TestM8(i, d);
                case Handlers.CMOV_RM32: return new MemoryOps.CmovRM32(i, d);
                case Handlers.IMUL_RM32: return new MemoryOps.ImulRM32(i, d);
                case Handlers.IMUL_RMI32: return new MemoryOps.ImulRMI32(i, d);
                case Handlers.SETCC_M8: return new MemoryOps.SetccM8(i, d);
                default:
                    break;
            }
        }
        MemoryForm form = MemoryForm.BY_HANDLER[h];
        return form != null ? new FormOp(i, d, form) : new GenericOp(i, d);
    }
}
