package org.kasou.pc;

import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;

/**
 * The CPU state both kernel loaders leave (multiboot and Linux's 32-bit boot protocol): protected
 * mode without paging, flat 4 GiB code and data segments from the loader's GDT, interrupts off,
 * the real-mode IVT still as IDT (the kernel loads its own), CPL 0, at the kernel's entry. The x87
 * is as firmware leaves it: a PC's power-on self test initialises the coprocessor (FNINIT), so a
 * kernel starts with every x87 exception masked and 64-bit precision, not with the RESET state's
 * single precision and unmasked exceptions, which only code run from the reset vector sees.
 */
final class FlatStart {
    static final int CODE_ACCESS = 0xCF9B, DATA_ACCESS = 0xCF93;

    private FlatStart() {
    }

    /** Everything but the general registers, which each protocol sets itself (after this clears them). */
    static void enter(CpuState s, int gdt, int gdtEntries, int codeSelector, int dataSelector, int entry) {
        java.util.Arrays.fill(s.gpr, 0);
        s.eip = entry;
        s.setEflags(0x2); // IF = 0, DF = 0
        s.cr0 = CpuState.CR0_PE | CpuState.CR0_ET;
        s.cr2 = s.cr3 = s.cr4 = 0;
        s.gdtrBase = gdt;
        s.gdtrLimit = gdtEntries * 8 - 1;
        s.idtrBase = 0;
        s.idtrLimit = 0x3FF;
        s.seg[Segment.CS].set(codeSelector, 0, 0xFFFFFFFF, CODE_ACCESS);
        for (int r : new int[] {Segment.ES, Segment.SS, Segment.DS, Segment.FS, Segment.GS}) {
            s.seg[r].set(dataSelector, 0, 0xFFFFFFFF, DATA_ACCESS);
        }
        s.seg[Segment.LDTR].set(0, 0, 0xFFFF, 0x82);
        s.seg[Segment.TR].set(0, 0, 0xFFFF, 0x8B);
        s.cpl = 0;
        s.halted = false;
        s.interruptShadow = false;
        s.fpu.init();
    }
}
