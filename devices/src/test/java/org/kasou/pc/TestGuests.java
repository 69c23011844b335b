package org.kasou.pc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** The test guests (src/test/guest) and a way to run one in kasou. */
final class TestGuests {
    private TestGuests() {
    }

    static byte[] image(String name) {
        try (InputStream in = TestGuests.class.getResourceAsStream("guest/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test guest " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    record Run(String console, RunResult result) {
    }

    /** Boots a guest in a 128 MiB machine, with a generous instruction limit so a test always ends. */
    static Run kasou(byte[] image, String name, long maxInstructions) throws KernelLoadException {
        return kasou(image, name, maxInstructions, Machine.DEFAULT_RAM_BYTES, null);
    }

    static Run kasou(byte[] image, String name, long maxInstructions, int ramBytes, String cmdline)
            throws KernelLoadException {
        return kasou(image, name, maxInstructions, ramBytes, cmdline, -1);
    }

    /**
     * @param jitThreshold -1 for the interpreter alone, else the JIT's compile threshold (0 compiles
     *     every block the first time it runs)
     */
    static Run kasou(byte[] image, String name, long maxInstructions, int ramBytes, String cmdline, int jitThreshold)
            throws KernelLoadException {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Machine m = new Machine(ramBytes, console);
        if (jitThreshold >= 0) {
            org.kasou.jit.JitEngine.install(m.cpu, jitThreshold);
        }
        MultibootLoader.load(m, image, name, cmdline);
        RunResult r = m.run(maxInstructions);
        return new Run(console.toString(StandardCharsets.ISO_8859_1), r);
    }
}
