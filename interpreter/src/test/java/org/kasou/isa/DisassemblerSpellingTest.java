package org.kasou.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Tricky spellings, each checked against the text GNU objdump 2.40 prints for the same bytes
 * (src/test/resources/disasm/spellings.txt): SIB forms with eiz, absolute and moffs addresses,
 * segment overrides, far pointers, ENTER, string instructions with their REP prefixes, branch
 * targets from the address, x87 register forms, SSE with mandatory prefixes and compare
 * predicates, MMX, fences, unused-prefix names, 16-bit addressing and operand-size suffixes.
 */
class DisassemblerSpellingTest {

    static Stream<Arguments> cases() throws IOException {
        List<Arguments> list = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                DisassemblerSpellingTest.class.getResourceAsStream("/disasm/spellings.txt"), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] parts = line.split("\t", 2);
                String[] head = parts[0].split(" ");
                list.add(Arguments.of(Integer.parseInt(head[0]), Long.parseLong(head[1], 16), head[2], parts[1]));
            }
        }
        return list.stream();
    }

    @ParameterizedTest(name = "{0}-bit {2}: {3}")
    @MethodSource("cases")
    void spellsAsObjdump(int bits, long address, String hex, String expected) {
        byte[] code = new byte[hex.length() / 2];
        for (int i = 0; i < code.length; i++) {
            code[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        Disassembler d = new Disassembler(bits);
        int len = d.disassemble(code, 0, code.length, address);
        assertEquals(expected, d.text());
        assertEquals(code.length, len, "instruction length");
    }
}
