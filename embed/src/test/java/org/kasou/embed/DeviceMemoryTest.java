package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Memory backed by the caller: a ByteBuffer, or read and write callbacks (MMIO). */
class DeviceMemoryTest {
    static final long DEVICE = 0x40000;

    /** mov eax, [DEVICE]; add eax, [DEVICE+4]; mov [DEVICE+8], eax; mov word [DEVICE+0x10], 0x1234; mov byte [DEVICE+0x20], 0x56; ret */
    static byte[] code() {
        return Guests.bytes(
                0xA1, 0x00, 0x00, 0x04, 0x00,
                0x03, 0x05, 0x04, 0x00, 0x04, 0x00,
                0xA3, 0x08, 0x00, 0x04, 0x00,
                0x66, 0xC7, 0x05, 0x10, 0x00, 0x04, 0x00, 0x34, 0x12,
                0xC6, 0x05, 0x20, 0x00, 0x04, 0x00, 0x56,
                0xC3);
    }

    static RunResult call(Engine e) {
        e.writeU32(Guests.STACK - 0x100, Guests.RETURN);
        e.setReg(Register.ESP, Guests.STACK - 0x100);
        return e.run(Guests.CODE, Guests.RETURN);
    }

    @ParameterizedTest(name = "jit={0}")
    @ValueSource(booleans = {false, true})
    void guestAndCallerShareABuffer(boolean jit) {
        Engine e = Guests.engine(jit, code());
        ByteBuffer buf = ByteBuffer.allocateDirect(0x2000); // big-endian by default: the guest still sees little-endian bytes
        e.mapBuffer(DEVICE, buf, Perm.READ | Perm.WRITE);
        for (int pass = 1; pass <= 3; pass++) { // later passes run compiled code when the JIT is on
            buf.put(0, (byte) pass).put(4, (byte) 40);
            assertEquals(StopCause.UNTIL_REACHED, call(e).cause());
            assertEquals(pass + 40, buf.get(8));
            assertEquals(0x34, buf.get(0x10) & 0xFF);
            assertEquals(0x12, buf.get(0x11) & 0xFF);
            assertEquals(0x56, buf.get(0x20) & 0xFF);
            assertEquals(pass + 40, e.reg(Register.EAX));
        }
        assertEquals(0x1234, e.readU16(DEVICE + 0x10), "the API reads the buffer too");
        e.writeU32(DEVICE + 0x1000, 0xCAFEBABEL);
        assertEquals((byte) 0xBE, buf.get(0x1000));
        assertTrue(e.regions().contains(new MemoryRegion(DEVICE, 0x2000, Perm.READ | Perm.WRITE, true)), e.regions().toString());
    }

    @ParameterizedTest(name = "jit={0}")
    @ValueSource(booleans = {false, true})
    void mmioCallbacksSeeEveryAccess(boolean jit) {
        Engine e = Guests.engine(jit, code());
        List<String> log = new ArrayList<>();
        e.mapMmio(DEVICE, 0x1000, (en, off, size) -> {
            log.add("r" + size + "@" + off);
            return off == 0 ? 0x100 : 0x23;
        }, (en, off, size, v) -> log.add("w" + size + "@" + off + "=" + Long.toHexString(v)));
        for (int pass = 0; pass < 3; pass++) {
            log.clear();
            call(e);
            assertEquals(List.of("r4@0", "r4@4", "w4@8=123", "w2@16=1234", "w1@32=56"), log);
        }
    }

    @Test
    void aThrowingCallbackStopsTheRun() {
        Engine e = Guests.engine(true, code());
        e.mapMmio(DEVICE, 0x1000, (en, off, size) -> {
            throw new IllegalStateException("device unplugged");
        }, (en, off, size, v) -> { });
        HookFailedException x = assertThrows(HookFailedException.class, () -> call(e));
        assertEquals("device unplugged", x.getCause().getMessage());
    }

    @Test
    void deviceMemoryRefusesCodeAndOverlaps() {
        Engine e = Guests.engine(false, code());
        assertThrows(IllegalArgumentException.class, () -> e.mapBuffer(DEVICE, ByteBuffer.allocate(0x1000), Perm.ALL));
        assertThrows(IllegalArgumentException.class, () -> e.mapBuffer(DEVICE, ByteBuffer.allocate(0x1800), Perm.READ));
        assertThrows(IllegalArgumentException.class, () -> e.mapBuffer(Guests.DATA, ByteBuffer.allocate(0x1000), Perm.READ));
        e.mapBuffer(DEVICE, ByteBuffer.allocate(0x1000), Perm.READ);
        assertThrows(IllegalArgumentException.class, () -> e.protect(DEVICE, 0x1000, Perm.ALL));
    }

    @Test
    void unmappedDeviceMemoryIsInvalidAgainAndSnapshotsLeaveItAlone() {
        Engine e = Guests.engine(true, code());
        ByteBuffer buf = ByteBuffer.allocate(0x1000);
        e.mapBuffer(DEVICE, buf, Perm.READ | Perm.WRITE);
        e.writeU32(Guests.DATA, 7);
        Snapshot snap = e.snapshot();
        buf.put(0, (byte) 9);
        e.writeU32(Guests.DATA, 8);
        e.restore(snap);
        assertEquals(7, e.readU32(Guests.DATA), "RAM restored");
        assertEquals(9, buf.get(0), "the buffer is the caller's");
        assertEquals(9, e.readU8(DEVICE), "and still mapped");
        e.unmap(DEVICE, 0x1000);
        RunResult r = call(e);
        assertEquals(StopCause.INVALID_MEMORY, r.cause(), r.toString());
        assertEquals(DEVICE, r.faultAddress());
    }

    @Test
    void devicesInTheUnpagedModesSitAtTheirPhysicalAddress() {
        Engine e = Engine.create(Mode.SYSTEM_32, EngineOptions.defaults().withPhysicalMemory(1 << 20));
        e.map(0, 0x10000, Perm.ALL);
        ByteBuffer buf = ByteBuffer.allocate(0x1000);
        e.mapBuffer(0xFEC00000L, buf, Perm.READ | Perm.WRITE); // above RAM: device addresses reach 4 GiB
        e.write(0x1000, Guests.bytes(0xC7, 0x05, 0x00, 0x00, 0xC0, 0xFE, 0x78, 0x56, 0x34, 0x12, 0xF4)); // mov dword [0xFEC00000], 0x12345678; hlt
        assertEquals(StopCause.HALTED, e.run(Run.from(0x1000).count(10)).cause());
        assertEquals(0x12345678, Integer.reverseBytes(buf.getInt(0)));
    }
}
