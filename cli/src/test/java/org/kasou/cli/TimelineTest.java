package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code --timeline}: a line every period while the guest runs, and a clear error for a bad period. */
class TimelineTest extends CommandLineHarness {
    @TempDir
    Path dir;

    /** mov ecx, 150,000,000; l: dec ecx; jnz l, then {@code exit}: 300 million instructions. */
    private static final int[] LOOP = {0xB9, 0x80, 0xD1, 0xF0, 0x08, 0x49, 0x75, 0xFD};
    private static final long LOOP_INSTRUCTIONS = 300_000_001L;
    /**
     * For the JIT, a loop whose work C2 cannot fold away: mov ecx, 250,000,000; l: imul eax, eax,
     * 0x41C64E6D; add eax, 12345; dec ecx; jnz l (a billion instructions). C2 replaces a slice of
     * the plain dec/jnz loop by its result (the counter's final value), so any number of its
     * turns could end within one period of 10 ms; each turn of this one waits for a multiply.
     */
    private static final int[] JIT_LOOP = {0xB9, 0x80, 0xB2, 0xE6, 0x0E, 0x69, 0xC0, 0x6D, 0x4E, 0xC6, 0x41,
        0x05, 0x39, 0x30, 0x00, 0x00, 0x49, 0x75, 0xF2};
    private static final long JIT_LOOP_INSTRUCTIONS = 1_000_000_001L;
    /** mov al, 0; out 0xF4, al; hlt: the machine's exit device. */
    private static final int[] EXIT_DEVICE = {0xB0, 0x00, 0xE6, 0xF4, 0xF4};
    /** mov eax, 1; mov ebx, 7; int 0x80: exit(7). */
    private static final int[] EXIT_7 = {0xB8, 1, 0, 0, 0, 0xBB, 7, 0, 0, 0, 0xCD, 0x80};

    /** One line: the JIT's part only when it runs. */
    private static final Pattern LINE = Pattern.compile(
            "kasou: at ([0-9.]+) s: ([0-9,]+) instructions, [0-9.]+ MIPS in the last [0-9.]+ s; blocks decoded [0-9,]+ \\(\\+[0-9,]+\\)"
            + "(; units compiled [0-9,]+ \\(\\+[0-9,]+\\), [0-9.]+% ran compiled)?; EIP [0-9a-f]{8}");

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--jit", "--no-jit"})
    void printsALineEveryPeriodWithTheInstructionsSoFar(String engine) throws IOException {
        boolean jit = engine.equals("--jit");
        Path kernel = FlatKernels.write(dir.resolve("loop.bin"), bytes(jit ? JIT_LOOP : LOOP, EXIT_DEVICE));
        int status = run("boot", engine, "--kernel", kernel.toString(), "--timeline", "0.01");
        assertEquals(1, status, err()); // the exit device's (0 << 1) | 1
        checkTimeline(err(), jit);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--jit", "--no-jit"})
    void aLinuxProgramsTimelineCountsItsInstructions(String engine) throws Exception {
        boolean jit = engine.equals("--jit");
        Path p = dir.resolve("loop");
        Files.write(p, StartUpTraining.staticElf(concat(jit ? JIT_LOOP : LOOP, EXIT_7)));
        assertEquals(7, run("run", engine, "--timeline", "0.01", p.toString()));
        checkTimeline(err(), jit);
        err.reset();
        assertEquals(2, run("run", "--timeline", "-2", p.toString()));
        assertOneLineError("--timeline takes seconds between 0.01 and 3600");
    }

    /**
     * Checks a timeline: every line one, times rising, counts never falling, at least two lines, the
     * last count within the program's, the JIT's part there exactly when it runs.
     */
    private static void checkTimeline(String timeline, boolean jit) {
        List<Long> counts = counts(timeline);
        assertTrue(counts.size() >= 2, "lines: " + timeline);
        long last = counts.get(counts.size() - 1);
        assertTrue(last > 0 && last <= (jit ? JIT_LOOP_INSTRUCTIONS : LOOP_INSTRUCTIONS) + 5, "counts: " + counts);
        assertEquals(jit, timeline.contains("units compiled"), timeline);
    }

    /** a then b. */
    private static int[] concat(int[] a, int[] b) {
        int[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }

    /** a then b, as bytes. */
    private static byte[] bytes(int[] a, int[] b) {
        int[] all = concat(a, b);
        byte[] out = new byte[all.length];
        for (int i = 0; i < all.length; i++) out[i] = (byte) all[i];
        return out;
    }

    /** The instruction counts of a timeline's lines, checked: every line one, times rising, counts never falling. */
    private static List<Long> counts(String timeline) {
        List<Long> counts = new ArrayList<>();
        double lastTime = 0;
        for (String line : timeline.split("\n")) {
            Matcher m = LINE.matcher(line);
            assertTrue(m.matches(), "a timeline line: " + line);
            double t = Double.parseDouble(m.group(1));
            assertTrue(t > lastTime, "times rise: " + timeline);
            lastTime = t;
            long n = Long.parseLong(m.group(2).replace(",", ""));
            assertTrue(counts.isEmpty() || n >= counts.get(counts.size() - 1), "counts never fall: " + timeline);
            counts.add(n);
        }
        return counts;
    }

    @Test
    void badPeriodsAreOneLineAndStatus2() {
        for (String bad : new String[] {"-1", "NaN", "7200", "0.001"}) {
            err.reset();
            assertEquals(2, run("boot", "--kernel", "k", "--timeline", bad));
            assertOneLineError("--timeline takes seconds between 0.01 and 3600");
        }
        err.reset();
        assertEquals(2, run("boot", "--kernel", "k", "--timeline", "soon"));
        assertOneLineError("--timeline");
    }

}
