package org.kasou.conformance.oracle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;
import org.kasou.io.IoPortBus;
import org.kasou.jit.JitEngine;
import org.kasou.mem.PhysicalMemory;

/**
 * CMPS and MOVS with both memory operands on absent pages: the host CPU (a native 64-bit program,
 * string_page_fault_order.c, telling by the fault address of its SIGSEGV) and kasou, in 32-bit
 * protected mode with paging on the interpreter and the JIT, report the same operand's #PF.
 *
 * <p>kasou keeps the order of Intel's processors, whose CMPS reads the source first. Some of
 * AMD's report the destination's fault for CMPS (an EPYC of family 23) and others the source's, as
 * Intel's do (an EPYC of family 26); all report the source's for MOVS. On an AMD host the test
 * takes a destination answer for a CMPS form as that known difference, and expects agreement
 * everywhere else.
 */
class StringPageFaultOrderHostTest {
    /** The forms the host program runs, with their 32-bit encodings. */
    private static final Map<String, String> FORMS = new LinkedHashMap<>();

    static {
        FORMS.put("cmpsb", "a6");
        FORMS.put("cmpsw", "66a7");
        FORMS.put("cmpsd", "a7");
        FORMS.put("repe-cmpsb", "f3a6");
        FORMS.put("repne-cmpsb", "f2a6");
        FORMS.put("repe-cmpsd", "f3a7");
        FORMS.put("movsb", "a4");
        FORMS.put("movsd", "a5");
        FORMS.put("rep-movsb", "f3a4");
        FORMS.put("rep-movsd", "f3a5");
    }

    private static final int GDT = 0x1000, IDT = 0x2000, CODE = 0x5000, PF_HANDLER = 0x6000, STACK = 0x9000;
    private static final int PAGE_DIRECTORY = 0x100000, PAGE_TABLE = 0x101000;
    /** ESI and EDI: on pages 0x20 and 0x21, the first two the page table leaves out. */
    private static final int SOURCE = 0x20010, DESTINATION = 0x21020;

    @TempDir
    Path dir;

    private Map<String, String> host() throws IOException, InterruptedException {
        assumeTrue("amd64".equals(System.getProperty("os.arch")) || "x86_64".equals(System.getProperty("os.arch")),
                "the host is not x86-64");
        Path source = dir.resolve("string_page_fault_order.c"), program = dir.resolve("string_page_fault_order");
        try (InputStream in = getClass().getResourceAsStream("string_page_fault_order.c")) {
            Files.write(source, in.readAllBytes());
        }
        Process gcc;
        try {
            gcc = new ProcessBuilder("gcc", "-O1", "-o", program.toString(), source.toString()).redirectErrorStream(true).start();
        } catch (IOException e) {
            assumeTrue(false, "gcc is not installed");
            throw e;
        }
        String gccOutput = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assumeTrue(gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0, "gcc failed: " + gccOutput);
        Process run = new ProcessBuilder(program.toString()).start();
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, run.waitFor(), "the host program's exit status");
        Map<String, String> answers = new LinkedHashMap<>();
        out.lines().map(l -> l.split(" ")).forEach(w -> answers.put(w[0], w[1]));
        return answers;
    }

    /** "source" or "destination": whose page kasou's #PF names in CR2. */
    private static String kasou(String hex, boolean jit) {
        PhysicalMemory phys = new PhysicalMemory(4 << 20);
        Cpu cpu = new Cpu(phys, new IoPortBus());
        if (jit) JitEngine.install(cpu, 0);
        CpuState s = cpu.state;
        phys.write32(GDT + 8, 0x0000FFFF);
        phys.write32(GDT + 12, 0x00CF9A00);
        phys.write32(GDT + 16, 0x0000FFFF);
        phys.write32(GDT + 20, 0x00CF9200);
        s.gdtrBase = GDT;
        s.gdtrLimit = 23;
        phys.write32(IDT + 14 * 8, (0x08 << 16) | (PF_HANDLER & 0xFFFF));
        phys.write32(IDT + 14 * 8 + 4, (PF_HANDLER & 0xFFFF0000) | 0x8E00);
        s.idtrBase = IDT;
        s.idtrLimit = 32 * 8 - 1;
        phys.write8(PF_HANDLER, 0xF4);
        byte[] code = HexFormat.of().parseHex(hex);
        for (int i = 0; i < code.length; i++) phys.write8(CODE + i, code[i]);
        phys.write8(CODE + code.length, 0xF4);
        phys.write32(PAGE_DIRECTORY, PAGE_TABLE | 3);
        for (int page = 0; page < 0x20; page++) phys.write32(PAGE_TABLE + 4 * page, (page << 12) | 3);
        s.cr0 |= CpuState.CR0_PE;
        s.seg[Segment.CS].set(0x08, 0, 0xFFFFFFFF, 0xC09B);
        for (int seg : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) {
            s.seg[seg].set(0x10, 0, 0xFFFFFFFF, 0xC093);
        }
        s.cr3 = PAGE_DIRECTORY;
        s.cr0 |= CpuState.CR0_PG;
        cpu.memory.flushTlb();
        s.gpr[CpuState.ESP] = STACK;
        s.gpr[CpuState.ESI] = SOURCE;
        s.gpr[CpuState.EDI] = DESTINATION;
        s.gpr[CpuState.ECX] = 2;
        s.eip = CODE;
        assertEquals(StopReason.HALTED, cpu.run(100), hex);
        if (s.eip != PF_HANDLER + 1) return "none";
        return s.cr2 == SOURCE ? "source" : s.cr2 == DESTINATION ? "destination" : "cr2 " + Integer.toHexString(s.cr2);
    }

    @Test
    void bothEnginesReportTheOperandTheHostReports() throws Exception {
        String vendor = hostVendor();
        boolean amd = "AuthenticAMD".equals(vendor);
        assumeTrue(amd || "GenuineIntel".equals(vendor), "a host CPU of another vendor: " + vendor);
        Map<String, String> host = host();
        assertEquals(FORMS.keySet(), host.keySet(), "the forms the host program ran");
        for (Map.Entry<String, String> form : FORMS.entrySet()) {
            String expected = host.get(form.getKey());
            if (amd && form.getKey().contains("cmps") && "destination".equals(expected)) {
                expected = "source"; // Intel's order, which kasou keeps
            }
            assertEquals(expected, kasou(form.getValue(), false), form.getKey() + " on the interpreter");
            assertEquals(expected, kasou(form.getValue(), true), form.getKey() + " with the JIT");
        }
    }

    /** The host CPU's vendor string from /proc/cpuinfo, or "" when it cannot be read. */
    private static String hostVendor() throws IOException {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) return "";
        try (var lines = Files.lines(cpuinfo)) {
            return lines.filter(l -> l.startsWith("vendor_id")).map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst().orElse("");
        }
    }
}
