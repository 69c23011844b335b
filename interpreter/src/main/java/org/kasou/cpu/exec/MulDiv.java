package org.kasou.cpu.exec;

import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;

/**
 * MUL, IMUL (one, two and three operands), DIV and IDIV (SDM vol. 2). The one-operand forms use
 * AL/AX/EAX and AH/DX/EDX implicitly. CF and OF are set together when the result does not fit
 * the low half; SF, ZF, AF and PF are undefined in the SDM and left unchanged, as on the host CPU
 * of the test vectors. DIV and IDIV leave every flag undefined; that host keeps CF and OF,
 * sets AF and clears SF, ZF and PF, and so do these helpers.
 */
public final class MulDiv {
    private MulDiv() {}

    public static void mul(CpuState s, int size, int src) {
        int[] r = s.gpr;
        switch (size) {
            case 1: {
                int p = (r[CpuState.EAX] & 0xFF) * (src & 0xFF);
                r[CpuState.EAX] = (r[CpuState.EAX] & 0xFFFF0000) | p;
                flags(s, size, p, (p >>> 8) != 0);
                break;
            }
            case 2: {
                int p = (r[CpuState.EAX] & 0xFFFF) * (src & 0xFFFF);
                r[CpuState.EAX] = (r[CpuState.EAX] & 0xFFFF0000) | (p & 0xFFFF);
                r[CpuState.EDX] = (r[CpuState.EDX] & 0xFFFF0000) | (p >>> 16);
                flags(s, size, p, (p >>> 16) != 0);
                break;
            }
            default: {
                long p = (r[CpuState.EAX] & 0xFFFFFFFFL) * (src & 0xFFFFFFFFL);
                r[CpuState.EAX] = (int) p;
                r[CpuState.EDX] = (int) (p >>> 32);
                flags(s, size, (int) p, (p >>> 32) != 0);
                break;
            }
        }
    }

    public static void imul1(CpuState s, int size, int src) {
        int[] r = s.gpr;
        switch (size) {
            case 1: {
                int p = (byte) r[CpuState.EAX] * (byte) src;
                r[CpuState.EAX] = (r[CpuState.EAX] & 0xFFFF0000) | (p & 0xFFFF);
                flags(s, size, p, p != (byte) p);
                break;
            }
            case 2: {
                int p = (short) r[CpuState.EAX] * (short) src;
                r[CpuState.EAX] = (r[CpuState.EAX] & 0xFFFF0000) | (p & 0xFFFF);
                r[CpuState.EDX] = (r[CpuState.EDX] & 0xFFFF0000) | ((p >>> 16) & 0xFFFF);
                flags(s, size, p, p != (short) p);
                break;
            }
            default: {
                long p = (long) r[CpuState.EAX] * src;
                r[CpuState.EAX] = (int) p;
                r[CpuState.EDX] = (int) (p >>> 32);
                flags(s, size, (int) p, p != (int) p);
                break;
            }
        }
    }

    /** Two- and three-operand IMUL: the product truncated to the operand size. */
    public static int imul(CpuState s, int size, int a, int b) {
        long p = (long) LazyFlags.sx(size, a) * LazyFlags.sx(size, b);
        int res = (int) p;
        flags(s, size, res, p != LazyFlags.sx(size, res));
        return res & LazyFlags.mask(size);
    }

    private static void flags(CpuState s, int size, int low, boolean overflow) {
        LazyFlags.setCfOf(s, overflow ? Flags.CF | Flags.OF : 0);
    }

    private static void divFlags(CpuState s) {
        LazyFlags.setArith(s, (LazyFlags.arith(s) & (Flags.CF | Flags.OF)) | Flags.AF);
    }

    /** DIV: #DE when the divisor is 0 or the quotient does not fit; flags unchanged. */
    public static void div(Cpu cpu, int size, int src) {
        int[] r = cpu.state.gpr;
        switch (size) {
            case 1: {
                int d = src & 0xFF;
                if (d == 0) throw de(cpu);
                int n = r[CpuState.EAX] & 0xFFFF;
                int q = n / d;
                if (q > 0xFF) throw de(cpu);
                r[CpuState.EAX] = (r[CpuState.EAX] & 0xFFFF0000) | ((n % d) << 8) | q;
                divFlags(cpu.state);
                break;
            }
            case 2: {
                int d = src & 0xFFFF;
                if (d == 0) throw de(cpu);
                long n = ((r[CpuState.EDX] & 0xFFFFL) << 16) | (r[CpuState.EAX] & 0xFFFF);
                long q = n / d;
                if (q > 0xFFFF) throw de(cpu);
                r[CpuState.EAX] = (r[CpuState.EAX] & 0xFFFF0000) | (int) q;
                r[CpuState.EDX] = (r[CpuState.EDX] & 0xFFFF0000) | (int) (n % d);
                divFlags(cpu.state);
                break;
            }
            default: {
                int hi = r[CpuState.EDX], lo = r[CpuState.EAX];
                // The quotient fits in 32 bits exactly when EDX is below the divisor (a divisor of 0 never is).
                if (Integer.compareUnsigned(hi, src) >= 0) throw de(cpu);
                if (hi == 0 && (lo | src) >= 0) { // both below 2^31 (xor edx, edx; div): one 32-bit division
                    r[CpuState.EAX] = lo / src;
                    r[CpuState.EDX] = lo % src;
                } else { // one 64-bit division, the remainder from the quotient
                    long n = ((long) hi << 32) | (lo & 0xFFFFFFFFL), d = src & 0xFFFFFFFFL;
                    long q = n >= 0 ? n / d : Long.divideUnsigned(n, d);
                    r[CpuState.EAX] = (int) q;
                    r[CpuState.EDX] = (int) (n - q * d);
                }
                divFlags(cpu.state);
                break;
            }
        }
    }

    /** IDIV: #DE when the divisor is 0 or the quotient is out of range (e.g. -2^31 / -1). */
    public static void idiv(Cpu cpu, int size, int src) {
        int[] r = cpu.state.gpr;
        switch (size) {
            case 1: {
                int d = (byte) src;
                if (d == 0) throw de(cpu);
                int n = (short) r[CpuState.EAX];
                int q = n / d;
                if (q != (byte) q) throw de(cpu);
                r[CpuState.EAX] = (r[CpuState.EAX] & 0xFFFF0000) | (((n % d) & 0xFF) << 8) | (q & 0xFF);
                divFlags(cpu.state);
                break;
            }
            case 2: {
                int d = (short) src;
                if (d == 0) throw de(cpu);
                int n = (r[CpuState.EDX] << 16) | (r[CpuState.EAX] & 0xFFFF);
                if (n == Integer.MIN_VALUE && d == -1) throw de(cpu);
                int q = n / d;
                if (q != (short) q) throw de(cpu);
                r[CpuState.EAX] = (r[CpuState.EAX] & 0xFFFF0000) | (q & 0xFFFF);
                r[CpuState.EDX] = (r[CpuState.EDX] & 0xFFFF0000) | ((n % d) & 0xFFFF);
                divFlags(cpu.state);
                break;
            }
            default: {
                if (src == 0) throw de(cpu);
                int hi = r[CpuState.EDX], lo = r[CpuState.EAX];
                if (hi == lo >> 31 && src != -1) { // EDX:EAX is EAX sign-extended (cdq; idiv): one 32-bit division
                    r[CpuState.EAX] = lo / src;
                    r[CpuState.EDX] = lo % src;
                } else {
                    long n = ((long) hi << 32) | (lo & 0xFFFFFFFFL);
                    if (n == Long.MIN_VALUE && src == -1) throw de(cpu);
                    long q = n / src;
                    if (q != (int) q) throw de(cpu);
                    r[CpuState.EAX] = (int) q;
                    r[CpuState.EDX] = (int) (n - q * src);
                }
                divFlags(cpu.state);
                break;
            }
        }
    }

    private static CpuFault de(Cpu cpu) {
        return cpu.fault.set(CpuFault.DE, CpuFault.NO_ERROR_CODE);
    }
}
