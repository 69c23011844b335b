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
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Op;

/**
 * What units that keep the x87 register stack in JVM locals ({@link X87Locals}) call at run time,
 * and which x87 instructions they run that way.
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

    // The forms run in locals (see fastForm).
    static final int ARITH_ST0 = 1, ARITH_STI = 2, ARITH_STI_POP = 3, LOAD_ST = 4, EXCHANGE = 5, STORE_ST = 6,
            STORE_ST_POP = 7, UNARY = 8, CONSTANT = 9, LOAD_M32 = 10, LOAD_M64 = 11, LOAD_I32 = 12, STORE_M32 = 13,
            STORE_M32_POP = 14, STORE_M64 = 15, STORE_M64_POP = 16, ARITH_M32 = 17, ARITH_M64 = 18,
            /** FCOM, FCOMP, FCOMPP, FUCOM, FUCOMP, FUCOMPP: C0-C3. */ COMPARE = 19,
            /** FCOM and FCOMP with an m32 or m64 operand. */ COMPARE_M32 = 20, COMPARE_M64 = 21,
            /** FCOMI, FUCOMI and their popping forms: ZF, PF and CF. */ COMPARE_EFLAGS = 22, COMPARE_EFLAGS_POP = 23,
            /** FNSTSW AX. */ STATUS_AX = 24,
            /** FILD m16 and m64. */ LOAD_I16 = 25, LOAD_I64 = 26,
            /** FIST and FISTP with m16, m32, m64 (FISTP only). */ STORE_I16 = 27, STORE_I16_POP = 28, STORE_I32 = 29,
            STORE_I32_POP = 30, STORE_I64_POP = 31,
            /** FLDCW and FNSTCW. */ LOAD_CONTROL = 32, STORE_CONTROL = 33;

    /** A stack effect that is not known before the instruction runs. */
    static final int UNKNOWN = Integer.MIN_VALUE;

    private static final Constants.Value[] CONSTANTS = Constants.Value.values();

    /** Whether d is an x87 escape (D8-DF) without the integer side of FNSTSW AX, FCOMI or FCMOV. */
    static boolean isX87(DecodedInsn d) {
        return d.op == Op.X87 && d.map == 0;
    }

    /** The form in which compiled code runs d with the stack in locals, or 0 when it goes through X87Exec. */
    static int fastForm(DecodedInsn d) {
        if (!isX87(d)) return 0;
        int group = d.opcode & 7, reg = d.reg;
        boolean arith = reg != 2 && reg != 3;
        if (d.mod != 3) {
            if (d.addrSize != 4) return 0;
            switch (group) {
                case 0: return arith ? ARITH_M32 : COMPARE_M32;
                case 4: return arith ? ARITH_M64 : COMPARE_M64;
                case 1:
                    switch (reg) {
                        case 0: return LOAD_M32;
                        case 2: return STORE_M32;
                        case 3: return STORE_M32_POP;
                        case 5: return LOAD_CONTROL;
                        case 7: return STORE_CONTROL;
                        default: return 0;
                    }
                case 5: return reg == 0 ? LOAD_M64 : reg == 2 ? STORE_M64 : reg == 3 ? STORE_M64_POP : 0;
                case 3: return reg == 0 ? LOAD_I32 : reg == 2 ? STORE_I32 : reg == 3 ? STORE_I32_POP : 0;
                case 7:
                    switch (reg) {
                        case 0: return LOAD_I16;
                        case 2: return STORE_I16;
                        case 3: return STORE_I16_POP;
                        case 5: return LOAD_I64;
                        case 7: return STORE_I64_POP;
                        default: return 0;
                    }
                default: return 0;
            }
        }
        switch (group) {
            case 0: return arith ? ARITH_ST0 : COMPARE;
            case 2: return d.modrm == 0xE9 ? COMPARE : 0; // FUCOMPP
            case 3: return reg == 5 || reg == 6 ? COMPARE_EFLAGS : 0;
            case 7: return reg == 5 || reg == 6 ? COMPARE_EFLAGS_POP : d.modrm == 0xE0 ? STATUS_AX : 0;
            case 4: return arith ? ARITH_STI : 0;
            case 6: return arith ? ARITH_STI_POP : d.modrm == 0xD9 ? COMPARE : 0; // FCOMPP
            case 1:
                if (reg == 0) return d.rm == 7 ? 0 : LOAD_ST;
                if (reg == 1) return EXCHANGE;
                if (d.modrm == 0xE0 || d.modrm == 0xE1 || d.modrm == 0xFA) return UNARY; // FCHS, FABS, FSQRT
                if (d.modrm >= 0xE8 && d.modrm <= 0xEE) return CONSTANT;
                return 0;
            case 5: return reg == 2 ? STORE_ST : reg == 3 ? STORE_ST_POP : reg == 4 || reg == 5 ? COMPARE : 0;
            default: return 0;
        }
    }

    /** Pops of a comparison form: FCOMP, FUCOMP, FCOMIP, FUCOMIP one, FCOMPP and FUCOMPP two. */
    static int comparePops(DecodedInsn d) {
        if (d.modrm == 0xD9 && (d.opcode & 7) == 6 || d.modrm == 0xE9 && (d.opcode & 7) == 2) return 2;
        if ((d.opcode & 7) == 7) return 1;
        if ((d.opcode & 7) == 5) return d.reg == 5 ? 1 : 0;
        return d.reg == 3 ? 1 : 0;
    }

    /** Whether a comparison form is unordered (FUCOM...: quiet NaNs raise nothing). */
    static boolean quietCompare(DecodedInsn d) {
        int group = d.opcode & 7;
        return group == 2 || group == 5 || (group == 3 || group == 7) && d.reg == 5;
    }

    /**
     * How an instruction moves TOP when it completes as usual (+1 a pop, -1 a push, 0 neither),
     * or {@link #UNKNOWN}. Instructions other than x87 escapes count 0: compiled code checks TOP
     * after every instruction it runs through the interpreter's code, and leaves when it moved
     * otherwise (FXRSTOR, a task switch, an unmasked exception).
     */
    static int stackEffect(DecodedInsn d) {
        if (!isX87(d)) return 0;
        int group = d.opcode & 7, reg = d.reg;
        if (d.mod != 3) {
            switch (group) {
                case 0: case 2: case 4: case 6: return reg == 3 ? 1 : 0;
                case 1: return reg == 0 ? -1 : reg == 3 ? 1 : reg == 4 ? UNKNOWN : 0;
                case 3: return reg == 0 || reg == 5 ? -1 : reg == 2 ? 0 : reg == 3 || reg == 7 ? 1 : UNKNOWN;
                case 5: return reg == 0 ? -1 : reg == 2 || reg == 7 ? 0 : reg == 3 ? 1 : UNKNOWN;
                default: return reg == 0 || reg == 4 || reg == 5 ? -1 : reg == 2 ? 0 : reg == 1 ? UNKNOWN : 1;
            }
        }
        int m = d.modrm;
        switch (group) {
            case 0: return reg == 3 ? 1 : 0;
            case 1:
                if (reg == 0) return -1;
                if (reg == 1 || m == 0xD0) return 0;
                if (m == 0xE0 || m == 0xE1 || m == 0xE4 || m == 0xE5) return 0;
                if (m >= 0xE8 && m <= 0xEE) return -1;
                switch (m) {
                    case 0xF0: case 0xF5: case 0xF8: case 0xFA: case 0xFC: case 0xFD: case 0xFE: case 0xFF: return 0;
                    case 0xF1: case 0xF3: case 0xF7: case 0xF9: return 1;
                    case 0xF2: case 0xF4: case 0xF6: case 0xFB: return -1;
                    default: return UNKNOWN;
                }
            case 2: return reg < 4 ? 0 : m == 0xE9 ? 2 : UNKNOWN;
            case 3: return reg < 4 || reg == 5 || reg == 6 ? 0 : m == 0xE0 || m == 0xE1 || m == 0xE2 || m == 0xE4 ? 0 : UNKNOWN;
            case 4: return reg == 2 || reg == 3 ? UNKNOWN : 0;
            case 5: return reg == 0 || reg == 2 || reg == 4 ? 0 : reg == 3 || reg == 5 ? 1 : UNKNOWN;
            case 6: return reg == 2 ? UNKNOWN : reg == 3 ? (m == 0xD9 ? 2 : UNKNOWN) : 1;
            default: return reg == 0 || reg == 5 || reg == 6 ? 1 : m == 0xE0 ? 0 : UNKNOWN;
        }
    }

    /** How the form of d moves TOP: its {@link #stackEffect} as a compiled form. */
    static int fastEffect(int form, DecodedInsn d) {
        switch (form) {
            case COMPARE: case COMPARE_M32: case COMPARE_M64: case COMPARE_EFLAGS_POP: return comparePops(d);
            case ARITH_STI_POP: case STORE_ST_POP: case STORE_M32_POP: case STORE_M64_POP: case STORE_I16_POP:
            case STORE_I32_POP: case STORE_I64_POP: return 1;
            case LOAD_ST: case CONSTANT: case LOAD_M32: case LOAD_M64: case LOAD_I32: case LOAD_I16: case LOAD_I64: return -1;
            default: return 0;
        }
    }

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

    /** The helpers for d op o by the D8 group's ModRM.reg (see {@link Arithmetic#operation}), each a call the JVM can inline. */
    static final String[] OPERATIONS = {"add", "multiply", null, null, "subtract", "subtractReversed", "divide", "divideReversed"};

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
