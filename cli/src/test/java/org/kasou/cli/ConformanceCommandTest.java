package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConformanceCommandTest extends CommandLineHarness {
    @TempDir
    Path tmp;

    @Test
    void helpNamesTheCommand() {
        assertEquals(0, run("conformance", "sst", "--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("DIR"));
        out.reset();
        assertEquals(0, run("--help"));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\n  conformance "));
    }

    @Test
    void aMissingDirectoryIsOneClearLine() {
        assertEquals(ExitCodes.BAD_FILE, run("conformance", "sst", tmp.resolve("nowhere").toString()));
        String e = err();
        assertEquals(e.length() - 1, e.indexOf('\n'), "one line: " + e);
        assertTrue(e.contains("no such file or directory") && e.contains("nowhere"), e);
        assertFalse(e.contains("\tat "), e);
    }

    @Test
    void aFileInsteadOfADirectoryIsRejected() throws IOException {
        Path f = Files.writeString(tmp.resolve("plain.txt"), "x");
        assertEquals(ExitCodes.BAD_FILE, run("conformance", "sst", f.toString()));
        assertTrue(err().contains("not a directory"), err());
    }

    @Test
    void aDirectoryWithoutTestsIsRejected() {
        assertEquals(ExitCodes.BAD_FILE, run("conformance", "sst", tmp.toString()));
        assertTrue(err().contains("no *.json.gz test files"), err());
    }

    @Test
    void aCorruptFileIsNamedWithoutAStackTrace() throws IOException {
        Files.write(tmp.resolve("00.json.gz"), new byte[] {0x1F, (byte) 0x8B, 8, 0, 0, 0});
        assertEquals(ExitCodes.BAD_FILE, run("conformance", "sst", tmp.toString()));
        String e = err();
        assertTrue(e.contains("00.json.gz") && e.contains("gzip"), e);
        assertFalse(e.contains("\tat "), e);
        assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("0 passed, 0 failed\n"));
    }
}
