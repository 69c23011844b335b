package org.kasou.pc.chips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kasou.pc.Machine;
import org.kasou.pc.RunResult;

/** The RTC/CMOS, the 8042 and port 0xCF9 as a BIOS and Linux use them. */
class CmosAndKeyboardTest {
    private long nanos;

    private int cmos(CmosRtc rtc, int reg) {
        rtc.out(0x70, 1, reg);
        return rtc.in(0x71, 1);
    }

    @Test
    void cmosHoldsMemorySizesAndATickingBcdClock() {
        CmosRtc rtc = new CmosRtc(() -> nanos, 64 << 20);
        assertEquals(640, cmos(rtc, 0x15) | cmos(rtc, 0x16) << 8, "base memory in KiB");
        assertEquals(63 * 1024, cmos(rtc, 0x17) | cmos(rtc, 0x18) << 8, "memory above 1 MiB in KiB");
        assertEquals(48 * 16, cmos(rtc, 0x34) | cmos(rtc, 0x35) << 8, "memory above 16 MiB in 64 KiB units");
        assertEquals(0x80, cmos(rtc, 0x0D), "battery good");
        int s0 = cmos(rtc, 0);
        assertTrue((s0 & 0x0F) <= 9 && (s0 >> 4) <= 5, "BCD seconds: " + Integer.toHexString(s0));
        nanos += 61_000_000_000L;
        int m0 = cmos(rtc, 2);
        assertTrue((m0 & 0x0F) <= 9, "BCD minutes");
        rtc.out(0x70, 1, 0x0B);
        rtc.out(0x71, 1, 0x06); // binary, 24-hour
        int s1 = cmos(rtc, 0);
        assertTrue(s1 < 60, "binary seconds " + s1);
        rtc.out(0x70, 1, 0x00);
        rtc.out(0x71, 1, 30);
        assertEquals(30, cmos(rtc, 0), "the guest sets the time");
        nanos += 5_000_000_000L;
        assertEquals(35, cmos(rtc, 0));
    }

    @Test
    void periodicInterruptsRaiseIrq8UntilRegisterCIsRead() {
        CmosRtc rtc = new CmosRtc(() -> nanos, 16 << 20);
        List<String> irqs = new ArrayList<>();
        rtc.irq8 = () -> irqs.add("8");
        rtc.out(0x70, 1, 0x0B);
        rtc.out(0x71, 1, 0x42); // periodic interrupts on, 24-hour
        nanos += CmosRtc.periodNanos(6) + 1; // 1024 Hz
        rtc.poll();
        assertEquals(1, irqs.size());
        assertEquals(0xC0, cmos(rtc, 0x0C) & 0xC0, "IRQF and PF");
        assertEquals(0, cmos(rtc, 0x0C), "cleared by the read");
    }

    @Test
    void keyboardControllerAnswersTheProbesAndResetsTheMachine() {
        Machine m = new Machine(2 << 20, new ByteArrayOutputStream());
        m.io.out(0x64, 1, 0xAA);
        assertEquals(0x01, m.io.in(0x64, 1) & 0x01, "output buffer full");
        assertEquals(0x55, m.io.in(0x60, 1), "self-test passed");
        assertEquals(0x10, m.io.in(0x64, 1) & 0x10, "the keylock switch open (Linux warns otherwise)");
        m.io.out(0x64, 1, 0x20);
        int cmd = m.io.in(0x60, 1);
        assertEquals(0x01, cmd & 0x01, "keyboard interrupt enabled");
        m.io.out(0x60, 1, 0xFF); // keyboard reset
        assertEquals(0xFA, m.io.in(0x60, 1));
        assertEquals(0xAA, m.io.in(0x60, 1));
        m.io.out(0x64, 1, 0xD1);
        m.io.out(0x60, 1, 0x01); // output port: A20 off
        assertEquals(false, m.a20());
        m.io.out(0x64, 1, 0xD1);
        m.io.out(0x60, 1, 0x03);
        assertEquals(true, m.a20());
        m.io.out(0x64, 1, 0xFE); // pulse reset
        assertEquals(RunResult.Outcome.RESET, m.run(1000).outcome());
    }

    @Test
    void port0xCF9ResetsTheMachine() {
        Machine m = new Machine(2 << 20, new ByteArrayOutputStream());
        m.io.out(0xCF9, 1, 0x06);
        assertEquals(RunResult.Outcome.RESET, m.run(1000).outcome());
    }
}
