package org.kasou.isa;

/**
 * How an instruction operand is encoded and how big it is, named after the operand codes of the
 * Intel SDM vol. 2, Appendix A.2 (addressing method letter + size letter): {@code Ev} is a ModRM r/m
 * operand of the operand size, {@code Gb} a byte register from ModRM.reg, {@code Iz} an immediate of
 * 16 or 32 bits, and so on. A few kinds have no SDM letter: fixed registers ({@link #AL},
 * {@link #eAX}, {@link #CL}, {@link #DX}), the register encoded in the opcode's low three bits
 * ({@link #Zb}, {@link #Zv}, {@link #Zd}), the constant {@link #ONE} of the shift group, fixed segment
 * registers ({@link #ES} .. {@link #GS}), the sign-extended byte immediate {@link #Ibs}, and the x87
 * and SIMD register and memory kinds.
 */
public enum OperandKind {
    // ModRM r/m: register or memory
    Eb(Mode.E, Size.B), Ew(Mode.E, Size.W), Ed(Mode.E, Size.D), Ev(Mode.E, Size.V),
    /**
     * The SDM's "Mw/Rv": a word in memory, or a register of the operand size (MOV from/to Sreg,
     * SLDT, STR, SMSW, LAR, LSL).
     */
    MwRv(Mode.E, Size.V),
    // ModRM.reg: general register
    Gb(Mode.G, Size.B), Gw(Mode.G, Size.W), Gd(Mode.G, Size.D), Gv(Mode.G, Size.V),
    // ModRM r/m with mod == 3 only: general register (MOV to/from CRn/DRn ignores mod)
    Rd(Mode.R, Size.D), Rv(Mode.R, Size.V),
    // immediates
    Ib(Mode.I, Size.B), Iw(Mode.I, Size.W), Iz(Mode.I, Size.V),
    /** A byte immediate sign-extended to the operand size (83 /n, 6A, 6B). */
    Ibs(Mode.IS, Size.B),
    // relative branch displacements
    Jb(Mode.J, Size.B), Jz(Mode.J, Size.V),
    // ModRM memory only (mod != 3)
    /** Memory without a size (LEA, INVLPG-style). */
    M(Mode.M, Size.NONE),
    Mb(Mode.M, Size.B), Mw(Mode.M, Size.W), Md(Mode.M, Size.D), Mq(Mode.M, Size.Q),
    /** 80-bit memory (x87 extended real, packed BCD). */
    Mt(Mode.M, Size.T),
    /** 128-bit memory. */
    Mx(Mode.M, Size.X),
    /** Far pointer in memory: 16:16 or 16:32 by operand size. */
    Mp(Mode.M, Size.P),
    /** Pair of words or dwords in memory (BOUND). */
    Ma(Mode.M, Size.A),
    /** Pseudo-descriptor in memory: 6 bytes (LGDT, SIDT...). */
    Ms(Mode.M, Size.S),
    /** Direct far pointer in the instruction: offset (16/32) then selector. */
    Ap(Mode.A, Size.P),
    /** Memory offset of the address size in the instruction (MOV A0-A3). */
    Ob(Mode.O, Size.B), Ov(Mode.O, Size.V),
    /** Segment register in ModRM.reg. */
    Sw(Mode.S, Size.W),
    /** Control register / debug register in ModRM.reg. */
    Cd(Mode.C, Size.D), Dd(Mode.D, Size.D),
    // fixed registers
    AL(Mode.FIXED, Size.B, 0), CL(Mode.FIXED, Size.B, 1), AX(Mode.FIXED, Size.W, 0),
    /** AX or EAX by operand size. */
    eAX(Mode.FIXED, Size.V, 0),
    /** The port register DX (always 16 bits). */
    DX(Mode.FIXED, Size.W, 2),
    /** The constant 1 of D0/D1 shifts. */
    ONE(Mode.ONE, Size.B),
    /** General register in the opcode's low three bits (B0+r, 40+r, 50+r, 91+r, 0F C8+r). */
    Zb(Mode.Z, Size.B), Zv(Mode.Z, Size.V), Zd(Mode.Z, Size.D),
    /** String source DS:[eSI] (segment overridable) and destination ES:[eDI]. */
    Xb(Mode.X, Size.B), Xv(Mode.X, Size.V), Yb(Mode.Y, Size.B), Yv(Mode.Y, Size.V),
    // fixed segment registers (PUSH ES, POP DS...)
    ES(Mode.SEG, Size.W, 0), CS(Mode.SEG, Size.W, 1), SS(Mode.SEG, Size.W, 2),
    DS(Mode.SEG, Size.W, 3), FS(Mode.SEG, Size.W, 4), GS(Mode.SEG, Size.W, 5),
    // x87
    /** ST(0). */
    ST0(Mode.ST0, Size.T),
    /** ST(i) from ModRM.rm (mod == 3). */
    STi(Mode.STI, Size.T),
    // MMX: P = mm from reg, Q = mm or memory from r/m, N = mm from r/m (mod == 3)
    Pq(Mode.P, Size.Q), Qq(Mode.Q, Size.Q), Qd(Mode.Q, Size.D), Nq(Mode.N, Size.Q),
    // SSE: V = xmm from reg, W = xmm or memory from r/m (size = memory size), U = xmm from r/m (mod == 3)
    Vx(Mode.V, Size.X), Wx(Mode.W, Size.X), Wq(Mode.W, Size.Q), Wd(Mode.W, Size.D),
    Ww(Mode.W, Size.W), Wb(Mode.W, Size.B), Ux(Mode.U, Size.X),
    /** A 32-bit general register (mod == 3) or a byte / word of memory (PINSRB, PEXTRB, PINSRW, PEXTRW). */
    RdMb(Mode.E, Size.B), RdMw(Mode.E, Size.W),
    /** The implicit XMM0 operand of the SSE4.1 variable blends. */
    XMM0(Mode.FIXED, Size.X, 0);

    /** The addressing method: where the operand comes from. */
    public enum Mode {
        E, G, R, I, IS, J, M, A, O, S, C, D, FIXED, ONE, Z, X, Y, SEG, ST0, STI, P, Q, N, V, W, U
    }

    /** The operand size code. V is the operand size (16 or 32 bits, the SDM's v and z alike). */
    public enum Size {
        NONE(0), B(1), W(2), D(4), Q(8), T(10), X(16), V(-1), P(-2), A(-3), S(6);

        /** Bytes, or a negative marker for sizes that depend on the operand size. */
        public final int bytes;

        Size(int bytes) {
            this.bytes = bytes;
        }

        /** The size in bytes for the given operand size (2 or 4). */
        public int bytes(int opSize) {
            switch (this) {
                case V: return opSize;
                case P: return opSize + 2;
                case A: return opSize * 2;
                default: return bytes;
            }
        }
    }

    public final Mode mode;
    public final Size size;
    /** Register or segment number for fixed kinds, otherwise -1. */
    public final int fixed;

    OperandKind(Mode mode, Size size) {
        this(mode, size, -1);
    }

    OperandKind(Mode mode, Size size, int fixed) {
        this.mode = mode;
        this.size = size;
        this.fixed = fixed;
    }

    /** Whether this operand is encoded through a ModRM byte. */
    public boolean usesModrm() {
        switch (mode) {
            case E: case G: case R: case M: case S: case C: case D: case STI:
            case P: case Q: case N: case V: case W: case U:
                return true;
            default:
                return false;
        }
    }

    /** Whether this operand is (or may be) a memory operand addressed by ModRM r/m. */
    public boolean isModrmRm() {
        switch (mode) {
            case E: case M: case Q: case W:
                return true;
            default:
                return false;
        }
    }

    /** Immediate bytes this operand occupies, for the given operand and address size. */
    public int immediateBytes(int opSize, int addrSize) {
        switch (mode) {
            case I: case J: return size.bytes(opSize);
            case IS: return 1;
            case A: return opSize + 2;
            case O: return addrSize;
            default: return 0;
        }
    }
}
