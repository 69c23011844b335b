package org.kasou.isa;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Random encodings of every row of the instruction table (random ModRM, SIB, displacement and
 * immediate bytes; for integer rows also random 66, 67, segment, LOCK and REP prefixes), disassembled
 * by kasou and by GNU objdump at the same offsets: lengths and texts must agree. Runs only where
 * objdump is installed. Not generated: the 0F 1A..1C hint NOPs, where objdump decodes MPX and
 * CLDEMOTE, which a P6-class table keeps as NOPs.
 */
class DisassemblerFuzzTest {
    private static final Pattern LINE = Pattern.compile("^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} )+)\\s*(?:\\t(.*))?$");
    private static final int[] PREFIXES = {0x66, 0x67, 0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65, 0xF0, 0xF2, 0xF3};

    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}-bit code, prefixes {1}")
    @CsvSource({"32, false", "16, false", "32, true", "16, true"})
    void agreesWithObjdumpOnRandomEncodings(int bits, boolean prefixes) throws Exception {
        Random random = new Random(bits * 31L + (prefixes ? 7 : 0) + Long.getLong("kasou.fuzz.seed", 0));
        byte[] code = generate(random, bits, prefixes, 6000);
        Path bin = tmp.resolve("fuzz.bin");
        Files.write(bin, code);
        Process p;
        try {
            p = new ProcessBuilder("objdump", "-D", "-b", "binary", "-m", bits == 16 ? "i8086" : "i386", "-M", "intel",
                    bin.toString()).redirectErrorStream(true).start();
        } catch (java.io.IOException notInstalled) {
            Assumptions.abort("objdump is not installed");
            return;
        }
        List<long[]> spans = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String s; (s = r.readLine()) != null; ) {
                Matcher m = LINE.matcher(s);
                if (!m.matches()) continue;
                int len = m.group(2).length() / 3;
                if (m.group(3) == null) {
                    spans.get(spans.size() - 1)[1] += len;
                    continue;
                }
                spans.add(new long[] {Long.parseLong(m.group(1), 16), len});
                texts.add(m.group(3).strip());
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Disassembler dis = new Disassembler(bits);
        List<String> mismatches = new ArrayList<>();
        for (int i = 0; i < spans.size(); i++) {
            int off = (int) spans.get(i)[0];
            int len = dis.disassemble(code, off, code.length, off);
            String od = texts.get(i);
            if (len == spans.get(i)[1] && dis.text().equals(od)) continue;
            StringBuilder hex = new StringBuilder();
            for (int k = 0; k < Math.max(len, spans.get(i)[1]) && off + k < code.length; k++) {
                hex.append(String.format("%02x ", code[off + k] & 0xFF));
            }
            mismatches.add(String.format("%x: ", off) + hex + "objdump [" + od + "] kasou [" + dis.text() + "]"
                    + (i > 0 ? " after [" + texts.get(i - 1) + "]" : ""));
        }
        assertTrue(spans.size() > 5000, "instructions compared: " + spans.size());
        // exact with the binutils these spellings were checked against; other versions spell a few
        // rare encodings differently, so there only a 99% floor holds
        int allowed = objdumpVersion().startsWith("2.40") ? 0 : spans.size() / 100;
        assertTrue(mismatches.size() <= allowed, () -> mismatches.size() + " of " + spans.size() + " differ, e.g. "
                + mismatches.subList(0, Math.min(20, mismatches.size())));
    }

    /** The version of the objdump on the path, e.g. "2.40", or "" when it cannot be told. */
    private static String objdumpVersion() throws Exception {
        Process p = new ProcessBuilder("objdump", "--version").redirectErrorStream(true).start();
        String first = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().findFirst().orElse("");
        p.waitFor(10, TimeUnit.SECONDS);
        Matcher m = Pattern.compile("(\\d+\\.\\d+(?:\\.\\d+)?)\\s*$").matcher(first);
        return m.find() ? m.group(1) : "";
    }

    /** Concatenated random encodings of random table rows, each as long as kasou decodes it. */
    private static byte[] generate(Random r, int bits, boolean withPrefixes, int count) {
        List<InsnForm> forms = InstructionTable.get().forms();
        Disassembler dis = new Disassembler(bits);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[32];
        for (int n = 0; n < count; n++) {
            InsnForm f = forms.get(r.nextInt(forms.size()));
            if (f.map == 1 && f.opcode >= 0x1A && f.opcode <= 0x1C) continue; // objdump: MPX, CLDEMOTE
            int p = 0;
            if (withPrefixes && prefixable(f)) {
                boolean seg = false;
                for (int k = r.nextInt(3); k > 0; k--) {
                    int pre = PREFIXES[r.nextInt(PREFIXES.length)];
                    if (pre == 0xF0 && f.map == 1 && (f.opcode == 0x20 || f.opcode == 0x22)) continue; // AMD's CR8 alias
                    // objdump reads F2/F3 as an opcode extension wherever some row has a mandatory prefix
                    if (pre >= 0xF2 && InstructionTable.get().hasMandatoryPrefix(f.map, f.opcode)) continue;
                    boolean isSeg = (pre & 0xE7) == 0x26 || pre == 0x64 || pre == 0x65;
                    if (isSeg && seg && (f.op == Op.JMP_IND || f.op == Op.CALL_IND)) continue; // notrack with two overrides
                    seg |= isSeg;
                    b[p++] = (byte) pre;
                }
            }
            switch (f.prefix) {
                case InsnForm.PFX_66: b[p++] = 0x66; break;
                case InsnForm.PFX_F3: b[p++] = (byte) 0xF3; break;
                case InsnForm.PFX_F2: b[p++] = (byte) 0xF2; break;
                default: break;
            }
            if (f.map >= 1) b[p++] = 0x0F;
            if (f.map == 2) b[p++] = 0x38;
            if (f.map == 3) b[p++] = 0x3A;
            b[p++] = (byte) f.opcode;
            if (f.modrm) {
                int mod = f.mod == InsnForm.MOD_REG || f.rm >= 0 ? 3 : f.mod == InsnForm.MOD_MEM ? r.nextInt(3) : r.nextInt(4);
                int reg = f.reg >= 0 ? f.reg : r.nextInt(8);
                int rm = f.rm >= 0 ? f.rm : r.nextInt(8);
                b[p++] = (byte) (mod << 6 | reg << 3 | rm);
            }
            for (int i = 0; i < 12; i++) {
                b[p + i] = (byte) (r.nextInt(3) == 0 ? r.nextInt(256) : r.nextInt(3) == 0 ? 0xFF : r.nextInt(16));
            }
            int len = dis.disassemble(b, 0, b.length, 0);
            if (dis.decoded().status == DecodedInsn.OK) out.write(b, 0, len);
        }
        return out.toByteArray();
    }

    /**
     * Rows that take random prefixes: integer instructions, except where objdump reads a prefix as
     * part of a newer encoding (F3 0F 09 WBNOINVD) or FWAIT, which objdump merges with what follows.
     */
    private static boolean prefixable(InsnForm f) {
        if (f.op.decodeOnly() || f.op == Op.X87 || f.op == Op.WAIT) return false;
        return !(f.map == 1 && f.opcode == 0x09);
    }
}
