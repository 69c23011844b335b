package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Debian 12's i386 kernel (linux-image-686) with a busybox initramfs, as scripts/fetch-debian-guest.sh
 * prepares them in target/debian-guest: it boots to its init and runs shell commands, with the JIT
 * and without it, and in deterministic mode a boot retires exactly the same instructions whichever
 * of HotSpot's compilers compiled the units. Skipped when the files are not there (the script
 * fetches them with apt-get download; .ci/run runs it).
 */
@Timeout(900)
class LinuxBootTest extends CommandLineHarness {
    /** Output of the boots in JVMs of their own. */
    @org.junit.jupiter.api.io.TempDir
    Path scratch;

    private static final String COMMANDS = "uname+-a,cat+/proc/cpuinfo,ls+/,echo+hello>/tmp/f,sha256sum+/tmp/f,"
            + "ls+/bin|wc+-l,for+i+in+1+2+3;do+echo+loop+$i;done";

    private static Path guest() {
        String dir = System.getProperty("kasou.debianGuest");
        Path p = dir != null ? Path.of(dir) : Path.of("..", "target", "debian-guest");
        assumeTrue(Files.isRegularFile(p.resolve("vmlinuz")) && Files.isRegularFile(p.resolve("initrd.gz")),
                "the Debian guest is not in " + p.toAbsolutePath().normalize() + " (scripts/fetch-debian-guest.sh fetches it)");
        return p;
    }

    private int boot(String append, String... options) {
        Path g = guest();
        String[] base = {"boot", "--kernel", g.resolve("vmlinuz").toString(), "--initrd", g.resolve("initrd.gz").toString(),
            "--append", "console=ttyS0 quiet " + append, "--stats"};
        String[] args = new String[base.length + options.length];
        System.arraycopy(base, 0, args, 0, base.length);
        System.arraycopy(options, 0, args, base.length, options.length);
        return run(args);
    }

    @Test
    void bootsToItsShellAndRunsCommandsWithTheJit() {
        assertEquals(0, boot("kasou.run=" + COMMANDS), err());
        String o = out().replace("\r", ""); // the guest's tty ends lines with CR LF
        assertTrue(o.contains("kasou-guest: init reached"), o);
        assertTrue(o.contains("Linux (none) 6.1.") && o.contains(" i686 GNU/Linux"), "uname -a: " + o);
        assertTrue(o.contains("vendor_id\t: KasouVirtCPU") && o.contains("fpu\t\t: yes"), "/proc/cpuinfo: " + o);
        assertTrue(o.contains("bin   dev   init  proc  root  sys   tmp"), "ls /: " + o);
        assertTrue(o.contains("5891b5b522d5df086d0ff0b110fbd9d21bb4fc7163af34d08286a2e846f6be03  /tmp/f"), "sha256sum: " + o);
        assertTrue(o.contains("loop 1\nloop 2\nloop 3\n"), "a shell loop: " + o);
        assertTrue(o.contains("kasou-guest: commands done"), o);
        assertTrue(err().contains("MIPS (JIT"), err());
    }

    /**
     * Every block compiled at first sight, on the clock of guest instructions (the same run each
     * time): a unit compiled while FS was flat was once entered from another unit after Linux had
     * given FS its per-CPU base, and the kernel said "BUG: scheduling while atomic".
     */
    @Test
    void bootsToInitWithEveryBlockCompiledAtFirstSightWithoutAKernelBug() {
        assertEquals(0, run("linux", "--guest", guest().toString(), "--append", "quiet kasou.poweroff", "--jit-threshold=0",
                "--deterministic"), err());
        String o = out();
        assertTrue(o.contains("kasou-guest: init reached"), o);
        assertFalse(o.contains("BUG:") || o.contains("WARNING:") || o.contains("Oops"), o);
    }

    /** Through {@code kasou linux}, which boots the same files with console=ttyS0. */
    @Test
    void bootsToInitWithoutTheJit() {
        assertEquals(0, run("linux", "--guest", guest().toString(), "--append", "quiet kasou.poweroff", "--no-jit", "--stats"), err());
        assertTrue(out().contains("kasou-guest: init reached"), out());
        assertTrue(err().contains("MIPS (interpreter)"), err());
    }

    @Test
    void linuxWithoutTheGuestSaysWhereToGetIt(@org.junit.jupiter.api.io.TempDir Path empty) {
        assertEquals(1, run("linux", "--guest", empty.toString()));
        assertTrue(err().startsWith("kasou linux: no Debian guest in ") && err().contains("scripts/fetch-debian-guest.sh"), err());
        assertEquals(1, err().strip().split("\n").length, err());
    }

    /**
     * Two deterministic boots, one in a JVM whose only compiler is C1 and one whose only compiler
     * is C2, retire exactly the same instructions: what a unit does may not depend on which of
     * HotSpot's compilers made its machine code. (Java 17's C2 once folded a unit's two unsigned
     * compares of one register into a wrong range check, and boots then differed by 257,261
     * instructions, by chance, depending on when C2 got to that unit.)
     */
    @Test
    void deterministicBootsRetireTheSameInstructionsWhicheverCompilerRunsTheUnits() throws Exception {
        long c1 = deterministicBoot("-XX:TieredStopAtLevel=1");
        long c2 = deterministicBoot("-XX:-TieredCompilation");
        assertEquals(c1, c2, "instructions of a deterministic boot with C1 alone and with C2 alone");
        assertTrue(c1 > 1_000_000_000L, "a whole boot: " + c1);
    }

    /** Boots to init in a JVM of its own with {@code jvmOption}; the instructions it retired. */
    private long deterministicBoot(String jvmOption) throws Exception {
        Path g = guest();
        Path dir = Files.createDirectories(scratch.resolve(jvmOption.replaceAll("[^A-Za-z0-9]", "")));
        ForkedKasou.Outcome o = ForkedKasou.run(dir, List.of(jvmOption), 400, "boot", "--kernel", g.resolve("vmlinuz").toString(),
                "--initrd", g.resolve("initrd.gz").toString(), "--append", "console=ttyS0 quiet kasou.poweroff",
                "--stats", "--deterministic");
        assertEquals(0, o.status(), o.err());
        assertTrue(o.out().contains("kasou-guest: init reached"), o.out());
        Matcher m = Pattern.compile("kasou: ([0-9,]+) guest instructions").matcher(o.err());
        assertTrue(m.find(), o.err());
        return Long.parseLong(m.group(1).replace(",", ""));
    }
}
