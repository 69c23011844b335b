package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
        // MOV ECX, the loop's 200,000 instructions, then the two system calls with their MOVs: eight.
        runsOnBothEngines(engine -> new String[] {"run", "--stats", engine, p.toString()},
                StartUpTraining.PROGRAM_STATUS, "ok\n", "200,009");
    }

    @Test
    void itsKernelBootsUnderKasouBoot() throws Exception {
        Path k = dir.resolve("training.kernel");
        Files.write(k, StartUpTraining.kernel());
        // MOV ECX, the loop's 200,000 instructions, then MOV, OUT, MOV, OUT: the exit retires with the last OUT.
        runsOnBothEngines(engine -> new String[] {"boot", "--stats", engine, "--kernel", k.toString()},
                StartUpTraining.KERNEL_STATUS, "k", "200,005");
    }

    /** Runs the command line made for the interpreter and for the JIT compiling at once; both must end alike. */
    private static void runsOnBothEngines(java.util.function.Function<String, String[]> command, int status, String output,
            String instructions) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();
        for (String engine : new String[] {"--no-jit", "--jit-threshold=0"}) {
            out.reset();
            err.reset();
            assertEquals(status, Kasou.run(command.apply(engine), new PrintStream(out), new PrintStream(err)), err.toString());
            assertEquals(output, out.toString(), engine);
            assertTrue(err.toString().contains("kasou: " + instructions + " guest instructions"), err.toString());
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
