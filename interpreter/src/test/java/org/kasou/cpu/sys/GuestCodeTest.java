package org.kasou.cpu.sys;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.StopReason;

/**
 * System behaviour driven by real instruction bytes through the interpreter. The programs are
 * assembled from the .asm files next to them with {@code nasm -f bin}.
 */
class GuestCodeTest {
    final SysFixture f = new SysFixture();

    void load(String name, int at) throws IOException {
        try (InputStream in = GuestCodeTest.class.getResourceAsStream(name)) {
            byte[] code = in.readAllBytes();
            f.phys.load(at, code, 0, code.length);
        }
    }

    @Test
    void realModeToPagedProtectedModeWithPageFaultAndTripleFault() throws IOException {
        load("pm_paging_pf.bin", 0x1000);
        CpuState s = f.s;
        s.seg[Segment.CS].loadReal(0);
        s.eip = 0x1000;
        StopReason why = f.cpu.run(100_000);
        assertEquals(StopReason.SHUTDOWN, why, "UD2 with an empty IDT ends in a triple fault");
        assertEquals(0x1234, f.phys.read16(0x500), "INT 40h through the IVT and back with IRET");
        assertEquals(0x200010, f.phys.read32(0x508), "CR2 in the #PF handler");
        assertEquals(2, f.phys.read32(0x50C), "#PF error code: supervisor write to a non-present page");
        assertEquals(0xCAFEBABE, f.phys.read32(0x504), "the faulting store re-executed after the handler mapped the page");
        assertEquals(0x300003 | 0x60, f.phys.read32(0x11000 + 0x200 * 4), "accessed and dirty set in the PTE");
        assertEquals(0x30, f.phys.read32(0x510), "INT 30h through a trap gate");
        assertEquals(0x08, s.seg[Segment.CS].selector);
    }

    @Test
    void ringThreeSystemCallsAndPrivilegeFaults() throws IOException {
        f.protectedFlat(); // flat ring-0 segments; the program then loads its own tables over the fixture's
        load("ring3_syscalls.bin", 0x1000);
        CpuState s = f.s;
        s.eip = 0x1000;
        StopReason why = f.cpu.run(100_000);
        assertEquals(StopReason.HALTED, why);
        assertEquals(14, f.phys.read32(0x600), "INT 80h handler doubled EAX");
        assertEquals(0x1B, f.phys.read32(0x610), "the user CS pushed on the kernel stack");
        assertEquals(0x9000 - 20, f.phys.read32(0x614), "kernel ESP from the TSS, minus SS, ESP, EFLAGS, CS, EIP");
        assertEquals(0, f.phys.read32(0x618), "#GP(0) for CLI at CPL 3 with IOPL 0");
        assertEquals(0x105D, f.phys.read32(0x61C), "#GP pushed the address of the CLI");
        assertEquals(1, f.phys.read32(0x604), "execution resumed after the skipped CLI");
        assertEquals(0x9800, f.phys.read32(0x620), "SYSENTER loaded ESP from the MSR");
        assertEquals(0x1B, f.phys.read16(0x608), "SYSEXIT returned to CS = SYSENTER_CS + 16 | 3");
        assertEquals(0, s.cpl, "halted in the INT 81h handler at ring 0");
    }

    @Test
    void virtual8086ModeInterruptsAndSensitiveInstructions() throws IOException {
        f.protectedFlat();
        load("v86_monitor.bin", 0x1000);
        CpuState s = f.s;
        s.eip = 0x1000;
        StopReason why = f.cpu.run(100_000);
        assertEquals(StopReason.HALTED, why);
        assertEquals(0x1235, f.phys.read16(0x2010), "16-bit code at DS=0200h stored AX after INT 21h incremented it");
        assertEquals(0x9000 - 36, f.phys.read32(0x600), "INT from virtual-8086 mode pushes GS, FS, DS, ES, SS, ESP, EFLAGS, CS, EIP");
        assertEquals(0, f.phys.read32(0x604), "HLT at CPL 3: #GP(0)");
        assertEquals(0x44, f.phys.read32(0x608), "the IP of the HLT");
        assertEquals(0x23002, f.phys.read32(0x60C) & 0x2F002, "VM and IOPL in the pushed EFLAGS");
        assertEquals(0x300, f.phys.read32(0x610), "the virtual-8086 SS");
        assertEquals(0, s.cpl);
    }

    @Test
    void codeRewrittenThroughAnotherLinearAddressIsDecodedAgain() throws IOException {
        f.protectedFlat();
        load("code_write_through_alias.bin", 0x1000);
        f.s.eip = 0x1000;
        assertEquals(StopReason.HALTED, f.cpu.run(100_000));
        assertEquals(1, f.phys.read32(0x600), "the original code");
        assertEquals(2, f.phys.read32(0x604), "the code patched through the alias at 0x400000");
        assertEquals(0x3003 | 0x60, f.phys.read32(0x608), "the alias PTE is accessed and dirty");
    }
}
