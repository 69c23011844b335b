package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigInteger;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * DIV and IDIV of EDX:EAX by a 32-bit operand take a 32-bit division when the dividend is EAX
 * alone and a 64-bit one otherwise: both paths against exact arithmetic (BigInteger), over
 * operands chosen to reach each (EDX zero or EAX's sign, EAX and divisors at and past 2^31, -1,
 * quotients that just fit and just overflow).
 */
class DivisionPathsTest {
    private final Cpu cpu = org.kasou.cpu.TestCpus.create(new PhysicalMemory(4096), new IoPortBus());
    private final CpuState s = cpu.state;
    private static final int[] EDGES = {0, 1, 2, 3, 7, -1, -2, 0x7FFFFFFF, 0x80000000, 0x80000001, 0xFFFFFFF0, 0x10000, 0x12345678};

    @Test
    void bothPathsAgreeWithExactArithmetic() {
        Random r = new Random(5);
        int checked = 0;
        for (int i = 0; i < 200_000; i++) {
            int lo = r.nextInt(3) == 0 ? EDGES[r.nextInt(EDGES.length)] : r.nextInt();
            int hi = switch (r.nextInt(4)) {
                case 0 -> 0;
                case 1 -> lo >> 31;
                case 2 -> EDGES[r.nextInt(EDGES.length)];
                default -> r.nextInt(1 << (1 + r.nextInt(30)));
            };
            int divisor = r.nextInt(3) == 0 ? EDGES[r.nextInt(EDGES.length)] : r.nextInt() >> r.nextInt(32);
            checkUnsigned(hi, lo, divisor);
            checkSigned(hi, lo, divisor);
            checked++;
        }
        assertEquals(200_000, checked);
    }

    private void checkUnsigned(int hi, int lo, int divisor) {
        BigInteger n = BigInteger.valueOf(Integer.toUnsignedLong(hi)).shiftLeft(32).or(BigInteger.valueOf(Integer.toUnsignedLong(lo)));
        BigInteger d = BigInteger.valueOf(Integer.toUnsignedLong(divisor));
        boolean fault = divisor == 0 || n.divide(d).bitLength() > 32;
        run(hi, lo, () -> MulDiv.div(cpu, 4, divisor), fault, fault ? 0 : n.divide(d).intValue(), fault ? 0 : n.mod(d).intValue(),
                "div " + Integer.toHexString(hi) + ":" + Integer.toHexString(lo) + " / " + Integer.toHexString(divisor));
    }

    private void checkSigned(int hi, int lo, int divisor) {
        BigInteger n = BigInteger.valueOf(((long) hi << 32) | Integer.toUnsignedLong(lo));
        BigInteger d = BigInteger.valueOf(divisor);
        BigInteger q = divisor == 0 ? null : n.divide(d); // truncates toward zero, as IDIV
        boolean fault = q == null || q.bitLength() > 31;
        run(hi, lo, () -> MulDiv.idiv(cpu, 4, divisor), fault, fault ? 0 : q.intValue(), fault ? 0 : n.subtract(q.multiply(d)).intValue(),
                "idiv " + Integer.toHexString(hi) + ":" + Integer.toHexString(lo) + " / " + Integer.toHexString(divisor));
    }

    private void run(int hi, int lo, Runnable divide, boolean fault, int quotient, int remainder, String what) {
        s.gpr[CpuState.EDX] = hi;
        s.gpr[CpuState.EAX] = lo;
        boolean faulted = false;
        try {
            divide.run();
        } catch (CpuFault f) {
            assertEquals(CpuFault.DE, f.vector, what);
            faulted = true;
        }
        assertEquals(fault, faulted, what + ": #DE");
        if (fault) {
            assertEquals(hi, s.gpr[CpuState.EDX], what + ": EDX kept");
            assertEquals(lo, s.gpr[CpuState.EAX], what + ": EAX kept");
        } else {
            assertEquals(quotient, s.gpr[CpuState.EAX], what + ": quotient");
            assertEquals(remainder, s.gpr[CpuState.EDX], what + ": remainder");
        }
    }
}
