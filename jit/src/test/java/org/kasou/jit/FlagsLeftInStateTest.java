package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.StopReason;

/**
 * A unit none of whose entries' flags reach an instruction that reads the flag locals leaves the
 * flags in the CPU's state until it sets flags itself (UnitCompiler#FLAGS_IN_STATE): its exits,
 * faults and calls into the interpreter before that point keep the flags it was entered with. Each
 * guest starts with every arithmetic flag set, runs compiled at first sight and on the interpreter,
 * and both must end alike.
 */
class FlagsLeftInStateTest {
    private static final int ENTRY_FLAGS = Flags.CF | Flags.PF | Flags.AF | Flags.ZF | Flags.SF | Flags.OF | 0x2;

    /** Runs code on the interpreter and compiled at first sight, both entered with ENTRY_FLAGS; returns the JIT's guest. */
    private static Guest endsAlike(byte[] code, boolean paging) {
        Guest interp = new Guest(code, -1, paging), jit = new Guest(code, 0, paging);
        for (Guest g : new Guest[] {interp, jit}) {
            g.cpu.state.setEflags(ENTRY_FLAGS);
            g.touch(org.kasou.cpu.Segment.SS, Guest.STACK_TOP - 4); // the stack's page in the TLB: compiled pushes stay in the unit
            assertEquals(StopReason.HALTED, g.cpu.run(10_000));
        }
        assertEquals(interp.snapshot(), jit.snapshot());
        return jit;
    }

    private static Guest.Asm asm() {
        return new Guest.Asm();
    }

    @Test
    void aUnitThatSetsNoFlagsLeavesTheEntryFlags() {
        // mov eax, 7; push eax; pop ebx; lea ecx, [ebx+1]; hlt
        Guest jit = endsAlike(asm().b(0xB8).d(7).b(0x50, 0x5B, 0x8D, 0x4B, 0x01, 0xF4).bytes(), false);
        assertEquals(ENTRY_FLAGS, jit.cpu.state.eflags() & 0xFFF);
        assertTrue(jit.stats().flagsInStateUnits >= 1, "units with the flags left in the state: " + jit.stats().flagsInStateUnits);
    }

    @Test
    void aFaultBeforeTheFirstFlagWritePushesTheEntryFlags() {
        // mov eax, [UNMAPPED] (#PF: its frame holds EFLAGS); add eax, 1 after it, never reached
        int a = Guest.UNMAPPED;
        Guest jit = endsAlike(asm().b(0x90, 0xA1).d(a).b(0x83, 0xC0, 0x01, 0xF4).bytes(), true);
        int pushed = jit.cpu.physical.read32(jit.cpu.state.gpr[CpuState.ESP] + 12); // error code, EIP, CS, EFLAGS
        assertEquals(ENTRY_FLAGS, pushed & 0xFFF, "EFLAGS in the fault's frame");
        assertTrue(jit.stats().flagsInStateUnits >= 1);
    }

    @Test
    void anInstructionRunThroughTheInterpreterBeforeTheFirstFlagWriteKeepsTheEntryFlags() {
        // mov eax, 0; cpuid (run through Exec: the state goes there and comes back); hlt
        Guest jit = endsAlike(asm().b(0xB8).d(0).b(0x0F, 0xA2, 0xF4).bytes(), false);
        assertEquals(ENTRY_FLAGS, jit.cpu.state.eflags() & 0xFFF);
        assertTrue(jit.stats().flagsInStateUnits >= 1);
    }

    @Test
    void aWriteOfSomeFlagsKeepsTheOthersFromTheEntry() {
        // inc eax (CF kept from the entry); then exit at HLT
        Guest jit = endsAlike(asm().b(0xB8).d(0x7F).b(0x40, 0xF4).bytes(), false);
        assertEquals(Flags.CF, jit.cpu.state.eflags() & Flags.CF, "CF kept");
        assertEquals(0, jit.stats().flagsInStateUnits, "INC reads the flag locals for CF: the unit loads them");
    }

    @Test
    void aConditionOnTheEntryFlagsReadsThem() {
        // jc taken on the entry's CF: mov ebx, 1 skipped; hlt
        Guest jit = endsAlike(asm().b(0x72, 0x05).b(0xBB).d(1).b(0xF4).bytes(), false);
        assertEquals(0, jit.cpu.state.gpr[CpuState.EBX]);
        assertEquals(0, jit.stats().flagsInStateUnits);
    }

    @Test
    void flagsSetInTheUnitGoToTheState() {
        // mov eax, 1; add eax, 1 (all six flags clear for 2); push eax; pop ebx; hlt
        Guest jit = endsAlike(asm().b(0xB8).d(1).b(0x83, 0xC0, 0x01, 0x50, 0x5B, 0xF4).bytes(), false);
        assertEquals(0, jit.cpu.state.eflags() & (Flags.CF | Flags.PF | Flags.AF | Flags.ZF | Flags.SF | Flags.OF));
        assertTrue(jit.stats().flagsInStateUnits >= 1);
    }
}
