package org.kasou.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.Segment;

class DecoderTest {
    private final Decoder decoder = new Decoder();
    private final DecodedInsn d = new DecodedInsn();

    private static byte[] hex(String s) {
        String[] t = s.trim().split("\\s+");
        byte[] b = new byte[t.length];
        for (int i = 0; i < t.length; i++) b[i] = (byte) Integer.parseInt(t[i], 16);
        return b;
    }

    private DecodedInsn dec32(String bytes) {
        return dec(bytes, 0x1000, true);
    }

    private DecodedInsn dec16(String bytes) {
        return dec(bytes, 0x100, false);
    }

    private DecodedInsn dec(String bytes, int eip, boolean code32) {
        decoder.decode(d, Decoder.ofArray(hex(bytes), eip), eip, code32);
        HandlerSelector.select(d); // the form, chosen after decoding
        return d;
    }

    @Test
    void registerAluForm() {
        dec32("01 D8"); // add eax,ebx
        assertEquals(Op.ADD, d.op);
        assertEquals(2, d.len);
        assertEquals(DecodedInsn.LOC_REG, d.dst);
        assertEquals(0, d.dstReg);
        assertEquals(DecodedInsn.LOC_REG, d.src);
        assertEquals(3, d.srcReg);
        assertEquals(4, d.dstSize);
        assertEquals(Handlers.ADD_RR32, d.handler);
        assertEquals(0, d.aux);
        assertEquals("add", d.mnemonic());
    }

    @Test
    void sibWithEspBaseDefaultsToSs() {
        dec32("8B 44 24 08"); // mov eax,[esp+8]
        assertEquals(Op.MOV, d.op);
        assertEquals(4, d.len);
        assertEquals(4, d.eaBase);
        assertEquals(-1, d.eaIndex);
        assertEquals(8, d.eaDisp);
        assertEquals(Segment.SS, d.eaSeg);
        assertEquals(Handlers.MOV_RM32, d.handler);
    }

    @Test
    void sibIndexOnlyWithDisp32() {
        dec32("8B 04 8D 00 10 00 00"); // mov eax,[ecx*4+0x1000]
        assertEquals(7, d.len);
        assertEquals(-1, d.eaBase);
        assertEquals(1, d.eaIndex);
        assertEquals(2, d.eaScale);
        assertEquals(0x1000, d.eaDisp);
        assertEquals(Segment.DS, d.eaSeg);
    }

    @Test
    void ebpBaseNeedsDisplacement() {
        dec32("8B 45 F0"); // mov eax,[ebp-0x10]
        assertEquals(3, d.len);
        assertEquals(5, d.eaBase);
        assertEquals(-16, d.eaDisp);
        assertEquals(Segment.SS, d.eaSeg);
        dec32("8B 05 78 56 34 12"); // mov eax,[0x12345678]
        assertEquals(6, d.len);
        assertEquals(-1, d.eaBase);
        assertEquals(0x12345678, d.eaDisp);
    }

    @Test
    void sixteenBitAddressing() {
        dec16("8B 42 FE"); // mov ax,[bp+si-2]
        assertEquals(3, d.len);
        assertEquals(2, d.opSize);
        assertEquals(2, d.addrSize);
        assertEquals(5, d.eaBase);
        assertEquals(6, d.eaIndex);
        assertEquals(-2, d.eaDisp);
        assertEquals(Segment.SS, d.eaSeg);
        dec16("26 8B 07"); // mov ax,es:[bx]
        assertEquals(3, d.eaBase);
        assertEquals(Segment.ES, d.eaSeg);
        dec16("8B 1E 34 12"); // mov bx,[0x1234]
        assertEquals(4, d.len);
        assertEquals(-1, d.eaBase);
        assertEquals(0x1234, d.eaDisp);
        assertEquals(Segment.DS, d.eaSeg);
        dec16("67 8B 04 24"); // mov ax,[esp] with 32-bit addressing in 16-bit code
        assertEquals(4, d.addrSize);
        assertEquals(4, d.eaBase);
        assertEquals(Segment.SS, d.eaSeg);
    }

    @Test
    void operandSizePrefix() {
        dec32("66 B8 34 12"); // mov ax,0x1234
        assertEquals(4, d.len);
        assertEquals(2, d.opSize);
        assertEquals(2, d.dstSize);
        assertEquals(0x1234, d.imm);
        dec16("66 B8 78 56 34 12"); // mov eax,0x12345678 in 16-bit code
        assertEquals(6, d.len);
        assertEquals(4, d.opSize);
        assertEquals(0x12345678, d.imm);
        assertEquals(Handlers.MOV_RI32, d.handler);
    }

    @Test
    void signExtendedImmediates() {
        dec32("83 C0 FF");
        assertEquals(Op.ADD, d.op);
        assertEquals(0xFFFFFFFF, d.imm);
        dec16("83 C0 FF");
        assertEquals(0xFFFF, d.imm);
        dec32("6A 80");
        assertEquals(Op.PUSH, d.op);
        assertEquals(0xFFFFFF80, d.imm);
        dec32("6B C1 FE"); // imul eax,ecx,-2
        assertEquals(Op.IMUL, d.op);
        assertEquals(0xFFFFFFFE, d.imm);
        assertEquals(DecodedInsn.LOC_IMM, d.third);
    }

    @Test
    void repeatAndMandatoryPrefixes() {
        dec32("F3 A5");
        assertEquals(Op.MOVS, d.op);
        assertEquals(DecodedInsn.P_REP, d.rep);
        assertEquals(4, d.dstSize);
        dec32("F2 AE");
        assertEquals(Op.SCAS, d.op);
        assertEquals(DecodedInsn.P_REPNE, d.rep);
        dec32("F3 90");
        assertEquals(Op.PAUSE, d.op);
        assertEquals(0, d.rep);
        dec32("66 90");
        assertEquals(Op.NOP, d.op);
        dec32("F2 F3 A4"); // the last repeat prefix wins
        assertEquals(DecodedInsn.P_REP, d.rep);
    }

    @Test
    void relativeBranchTargets() {
        dec("E8 00 00 00 00", 0x1000, true);
        assertEquals(0x1005, d.target);
        assertEquals(Handlers.CALL_REL32, d.handler);
        dec("EB FE", 0x10, true);
        assertEquals(0x10, d.target);
        dec("E9 FD FF", 0xFFF0, false); // wraps at 64 KiB with a 16-bit operand size
        assertEquals((0xFFF3 - 3) & 0xFFFF, d.target);
        dec("E9 10 00", 0xFFF0, false);
        assertEquals(0x0003, d.target);
        dec("66 E9 00 00 02 00", 0x100, false);
        assertEquals(0x20106, d.target);
        dec("0F 85 00 01 00 00", 0x1000, true);
        assertEquals(Op.JCC, d.op);
        assertEquals(5, d.cc);
        assertEquals(0x1106, d.target);
        dec("66 0F 84 00 01", 0xFFF0, true); // 16-bit operand size in 32-bit code: EIP is masked
        assertEquals((0xFFF5 + 0x100) & 0xFFFF, d.target);
    }

    @Test
    void immediatesInOperandOrder() {
        dec32("C8 10 00 02"); // enter 0x10,2
        assertEquals(Op.ENTER, d.op);
        assertEquals(0x10, d.imm);
        assertEquals(2, d.imm2);
        dec32("EA 78 56 34 12 08 00");
        assertEquals(Op.JMP_FAR, d.op);
        assertEquals(0x12345678, d.imm);
        assertEquals(8, d.imm2);
        assertEquals(7, d.len);
        dec16("9A 34 12 00 F0");
        assertEquals(Op.CALL_FAR, d.op);
        assertEquals(0x1234, d.imm);
        assertEquals(0xF000, d.imm2);
        dec32("A1 44 33 22 11");
        assertEquals(DecodedInsn.LOC_MEM, d.src);
        assertEquals(0x11223344, d.eaDisp);
        dec32("64 A3 44 33 22 11");
        assertEquals(DecodedInsn.LOC_MEM, d.dst);
        assertEquals(Segment.FS, d.eaSeg);
        dec32("C7 44 24 04 01 00 00 00"); // mov dword [esp+4],1
        assertEquals(8, d.len);
        assertEquals(1, d.imm);
        assertEquals(Handlers.MOV_MI32, d.handler);
    }

    @Test
    void controlRegistersIgnoreMod() {
        dec32("0F 20 C0");
        assertEquals(Op.MOV_FROM_CR, d.op);
        assertEquals(DecodedInsn.LOC_REG, d.dst);
        assertEquals(DecodedInsn.LOC_CREG, d.src);
        dec32("0F 22 18"); // mod 0 still means a register: mov cr3,eax, no displacement
        assertEquals(Op.MOV_TO_CR, d.op);
        assertEquals(3, d.len);
        assertEquals(3, d.dstReg);
        assertEquals(0, d.srcReg);
    }

    @Test
    void undocumentedAliases() {
        dec32("D6");
        assertEquals(Op.SALC, d.op);
        dec32("82 C0 01");
        assertEquals(Op.ADD, d.op);
        assertEquals(1, d.dstSize);
        dec32("F6 C8 05"); // F6 /1 = TEST
        assertEquals(Op.TEST, d.op);
        assertEquals(5, d.imm);
        assertEquals(3, d.len);
        dec32("C1 F0 03"); // /6 = SHL
        assertEquals(Op.SHL, d.op);
        assertEquals(6, d.reg);
        dec32("8F C0");
        assertEquals(Op.POP, d.op);
        dec32("8F C8"); // 8F /1 is undefined
        assertEquals(DecodedInsn.BAD, d.status);
        assertEquals(Handlers.UD, d.handler);
    }

    @Test
    void memoryOnlyFormsRejectRegisters() {
        dec32("8D C0");
        assertEquals(DecodedInsn.BAD, d.status);
        dec32("0F C7 C8");
        assertEquals(DecodedInsn.BAD, d.status);
        dec32("0F C7 0E");
        assertEquals(Op.CMPXCHG8B, d.op);
        dec32("C4 C0"); // LES with a register operand
        assertEquals(DecodedInsn.BAD, d.status);
        dec32("FF D8"); // call far with a register operand
        assertEquals(DecodedInsn.BAD, d.status);
    }

    @Test
    void undefinedOpsRaiseUd() {
        dec32("0F 0B");
        assertEquals(Op.UD2, d.op);
        assertEquals(Handlers.UD, d.handler);
        dec32("0F FF");
        assertEquals(DecodedInsn.BAD, d.status);
        assertNull(d.form);
    }

    @Test
    void lockOnlyOnLockableMemoryDestinations() {
        dec32("F0 01 C3");
        assertEquals(Handlers.UD, d.handler);
        dec32("F0 01 03");
        assertNotEquals(Handlers.UD, d.handler);
        assertTrue(d.lock);
        dec32("F0 8B 03"); // lock mov
        assertEquals(Handlers.UD, d.handler);
        dec32("F0 0F C7 0E");
        assertNotEquals(Handlers.UD, d.handler);
    }

    @Test
    void fifteenByteLimit() {
        dec32("66 66 66 66 66 66 66 66 66 66 66 66 66 66 90");
        assertEquals(DecodedInsn.OK, d.status);
        assertEquals(15, d.len);
        dec32("66 66 66 66 66 66 66 66 66 66 66 66 66 66 66 90");
        assertEquals(DecodedInsn.TOO_LONG, d.status);
        assertEquals(Handlers.GP0, d.handler);
        dec32("66 66 66 66 66 66 66 66 66 66 81 84 88 00 00 00 00 00 00 00 00"); // 21 bytes
        assertEquals(DecodedInsn.TOO_LONG, d.status);
    }

    @Test
    void truncatedInput() {
        dec32("8B");
        assertEquals(DecodedInsn.TRUNCATED, d.status);
        dec32("B8 01 02");
        assertEquals(DecodedInsn.TRUNCATED, d.status);
    }

    @Test
    void mnemonicsBySize() {
        dec16("98");
        assertEquals("cbw", d.mnemonic());
        dec32("98");
        assertEquals("cwde", d.mnemonic());
        dec32("E3 00");
        assertEquals("jecxz", d.mnemonic());
        dec32("67 E3 00");
        assertEquals("jcxz", d.mnemonic());
    }

    @Test
    void everyOneByteOpcodeOutsidePrefixesAndEscapesIsDefined() {
        InstructionTable t = InstructionTable.get();
        List<String> missing = new ArrayList<>();
        for (int op = 0; op < 256; op++) {
            boolean prefixOrEscape = op == 0x0F || op == 0x26 || op == 0x2E || op == 0x36 || op == 0x3E
                    || op == 0x64 || op == 0x65 || op == 0x66 || op == 0x67 || op == 0xF0 || op == 0xF2 || op == 0xF3
                    || (op >= 0xD8 && op <= 0xDF);
            if (!prefixOrEscape && !t.defined(0, op)) missing.add(Integer.toHexString(op));
        }
        assertEquals(List.of(), missing);
    }

    @Test
    void flagsOfRows() {
        dec32("11 C0"); // adc reads CF and writes all six
        assertEquals(org.kasou.cpu.Flags.CF, d.form.flagsRead);
        assertEquals(org.kasou.cpu.Flags.ARITH, d.form.flagsWritten);
        dec32("21 C0"); // and leaves AF undefined
        assertEquals(org.kasou.cpu.Flags.AF, d.form.flagsUndefined);
        dec32("0F 4E C1"); // cmovle reads ZF, SF, OF
        assertEquals(org.kasou.cpu.Flags.ZF | org.kasou.cpu.Flags.SF | org.kasou.cpu.Flags.OF, d.form.flagsRead);
        assertFalse(d.form.has(InsnForm.END));
    }

    @Test
    void decodingDoesNotAllocate() {
        byte[] code = hex("8B 44 24 08");
        Decoder.ByteSource src = Decoder.ofArray(code, 0);
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        for (int i = 0; i < 20000; i++) decoder.decode(d, src, 0, true);
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < 10000; i++) decoder.decode(d, src, 0, true);
        long after = mx.getCurrentThreadAllocatedBytes();
        assertTrue(after - before < 4096, "allocated " + (after - before) + " bytes");
    }
}
