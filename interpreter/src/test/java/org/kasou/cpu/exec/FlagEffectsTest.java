package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.FlagEffects;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;
import org.kasou.cpu.StopReason;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;
import org.kasou.isa.InsnForm;
import org.kasou.isa.InstructionTable;
import org.kasou.isa.Op;
import org.kasou.isa.OperandKind;

/**
 * FlagEffects against what the CPU does: every register form of the flag-related rows of the
 * table runs from random operands twice, with the flags the instruction does not use flipped
 * between the runs. The registers, EIP and the flags it claims to define must come out the same
 * (so a flag liveness built on these facts is sound), and the flags the table says it neither
 * writes nor leaves undefined must come out unchanged.
 */
class FlagEffectsTest {
    private static final EnumSet<Op> OPS = EnumSet.of(Op.ADD, Op.OR, Op.ADC, Op.SBB, Op.AND, Op.SUB, Op.XOR, Op.CMP,
            Op.TEST, Op.INC, Op.DEC, Op.NEG, Op.NOT, Op.ROL, Op.ROR, Op.RCL, Op.RCR, Op.SHL, Op.SHR, Op.SAR, Op.SHLD,
            Op.SHRD, Op.MUL, Op.IMUL1, Op.IMUL, Op.DIV, Op.IDIV, Op.DAA, Op.DAS, Op.AAA, Op.AAS, Op.AAM, Op.AAD,
            Op.SALC, Op.BT, Op.BTS, Op.BTR, Op.BTC, Op.BSF, Op.BSR, Op.BSWAP, Op.MOV, Op.MOVZX, Op.MOVSX, Op.LEA,
            Op.XCHG, Op.CBW, Op.CWD, Op.CMOV, Op.SETCC, Op.JCC, Op.CLC, Op.STC, Op.CMC, Op.SAHF, Op.LAHF, Op.NOP);
    private static final int[] EDGES = {0, 1, 2, 0x7F, 0x80, 0xFF, 0x7FFF, 0x8000, 0xFFFF, 0x7FFFFFFF, 0x80000000, -1};

    private final GuestHarness h = GuestHarness.flat32();
    private final Decoder decoder = new Decoder();

    @Test
    void definedFlagsAndResultsDependOnlyOnUsedFlags() {
        SplittableRandom rnd = new SplittableRandom(2026);
        int checked = 0;
        for (InsnForm f : InstructionTable.get().forms()) {
            if (!OPS.contains(f.op) || f.map > 1 || f.mod == InsnForm.MOD_MEM || f.has(InsnForm.DECODE_ONLY)
                    || f.prefix != InsnForm.PFX_ANY && f.prefix != InsnForm.PFX_NONE) {
                continue;
            }
            for (int trial = 0; trial < 24; trial++) {
                DecodedInsn d = new DecodedInsn();
                byte[] code = encode(f, rnd, trial % 2 == 0, d);
                if (code == null) continue;
                checkOne(d, code, rnd);
                checked++;
            }
        }
        assertTrue(checked > 2000, "instructions checked: " + checked);
    }

    /** Register-form bytes of row f (random ModRM registers and immediates, with or without 66), decoded into d. */
    private byte[] encode(InsnForm f, SplittableRandom rnd, boolean opsize16, DecodedInsn d) {
        byte[] b = new byte[16];
        int n = 0;
        if (opsize16) b[n++] = 0x66;
        if (f.map == 1) b[n++] = 0x0F;
        int opcode = f.opcode;
        for (int i = 0; i < f.operandCount(); i++) {
            if (f.operand(i).mode == OperandKind.Mode.Z) opcode |= rnd.nextInt(8);
        }
        b[n++] = (byte) opcode;
        if (f.modrm) {
            int reg = f.reg >= 0 ? f.reg : rnd.nextInt(8);
            int rm = f.rm >= 0 ? f.rm : rnd.nextInt(8);
            b[n++] = (byte) (0xC0 | reg << 3 | rm);
        }
        if (f.op == Op.JCC) {
            if (opsize16) return null; // a 16-bit target would leave the code
            b[n] = 1; // taken: over the first of two HLTs, so that EIP tells which way it went
        } else {
            while (n < b.length) b[n++] = (byte) (rnd.nextInt(4) == 0 ? EDGES[rnd.nextInt(EDGES.length)] : rnd.nextInt());
        }
        int base = GuestHarness.CODE;
        decoder.decode(d, off -> off >= base && off - base < b.length ? b[off - base] & 0xFF : -1, base, true);
        if (d.status != DecodedInsn.OK || d.form != f) return null;
        byte[] code = new byte[d.len];
        System.arraycopy(b, 0, code, 0, d.len);
        return code;
    }

    private void checkOne(DecodedInsn d, byte[] code, SplittableRandom rnd) {
        int[] regs = new int[8];
        for (int i = 0; i < 8; i++) regs[i] = rnd.nextInt(3) == 0 ? EDGES[rnd.nextInt(EDGES.length)] : rnd.nextInt();
        regs[CpuState.ESP] = GuestHarness.STACK_TOP;
        int used = FlagEffects.used(d), defined = FlagEffects.defined(d);
        int untouched = Flags.ARITH & ~(d.form.flagsWritten | d.form.flagsUndefined);
        int flags1 = rnd.nextInt() & Flags.ARITH;
        int flags2 = flags1 ^ (Flags.ARITH & ~used);
        Outcome a = run(code, regs, flags1), b = run(code, regs, flags2);
        String what = d + " used " + Integer.toHexString(used) + " defined " + Integer.toHexString(defined)
                + " flags " + Integer.toHexString(flags1) + " / " + Integer.toHexString(flags2);
        assertEquals(a.faulted, b.faulted, what);
        if (a.faulted) return; // #DE of DIV/AAM: nothing more to compare
        assertEquals(a.eip, b.eip, what + ": EIP");
        for (int i = 0; i < 8; i++) assertEquals(a.regs[i], b.regs[i], what + ": register " + i);
        assertEquals(a.flags & defined, b.flags & defined, what + ": defined flags");
        assertEquals(flags1 & untouched, a.flags & untouched, what + ": flags it does not write");
        assertEquals(flags2 & untouched, b.flags & untouched, what + ": flags it does not write");
    }

    private record Outcome(int[] regs, int flags, int eip, boolean faulted) {}

    private Outcome run(byte[] code, int[] regs, int flags) {
        h.reset(true);
        h.phys.load(GuestHarness.CODE, code, 0, code.length);
        h.phys.write8(GuestHarness.CODE + code.length, 0xF4); // hlt
        h.phys.write8(GuestHarness.CODE + code.length + 1, 0xF4);
        System.arraycopy(regs, 0, h.r, 0, 8);
        LazyFlags.setArith(h.s, flags);
        StopReason stop = h.cpu.run(10);
        assertEquals(StopReason.HALTED, stop);
        boolean faulted = h.s.eip < GuestHarness.CODE; // delivered to a HLT stub below the code
        return new Outcome(h.r.clone(), LazyFlags.arith(h.s), h.s.eip, faulted);
    }
}
