package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's training run: the demo and a Linux program, nothing on standard output, status 0. */
class StartUpTrainingTest {
    @TempDir
    Path dir;

    @Test
    void itsProgramRunsUnderKasouRun() throws Exception {
        Path p = dir.resolve("training.elf");
        Files.write(p, StartUpTraining.program());
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        for (String engine : new String[] {"--no-jit", "--jit-threshold=0"}) {
            out.reset();
            int status = Kasou.run(new String[] {"run", "--stats", engine, p.toString()}, new PrintStream(out), new PrintStream(err));
            assertEquals(StartUpTraining.PROGRAM_STATUS, status, err.toString());
            assertEquals("ok\n", out.toString());
            // MOV ECX, the loop's 200,000 instructions, then the two system calls with their MOVs: eight.
            org.junit.jupiter.api.Assertions.assertTrue(err.toString().contains("kasou: 200,009 guest instructions"), err.toString());
        }
    }

    @Test
    void theTrainingRunsBothQuietly() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Kasou.run(new String[] {StartUpTraining.COMMAND}, new PrintStream(out), new PrintStream(err));
        assertEquals(0, status, err.toString());
        assertEquals("", out.toString());
        assertEquals("", err.toString());
    }
}
