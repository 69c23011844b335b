package org.kasou.pc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** COM1 as a driver probes and uses it (register behaviour from the PC16550D data sheet). */
class Uart16550Test {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final ByteArrayOutputStream serial = new ByteArrayOutputStream();
    private final Machine machine = new Machine(2 << 20, console, serial);

    private int in(int reg) {
        return machine.io.in(0x3F8 + reg, 1);
    }

    private void out(int reg, int v) {
        machine.io.out(0x3F8 + reg, 1, v);
    }

    @Test
    void transmitsToTheHostAndIsAlwaysReady() {
        assertEquals(0x60, in(5) & 0x61, "transmitter empty, no data received");
        for (byte b : "ok\n".getBytes(StandardCharsets.US_ASCII)) {
            out(0, b);
        }
        assertEquals("ok\n", serial.toString(StandardCharsets.US_ASCII));
        assertEquals(0, console.size(), "the debug console is a separate stream");
    }

    @Test
    void divisorLatchAndScratchRegister() {
        out(3, 0x80);                  // DLAB
        out(0, 0x01);                  // 115200 baud
        out(1, 0x00);
        assertEquals(0x01, in(0));
        assertEquals(0x00, in(1));
        out(3, 0x03);                  // 8N1, DLAB off
        assertEquals(0x03, in(3));
        out(0, 'x');
        assertEquals("x", serial.toString(StandardCharsets.US_ASCII), "a divisor write is not data");
        out(7, 0x5A);
        assertEquals(0x5A, in(7));
        assertEquals(0x01, in(2) & 0x0F, "no interrupt pending");
    }

    @Test
    void loopbackEchoesDataAndModemLines() {
        out(4, 0x10 | 0x0A);           // loop, RTS, OUT2
        assertEquals(0x90, in(6) & 0xF0, "RTS -> CTS, OUT2 -> DCD");
        out(4, 0x10 | 0x05);           // loop, DTR, OUT1
        assertEquals(0x60, in(6) & 0xF0, "DTR -> DSR, OUT1 -> RI");
        out(0, 0xAE);
        assertEquals(1, in(5) & 1, "data ready");
        assertEquals(0xAE, in(0));
        assertEquals(0, in(5) & 1);
        assertEquals(0, serial.size(), "nothing leaves the chip in loopback");
    }
}
