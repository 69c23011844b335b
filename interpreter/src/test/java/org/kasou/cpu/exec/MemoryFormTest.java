package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kasou.cpu.CpuState.EAX;
import static org.kasou.cpu.CpuState.EBX;
import static org.kasou.cpu.CpuState.ECX;
import static org.kasou.cpu.CpuState.EDI;
import static org.kasou.cpu.CpuState.EDX;
import static org.kasou.cpu.CpuState.ESI;
import static org.kasou.cpu.CpuState.ESP;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;
import org.kasou.isa.HandlerSelector;
import org.kasou.isa.Handlers;

/**
 * The interpreter's fast forms for memory operands and for the forms compiled C uses (SETcc, MUL,
 * NOT/NEG, 16-bit moves, shifts and INC/DEC of memory, IMUL from memory, TEST of memory, CDQ):
 * which handler the decoder picks, what each computes, and that a fault in the middle of one
 * leaves registers, memory and flags as they were before it.
 */
class MemoryFormTest {
    static final int CODE = GuestHarness.CODE;

    private static int handlerOf(String hex) {
        byte[] b = GuestHarness.hex(hex);
        DecodedInsn d = new DecodedInsn();
        new Decoder().decode(d, Decoder.ofArray(b, 0), 0, true);
        HandlerSelector.select(d);
        return d.handler;
    }

    @Test
    void decoderPicksTheFastForms() {
        assertEquals(Handlers.INCDEC_M32, handlerOf("FF 05 00 00 05 00"));
        assertEquals(Handlers.INCDEC_M32, handlerOf("FF 0D 24 00 04 00"));
        assertEquals(Handlers.SHIFT_M32, handlerOf("D1 25 00 00 05 00"));
        assertEquals(Handlers.SHIFT_M32, handlerOf("D3 2D 10 00 04 00"));
        assertEquals(Handlers.SETCC_M8, handlerOf("0F 94 05 00 00 05 00"));
        assertEquals(Handlers.SETCC_R8, handlerOf("0F 9C C0"));
        assertEquals(Handlers.MUL_32, handlerOf("F7 25 04 00 04 00"));
        assertEquals(Handlers.MUL_32, handlerOf("F7 E3"));
        assertEquals(Handlers.NOT_R32, handlerOf("F7 D3"));
        assertEquals(Handlers.NEG_R32, handlerOf("F7 D9"));
        assertEquals(Handlers.MOV_RM16, handlerOf("66 8B 15 08 00 04 00"));
        assertEquals(Handlers.MOV_MR16, handlerOf("66 89 15 0C 00 04 00"));
        assertEquals(Handlers.MOV_MI16, handlerOf("66 C7 05 0E 00 04 00 34 12"));
        assertEquals(Handlers.IMUL_RM32, handlerOf("0F AF 35 18 00 04 00"));
        assertEquals(Handlers.IMUL_RMI32, handlerOf("6B 3D 18 00 04 00 07"));
        assertEquals(Handlers.TEST_M32, handlerOf("85 05 1C 00 04 00"));
        assertEquals(Handlers.TEST_M8, handlerOf("F6 05 1C 00 04 00 80"));
        assertEquals(Handlers.CDQ, handlerOf("99"));
        // LOCK on a memory read-modify-write stays on the generic path
        assertEquals(Handlers.GENERIC, handlerOf("F0 FF 05 00 00 05 00"));
    }

    @Test
    void computesLikeTheInstructions() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x40004, 0x10000001);
        h.phys.write32(0x40008, 0xBEEF);
        h.phys.write32(0x40010, 0x80000000);
        h.phys.write32(0x40014, 0xE0000001);
        h.phys.write32(0x40018, -3);
        h.phys.write32(0x4001C, 0x80);
        h.phys.write32(0x40020, 0x7FFFFFFF);
        h.phys.write32(0x40024, 1);
        h.r[EAX] = 0x30;
        h.r[EBX] = 0x0F0F0F0F;
        h.r[ECX] = 4;
        h.r[ESI] = 5;
        h.r[EDX] = 0x11110000;
        h.runToHlt("39 C0" /* cmp eax,eax: ZF=1, not less */
                + " 0F 9C C0" /* setl al */
                + " 0F 94 05 00 00 04 00" /* setz byte [0x40000] */
                + " 8B C3 B8 30 00 00 00" /* mov eax,ebx; mov eax,0x30 */
                + " F7 25 04 00 04 00" /* mul dword [0x40004]: edx:eax = 0x30 * 0x10000001 */
                + " 89 C7" /* mov edi,eax (saved) */
                + " F7 D3" /* not ebx */
                + " F7 D9" /* neg ecx */
                + " 66 8B 15 08 00 04 00" /* mov dx,[0x40008] */
                + " 66 89 15 0C 00 04 00" /* mov [0x4000c],dx */
                + " 66 C7 05 0E 00 04 00 34 12" /* mov word [0x4000e],0x1234 */
                + " B1 04 D3 2D 10 00 04 00" /* mov cl,4; shr dword [0x40010],cl */
                + " C1 05 14 00 04 00 03" /* rol dword [0x40014],3 */
                + " 0F AF 35 18 00 04 00" /* imul esi,[0x40018] */
                + " 89 FD" /* mov ebp,edi */
                + " 6B 3D 18 00 04 00 07" /* imul edi,[0x40018],7 */
                + " FF 05 20 00 04 00" /* inc dword [0x40020] */
                + " FF 0D 24 00 04 00" /* dec dword [0x40024] */
                + " 85 05 1C 00 04 00" /* test dword [0x4001c],eax (0x80 & eax) */
                + " 99" /* cdq */);
        assertEquals(1, h.phys.read8(0x40000));
        assertEquals(0x30, h.r[CpuState.EBP]); // MUL's low half
        assertEquals(0xF0F0F0F0, h.r[EBX]);
        assertEquals(0xBEEF, h.phys.read16(0x4000C));
        assertEquals(0x1234, h.phys.read16(0x4000E));
        assertEquals(0x08000000, h.phys.read32(0x40010));
        assertEquals(0x0000000F, h.phys.read32(0x40014));
        assertEquals(-15, h.r[ESI]);
        assertEquals(-21, h.r[EDI]);
        assertEquals(0x80000000, h.phys.read32(0x40020));
        assertEquals(0, h.phys.read32(0x40024));
        // DEC to 0 then TEST: ZF from the TEST (0x80 & 0x30 = 0), CDQ of a positive EAX
        assertEquals(0, h.r[EDX]);
        assertEquals(Flags.ZF, h.s.eflags() & Flags.ZF);
    }

    @Test
    void cdqAndSubRegisterMovesKeepTheOtherBits() {
        GuestHarness h = GuestHarness.flat32();
        h.phys.write32(0x40008, 0xBEEF);
        h.r[EAX] = 0x80000000;
        h.r[EDX] = 0x11110000;
        h.r[EBX] = 0x22222222;
        h.runToHlt("99" /* cdq */ + " 66 8B 1D 08 00 04 00" /* mov bx,[0x40008] */ + " 0F 9C C1" /* setl cl */);
        assertEquals(-1, h.r[EDX]);
        assertEquals(0x2222BEEF, h.r[EBX]);
    }

    /** A memory form whose write faults (read-only page): flags, registers and memory as before it. */
    @ParameterizedTest
    @CsvSource({
        "FF 05 00 00 05 00, inc dword [0x50000]",
        "FF 0D 00 00 05 00, dec dword [0x50000]",
        "D1 25 00 00 05 00, shl dword [0x50000] 1",
        "D3 05 00 00 05 00, rol dword [0x50000] cl",
        "0F 94 05 00 00 05 00, setz byte [0x50000]",
        "66 89 05 00 00 05 00, mov word [0x50000] ax",
        "66 C7 05 00 00 05 00 34 12, mov word [0x50000] 0x1234",
    })
    void faultingWriteLeavesEverythingAsBefore(String code, String what) {
        GuestHarness h = GuestHarness.flat32().paging().pte(0x50000, 5); // present, read-only, user
        h.s.cr0 |= CpuState.CR0_WP;
        h.phys.write32(0x50000, 0x80000000);
        h.r[EAX] = 0xAAAA5555;
        h.r[ECX] = 1;
        h.runToHlt("B8 55 55 AA AA F9 " + code /* mov eax,0xaaaa5555; stc; <form> */);
        assertEquals(14, h.deliveredVector(), what);
        assertEquals(3, h.read32(h.r[ESP]), what); // present | write
        assertEquals(CODE + 6, FaultAndRunLoopTest.pushedEip(h, true), what);
        assertEquals(0x80000000, h.phys.read32(0x50000), what);
        assertEquals(0xAAAA5555, h.r[EAX], what);
        assertEquals(1, h.r[ECX], what);
        // the frame's EFLAGS image has STC's CF and no result flags of the faulting instruction
        assertEquals(Flags.CF, h.read32(h.r[ESP] + 12) & (Flags.CF | Flags.ZF | Flags.SF | Flags.OF), what);
    }

    /** A memory form whose read faults (not present): the destination registers as before it. */
    @ParameterizedTest
    @CsvSource({
        "F7 25 00 00 05 00, mul dword [0x50000]",
        "0F AF 05 00 00 05 00, imul eax [0x50000]",
        "6B 15 00 00 05 00 07, imul edx [0x50000] 7",
        "66 8B 05 00 00 05 00, mov ax [0x50000]",
        "85 05 00 00 05 00, test dword [0x50000] eax",
        "F6 05 00 00 05 00 80, test byte [0x50000] 0x80",
        "8B 05 00 00 05 00, mov eax [0x50000]",
        "0F B6 05 00 00 05 00, movzx eax byte [0x50000]",
    })
    void faultingReadLeavesEverythingAsBefore(String code, String what) {
        GuestHarness h = GuestHarness.flat32().paging().pte(0x50000, 0);
        h.r[EDX] = 0x12345678;
        h.runToHlt("B8 55 55 AA AA F9 " + code);
        assertEquals(14, h.deliveredVector(), what);
        assertEquals(0, h.read32(h.r[ESP]), what); // not present, read
        assertEquals(CODE + 6, FaultAndRunLoopTest.pushedEip(h, true), what);
        assertEquals(0xAAAA5555, h.r[EAX], what);
        assertEquals(0x12345678, h.r[EDX], what);
        assertEquals(Flags.CF, h.read32(h.r[ESP] + 12) & (Flags.CF | Flags.ZF | Flags.SF | Flags.OF), what);
    }
}
