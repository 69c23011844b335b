package org.kasou.conformance.test386;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.kasou.jit.JitEngine;
import org.kasou.pc.BiosRom;
import org.kasou.pc.Machine;
import org.kasou.pc.RunResult;

/**
 * The public 386 self-test ROM test386 (read from ../shared/conformance/test386 and built here with
 * nasm, its arithmetic listing sent to port 0xE9), booted from the reset vector: it must post every
 * code up to 0xFF on port 0x190 and halt, and its listing must equal the reference listing taken on
 * a real 386 (this build leaves out the flags the SDM calls undefined, so no line differs on a P6).
 * On the interpreter and with the JIT compiling every block.
 */
class Test386Test {
    private static final String RELATIVE = "shared/conformance/test386";
    private static byte[] rom;
    private static String reference;

    @BeforeAll
    static void build(@TempDir Path dir) throws Exception {
        Optional<Path> source = locate();
        assumeTrue(source.isPresent(), "test386 is not beside the repository (" + RELATIVE + ")");
        assumeTrue(available("nasm"), "nasm is not installed");
        Path copy = dir.resolve("test386");
        try (Stream<Path> files = Files.walk(source.get())) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path to = copy.resolve(source.get().relativize(p).toString());
                if (Files.isDirectory(p)) Files.createDirectories(to);
                else Files.copy(p, to);
            }
        }
        Path config = copy.resolve("src/configuration.asm");
        String text = Files.readString(config);
        assertTrue(text.contains("OUT_PORT equ 0\n"), "the configuration has changed upstream");
        Files.writeString(config, text.replace("OUT_PORT equ 0\n", "OUT_PORT equ 0xE9\n"));
        Process nasm = new ProcessBuilder("nasm", "-i./src/", "-f", "bin", "src/test386.asm", "-w-all", "-o", "test386.bin")
                .directory(copy.toFile()).redirectErrorStream(true).start();
        String log = new String(nasm.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(nasm.waitFor(120, TimeUnit.SECONDS) && nasm.exitValue() == 0, "nasm failed: " + log);
        rom = Files.readAllBytes(copy.resolve("test386.bin"));
        try (InputStream in = new GZIPInputStream(Files.newInputStream(copy.resolve("test386-EE-reference.txt.gz")))) {
            reference = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1).replace("\r", "");
        }
    }

    /** threshold: -1 for the interpreter alone, else the JIT's compile threshold. */
    @ParameterizedTest(name = "JIT threshold {0}")
    @ValueSource(ints = {-1, 0})
    void postsEveryCodeToFfAndPrintsTheReferenceListing(int threshold) throws Exception {
        ByteArrayOutputStream listing = new ByteArrayOutputStream();
        Machine m = new Machine(16 << 20, listing);
        if (threshold >= 0) JitEngine.install(m.cpu, threshold);
        List<Integer> posts = new ArrayList<>();
        BitSet port = new BitSet();
        port.set(0x190);
        m.io.watchWrites(port, (p, size, value) -> posts.add(value & 0xFF));
        BiosRom.install(m, rom);
        RunResult r = m.run(400_000_000L);
        assertEquals(RunResult.Outcome.HALTED, r.outcome(), "POST codes: " + hex(posts));
        assertEquals(0xFF, posts.get(posts.size() - 1), "POST codes: " + hex(posts));
        // Each test posts its code before it runs; the codes come in the source's order.
        for (int code : new int[] {0x00, 0x01, 0x08, 0x09, 0x20, 0x21, 0x22, 0x0B, 0x10, 0x11, 0x12, 0x1A, 0xEE}) {
            assertTrue(posts.contains(code), "POST " + Integer.toHexString(code) + " missing: " + hex(posts));
        }
        String out = listing.toString(StandardCharsets.ISO_8859_1).replace("\r", "");
        String[] got = out.split("\n", -1), want = reference.split("\n", -1);
        for (int i = 0; i < Math.min(got.length, want.length); i++) {
            assertEquals(want[i], got[i], "listing line " + (i + 1));
        }
        assertEquals(want.length, got.length, "listing lines");
    }

    private static String hex(List<Integer> codes) {
        StringBuilder b = new StringBuilder();
        for (int c : codes) b.append(String.format("%02X ", c));
        return b.toString().trim();
    }

    private static Optional<Path> locate() {
        for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
            Path c = d.resolve(RELATIVE);
            if (Files.isDirectory(c.resolve("src"))) return Optional.of(c);
        }
        return Optional.empty();
    }

    private static boolean available(String tool) {
        try {
            Process p = new ProcessBuilder(tool, "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
