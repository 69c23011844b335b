package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;
import static org.kasou.embed.Guests.bytes;

import java.util.List;
import org.junit.jupiter.api.Test;

class DisassemblyTest {
    @Test
    void disassemblesBytesInObjdumpSpelling() {
        List<Instruction> l = Disassembly.disassemble(bytes(0x55, 0x89, 0xE5, 0x8B, 0x45, 0x08, 0xC3), 0x401000, 32);
        assertEquals(3 + 0, l.size() - 1);
        assertEquals("push   ebp", l.get(0).text());
        assertEquals("mov    ebp,esp", l.get(1).text());
        assertEquals("mov", l.get(1).mnemonic());
        assertEquals("ebp,esp", l.get(1).operands());
        assertEquals("mov    eax,DWORD PTR [ebp+0x8]", l.get(2).text());
        assertEquals(0x401003, l.get(2).address());
        assertEquals("  401003:\t8b 45 08\tmov    eax,DWORD PTR [ebp+0x8]", l.get(2).toString());
        assertEquals("ret", l.get(3).text());
    }

    @Test
    void sixteenBitCodeAndUndefinedBytes() {
        List<Instruction> l = Disassembly.disassemble(bytes(0xB8, 0x34, 0x12, 0x0F, 0xFF), 0, 16);
        assertEquals("mov    ax,0x1234", l.get(0).text());
        assertEquals("(bad)", l.get(1).text().trim());
        assertThrows(IllegalArgumentException.class, () -> Disassembly.disassemble(bytes(0x90), 0, 64));
    }

    @Test
    void disassemblesFromAnEnginesMemoryUpToTheEndOfTheMapping() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        e.map(0x1000, 0x1000, Perm.ALL);
        e.write(0x1FFC, bytes(0x90, 0x31, 0xC0, 0xC3));
        List<Instruction> l = e.disassemble(0x1FFC, 10);
        assertEquals(List.of("nop", "xor    eax,eax", "ret"), l.stream().map(Instruction::text).toList());
        assertThrows(IllegalArgumentException.class, () -> e.disassemble(0x5000, 1));
    }
}
