package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher's training run: the demo, a multiboot kernel and a Linux program, nothing on standard output, status 0. */
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
    void itsKernelBootsUnderKasouBoot() throws Exception {
        Path k = dir.resolve("training.kernel");
        Files.write(k, StartUpTraining.kernel());
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        for (String engine : new String[] {"--no-jit", "--jit-threshold=0"}) {
            out.reset();
            err.reset();
            int status = Kasou.run(new String[] {"boot", "--stats", engine, "--kernel", k.toString()}, new PrintStream(out), new PrintStream(err));
            assertEquals(StartUpTraining.KERNEL_STATUS, status, err.toString());
            assertEquals("k", out.toString());
            // MOV ECX, the loop's 200,000 instructions, then MOV, OUT, MOV, OUT: the exit retires with the last OUT.
            org.junit.jupiter.api.Assertions.assertTrue(err.toString().contains("kasou: 200,005 guest instructions"), err.toString());
        }
    }

    @Test
    void theTrainingRunsAllQuietly() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        int status = Kasou.run(new String[] {StartUpTraining.COMMAND}, new PrintStream(out), new PrintStream(err));
        assertEquals(0, status, err.toString());
        assertEquals("", out.toString());
        assertEquals("", err.toString());
    }
}
