package org.kasou.pc.chips;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.kasou.pc.Machine;
import org.kasou.pc.MultibootHeader;
import org.kasou.pc.MultibootLoader;
import org.kasou.pc.RunResult;

/** FERR# and IRQ 13: an unmasked x87 exception with CR0.NE clear interrupts through the PIC; port 0xF0 clears it. */
class CoprocessorErrorTest {
    private static final int MIB = 1 << 20;

    /**
     * Assembled with nasm (bits 32, org 0x100040): CR0.NE cleared; the PICs at vectors 0x20/0x28
     * with only the cascade and IRQ 13 unmasked; an interrupt gate for vector 0x2D built at run
     * time; STI; FLDCW 0x037B (zero-divide unmasked); 1/0 by FDIVP, then 'a' to port 0xE9; FWAIT;
     * a LOOP of 100,000 (the interrupt arrives at a block boundary); 'k'; exit 5. The handler
     * (EAX saved): OUT 0xF0, FNCLEX, 'F', EOI to both PICs, IRET. The IDT follows the code, in
     * zeroed RAM.
     */
    private static final int[] GUEST = {
        0x0F, 0x20, 0xC0, 0x83, 0xE0, 0xDF, 0x0F, 0x22, 0xC0, 0xB0, 0x11, 0xE6, 0x20, 0xE6, 0xA0, 0xB0,
        0x20, 0xE6, 0x21, 0xB0, 0x28, 0xE6, 0xA1, 0xB0, 0x04, 0xE6, 0x21, 0xB0, 0x02, 0xE6, 0xA1, 0xB0,
        0x01, 0xE6, 0x21, 0xE6, 0xA1, 0xB0, 0xFB, 0xE6, 0x21, 0xB0, 0xDF, 0xE6, 0xA1, 0xB8, 0xBC, 0x00,
        0x10, 0x00, 0x66, 0xA3, 0x40, 0x02, 0x10, 0x00, 0x8C, 0x0D, 0x42, 0x02, 0x10, 0x00, 0x66, 0xC7,
        0x05, 0x44, 0x02, 0x10, 0x00, 0x00, 0x8E, 0xC1, 0xE8, 0x10, 0x66, 0xA3, 0x46, 0x02, 0x10, 0x00,
        0x0F, 0x01, 0x1D, 0xCF, 0x00, 0x10, 0x00, 0xFB, 0xDB, 0xE3, 0xD9, 0x2D, 0xCD, 0x00, 0x10, 0x00,
        0xD9, 0xE8, 0xD9, 0xEE, 0xDE, 0xF9, 0xB0, 0x61, 0xE6, 0xE9, 0x9B, 0xB9, 0xA0, 0x86, 0x01, 0x00,
        0xE2, 0xFE, 0xB0, 0x6B, 0xE6, 0xE9, 0xB0, 0x05, 0xE6, 0xF4, 0xEB, 0xFE, 0x50, 0xE6, 0xF0, 0xDB,
        0xE2, 0xB0, 0x46, 0xE6, 0xE9, 0xB0, 0x20, 0xE6, 0xA0, 0xE6, 0x20, 0x58, 0xCF, 0x7B, 0x03, 0x6F,
        0x01, 0xD8, 0x00, 0x10, 0x00, 0x90, 0x90, 0x90,
    };

    @Test
    void fwaitAfterAnUnmaskedExceptionRaisesIrq13() throws Exception {
        runGuest(-1);
    }

    @Test
    void theSameWithTheJitCompilingEveryBlock() throws Exception {
        runGuest(0);
    }

    private static void runGuest(int jitThreshold) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine m = new Machine(4 * MIB, console);
        if (jitThreshold >= 0) org.kasou.jit.JitEngine.install(m.cpu, jitThreshold);
        ByteBuffer b = ByteBuffer.allocate(0x40 + GUEST.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, MultibootHeader.MAGIC);
        int flags = MultibootHeader.FLAG_ADDRESS_FIELDS;
        b.putInt(4, flags);
        b.putInt(8, -(MultibootHeader.MAGIC + flags));
        b.putInt(12, MIB); // header_addr
        b.putInt(16, MIB); // load_addr
        b.putInt(20, 0); // load_end_addr: the whole file
        b.putInt(24, 0); // bss_end_addr
        b.putInt(28, MIB + 0x40); // entry
        for (int i = 0; i < GUEST.length; i++) b.put(0x40 + i, (byte) GUEST[i]);
        MultibootLoader.load(m, b.array(), "ferr", null);
        RunResult r = m.run(1_000_000);
        assertEquals(RunResult.Outcome.EXITED, r.outcome(), r.toString());
        assertEquals("aFk", console.toString(StandardCharsets.US_ASCII), "IRQ 13 taken after the FWAIT, once");
    }

    @Test
    void port0xF0ClearsTheLatch() {
        PicPair pic = new PicPair();
        CoprocessorError e = new CoprocessorError(pic);
        e.signal();
        assertTrue(e.latched());
        e.signal();
        e.out(CoprocessorError.PORT, 1, 0);
        assertFalse(e.latched());
    }
}
