package org.kasou.pc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.util.zip.CRC32;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The demo guest computes what Java computes independently, and prints what QEMU prints. */
@Timeout(300)
class DemoGuestTest {
    private static final long LIMIT = 1_000_000_000L;

    /** The demo's results, computed here in Java from the same definitions. */
    static String expectedOutput(int mibAboveOneMib) {
        int n = 1_000_000;
        byte[] prime = new byte[n];
        java.util.Arrays.fill(prime, 2, n, (byte) 1);
        for (int i = 2; (long) i * i < n; i++) {
            if (prime[i] != 0) {
                for (int j = i * i; j < n; j += i) {
                    prime[j] = 0;
                }
            }
        }
        long count = 0, sum = 0, largest = 0;
        for (int i = 0; i < n; i++) {
            if (prime[i] != 0) {
                count++;
                sum += i;
                largest = i;
            }
        }
        CRC32 crc = new CRC32();
        crc.update(prime);
        int bestStart = 0, bestSteps = 0;
        for (int start = 1; start < 100_000; start++) {
            long x = start;
            int steps = 0;
            while (x != 1) {
                x = (x & 1) == 0 ? x >> 1 : 3 * x + 1;
                steps++;
            }
            if (steps > bestSteps) {
                bestSteps = steps;
                bestStart = start;
            }
        }
        return "kasou demo guest: protected mode, flat segments\n"
                + "multiboot: " + mibAboveOneMib + " MiB of memory above 1 MiB\n"
                + "paging: on (4 KiB and 4 MiB pages, 0xc0000000 aliases 0x00400000)\n"
                + "sieve: " + count + " primes below 1000000, largest " + largest + ", sum " + sum + "\n"
                + String.format("crc32 of the sieve: 0x%08x%n", crc.getValue())
                + "collatz: longest chain below 100000 starts at " + bestStart + " (" + bestSteps + " steps)\n"
                + "done\n";
    }

    private static TestGuests.Run kasouRun;

    /** One run serves every test: the demo takes a few seconds. */
    private static synchronized TestGuests.Run kasou() throws Exception {
        if (kasouRun == null) {
            kasouRun = TestGuests.kasou(DemoGuest.image(), "demo", LIMIT);
        }
        return kasouRun;
    }

    @Test
    void demoPrintsItsResultsAndExits() throws Exception {
        TestGuests.Run run = kasou();
        assertEquals(expectedOutput(127), run.console());
        assertEquals(RunResult.Outcome.EXITED, run.result().outcome());
        assertEquals(DemoGuest.SUCCESS_STATUS, run.result().exitStatus());
        assertTrue(run.result().instructions() > 50_000_000L && run.result().instructions() < 500_000_000L,
                "a few hundred million instructions at most: " + run.result().instructions());
    }

    @Test
    void demoUnderTheJitMatchesTheInterpreter() throws Exception {
        TestGuests.Run jit = TestGuests.kasou(DemoGuest.image(), "demo", LIMIT, Machine.DEFAULT_RAM_BYTES, null, 0);
        assertEquals(expectedOutput(127), jit.console());
        assertEquals(kasou().result().instructions(), jit.result().instructions(), "instructions retired");
    }

    @Test
    void demoPrintsWhatQemuPrints(@TempDir Path dir) throws Exception {
        assumeTrue(GuestTools.available("qemu-system-i386"), "qemu-system-i386 is not installed");
        GuestTools.Result qemu = GuestTools.qemu(DemoGuest.image(), dir);
        TestGuests.Run run = kasou();
        assertEquals(qemu.stdout(), run.console());
        assertEquals(qemu.exitStatus(), run.result().exitStatus());
    }
}
