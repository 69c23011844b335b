package org.kasou.pc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DevicesTest {
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Machine machine = new Machine(2 << 20, console);

    @Test
    void debugConsoleWritesTheLowByteOfEachWrite() {
        for (byte b : "hi\n".getBytes(StandardCharsets.US_ASCII)) {
            machine.io.out(0xE9, 1, b);
        }
        machine.io.out(0xE9, 2, 0x4121); // '!' only: the port is one byte wide
        machine.io.out(0xE9, 4, 0x12345678 & 0xFFFFFF00 | 'x');
        assertEquals("hi\n!x", console.toString(StandardCharsets.US_ASCII));
        assertEquals(0xE9, machine.io.in(0xE9, 1), "reads identify the port, as Bochs and QEMU do");
    }

    @Test
    void exitDeviceStatusIsValueShiftedLeftPlusOne() {
        assertFalse(machine.exitDevice.exited());
        assertFalse(machine.cpu.stopRequested());
        machine.io.out(0xF4, 1, 0x10);
        assertTrue(machine.exitDevice.exited());
        assertEquals(0x21, machine.exitDevice.status());
        assertTrue(machine.cpu.stopRequested(), "the exit device stops the CPU");
    }

    @Test
    void exitDeviceCoversFourPortsAndWideWrites() {
        machine.io.out(0xF7, 4, 0x100);
        assertEquals(0x201, machine.exitDevice.status());
        machine.io.out(0xF4, 1, 0x1FF); // an 8-bit OUT carries 8 bits
        assertEquals(0x1FF, machine.exitDevice.status());
    }

    @Test
    void portsNextToTheDevicesStayUnclaimed() {
        machine.io.out(0xF8, 1, 1);
        machine.io.out(0xE8, 1, 'z');
        assertFalse(machine.exitDevice.exited());
        assertEquals(0, console.size());
        assertEquals(0xFF, machine.io.in(0xF8, 1));
    }

    @Test
    void controlPortAGatesA20AndRequestsResets() {
        assertTrue(machine.a20(), "multiboot guests start with A20 enabled");
        assertEquals(2, machine.io.in(0x92, 1));
        machine.io.out(0x92, 1, 0);
        assertFalse(machine.a20());
        assertEquals(0, machine.io.in(0x92, 1));
        machine.io.out(0x92, 1, 2);
        assertTrue(machine.a20());
        assertFalse(machine.cpu.stopRequested());
        machine.io.out(0x92, 1, 3);
        assertTrue(machine.cpu.stopRequested(), "bit 0 asks for a fast reset");
        assertEquals(2, machine.io.in(0x92, 1), "the reset bit does not stick");
    }

    @Test
    void a20OffWrapsAddressesAtOneMebibyte() {
        machine.physical.write8(0x000010, 0x55);
        machine.physical.write8(0x100010, 0x66);
        assertEquals(0x66, machine.cpu.memory.readLinear8(0x100010));
        machine.io.out(0x92, 1, 0);
        assertEquals(0x55, machine.cpu.memory.readLinear8(0x100010), "bit 20 of the address is forced to 0");
        machine.io.out(0x92, 1, 2);
        assertEquals(0x66, machine.cpu.memory.readLinear8(0x100010));
    }
}
