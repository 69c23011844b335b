package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The README's example program is this module's test source StoreSum.java, and it runs as shown. */
class ReadmeExampleTest {
    static final Path SOURCE = Path.of("src/test/java/org/kasou/embed/example/StoreSum.java");

    @Test
    void readmeHoldsTheExampleProgramVerbatim() throws Exception {
        String readme = Files.readString(Path.of("../README.md"));
        String example = Files.readString(SOURCE);
        assertTrue(readme.contains("```java\n" + example + "```\n"), "README.md must hold " + SOURCE + " verbatim");
        assertTrue(readme.contains(expectedOutput()), "README.md must show the example's output");
    }

    @Test
    void exampleRunsAndPrintsTheResult() throws Exception {
        assertEquals(expectedOutput(), run());
    }

    static String expectedOutput() {
        return "WRITE of 4 bytes at 0x600000: 42\n"
                + "UNTIL_REACHED after 5 instructions\n"
                + "store_sum returned 42, *out = 42\n";
    }

    private static String run() throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            Class.forName("StoreSum").getMethod("main", String[].class).invoke(null, (Object) new String[0]);
        } finally {
            System.setOut(old);
        }
        return out.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n");
    }
}
