package org.kasou.pc;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.kasou.cpu.CpuState;
import org.kasou.mem.PhysicalMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a Linux bzImage by the x86 boot protocol (2.x, Documentation/x86/boot.rst) and starts it
 * at its 32-bit entry, as QEMU's -kernel and small loaders do: the protected-mode part at 1 MiB,
 * the zero page (struct boot_params) with the kernel's setup header, the command line, the initrd
 * at the top of RAM below its limit, an e820 map, and the CPU in flat 32-bit protected mode with
 * ESI at the zero page and interrupts off.
 */
public final class LinuxLoader {
    private static final Logger log = LoggerFactory.getLogger(LinuxLoader.class);

    /** Where the loader puts its own structures (below the EBDA, in conventional memory). */
    static final int ZERO_PAGE = 0x90000, CMDLINE = 0x92000, GDT = 0x93000;
    static final int KERNEL_BASE = 0x100000;
    static final int LOW_MEMORY_END = 0x9FC00;
    /** Boot protocol offsets in the image and the zero page. */
    static final int SETUP_SECTS = 0x1F1, SYSSIZE = 0x1F4, HEADER_MAGIC = 0x202, VERSION = 0x206, TYPE_OF_LOADER = 0x210,
            LOADFLAGS = 0x211, CODE32_START = 0x214, RAMDISK_IMAGE = 0x218, RAMDISK_SIZE = 0x21C,
            CMD_LINE_PTR = 0x228, INITRD_ADDR_MAX = 0x22C, CMDLINE_SIZE = 0x238, INIT_SIZE = 0x260,
            ALT_MEM_K = 0x1E0, E820_ENTRIES = 0x1E8, E820_TABLE = 0x2D0, EXT_MEM_K = 0x002;
    static final int LOADED_HIGH = 1;
    /** __BOOT_CS and __BOOT_DS, the selectors the 32-bit boot protocol requires. */
    static final int BOOT_CS = 0x10, BOOT_DS = 0x18;
    static final int CODE_ACCESS = FlatStart.CODE_ACCESS, DATA_ACCESS = FlatStart.DATA_ACCESS;

    private LinuxLoader() {
    }

    /** Whether an image is a bzImage (has the boot protocol's "HdrS" header). */
    public static boolean isBzImage(byte[] image) {
        return image.length >= 0x264 && le32(image, HEADER_MAGIC) == 0x53726448;
    }

    /** Loads the kernel at {@code kernel} with an optional initrd and command line into the machine. */
    public static LoadedKernel load(Machine machine, Path kernel, Path initrd, String cmdline) throws KernelLoadException {
        byte[] image = MultibootLoader.readKernel(kernel);
        byte[] rd = initrd == null ? null : MultibootLoader.readKernel(initrd);
        LoadedKernel k = load(machine.physical, machine.cpu.state, image, kernel.toString(), rd,
                initrd == null ? null : initrd.toString(), cmdline);
        machine.setA20(true);
        return k;
    }

    public static LoadedKernel load(PhysicalMemory mem, CpuState state, byte[] image, String name, byte[] initrd,
            String initrdName, String cmdline) throws KernelLoadException {
        if (!isBzImage(image)) throw new KernelLoadException(name + ": not a Linux bzImage (no boot protocol header)");
        int version = le16(image, VERSION);
        if (version < 0x0206) {
            throw new KernelLoadException(String.format("%s: boot protocol %d.%02d is too old (2.06 or later is needed)", name,
                    version >> 8, version & 0xFF));
        }
        if ((image[LOADFLAGS] & LOADED_HIGH) == 0) throw new KernelLoadException(name + ": not a bzImage (a zImage loads low)");
        int setupSects = image[SETUP_SECTS] & 0xFF;
        if (setupSects == 0) setupSects = 4;
        int setupEnd = (setupSects + 1) * 512;
        if (setupEnd >= image.length) throw new KernelLoadException(name + ": truncated (no protected-mode kernel after the setup code)");
        int kernelSize = image.length - setupEnd;
        // syssize (protocol 2.04 on): the protected-mode kernel's length in 16-byte paragraphs, so a
        // cut-off download is refused here instead of faulting somewhere in the decompressor.
        long sysSize = Integer.toUnsignedLong(le32(image, SYSSIZE)) * 16;
        if (kernelSize < sysSize) {
            throw new KernelLoadException(String.format(java.util.Locale.ROOT, "%s: truncated (%,d bytes of the protected-mode kernel's %,d)",
                    name, kernelSize, sysSize));
        }
        long initSize = version >= 0x020A ? Integer.toUnsignedLong(le32(image, INIT_SIZE)) : 3L * kernelSize;
        long kernelEnd = KERNEL_BASE + Math.max(initSize, kernelSize);
        int ram = mem.ramSize();
        if (kernelEnd > ram) {
            throw new KernelLoadException(String.format("%s: needs %d MiB of RAM to unpack (there are %d MiB)", name,
                    (kernelEnd + (1 << 20) - 1) >> 20, ram >> 20));
        }
        byte[] cmd = (cmdline == null ? "" : cmdline).getBytes(StandardCharsets.UTF_8);
        long cmdlineMax = Integer.toUnsignedLong(le32(image, CMDLINE_SIZE));
        if (cmd.length > cmdlineMax) throw new KernelLoadException(name + ": the command line is longer than its " + cmdlineMax + " bytes");
        long rdAddr = 0;
        if (initrd != null) {
            long max = Integer.toUnsignedLong(le32(image, INITRD_ADDR_MAX));
            long top = Math.min(ram, max + 1);
            rdAddr = (top - initrd.length) & ~0xFFFL;
            if (rdAddr < ((kernelEnd + 0xFFF) & ~0xFFFL)) {
                throw new KernelLoadException(String.format("%s: the initrd (%d KiB) does not fit in RAM (%d MiB) above the kernel",
                        initrdName, initrd.length >> 10, ram >> 20));
            }
            mem.load((int) rdAddr, initrd, 0, initrd.length);
        }
        mem.load(KERNEL_BASE, image, setupEnd, kernelSize);
        writeZeroPage(mem, image, rdAddr, initrd == null ? 0 : initrd.length, ram);
        mem.zero(CMDLINE, cmd.length + 1);
        mem.load(CMDLINE, cmd, 0, cmd.length);
        writeGdt(mem);
        int entry = le32(image, CODE32_START);
        setCpuState(state, entry);
        log.debug("{}: boot protocol {}.{}, kernel at 0x{} ({} bytes, init_size {}), initrd at 0x{}", name, version >> 8,
                Integer.toHexString(version & 0xFF), Integer.toHexString(KERNEL_BASE), kernelSize, initSize, Long.toHexString(rdAddr));
        return new LoadedKernel(entry, KERNEL_BASE, kernelEnd, ZERO_PAGE);
    }

    private static void writeZeroPage(PhysicalMemory mem, byte[] image, long rdAddr, int rdSize, int ram) {
        mem.zero(ZERO_PAGE, 4096);
        // The setup header: from 0x1F1 to its end (0x202 + the byte at 0x201), as the image has it.
        int headerEnd = Math.min(0x202 + (image[0x201] & 0xFF), 0x280);
        mem.load(ZERO_PAGE + SETUP_SECTS, image, SETUP_SECTS, headerEnd - SETUP_SECTS);
        mem.write8(ZERO_PAGE + TYPE_OF_LOADER, 0xFF); // a loader without an assigned id
        mem.write8(ZERO_PAGE + LOADFLAGS, (image[LOADFLAGS] & 0xFF) & ~0x80 | LOADED_HIGH);
        mem.write32(ZERO_PAGE + CMD_LINE_PTR, CMDLINE);
        mem.write32(ZERO_PAGE + RAMDISK_IMAGE, (int) rdAddr);
        mem.write32(ZERO_PAGE + RAMDISK_SIZE, rdSize);
        int extKiB = (ram - KERNEL_BASE) >> 10;
        mem.write16(ZERO_PAGE + EXT_MEM_K, Math.min(extKiB, 0xFFFF));
        mem.write32(ZERO_PAGE + ALT_MEM_K, extKiB);
        int at = ZERO_PAGE + E820_TABLE;
        at = e820(mem, at, 0, LOW_MEMORY_END, 1);
        at = e820(mem, at, LOW_MEMORY_END, 0xA0000 - LOW_MEMORY_END, 2);
        at = e820(mem, at, 0xF0000, 0x10000, 2);
        e820(mem, at, KERNEL_BASE, ram - KERNEL_BASE, 1);
        mem.write8(ZERO_PAGE + E820_ENTRIES, 4);
    }

    /** One struct boot_e820_entry: u64 addr, u64 size, u32 type (1 = RAM, 2 = reserved). */
    private static int e820(PhysicalMemory mem, int at, long base, long size, int type) {
        mem.write32(at, (int) base);
        mem.write32(at + 4, (int) (base >>> 32));
        mem.write32(at + 8, (int) size);
        mem.write32(at + 12, (int) (size >>> 32));
        mem.write32(at + 16, type);
        return at + 20;
    }

    private static void writeGdt(PhysicalMemory mem) {
        mem.zero(GDT, 4 * 8);
        mem.write32(GDT + BOOT_CS, 0x0000FFFF);
        mem.write32(GDT + BOOT_CS + 4, CODE_ACCESS << 8);
        mem.write32(GDT + BOOT_DS, 0x0000FFFF);
        mem.write32(GDT + BOOT_DS + 4, DATA_ACCESS << 8);
    }

    /** The 32-bit boot protocol's state: flat __BOOT_CS/__BOOT_DS, ESI at the zero page, EBP, EDI, EBX zero, IF clear. */
    private static void setCpuState(CpuState s, int entry) {
        FlatStart.enter(s, GDT, 4, BOOT_CS, BOOT_DS, entry);
        s.gpr[CpuState.ESI] = ZERO_PAGE;
        s.gpr[CpuState.ESP] = ZERO_PAGE; // the kernel sets up its own stack at once
    }

    private static int le16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static int le32(byte[] b, int off) {
        return MultibootHeader.le32(b, off);
    }
}
