package org.kasou.fpu;

import static org.kasou.fpu.FpuStatus.*;

/**
 * Runs an {@link X87Case} on the core and reports what the oracle's program would see: the stack
 * after FNINIT, loading b then a (TOP = 6), and the operation.
 */
final class CoreModel {
    private final FpuResult r = new FpuResult();

    private static int m32Se(X87Case c) {
        return MemoryOperands.float32Se((int) c.memoryLong());
    }

    private static long m32Sig(X87Case c) {
        return MemoryOperands.float32Sig((int) c.memoryLong());
    }

    X87Outcome run(X87Case c) {
        r.control = c.control();
        int aSe = c.aSe(), bSe = c.bSe();
        long aSig = c.aSig(), bSig = c.bSig();
        byte[] mem = c.memory().clone();
        int eflags = 0;
        int top = 6, conditions = 0;
        int st0Se = aSe, st1Se = bSe;
        long st0Sig = aSig, st1Sig = bSig;
        X87TestOp op = c.op();
        switch (op) {
            case FADD -> Arithmetic.add(r, aSe, aSig, bSe, bSig);
            case FSUB -> Arithmetic.subtract(r, aSe, aSig, bSe, bSig);
            case FMUL -> Arithmetic.multiply(r, aSe, aSig, bSe, bSig);
            case FDIV -> Arithmetic.divide(r, aSe, aSig, bSe, bSig);
            case FSQRT -> Arithmetic.squareRoot(r, aSe, aSig);
            case FRNDINT -> IntegerRounding.roundToInteger(r, aSe, aSig);
            case FSCALE -> Scaling.scale(r, aSe, aSig, bSe, bSig);
            case FXTRACT -> Scaling.extract(r, aSe, aSig);
            case FPREM -> Remainder.partial(r, aSe, aSig, bSe, bSig);
            case FPREM1 -> Remainder.ieee(r, aSe, aSig, bSe, bSig);
            case FABS -> SignOps.abs(r, aSe, aSig);
            case FCHS -> SignOps.negate(r, aSe, aSig);
            case FCOM, FCOMI -> Comparison.compare(r, aSe, aSig, bSe, bSig, false);
            case FUCOM, FUCOMI -> Comparison.compare(r, aSe, aSig, bSe, bSig, true);
            case FTST -> Comparison.test(r, aSe, aSig);
            case FXAM -> Comparison.examine(r, aSe, aSig, false);
            case FLD_M32 -> Loads.float32(r, (int) c.memoryLong());
            case FLD_M64 -> Loads.float64(r, c.memoryLong());
            case FILD_M16 -> Loads.integer(r, (short) c.memoryLong());
            case FILD_M32 -> Loads.integer(r, (int) c.memoryLong());
            case FILD_M64 -> Loads.integer(r, c.memoryLong());
            case FBLD -> Loads.packedBcd(r, c.memoryLong(), c.memoryHigh());
            case FSTP_M32 -> Stores.float32(r, aSe, aSig);
            case FSTP_M64 -> Stores.float64(r, aSe, aSig);
            case FISTP_M16 -> Stores.integer(r, aSe, aSig, 16);
            case FISTP_M32 -> Stores.integer(r, aSe, aSig, 32);
            case FISTP_M64 -> Stores.integer(r, aSe, aSig, 64);
            case FBSTP -> Stores.packedBcd(r, aSe, aSig);
            case FADD_M32 -> Arithmetic.add(r, aSe, aSig, m32Se(c), m32Sig(c));
            case FMUL_M64 -> Arithmetic.multiply(r, aSe, aSig, MemoryOperands.float64Se(c.memoryLong()),
                    MemoryOperands.float64Sig(c.memoryLong()));
            case FDIVR_M32 -> Arithmetic.divide(r, m32Se(c), m32Sig(c), aSe, aSig);
            case FSUB_M64 -> Arithmetic.subtract(r, aSe, aSig, MemoryOperands.float64Se(c.memoryLong()),
                    MemoryOperands.float64Sig(c.memoryLong()));
            case FIADD_M16 -> Arithmetic.add(r, aSe, aSig, MemoryOperands.integerSe((short) c.memoryLong()),
                    MemoryOperands.integerSig((short) c.memoryLong()));
            case FIDIV_M32 -> Arithmetic.divide(r, aSe, aSig, MemoryOperands.integerSe((int) c.memoryLong()),
                    MemoryOperands.integerSig((int) c.memoryLong()));
            case FCOM_M32 -> Comparison.compare(r, aSe, aSig, m32Se(c), m32Sig(c), false);
            case FICOM_M32 -> Comparison.compare(r, aSe, aSig, MemoryOperands.integerSe((int) c.memoryLong()),
                    MemoryOperands.integerSig((int) c.memoryLong()), false);
            default -> Constants.load(r, Constants.Value.values()[op.ordinal() - X87TestOp.FLD1.ordinal()]);
        }
        conditions = r.status & r.codes;
        if (r.written) {
            if (op == X87TestOp.FXTRACT) {
                top = 5;
                st1Se = r.se;
                st1Sig = r.sig;
                st0Se = r.se2;
                st0Sig = r.sig2;
            } else if (op.loadsMemory() || op.loadsConstant()) {
                top = 5;
                st1Se = aSe;
                st1Sig = aSig;
                st0Se = r.se;
                st0Sig = r.sig;
            } else if (op.storesMemory()) {
                top = 7;
                st0Se = bSe;
                st0Sig = bSig;
                st1Se = c.aSe(); // the register below B in the image: unused, see X87Outcome
                st1Sig = c.aSig();
                long m = r.memory;
                for (int i = 0; i < 8; i++) mem[i] = (byte) (m >>> (8 * i));
                if (op == X87TestOp.FBSTP) {
                    mem[8] = (byte) r.memoryHigh;
                    mem[9] = (byte) (r.memoryHigh >>> 8);
                }
                int size = switch (op) {
                    case FSTP_M32, FISTP_M32 -> 4;
                    case FSTP_M64, FISTP_M64 -> 8;
                    case FISTP_M16 -> 2;
                    default -> 10;
                };
                for (int i = size; i < 10; i++) mem[i] = c.memory()[i];
            } else if (r.codes != (C0 | C1 | C2 | C3) || op == X87TestOp.FPREM || op == X87TestOp.FPREM1) {
                st0Se = r.se;
                st0Sig = r.sig;
            }
        }
        if (op == X87TestOp.FCOMI || op == X87TestOp.FUCOMI) {
            eflags = Comparison.eflags(conditions);
            conditions &= C1;
        }
        int flags = r.status & EXCEPTIONS;
        int status = flags | conditions | top << 11;
        if ((flags & ~c.control() & EXCEPTIONS) != 0) status |= ES | 0x8000;
        return new X87Outcome(st0Se & 0xFFFF, st0Sig, st1Se & 0xFFFF, st1Sig, status, eflags, mem);
    }
}
