package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.StopReason;

/**
 * DR0-DR3 breakpoints through instruction bytes (so on the JIT too when its module runs these
 * tests): instruction breakpoints fault before the instruction and RF lets IRET resume past them;
 * data breakpoints trap after the accessing instruction (SDM vol. 3, 17.2 and 17.3.1).
 */
class DebugBreakpointTest {
    final SysFixture f = new SysFixture();
    final CpuState s = f.s;
    static final int CODE = 0x5000, DB_HANDLER = 0x6000, DATA = 0x7000, STACK = 0x8000;
    static final int HLT = 0xF4, INC_EAX = 0x40, INC_ECX = 0x41, INC_EBX = 0x43, IRETD = 0xCF;
    /** DR7 RW and LEN fields. */
    static final int RW_WRITE = 1, RW_READ_WRITE = 3, LEN1 = 0, LEN2 = 1, LEN4 = 3;

    @BeforeEach
    void protectedModeWithADebugHandler() {
        f.protectedFlat();
        f.put(SysFixture.IDT + 8, SysFixture.gate(SysFixture.CODE0, DB_HANDLER, Descriptors.INT_GATE32, 0));
        s.gpr[CpuState.ESP] = STACK;
        s.eip = CODE;
    }

    private void code(int at, int... bytes) {
        for (int i = 0; i < bytes.length; i++) f.phys.write8(at + i, bytes[i]);
    }

    /** DR7 enabling breakpoint n locally with the given RW and LEN fields. */
    private static int enable(int n, int rw, int len) {
        return (1 << (2 * n)) | (rw << (16 + 4 * n)) | (len << (18 + 4 * n));
    }

    private int pushedEip() {
        return f.phys.read32(STACK - 12);
    }

    private int pushedEflags() {
        return f.phys.read32(STACK - 4);
    }

    @Test
    void instructionBreakpointFaultsBeforeTheInstruction() {
        code(CODE, INC_EAX, INC_EBX, HLT);
        code(DB_HANDLER, HLT);
        s.dr[0] = CODE + 1;
        s.dr[7] = 0x400 | enable(0, 0, LEN1);
        assertEquals(StopReason.HALTED, f.cpu.run(20));
        assertEquals(DB_HANDLER + 1, s.eip, "in the #DB handler");
        assertEquals(1, s.gpr[CpuState.EAX], "the instruction before ran");
        assertEquals(0, s.gpr[CpuState.EBX], "the instruction at the breakpoint did not");
        assertEquals(CODE + 1, pushedEip(), "a fault: the address of the instruction");
        assertEquals(Flags.RF, pushedEflags() & Flags.RF, "RF set in the pushed image");
        assertEquals(0x1, s.dr[6] & 0xF, "B0");
    }

    @Test
    void disabledBreakpointsDoNotMatch() {
        code(CODE, INC_EAX, INC_EBX, HLT);
        code(DB_HANDLER, HLT);
        s.dr[0] = CODE + 1;
        s.dr[7] = 0x400; // L0 and G0 clear
        assertEquals(StopReason.HALTED, f.cpu.run(20));
        assertEquals(CODE + 3, s.eip);
        assertEquals(1, s.gpr[CpuState.EBX]);
        assertEquals(0, s.dr[6] & 0xF);
    }

    @Test
    void rfInTheIretImageSuppressesTheBreakpointForOneInstruction() {
        // loop: inc ebx; dec edx; jnz loop; hlt. The breakpoint is on the loop's first instruction.
        code(CODE, INC_EBX, 0x4A, 0x75, 0xFC, HLT);
        code(DB_HANDLER, INC_ECX, IRETD);
        s.gpr[CpuState.EDX] = 3;
        s.dr[1] = CODE;
        s.dr[7] = 0x400 | (2 << 2); // G1
        assertEquals(StopReason.HALTED, f.cpu.run(100));
        assertEquals(CODE + 5, s.eip);
        assertEquals(3, s.gpr[CpuState.ECX], "one #DB per pass through the loop");
        assertEquals(3, s.gpr[CpuState.EBX], "each resumed instruction ran once");
        assertEquals(0x2, s.dr[6] & 0xF, "B1");
        assertEquals(0, s.eflagsRest & Flags.RF, "RF is cleared after the instruction it covers");
    }

    @Test
    void writeBreakpointTrapsAfterTheWrite() {
        // mov [DATA], eax; inc ebx; hlt
        code(CODE, 0xA3, 0x00, 0x70, 0x00, 0x00, INC_EBX, HLT);
        code(DB_HANDLER, HLT);
        s.gpr[CpuState.EAX] = 0x11223344;
        s.dr[0] = DATA + 2;
        s.dr[7] = 0x400 | enable(0, RW_WRITE, LEN1);
        assertEquals(StopReason.HALTED, f.cpu.run(20));
        assertEquals(DB_HANDLER + 1, s.eip, "in the #DB handler");
        assertEquals(0x11223344, f.phys.read32(DATA), "the write happened");
        assertEquals(CODE + 5, pushedEip(), "a trap: the address of the next instruction");
        assertEquals(0, s.gpr[CpuState.EBX]);
        assertEquals(0, pushedEflags() & Flags.RF, "a trap pushes RF clear");
        assertEquals(0x1, s.dr[6] & 0xF, "B0");
    }

    @Test
    void anUnwatchedAccessToTheSamePageDoesNotHideTheWatchedOne() {
        // mov [DATA + 0x100], eax; mov [DATA], eax; inc ebx; hlt
        code(CODE, 0xA3, 0x00, 0x71, 0x00, 0x00, 0xA3, 0x00, 0x70, 0x00, 0x00, INC_EBX, HLT);
        code(DB_HANDLER, HLT);
        s.dr[0] = DATA;
        s.dr[7] = 0x400 | enable(0, RW_WRITE, LEN4);
        assertEquals(StopReason.HALTED, f.cpu.run(20));
        assertEquals(DB_HANDLER + 1, s.eip, "in the #DB handler");
        assertEquals(CODE + 10, pushedEip(), "after the second write");
    }

    @Test
    void writeBreakpointIgnoresReads() {
        // mov eax, [DATA]; inc ebx; hlt
        code(CODE, 0xA1, 0x00, 0x70, 0x00, 0x00, INC_EBX, HLT);
        code(DB_HANDLER, HLT);
        f.phys.write32(DATA, 0x55);
        s.dr[0] = DATA;
        s.dr[7] = 0x400 | enable(0, RW_WRITE, LEN4);
        assertEquals(StopReason.HALTED, f.cpu.run(20));
        assertEquals(CODE + 7, s.eip, "ran to the end");
        assertEquals(0x55, s.gpr[CpuState.EAX]);
        assertEquals(0, s.dr[6] & 0xF);
    }

    /** Runs mov al, [addr]; hlt with DR3 watching two bytes at DATA + 4 for reads and writes. */
    private int readWatchedWord(int addr) {
        code(CODE, 0xA0, addr & 0xFF, (addr >>> 8) & 0xFF, 0x00, 0x00, HLT);
        code(DB_HANDLER, HLT);
        s.dr[3] = DATA + 4;
        s.dr[7] = 0x400 | enable(3, RW_READ_WRITE, LEN2);
        s.halted = false;
        s.eip = CODE;
        s.gpr[CpuState.ESP] = STACK;
        assertEquals(StopReason.HALTED, f.cpu.run(20));
        return s.eip;
    }

    @Test
    void readWriteBreakpointTrapsOnReadsWithinItsLength() {
        assertEquals(DB_HANDLER + 1, readWatchedWord(DATA + 5), "second byte of the watched word");
        assertEquals(CODE + 5, pushedEip());
        assertEquals(0x8, s.dr[6] & 0xF, "B3");
        s.dr[6] = 0xFFFF0FF0;
        assertEquals(CODE + 6, readWatchedWord(DATA + 6), "just past it");
        assertEquals(CODE + 6, readWatchedWord(DATA + 3), "just before it");
        assertEquals(0, s.dr[6] & 0xF);
    }

    @Test
    void fourByteBreakpointIgnoresTheLowAddressBitsAndCatchesOverlappingWrites() {
        // mov [DATA + 0xB], ax (a word write overlapping the last watched byte); hlt
        code(CODE, 0x66, 0xA3, 0x0B, 0x70, 0x00, 0x00, HLT);
        code(DB_HANDLER, HLT);
        s.dr[2] = DATA + 9; // LEN 4 watches DATA + 8 .. DATA + 11
        s.dr[7] = 0x400 | enable(2, RW_WRITE, LEN4);
        assertEquals(StopReason.HALTED, f.cpu.run(20));
        assertEquals(DB_HANDLER + 1, s.eip);
        assertEquals(CODE + 6, pushedEip());
        assertEquals(0x4, s.dr[6] & 0xF, "B2");
    }

    @Test
    void instructionFetchesDoNotHitDataBreakpoints() {
        code(CODE, INC_EAX, INC_EBX, HLT);
        code(DB_HANDLER, HLT);
        s.dr[0] = CODE + 1;
        s.dr[7] = 0x400 | enable(0, RW_READ_WRITE, LEN1);
        assertEquals(StopReason.HALTED, f.cpu.run(20));
        assertEquals(CODE + 3, s.eip);
        assertEquals(1, s.gpr[CpuState.EBX]);
    }

    @Test
    void movToDr7ArmsAWatchOnAPageAlreadyInTheTlb() {
        // mov [DATA], eax; mov dr7, ecx; mov [DATA], eax; inc ebx; hlt
        code(CODE, 0xA3, 0x00, 0x70, 0x00, 0x00, 0x0F, 0x23, 0xF9,
                0xA3, 0x00, 0x70, 0x00, 0x00, INC_EBX, HLT);
        code(DB_HANDLER, HLT);
        s.dr[0] = DATA;
        s.gpr[CpuState.ECX] = 0x400 | enable(0, RW_WRITE, LEN4);
        assertEquals(StopReason.HALTED, f.cpu.run(20));
        assertEquals(DB_HANDLER + 1, s.eip);
        assertEquals(CODE + 13, pushedEip(), "after the second write");
        assertEquals(0, s.gpr[CpuState.EBX]);
    }

    @Test
    void repeatedStringStoresAreWatchedToo() {
        // rep stosb over DATA .. DATA + 15; inc ebx; hlt
        code(CODE, 0xF3, 0xAA, INC_EBX, HLT);
        code(DB_HANDLER, HLT);
        s.gpr[CpuState.EDI] = DATA;
        s.gpr[CpuState.ECX] = 16;
        s.dr[0] = DATA + 12;
        s.dr[7] = 0x400 | enable(0, RW_WRITE, LEN1);
        assertEquals(StopReason.HALTED, f.cpu.run(20));
        assertEquals(DB_HANDLER + 1, s.eip);
        assertEquals(0x1, s.dr[6] & 0xF, "B0");
    }
}
