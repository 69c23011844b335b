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

/** {@code --timeline}: a line every period while the guest runs, and a clear error for a bad period. */
class TimelineTest extends CommandLineHarness {
    @TempDir
    Path dir;

    /** mov ecx, 400,000,000; l: dec ecx; jnz l; mov al, 0; out 0xF4, al; hlt: 800 million instructions. */
    private static final byte[] LONG_LOOP = {
        (byte) 0xB9, 0x00, (byte) 0x84, (byte) 0xD7, 0x17, // mov ecx, 0x17D78400
        0x49, 0x75, (byte) 0xFD,                         // l: dec ecx; jnz l
        (byte) 0xB0, 0x00, (byte) 0xE6, (byte) 0xF4, (byte) 0xF4 // mov al, 0; out 0xF4, al; hlt
    };

    private static final Pattern LINE = Pattern.compile(
            "kasou: at ([0-9.]+) s: ([0-9,]+) instructions, [0-9.]+ MIPS in the last [0-9.]+ s; blocks decoded [0-9,]+ \\(\\+[0-9,]+\\)"
            + "; units compiled [0-9,]+ \\(\\+[0-9,]+\\), [0-9.]+% ran compiled; EIP [0-9a-f]{8}");

    @Test
    void printsALineEveryPeriodWithTheInstructionsSoFar() throws IOException {
        int status = run("boot", "--kernel", kernel(LONG_LOOP).toString(), "--timeline", "0.02");
        assertEquals(1, status, err()); // the exit device's (0 << 1) | 1
        List<Long> counts = counts(err());
        assertTrue(counts.size() >= 2, "lines: " + err());
        assertTrue(counts.get(counts.size() - 1) > 0 && counts.get(counts.size() - 1) <= 800_000_005L, "counts: " + counts);
    }

    @Test
    void aLinuxProgramsTimelineCountsItsInstructions() throws Exception {
        // mov ecx, 400,000,000; l: dec ecx; jnz l; mov eax, 1; mov ebx, 7; int 0x80: exit(7)
        Path p = dir.resolve("loop");
        Files.write(p, StartUpTraining.staticElf(0xB9, 0x00, 0x84, 0xD7, 0x17, 0x49, 0x75, 0xFD,
                0xB8, 1, 0, 0, 0, 0xBB, 7, 0, 0, 0, 0xCD, 0x80));
        assertEquals(7, run("run", "--timeline", "0.02", p.toString()));
        List<Long> counts = counts(err());
        assertTrue(counts.size() >= 2, "lines: " + err());
        assertTrue(counts.get(counts.size() - 1) > 0 && counts.get(counts.size() - 1) <= 800_000_005L, "counts: " + counts);
        err.reset();
        assertEquals(2, run("run", "--timeline", "-2", p.toString()));
        assertOneLineError("--timeline takes seconds between 0.01 and 3600");
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

    private Path kernel(byte[] code) throws IOException {
        return FlatKernels.write(dir.resolve("loop.bin"), code);
    }
}
