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

    @Test
    void linuxLoopbackProbeSeesTheModemLinesComeBack() {
        out(4, 0x10 | 0x0A); // LOOP | RTS | OUT2
        assertEquals(0x90, in(6) & 0xF0, "CTS and DCD from RTS and OUT2");
        out(4, 0x00);
        assertEquals(0xB0, in(6) & 0xF0);
    }

    @Test
    void interruptEnableReadsBackAndTransmitterEmptyIsRaisedWhenEnabled() {
        out(1, 0x0F);
        assertEquals(0x0F, in(1));
        out(4, 0x08); // OUT2: the IRQ line reaches the PIC
        assertEquals(0x02, in(2) & 0x0F, "THRE re-asserted when enabled with the holding register empty");
        assertEquals(0x01, in(2) & 0x0F, "reading IIR cleared it");
        out(0, 'a');
        assertEquals(0x02, in(2) & 0x0F, "again once the byte is sent");
    }

    @Test
    void hostInputArrivesThroughTheFifoWithIrq4() {
        initPic();
        out(2, 0x07); // FIFOs on, cleared
        out(1, 0x01); // received-data interrupt
        out(4, 0x08); // OUT2
        for (byte b : "hi".getBytes(StandardCharsets.US_ASCII)) machine.com1.hostInput(b);
        assertEquals(false, machine.pic.pending(), "nothing before the device is polled");
        machine.com1.pollInput();
        assertEquals(0xC4, in(2), "FIFOs on, received data available");
        assertEquals(true, machine.pic.pending());
        assertEquals(0x34, machine.pic.acknowledge(), "IRQ 4 at the master's base 0x30");
        assertEquals(0x01, in(5) & 0x01);
        assertEquals('h', in(0));
        assertEquals('i', in(0));
        assertEquals(0x00, in(5) & 0x01, "empty");
        assertEquals(0xC1, in(2), "no interrupt pending");
        machine.io.out(0x20, 1, 0x64); // specific EOI for IRQ 4
        assertEquals(false, machine.pic.pending(), "the line went low with the data");
    }

    @Test
    void withoutFifosASecondByteWaitsForTheFirstToBeRead() {
        machine.com1.hostInput((byte) 'a');
        machine.com1.hostInput((byte) 'b');
        machine.com1.pollInput();
        assertEquals('a', in(0));
        assertEquals('b', in(0), "taken in when the holding register emptied");
    }

    @Test
    void com2IsASecondUartOnIrq3() {
        initPic();
        machine.io.out(0x2FF, 1, 0x5A); // scratch register
        assertEquals(0x5A, machine.io.in(0x2FF, 1));
        assertEquals(0x00, in(7), "COM1's scratch register is its own");
        machine.io.out(0x2F9, 1, 0x02); // THRE interrupt
        machine.io.out(0x2FC, 1, 0x08); // OUT2
        assertEquals(0x02, machine.io.in(0x2FA, 1) & 0x0F, "transmitter empty");
        assertEquals(0x33, machine.pic.acknowledge(), "IRQ 3 at the master's base 0x30");
    }

    private void initPic() {
        int[][] writes = {{0x20, 0x11}, {0x21, 0x30}, {0x21, 0x04}, {0x21, 0x01}, {0xA0, 0x11}, {0xA1, 0x38}, {0xA1, 0x02},
            {0xA1, 0x01}, {0x21, 0x00}, {0xA1, 0x00}};
        for (int[] w : writes) machine.io.out(w[0], 1, w[1]);
    }
}
