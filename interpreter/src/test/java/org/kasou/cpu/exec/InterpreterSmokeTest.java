package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.StopReason;

class InterpreterSmokeTest {
    @Test
    void aluLoop() {
        GuestHarness h = GuestHarness.flat32();
        // mov ecx,100; xor eax,eax; L: add eax,3; sub eax,1; dec ecx; jnz L; hlt
        StopReason why = h.runToHlt("B9 64 00 00 00 31 C0 83 C0 03 83 E8 01 49 75 F7");
        assertEquals(StopReason.HALTED, why);
        assertEquals(200, h.r[CpuState.EAX]);
        assertEquals(0, h.r[CpuState.ECX]);
        assertEquals(2 + 4 * 100 + 1, h.cpu.instructions);
    }

    @Test
    void undefinedOpcodeFaultsAtItsAddress() {
        GuestHarness h = GuestHarness.flat32();
        // mov eax,1; ud2
        h.runToHlt("B8 01 00 00 00 0F 0B");
        assertEquals(CpuFault.UD, h.deliveredVector());
        assertEquals(GuestHarness.CODE + 5, h.read32(h.r[CpuState.ESP]));
        assertEquals(1, h.r[CpuState.EAX]);
    }
}
