package org.kasou.jit;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.FpuState;
import org.kasou.cpu.Segment;
import org.kasou.fpu.Arithmetic;
import org.kasou.fpu.Comparison;
import org.kasou.fpu.Constants;
import org.kasou.fpu.FpuResult;
import org.kasou.fpu.FpuStatus;
import org.kasou.fpu.Loads;
import org.kasou.fpu.MemoryOperands;
import org.kasou.fpu.SignOps;
import org.kasou.fpu.Stores;

/**
 * What units that keep the x87 register stack in JVM locals ({@link X87Locals}) call at run time
 * (which instructions they run that way: {@link X87Forms}).
 *
 * <p>Such a unit runs only while every x87 exception is masked and CR0.EM and CR0.TS are clear
 * ({@link #usable}): then no x87 instruction raises #NM or #MF and every masked response writes
 * its result, so the common path of each instruction is the interpreter's with nothing left out.
 * What is not common (an empty operand register, a full stack) leaves the unit before the
 * instruction, for the interpreter. The values are computed by the same methods the interpreter
 * calls ({@link Arithmetic}, {@link Loads}, {@link Stores}); the helpers here return the new
 * status word, the condition codes the operation defines replaced and its exception flags added.
 */
public final class X87Frame {
    private X87Frame() {}

    private static final Constants.Value[] CONSTANTS = Constants.Value.values();

    // ---------------------------------------------------------------------------------------
    // At run time

    /** Whether a unit may run with the stack in locals: every exception masked, no #NM to raise. */
    public static boolean usable(CpuState s) {
        return (s.cr0 & (CpuState.CR0_EM | CpuState.CR0_TS)) == 0
                && (s.fpu.control & FpuStatus.EXCEPTIONS) == FpuStatus.EXCEPTIONS;
    }

    /** Whether compiled code may go on in locals after the interpreter's code ran: TOP where expected, and still {@link #usable}. */
    public static boolean resumes(CpuState s, int expectedTop) {
        return s.fpu.top == (expectedTop & 7) && usable(s);
    }

    /** top0 of a unit entered at entry number {@code entry}: TOP less the entry's offset (a character of entryDeltas, offset by 64). */
    public static int top0(FpuState f, String entryDeltas, int entry) {
        return (f.top - (entryDeltas.charAt(entry) - 64)) & 7;
    }

    /** The empty registers as a bit per slot, slot k being physical register (top0 + k) & 7. */
    public static int emptySlots(FpuState f, int top0) {
        int t = f.tags;
        int e = t & t >>> 1 & 0x5555; // bit 2p: register p's tag is 11 (empty)
        e = (e | e >>> 1) & 0x3333;   // gathered to bit p
        e = (e | e >>> 2) & 0x0F0F;
        e = (e | e >>> 4) & 0x00FF;
        return (e >>> top0 | e << (8 - top0)) & 0xFF; // bit k: register (top0 + k) & 7
    }

    /**
     * Writes back what a unit kept in locals besides the values (which it stored in {@code se} and
     * {@code sig} already): the tags of the slots it touched (empty, or by their contents), TOP, the
     * status and control words.
     */
    public static void finish(FpuState f, int top0, int touched, int empty, int top, int status, int control) {
        for (int k = 0; k < 8; k++) {
            if ((touched & (1 << k)) == 0) continue;
            int p = (top0 + k) & 7;
            f.setTag(p, (empty & (1 << k)) != 0 ? FpuState.TAG_EMPTY : FpuState.tagOf(f.se[p], f.sig[p]));
        }
        f.top = top & 7;
        f.status = status;
        f.control = control;
    }

    /**
     * The last-instruction and last-operand pointers of the unit's x87 instructions that ran in
     * locals: {@code last} and {@code lastMemory} are indexes of the last of them and of the last
     * memory form (-1 for none since the pointers were last written), {@code ea} the latter's
     * effective address; {@code table} holds per index the EIP (two characters), the opcode and
     * the operand's segment register.
     */
    public static void pointers(CpuState s, String table, int last, int lastMemory, int ea) {
        FpuState f = s.fpu;
        if (lastMemory >= 0) {
            f.fdp = ea;
            f.fds = s.seg[table.charAt(4 * lastMemory + 3)].selector;
        }
        if (last >= 0) {
            f.fip = table.charAt(4 * last) << 16 | table.charAt(4 * last + 1);
            f.fcs = s.seg[Segment.CS].selector;
            f.fop = table.charAt(4 * last + 2);
        }
    }

    private static int merged(FpuResult r, int status) {
        return (status & ~r.codes) | r.status;
    }

    // d op o, one method per operation (X87Forms.OPERATIONS names them): a unit's call then needs no
    // switch on the operation, which HotSpot could not fold where it does not inline the call.

    public static int add(FpuResult r, int control, int status, int dSe, long dSig, int oSe, long oSig) {
        r.control = control;
        Arithmetic.add(r, dSe, dSig, oSe, oSig);
        return merged(r, status);
    }

    public static int multiply(FpuResult r, int control, int status, int dSe, long dSig, int oSe, long oSig) {
        r.control = control;
        Arithmetic.multiply(r, dSe, dSig, oSe, oSig);
        return merged(r, status);
    }

    public static int subtract(FpuResult r, int control, int status, int dSe, long dSig, int oSe, long oSig) {
        r.control = control;
        Arithmetic.subtract(r, dSe, dSig, oSe, oSig);
        return merged(r, status);
    }

    public static int subtractReversed(FpuResult r, int control, int status, int dSe, long dSig, int oSe, long oSig) {
        r.control = control;
        Arithmetic.subtract(r, oSe, oSig, dSe, dSig);
        return merged(r, status);
    }

    public static int divide(FpuResult r, int control, int status, int dSe, long dSig, int oSe, long oSig) {
        r.control = control;
        Arithmetic.divide(r, dSe, dSig, oSe, oSig);
        return merged(r, status);
    }

    public static int divideReversed(FpuResult r, int control, int status, int dSe, long dSig, int oSe, long oSig) {
        r.control = control;
        Arithmetic.divide(r, oSe, oSig, dSe, dSig);
        return merged(r, status);
    }

    // d op m for a memory operand m (float32 or float64 bits), converted as the interpreter does: one
    // call where the unit would otherwise make three (the conversions of the sign/exponent and of
    // the significand, then the operation), each a call when C2 has no room left to inline them.

    public static int addFloat32(FpuResult r, int control, int status, int dSe, long dSig, int bits) {
        return add(r, control, status, dSe, dSig, MemoryOperands.float32Se(bits), MemoryOperands.float32Sig(bits));
    }

    public static int addFloat64(FpuResult r, int control, int status, int dSe, long dSig, long bits) {
        return add(r, control, status, dSe, dSig, MemoryOperands.float64Se(bits), MemoryOperands.float64Sig(bits));
    }

    public static int multiplyFloat32(FpuResult r, int control, int status, int dSe, long dSig, int bits) {
        return multiply(r, control, status, dSe, dSig, MemoryOperands.float32Se(bits), MemoryOperands.float32Sig(bits));
    }

    public static int multiplyFloat64(FpuResult r, int control, int status, int dSe, long dSig, long bits) {
        return multiply(r, control, status, dSe, dSig, MemoryOperands.float64Se(bits), MemoryOperands.float64Sig(bits));
    }

    public static int subtractFloat32(FpuResult r, int control, int status, int dSe, long dSig, int bits) {
        return subtract(r, control, status, dSe, dSig, MemoryOperands.float32Se(bits), MemoryOperands.float32Sig(bits));
    }

    public static int subtractFloat64(FpuResult r, int control, int status, int dSe, long dSig, long bits) {
        return subtract(r, control, status, dSe, dSig, MemoryOperands.float64Se(bits), MemoryOperands.float64Sig(bits));
    }

    public static int subtractReversedFloat32(FpuResult r, int control, int status, int dSe, long dSig, int bits) {
        return subtractReversed(r, control, status, dSe, dSig, MemoryOperands.float32Se(bits), MemoryOperands.float32Sig(bits));
    }

    public static int subtractReversedFloat64(FpuResult r, int control, int status, int dSe, long dSig, long bits) {
        return subtractReversed(r, control, status, dSe, dSig, MemoryOperands.float64Se(bits), MemoryOperands.float64Sig(bits));
    }

    public static int divideFloat32(FpuResult r, int control, int status, int dSe, long dSig, int bits) {
        return divide(r, control, status, dSe, dSig, MemoryOperands.float32Se(bits), MemoryOperands.float32Sig(bits));
    }

    public static int divideFloat64(FpuResult r, int control, int status, int dSe, long dSig, long bits) {
        return divide(r, control, status, dSe, dSig, MemoryOperands.float64Se(bits), MemoryOperands.float64Sig(bits));
    }

    public static int divideReversedFloat32(FpuResult r, int control, int status, int dSe, long dSig, int bits) {
        return divideReversed(r, control, status, dSe, dSig, MemoryOperands.float32Se(bits), MemoryOperands.float32Sig(bits));
    }

    public static int divideReversedFloat64(FpuResult r, int control, int status, int dSe, long dSig, long bits) {
        return divideReversed(r, control, status, dSe, dSig, MemoryOperands.float64Se(bits), MemoryOperands.float64Sig(bits));
    }

    public static int loadFloat32(FpuResult r, int control, int status, int bits) {
        r.control = control;
        Loads.float32(r, bits);
        return merged(r, status);
    }

    public static int loadFloat64(FpuResult r, int control, int status, long bits) {
        r.control = control;
        Loads.float64(r, bits);
        return merged(r, status);
    }

    public static int loadInt32(FpuResult r, int control, int status, int value) {
        r.control = control;
        Loads.integer(r, value);
        return merged(r, status);
    }

    /** FILD m16: the word sign-extended. */
    public static int loadInt16(FpuResult r, int control, int status, int value) {
        return loadInt32(r, control, status, (short) value);
    }

    public static int loadInt64(FpuResult r, int control, int status, long value) {
        r.control = control;
        Loads.integer(r, value);
        return merged(r, status);
    }

    /** The integer image (16, 32 or 64 bits, rounded by the control word) of a value in r.memory. */
    public static int storeInteger(FpuResult r, int control, int status, int se, long sig, int bits) {
        r.control = control;
        Stores.integer(r, se, sig, bits);
        return merged(r, status);
    }

    /** The float32 image of a value in r.memory. */
    public static int storeFloat32(FpuResult r, int control, int status, int se, long sig) {
        r.control = control;
        Stores.float32(r, se, sig);
        return merged(r, status);
    }

    /** The float64 image of a value in r.memory. */
    public static int storeFloat64(FpuResult r, int control, int status, int se, long sig) {
        r.control = control;
        Stores.float64(r, se, sig);
        return merged(r, status);
    }

    /** FCOM and its kin: C0-C3 replaced, exception flags added. */
    public static int compare(FpuResult r, int control, int status, boolean quiet, int aSe, long aSig, int bSe, long bSig) {
        r.control = control;
        Comparison.compare(r, aSe, aSig, bSe, bSig, quiet);
        return merged(r, status);
    }

    /** FCOMI and its kin: exception flags added, the condition codes left as they were (as on the host); the outcome in r. */
    public static int compareToFlags(FpuResult r, int control, int status, boolean quiet, int aSe, long aSig, int bSe, long bSig) {
        r.control = control;
        Comparison.compare(r, aSe, aSig, bSe, bSig, quiet);
        return status | (r.status & FpuStatus.EXCEPTIONS);
    }

    /** ZF, PF and CF of the comparison in r (OF, SF and AF clear). */
    public static int comparisonFlags(FpuResult r) {
        return Comparison.eflags(r.status);
    }

    /** FCHS, FABS, FSQRT (D9 E0, E1, FA) of a value. */
    public static int unary(FpuResult r, int control, int status, int modrm, int se, long sig) {
        r.control = control;
        switch (modrm) {
            case 0xE0 -> SignOps.negate(r, se, sig);
            case 0xE1 -> SignOps.abs(r, se, sig);
            default -> Arithmetic.squareRoot(r, se, sig);
        }
        return merged(r, status);
    }

    /** FLD1 ... FLDZ (D9 E8 + k). */
    public static int constant(FpuResult r, int control, int status, int k) {
        r.control = control;
        Constants.load(r, CONSTANTS[k]);
        return merged(r, status);
    }
}
