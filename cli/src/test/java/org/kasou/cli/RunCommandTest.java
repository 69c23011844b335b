package org.kasou.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code kasou run}: static i386 Linux programs, their exit status, signals, options and errors. */
class RunCommandTest extends CommandLineHarness {
    private static final int ENTRY = StartUpTraining.ENTRY;

    @TempDir
    Path dir;

    /** A static ELF executable whose only segment (read, write, execute) holds {@code code} at its entry point. */
    private Path program(int... code) throws Exception {
        Path p = dir.resolve("prog");
        Files.write(p, StartUpTraining.staticElf(code));
        p.toFile().setExecutable(true);
        return p;
    }

    /** mov eax, 1; mov ebx, 42; int 0x80: exit(42). */
    private Path exit42() throws Exception {
        return program(0xB8, 1, 0, 0, 0, 0xBB, 42, 0, 0, 0, 0xCD, 0x80);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"--no-jit", "--jit", "--jit-threshold=0"})
    void theProgramsExitStatusIsKasousAndWritesReachStdout(String engine) throws Exception {
        // mov eax, 4; mov ebx, 1; mov ecx, msg; mov edx, 3; int 0x80; mov eax, 1; mov ebx, 0; int 0x80; msg: "hi\n"
        int msg = ENTRY + 34;
        Path p = program(0xB8, 4, 0, 0, 0, 0xBB, 1, 0, 0, 0, 0xB9, msg & 0xFF, (msg >> 8) & 0xFF, (msg >> 16) & 0xFF, msg >>> 24,
                0xBA, 3, 0, 0, 0, 0xCD, 0x80, 0xB8, 1, 0, 0, 0, 0xBB, 0, 0, 0, 0, 0xCD, 0x80, 'h', 'i', '\n');
        assertEquals(0, run("run", engine, p.toString()));
        assertEquals("hi\n", out());
        assertEquals(42, run("run", engine, exit42().toString()));
    }

    @Test
    void argumentsAfterTheProgramAreTheProgramsOwn() throws Exception {
        assertEquals(42, run("run", exit42().toString(), "--no-such-option", "-L"));
        assertEquals("", err());
    }

    @Test
    void aFaultEndsTheProgramWithItsSignal() throws Exception {
        // mov [0], eax
        assertEquals(139, run("run", program(0xA3, 0, 0, 0, 0).toString()));
        assertOneLineError("kasou: uncaught target signal 11 (Segmentation fault) - core dumped");
        out.reset();
        err.reset();
        // ud2
        assertEquals(132, run("run", program(0x0F, 0x0B).toString()));
        assertOneLineError("uncaught target signal 4 (Illegal instruction)");
    }

    @Test
    void statsReportInstructions() throws Exception {
        assertEquals(42, run("run", "--stats", "--no-jit", exit42().toString()));
        assertTrue(err().contains("kasou: 3 guest instructions"), err());
        err.reset();
        assertEquals(42, run("run", "--stats", "--jit-threshold=0", exit42().toString()));
        assertTrue(err().contains("units compiled") && err().contains("entries into compiled code"), err());
    }

    @Test
    void badInputIsOneLine() throws Exception {
        assertEquals(ExitCodes.BAD_FILE, run("run", dir.resolve("missing").toString()));
        assertOneLineError("kasou run: " + dir.resolve("missing") + ": no such file");
        err.reset();
        assertEquals(ExitCodes.BAD_FILE, run("run", dir.toString()));
        assertOneLineError("kasou run: " + dir + ": not a regular file");
        err.reset();
        Path text = dir.resolve("script.sh");
        Files.writeString(text, "#!/bin/sh\n");
        assertEquals(ExitCodes.BAD_FILE, run("run", text.toString()));
        assertOneLineError("not an ELF file");
        err.reset();
        assertEquals(ExitCodes.USAGE, run("run", "-E", "NOEQUALS", exit42().toString()));
        assertOneLineError("-E needs VAR=VALUE");
        err.reset();
        assertEquals(ExitCodes.BAD_FILE, run("run", "-L", dir.resolve("nothing").toString(), exit42().toString()));
        assertOneLineError("no such directory");
        err.reset();
        assertEquals(ExitCodes.USAGE, run("run"));
        assertOneLineError("PROGRAM");
    }

    @Test
    void environmentOptions() throws Exception {
        Path busybox = Path.of("../target/linux-user/busybox");
        assumeTrue(Files.isRegularFile(busybox), "no busybox: run scripts/fetch-linux-user-sysroot.sh");
        assertEquals(0, run("run", "-E", "KASOU_A=one", "-E", "KASOU_B=two", "-U", "KASOU_B", "-U", "PATH", busybox.toString(), "env"));
        java.util.List<String> lines = out().lines().toList();
        assertTrue(lines.contains("KASOU_A=one"), out());
        assertTrue(lines.stream().noneMatch(l -> l.startsWith("KASOU_B=") || l.startsWith("PATH=")), out());
    }

    @Test
    void overheadComparesNativeAndKasou() throws Exception {
        Path p = exit42();
        int status = run("overhead", "--no-qemu", p.toString());
        assumeTrue(!out().contains("cannot run"), "the host cannot run 32-bit programs: " + out());
        assertEquals(0, status, out() + err());
        assertTrue(out().contains("outputs agree (stdout and exit status 42)"), out());
        assertTrue(out().lines().anyMatch(l -> l.startsWith("kasou ") && l.contains(" 3 ")), out()); // three guest instructions
        out.reset();
        assertEquals(0, run("overhead", "--no-qemu", "--json", p.toString()));
        assertTrue(out().startsWith("{\"program\":") && out().contains("\"agree\":true") && out().contains("\"instructions\":3,"), out());
    }

    @Test
    void overheadReportsOutputsThatDiffer() throws Exception {
        // CPUID leaf 0 (the vendor string differs between kasou and any real CPU), written to stdout, then exit(0):
        // xor eax,eax; cpuid; push ecx; push edx; push ebx; mov ecx,esp; mov eax,4; mov ebx,1; mov edx,12; int 0x80;
        // mov eax,1; xor ebx,ebx; int 0x80
        Path p = program(0x31, 0xC0, 0x0F, 0xA2, 0x51, 0x52, 0x53, 0x89, 0xE1, 0xB8, 4, 0, 0, 0, 0xBB, 1, 0, 0, 0,
                0xBA, 12, 0, 0, 0, 0xCD, 0x80, 0xB8, 1, 0, 0, 0, 0x31, 0xDB, 0xCD, 0x80);
        int status = run("overhead", "--no-qemu", p.toString());
        assumeTrue(!out().contains("cannot run"), "the host cannot run 32-bit programs: " + out());
        assertEquals(3, status, out());
        assertTrue(out().contains("OUTPUTS DIFFER"), out());
    }
}
