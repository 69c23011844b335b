package org.kasou.pc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The test guests run to completion in kasou, and print exactly what they print in QEMU when
 * qemu-system-i386 is installed.
 */
@Timeout(120)
class GuestProgramsTest {
    private static final long LIMIT = 50_000_000L;

    @TempDir
    Path dir;

    private TestGuests.Run runAndCompare(String name) throws Exception {
        return runAndCompare(name, false);
    }

    /**
     * Runs a guest and, when QEMU is here, compares its console output and exit status with
     * QEMU's; with {@code skipKasouLines}, the lines the guest marks with {@code kasou:} are left
     * out of the comparison: behaviour where QEMU departs from the SDM or from a P6 (the guest
     * says which).
     */
    private TestGuests.Run runAndCompare(String name, boolean skipKasouLines) throws Exception {
        byte[] image = TestGuests.image(name);
        TestGuests.Run run = TestGuests.kasou(image, name, LIMIT);
        if (GuestTools.available("qemu-system-i386")) {
            GuestTools.Result qemu = GuestTools.qemu(image, dir);
            String expected = skipKasouLines ? withoutKasouLines(qemu.stdout()) : qemu.stdout();
            String actual = skipKasouLines ? withoutKasouLines(run.console()) : run.console();
            assertEquals(expected, actual, name + ": the console output differs from QEMU's");
            if (run.result().outcome() == RunResult.Outcome.EXITED) {
                assertEquals(qemu.exitStatus(), run.result().exitStatus(), name + ": exit status");
            }
        }
        return run;
    }

    private static String withoutKasouLines(String console) {
        return console.lines().filter(l -> !l.startsWith("kasou:")).collect(java.util.stream.Collectors.joining("\n"));
    }

    private static void assertCompleted(TestGuests.Run run) {
        assertEquals(RunResult.Outcome.EXITED, run.result().outcome(), run.console());
        assertEquals(1, run.result().exitStatus(), run.console());
        assertTrue(run.console().endsWith("done\n"), run.console());
    }

    @Test
    void stringInstructionsAndFarTransfers() throws Exception {
        TestGuests.Run run = runAndCompare("strings.bin");
        assertCompleted(run);
        // Values that follow from the SDM alone, whether or not QEMU is here to compare with.
        assertTrue(run.console().contains("a16 movsb: esi=abcd0015 edi=12340105 ecx=77770000 v=04030201"), run.console());
        assertTrue(run.console().contains("far calls: v=00000008 v=33333333 esp=00000000 v=02430243 v=00000008"), run.console());
    }

    @Test
    void exceptionsAreDeliveredPrecisely() throws Exception {
        TestGuests.Run run = runAndCompare("exceptions.elf");
        assertCompleted(run);
        String out = run.console();
        assertTrue(out.contains("div by zero: vec=00000000 err=00000000 at=+00000000 eax=00001234 edx=00005678"), out);
        assertTrue(out.contains("int3: vec=00000003 err=00000000 at=+00000001"), out);
        assertTrue(out.contains("write to a missing page: vec=0000000e err=00000002 at=+00000000 cr2=003ff123"), out);
    }

    @Test
    void realModeA20AndModeSwitches() throws Exception {
        TestGuests.Run run = runAndCompare("realmode.bin");
        assertCompleted(run);
        String out = run.console();
        // With A20 off, FFFF:0510 is 0000:0500 (the 8086 wrap-around); unreal FS reads above 1 MiB.
        assertTrue(out.contains("a20: 11 02 33 22 33 \n"), out);
        assertTrue(out.contains("unreal fs: c0ffee11 0010 \n"), out);
    }

    @Test
    void selfModifyingCodeAndTlbMaintenance() throws Exception {
        TestGuests.Run run = runAndCompare("selfmod.bin");
        assertCompleted(run);
        String out = run.console();
        assertTrue(out.contains("patched immediates: 00000087 \n"), out); // 3 * (0 + 1 + ... + 9)
        assertTrue(out.contains("next instruction: 00000042 \n"), out);
        assertTrue(out.contains("through an alias: 0000001b through an alias: 005ec0de \n"), out);
    }

    @Test
    void ringThreeSystemCallsGatesAndProtectionFaults() throws Exception {
        TestGuests.Run run = runAndCompare("ring3.bin");
        assertCompleted(run);
        String out = run.console();
        // SDM vol. 3, 6.13: INT n through a gate whose DPL < CPL is #GP(vector * 8 + 2)
        assertTrue(out.contains("#GP err=0000040a cs=0000001b \n"), out);
        // a user-mode write to a present supervisor page: #PF with P, W and U set
        assertTrue(out.contains("cr2=003ff010 #PF err=00000007 cs=0000001b \n"), out);
    }

    @Test
    void systemRegistersTlbSingleStepAndMsrs() throws Exception {
        TestGuests.Run run = runAndCompare("sysregs.bin", true);
        assertCompleted(run);
        String out = run.console();
        assertTrue(out.contains("cr3 reload: non-global=bbbbbbbb \n"), out);
        assertTrue(out.contains("kasou: cr3 reload: global=aaaaaaaa \n"), "a P6 keeps global pages across a CR3 load: " + out);
        assertTrue(out.contains("invlpg, then pge toggled: global=bbbbbbbb global=aaaaaaaa \n"), out);
        assertTrue(out.contains("single-step: traps=00000005 \n"), out);
        // SDM vol. 3, 17.2.4: MOV DR with DR7.GD is a #DB fault with DR6.BD, and GD is cleared
        assertTrue(out.contains("kasou: dr7.gd: vec=00000001 err=00000000 at=+00000000 dr6=00002000 gd after=00000000 \n"), out);
        assertTrue(out.contains("msr storage: eax=00001234 eax=00009000 \n"), out);
        assertTrue(out.contains("kasou: unknown msr: vec=0000000d err=00000000 at=+00000000 \n"), out);
    }

    @Test
    void serialPortAsOnQemu() throws Exception {
        byte[] image = TestGuests.image("serial.bin");
        java.io.ByteArrayOutputStream console = new java.io.ByteArrayOutputStream();
        java.io.ByteArrayOutputStream serial = new java.io.ByteArrayOutputStream();
        Machine m = new Machine(Machine.DEFAULT_RAM_BYTES, console, serial);
        MultibootLoader.load(m, image, "serial.bin", null);
        RunResult r = m.run(LIMIT);
        assertEquals(RunResult.Outcome.EXITED, r.outcome());
        String out = console.toString(java.nio.charset.StandardCharsets.ISO_8859_1);
        assertEquals("hello on COM1\r\n", serial.toString(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertTrue(out.startsWith("dll=00000001 lcr=00000003 scr=000000a5 lsr=00000060 \n"), out);
        if (GuestTools.available("qemu-system-i386")) {
            Path serialFile = dir.resolve("serial.txt");
            GuestTools.Result qemu = GuestTools.qemu(image, dir, "-serial", "file:" + serialFile);
            assertEquals(qemu.stdout(), out, "debug console");
            assertEquals(java.nio.file.Files.readString(serialFile, java.nio.charset.StandardCharsets.ISO_8859_1),
                    serial.toString(java.nio.charset.StandardCharsets.ISO_8859_1), "COM1");
        }
    }

    @Test
    void compiledCRunsAsOnQemu() throws Exception {
        TestGuests.Run run = runAndCompare("cguest.elf");
        assertCompleted(run);
        String out = run.console();
        assertTrue(out.startsWith("queens: 1 0 0 2 10 4 40 92 352\n"), out);
        assertTrue(out.contains("u64: 20!=2432902008176640000 fib90=2880067194370816120 "), out);
        assertTrue(out.contains("quicksort: sorted=1 "), out);
    }

    @Test
    void bootInformationAsTheGuestSeesIt() throws Exception {
        // Not compared with QEMU: its firmware reserves a different memory map.
        TestGuests.Run run = TestGuests.kasou(TestGuests.image("mbinfo.bin"), "mbinfo", LIMIT, 64 << 20, "hello world");
        assertEquals("""
                eax=2badb002 flags=00000245\s
                mem_lower=0000027f mem_upper=0000fc00\s
                cmdline="mbinfo hello world"
                mmap 0000000000000000 +000000000009fc00 type 00000001
                mmap 000000000009fc00 +0000000000060400 type 00000002
                mmap 0000000000100000 +0000000003f00000 type 00000001
                done
                """, run.console());
        assertCompleted(run);
    }

    @Test
    void tripleFaultShutsTheMachineDown() throws Exception {
        TestGuests.Run run = runAndCompare("triple.bin");
        assertEquals("shutting down\n", run.console());
        assertEquals(RunResult.Outcome.SHUTDOWN, run.result().outcome());
    }

    /**
     * With the JIT compiling every block at once (threshold 0), or after a few interpreted runs
     * (threshold 3: code moves between the interpreter and compiled code; threshold 20: units
     * hold only code the interpreter ran), each guest behaves exactly as interpreted.
     */
    @ParameterizedTest
    @CsvSource({"strings.bin, 0", "exceptions.elf, 0", "realmode.bin, 0", "selfmod.bin, 0", "ring3.bin, 0",
        "cguest.elf, 0", "triple.bin, 0", "serial.bin, 0", "mbinfo.bin, 0", "sysregs.bin, 0", "sysregs.bin, 3",
        "strings.bin, 3", "exceptions.elf, 3", "realmode.bin, 3", "selfmod.bin, 3", "ring3.bin, 3", "cguest.elf, 3",
        "strings.bin, 20", "exceptions.elf, 20", "selfmod.bin, 20", "ring3.bin, 20", "cguest.elf, 20"})
    void theJitGivesIdenticalResults(String name, int threshold) throws Exception {
        byte[] image = TestGuests.image(name);
        TestGuests.Run interpreted = TestGuests.kasou(image, name, LIMIT, Machine.DEFAULT_RAM_BYTES, null, -1);
        TestGuests.Run compiled = TestGuests.kasou(image, name, LIMIT, Machine.DEFAULT_RAM_BYTES, null, threshold);
        assertEquals(interpreted.console(), compiled.console(), name);
        assertEquals(interpreted.result().outcome(), compiled.result().outcome(), name);
        assertEquals(interpreted.result().exitStatus(), compiled.result().exitStatus(), name);
        assertEquals(interpreted.result().instructions(), compiled.result().instructions(), name + ": instructions retired");
    }
}
