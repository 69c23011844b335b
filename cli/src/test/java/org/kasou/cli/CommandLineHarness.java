package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the kasou command line in-process and captures what it prints. */
abstract class CommandLineHarness {
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    final ByteArrayOutputStream err = new ByteArrayOutputStream();

    int run(String... args) {
        return Kasou.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    /** Bad input gets exactly one line on stderr, without a stack trace. */
    void assertOneLineError(String expectedPart) {
        String e = err();
        assertTrue(e.endsWith("\n") && e.indexOf('\n') == e.length() - 1, "one line: " + e);
        assertTrue(e.contains(expectedPart), e);
        assertTrue(!e.contains("\tat "), e);
    }
}
