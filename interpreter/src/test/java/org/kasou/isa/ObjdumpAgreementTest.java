package org.kasou.isa;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The disassembler against GNU objdump on the .text section of real gcc -m32 builds of a C program
 * (src/test/resources/disasm: subject.c and build.sh), and on gcc -m16 builds of it as 16-bit
 * code. objdump runs at test time when it is
 * installed; otherwise the listing committed next to each binary is used. Every instruction
 * boundary must agree, and the mnemonic of at least 99% of the instructions; the test also
 * reports the share of instructions whose whole text agrees.
 */
class ObjdumpAgreementTest {
    /** Agreement of one listing: counts and the first disagreements. */
    record Agreement(int instructions, int boundaryMismatches, int mnemonicMatches, int textMatches, List<String> samples) {
        double mnemonicShare() {
            return instructions == 0 ? 0 : (double) mnemonicMatches / instructions;
        }

        double textShare() {
            return instructions == 0 ? 0 : (double) textMatches / instructions;
        }
    }

    @TempDir
    Path tmp;

    @ParameterizedTest
    @ValueSource(strings = {"subject-x87", "subject-sse", "subject-sse-o3"})
    void agreesWithObjdump(String name) throws Exception {
        byte[] elf = resource("/disasm/" + name);
        Path file = tmp.resolve(name);
        Files.write(file, elf);
        String live = ObjdumpListing.run(file);
        List<ObjdumpListing.Line> listing = live != null ? ObjdumpListing.parse(live)
                : ObjdumpListing.parseGzipResource("/disasm/" + name + ".lst.gz");
        Agreement a = compare(ElfText.of(elf), listing, 40);
        System.out.printf("%s (%s objdump): %d instructions, %d boundary mismatches, mnemonics %d/%d (%s%%), full text %d/%d (%s%%)%n",
                name, live != null ? "live" : "committed", a.instructions(), a.boundaryMismatches(),
                a.mnemonicMatches(), a.instructions(), pct(a.mnemonicShare()), a.textMatches(), a.instructions(),
                pct(a.textShare()));
        a.samples().forEach(s -> System.out.println("  " + s));
        assertTrue(a.instructions() > 2000, "the subject has a few thousand instructions");
        assertEquals(0, a.boundaryMismatches(), () -> "boundary mismatches: " + a.samples());
        assertTrue(a.mnemonicShare() >= 0.99, () -> "mnemonics agree on " + pct(a.mnemonicShare()) + "%: " + a.samples());
    }

    /**
     * Any other 32-bit ELF files, by request: {@code -Dkasou.objdump.elf=/usr/lib32/libc.so.6,...}
     * (objdump required). Reports the numbers; asserts only the 99% mnemonic floor, since other
     * binaries may hold AVX (VEX) code, which the table does not cover.
     */
    @org.junit.jupiter.api.Test
    @org.junit.jupiter.api.condition.EnabledIfSystemProperty(named = "kasou.objdump.elf", matches = ".+")
    void agreesWithObjdumpOnRequestedFiles() throws Exception {
        for (String name : System.getProperty("kasou.objdump.elf").split(",")) {
            Path file = Path.of(name.strip());
            String live = ObjdumpListing.run(file);
            org.junit.jupiter.api.Assumptions.assumeTrue(live != null, "objdump is not installed");
            Agreement a = compare(ElfText.of(Files.readAllBytes(file)), ObjdumpListing.parse(live), 20);
            System.out.printf("%s: %d instructions, %d boundary mismatches, mnemonics %d (%s%%), full text %d (%s%%)%n", file,
                    a.instructions(), a.boundaryMismatches(), a.mnemonicMatches(), pct(a.mnemonicShare()), a.textMatches(),
                    pct(a.textShare()));
            a.samples().forEach(s -> System.out.println("  " + s));
            assertTrue(a.mnemonicShare() >= 0.99, () -> file + ": " + a.samples());
        }
    }

    /** 16-bit code: gcc -m16 builds (32-bit operations under 66/67 prefixes) as raw .text images. */
    @ParameterizedTest
    @ValueSource(strings = {"subject16-x87", "subject16-sse"})
    void agreesWithObjdumpOn16BitCode(String name) throws Exception {
        byte[] code = resource("/disasm/" + name + ".bin");
        Path file = tmp.resolve(name + ".bin");
        Files.write(file, code);
        String live = ObjdumpListing.runRaw(file, 16);
        List<ObjdumpListing.Line> listing = live != null ? ObjdumpListing.parse(live)
                : ObjdumpListing.parseGzipResource("/disasm/" + name + ".lst.gz");
        Agreement a = compare(ElfText.raw(code, 0), listing, 40, 16);
        System.out.printf("%s (%s objdump): %d instructions, %d boundary mismatches, mnemonics %d/%d (%s%%), full text %d/%d (%s%%)%n",
                name, live != null ? "live" : "committed", a.instructions(), a.boundaryMismatches(),
                a.mnemonicMatches(), a.instructions(), pct(a.mnemonicShare()), a.textMatches(), a.instructions(),
                pct(a.textShare()));
        a.samples().forEach(s -> System.out.println("  " + s));
        assertTrue(a.instructions() > 1500, "the subject has a few thousand instructions");
        assertEquals(0, a.boundaryMismatches(), () -> "boundary mismatches: " + a.samples());
        assertTrue(a.mnemonicShare() >= 0.99, () -> "mnemonics agree on " + pct(a.mnemonicShare()) + "%: " + a.samples());
    }

    static String pct(double share) {
        return String.format(java.util.Locale.ROOT, "%.2f", share * 100);
    }

    /** Disassembles at each instruction start of the listing and compares length, mnemonic and text. */
    static Agreement compare(ElfText text, List<ObjdumpListing.Line> listing, int maxSamples) {
        return compare(text, listing, maxSamples, 32);
    }

    static Agreement compare(ElfText text, List<ObjdumpListing.Line> listing, int maxSamples, int bits) {
        Disassembler dis = new Disassembler(bits);
        int boundary = 0, mnem = 0, full = 0;
        List<String> samples = new ArrayList<>();
        long expectedNext = listing.isEmpty() ? 0 : listing.get(0).address();
        for (ObjdumpListing.Line line : listing) {
            int off = (int) (line.address() - text.address);
            int len = dis.disassemble(text.bytes, off, text.bytes.length, line.address());
            String mine = dis.text();
            boolean sameLength = len == line.length() && line.address() == expectedNext;
            expectedNext = line.address() + line.length();
            if (!sameLength) boundary++;
            boolean sameMnemonic = sameMnemonic(dis.mnemonic(), line.text());
            if (sameMnemonic) mnem++;
            if (mine.equals(line.text()) && sameLength) {
                full++;
            } else if (samples.size() < maxSamples) {
                StringBuilder hex = new StringBuilder();
                for (int i = 0; i < line.length() && off + i < text.bytes.length; i++) {
                    hex.append(String.format("%02x ", text.bytes[off + i] & 0xFF));
                }
                samples.add(String.format("%x: %s| objdump [%s] (%d bytes), kasou [%s] (%d bytes)",
                        line.address(), hex, line.text(), line.length(), mine, len));
            }
        }
        return new Agreement(listing.size(), boundary, mnem, full, samples);
    }

    /** Whether objdump's text starts with this mnemonic (prefixes included) followed by its padding. */
    static boolean sameMnemonic(String mnemonic, String objdump) {
        if (!objdump.startsWith(mnemonic)) return false;
        if (objdump.length() == mnemonic.length()) return true;
        int end = Math.max(6, mnemonic.length() + 1);
        if (objdump.length() < end) return false;
        for (int i = mnemonic.length(); i < end; i++) {
            if (objdump.charAt(i) != ' ') return false;
        }
        return true;
    }

    private static byte[] resource(String name) throws IOException {
        try (InputStream in = ObjdumpAgreementTest.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing resource " + name);
            return in.readAllBytes();
        }
    }
}
