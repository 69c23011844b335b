package org.kasou.pc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Why Machine.run stops, with tiny guests written as machine code. */
@Timeout(60)
class MachineRunTest {
    private static final int MIB = 1 << 20;
    private static final int ENTRY = MIB + 0x40;

    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private final Machine machine = new Machine(4 * MIB, console);

    /** A flat multiboot image loaded at 1 MiB whose code starts at ENTRY. */
    private void boot(int... code) throws KernelLoadException {
        ByteBuffer b = TestImages.le(0x40 + code.length);
        TestImages.putHeader(b, 0, MultibootHeader.FLAG_ADDRESS_FIELDS, MIB, MIB, 0, 0, ENTRY);
        for (int i = 0; i < code.length; i++) {
            b.put(0x40 + i, (byte) code[i]);
        }
        MultibootLoader.load(machine, b.array(), "test", null);
    }

    private static final int[] PRINT_HI_THEN_EXIT_5 = {
        0xB0, 'h', 0xE6, 0xE9,      // mov al, 'h'; out 0xE9, al
        0xB0, 'i', 0xE6, 0xE9,      // mov al, 'i'; out 0xE9, al
        0xB0, 0x05, 0xE6, 0xF4,     // mov al, 5; out 0xF4, al
        0xEB, 0xFE,                 // jmp $ (never reached)
    };

    @Test
    void exitDeviceEndsTheRunWithItsStatus() throws Exception {
        boot(PRINT_HI_THEN_EXIT_5);
        RunResult r = machine.run(1_000_000);
        assertEquals(RunResult.Outcome.EXITED, r.outcome());
        assertEquals(11, r.exitStatus());
        assertEquals(6, r.instructions());
        assertEquals("hi", console.toString(StandardCharsets.US_ASCII));
    }

    @Test
    void exitOnTheLastInstructionOfTheBudgetIsStillAnExit() throws Exception {
        boot(PRINT_HI_THEN_EXIT_5);
        RunResult r = machine.run(6);
        assertEquals(RunResult.Outcome.EXITED, r.outcome());
        assertEquals(11, r.exitStatus());
    }

    @Test
    void haltWithInterruptsOff() throws Exception {
        boot(0xFA, 0xF4);            // cli; hlt
        RunResult r = machine.run(1_000_000);
        assertEquals(RunResult.Outcome.HALTED, r.outcome());
    }

    @Test
    void instructionLimit() throws Exception {
        boot(0xEB, 0xFE);            // jmp $
        RunResult r = machine.run(12_345);
        assertEquals(RunResult.Outcome.INSTRUCTION_LIMIT, r.outcome());
        assertEquals(12_345, r.instructions());
    }

    @Test
    void fastResetThroughPort92() throws Exception {
        boot(0xE4, 0x92, 0x0C, 0x01, 0xE6, 0x92, 0xEB, 0xFE); // in al, 0x92; or al, 1; out 0x92, al; jmp $
        RunResult r = machine.run(1_000_000);
        assertEquals(RunResult.Outcome.RESET, r.outcome());
        assertEquals(3, r.instructions());
    }

    @Test
    void tripleFault() throws Exception {
        boot(0x0F, 0x0B);            // ud2
        machine.cpu.state.idtrLimit = 0; // every delivery fails: #UD, then #DF, then shutdown
        RunResult r = machine.run(1_000_000);
        assertEquals(RunResult.Outcome.SHUTDOWN, r.outcome());
    }

    @Test
    void aTrivialGuestTouchesOnlyAFewChunksOfALargeRam() throws Exception {
        Machine big = new Machine(1 << 30, console);
        ByteBuffer b = TestImages.le(0x40 + PRINT_HI_THEN_EXIT_5.length);
        TestImages.putHeader(b, 0, MultibootHeader.FLAG_ADDRESS_FIELDS, MIB, MIB, 0, MIB + 0x10000, ENTRY);
        for (int i = 0; i < PRINT_HI_THEN_EXIT_5.length; i++) {
            b.put(0x40 + i, (byte) PRINT_HI_THEN_EXIT_5[i]);
        }
        MultibootLoader.load(big, b.array(), "test", null);
        RunResult r = big.run(1_000_000);
        assertEquals(RunResult.Outcome.EXITED, r.outcome());
        // The kernel's chunk, and the boot information's (after the 64 KiB bss, which stays untouched).
        assertEquals(2, big.physical.allocatedChunks());
    }
}
