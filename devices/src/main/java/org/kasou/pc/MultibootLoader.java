package org.kasou.pc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.kasou.cpu.CpuState;
import org.kasou.mem.PhysicalMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a multiboot v1 kernel the way QEMU's {@code -kernel} does (Multiboot Specification
 * 0.6.96): an ELF32 i386 executable, or any image whose header carries the address fields (flag
 * bit 16, the "a.out kludge"). Leaves the CPU in the state of section 3.2: 32-bit protected mode
 * with flat segments, paging and interrupts off, EAX = 0x2BADB002, EBX = the information
 * structure with a memory map.
 */
public final class MultibootLoader {
    private static final Logger log = LoggerFactory.getLogger(MultibootLoader.class);

    public static final int BOOTLOADER_MAGIC = 0x2BADB002;
    /** End of usable conventional memory: the EBDA and the ROM area follow, up to 1 MiB. */
    static final int LOW_MEMORY_END = 0x9FC00;
    static final int HIGH_MEMORY_START = 0x100000;

    // Layout of the boot information block placed after the kernel (offsets from its base).
    static final int GDT_OFFSET = 0x00;
    static final int INFO_OFFSET = 0x40;
    static final int INFO_SIZE = 116;
    static final int MMAP_OFFSET = 0x100;
    static final int LOADER_NAME_OFFSET = 0x180;
    static final int CMDLINE_OFFSET = 0x200;

    // multiboot_info flags (section 3.3)
    static final int INFO_MEMORY = 1;
    static final int INFO_CMDLINE = 1 << 2;
    static final int INFO_MMAP = 1 << 6;
    static final int INFO_LOADER_NAME = 1 << 9;

    /** Selectors of the flat segments in the GDT the loader leaves behind. */
    public static final int CODE_SELECTOR = 0x08, DATA_SELECTOR = 0x10;
    /** Descriptor bits 8-23 of a flat 4 GiB 32-bit segment: code execute/read, data read/write. */
    static final int CODE_ACCESS = FlatStart.CODE_ACCESS, DATA_ACCESS = FlatStart.DATA_ACCESS;

    private MultibootLoader() {
    }

    /** Reads and loads a kernel file into the machine's RAM and CPU. */
    public static LoadedKernel load(Machine machine, Path file, String cmdline) throws KernelLoadException {
        return load(machine, readKernel(file), file.toString(), cmdline);
    }

    public static LoadedKernel load(Machine machine, byte[] image, String name, String cmdline)
            throws KernelLoadException {
        LoadedKernel k = load(machine.physical, machine.cpu.state, image, name, cmdline);
        machine.setA20(true);
        return k;
    }

    /**
     * Places the kernel in {@code mem} and sets {@code state} as a multiboot loader leaves it.
     *
     * @param name how error messages call the image (usually its path)
     * @param cmdline the arguments for the kernel, or null for none; like QEMU (and GRUB), the
     *     loader passes the command line "NAME ARGUMENTS", the image's name first
     */
    public static LoadedKernel load(PhysicalMemory mem, CpuState state, byte[] image, String name, String cmdline)
            throws KernelLoadException {
        MultibootHeader header = MultibootHeader.find(image, name);
        List<Chunk> chunks = new ArrayList<>();
        int entry;
        if (header.hasAddressFields()) {
            entry = planFlat(header, image, name, chunks);
        } else {
            entry = planElf(image, name, chunks);
        }
        long start = Long.MAX_VALUE, end = 0;
        for (Chunk c : chunks) {
            if (c.paddr + c.memsz > mem.ramSize()) {
                throw new KernelLoadException(String.format(
                        "%s: %s at 0x%x-0x%x does not fit in RAM (%d MiB)",
                        name, c.what, c.paddr, c.paddr + c.memsz - 1, mem.ramSize() >> 20));
            }
            start = Math.min(start, c.paddr);
            end = Math.max(end, c.paddr + c.memsz);
        }
        long infoBase = (end + 0xFFF) & ~0xFFFL;
        byte[] cmd = (name + " " + (cmdline == null ? "" : cmdline)).getBytes(StandardCharsets.UTF_8);
        long infoEnd = infoBase + CMDLINE_OFFSET + cmd.length + 1;
        if (infoEnd > mem.ramSize()) {
            throw new KernelLoadException(String.format(
                    "%s: no room in RAM (%d MiB) for the boot information after the kernel, which ends at 0x%x",
                    name, mem.ramSize() >> 20, end));
        }
        for (Chunk c : chunks) {
            mem.load((int) c.paddr, image, c.fileOffset, (int) c.filesz);
            mem.zero((int) (c.paddr + c.filesz), (int) (c.memsz - c.filesz)); // bss: untouched RAM stays unallocated
        }
        int info = writeBootInformation(mem, (int) infoBase, cmd);
        setCpuState(state, (int) infoBase + GDT_OFFSET, entry, info);
        log.debug("{}: loaded 0x{}-0x{}, entry 0x{}, multiboot info at 0x{}", name, Long.toHexString(start),
                Long.toHexString(end), Integer.toHexString(entry), Integer.toHexString(info));
        return new LoadedKernel(entry, start, end, info);
    }

    /** Reads a kernel file, turning every I/O problem into a one-line message. */
    public static byte[] readKernel(Path file) throws KernelLoadException {
        try {
            if (Files.isDirectory(file)) {
                throw new KernelLoadException(file + ": is a directory, not a kernel file");
            }
            if (Files.exists(file) && !Files.isRegularFile(file)) {
                // a device or a pipe could be endless (/dev/zero)
                throw new KernelLoadException(file + ": not a regular file");
            }
            if (Files.size(file) > Integer.MAX_VALUE - 8) {
                throw new KernelLoadException(file + ": too large to be a kernel (" + Files.size(file) + " bytes)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KernelLoadException(file + ": no such file");
        } catch (AccessDeniedException e) {
            throw new KernelLoadException(file + ": permission denied");
        } catch (IOException e) {
            throw new KernelLoadException(file + ": cannot read: " + e.getMessage());
        }
    }

    /** Bytes to copy from the image and bytes to zero after them. */
    private record Chunk(String what, long paddr, int fileOffset, long filesz, long memsz) {
    }

    /** The address fields say where the image goes (section 3.1.3). */
    private static int planFlat(MultibootHeader h, byte[] image, String name, List<Chunk> chunks)
            throws KernelLoadException {
        long headerAddr = Integer.toUnsignedLong(h.headerAddr());
        long loadAddr = Integer.toUnsignedLong(h.loadAddr());
        if (loadAddr > headerAddr || headerAddr - loadAddr > h.offset()) {
            throw new KernelLoadException(String.format(
                    "%s: inconsistent multiboot address fields (header_addr 0x%x, load_addr 0x%x, header at file offset 0x%x)",
                    name, headerAddr, loadAddr, h.offset()));
        }
        int fileOffset = (int) (h.offset() - (headerAddr - loadAddr));
        long loadEnd = h.loadEndAddr() == 0 ? loadAddr + image.length - fileOffset
                : Integer.toUnsignedLong(h.loadEndAddr());
        if (loadEnd < loadAddr) {
            throw new KernelLoadException(String.format(
                    "%s: multiboot load_end_addr 0x%x is below load_addr 0x%x", name, loadEnd, loadAddr));
        }
        long filesz = loadEnd - loadAddr;
        if (fileOffset + filesz > image.length) {
            throw new KernelLoadException(String.format(
                    "%s: truncated: the multiboot header asks for %d bytes from offset 0x%x, the file has %d",
                    name, filesz, fileOffset, image.length - fileOffset));
        }
        long bssEnd = h.bssEndAddr() == 0 ? loadEnd : Integer.toUnsignedLong(h.bssEndAddr());
        if (bssEnd < loadEnd) {
            throw new KernelLoadException(String.format(
                    "%s: multiboot bss_end_addr 0x%x is below load_end_addr 0x%x", name, bssEnd, loadEnd));
        }
        chunks.add(new Chunk("the image", loadAddr, fileOffset, filesz, bssEnd - loadAddr));
        return h.entryAddr();
    }

    // ELF32 (System V ABI, Intel386 supplement): header and program header fields used here.
    private static final int ELF_HEADER_SIZE = 52, PHDR_SIZE = 32;
    private static final int ET_EXEC = 2, EM_386 = 3, PT_LOAD = 1;

    private static int planElf(byte[] image, String name, List<Chunk> chunks) throws KernelLoadException {
        if (image.length < 4 || image[0] != 0x7F || image[1] != 'E' || image[2] != 'L' || image[3] != 'F') {
            throw new KernelLoadException(name
                    + ": not an ELF file, and its multiboot header has no address fields (flag bit 16)");
        }
        if (image.length < ELF_HEADER_SIZE) {
            throw new KernelLoadException(name + ": truncated ELF header (" + image.length + " bytes)");
        }
        if (image[4] == 2) {
            throw new KernelLoadException(name + ": 64-bit ELF; multiboot v1 kernels must be 32-bit (ELFCLASS32)");
        }
        if (image[4] != 1 || image[5] != 1) {
            throw new KernelLoadException(name + ": not a little-endian 32-bit ELF file");
        }
        int type = le16(image, 16), machine = le16(image, 18);
        if (machine != EM_386) {
            throw new KernelLoadException(name + ": ELF for machine " + machine + ", not i386 (3)");
        }
        if (type != ET_EXEC) {
            throw new KernelLoadException(name + ": ELF type " + type + " is not an executable (ET_EXEC)");
        }
        int entry = MultibootHeader.le32(image, 24);
        long phoff = Integer.toUnsignedLong(MultibootHeader.le32(image, 28));
        int phentsize = le16(image, 42), phnum = le16(image, 44);
        if (phnum > 0 && phentsize < PHDR_SIZE) {
            throw new KernelLoadException(name + ": bad ELF program header size " + phentsize);
        }
        if (phoff + (long) phnum * phentsize > image.length) {
            throw new KernelLoadException(name + ": truncated ELF: the program headers run past the end of the file");
        }
        long entryPhysical = Integer.toUnsignedLong(entry);
        for (int i = 0; i < phnum; i++) {
            int ph = (int) (phoff + (long) i * phentsize);
            if (MultibootHeader.le32(image, ph) != PT_LOAD) {
                continue;
            }
            long offset = u32(image, ph + 4), vaddr = u32(image, ph + 8), paddr = u32(image, ph + 12);
            long filesz = u32(image, ph + 16), memsz = u32(image, ph + 20);
            if (memsz == 0) {
                continue;
            }
            if (filesz > memsz) {
                throw new KernelLoadException(String.format(
                        "%s: ELF segment %d has a file size 0x%x larger than its memory size 0x%x", name, i, filesz, memsz));
            }
            if (offset + filesz > image.length) {
                throw new KernelLoadException(String.format(
                        "%s: truncated ELF: segment %d needs file bytes 0x%x-0x%x, the file has 0x%x",
                        name, i, offset, offset + filesz, image.length));
            }
            chunks.add(new Chunk("ELF segment " + i, paddr, (int) offset, filesz, memsz));
            long e = Integer.toUnsignedLong(entry);
            if (vaddr != paddr && e >= vaddr && e < vaddr + memsz) {
                // A kernel linked to run higher up (vaddr != paddr) starts with paging off:
                // QEMU, like GRUB, jumps to the physical address of the entry point.
                entryPhysical = paddr + (e - vaddr);
            }
        }
        if (chunks.isEmpty()) {
            throw new KernelLoadException(name + ": the ELF file has no loadable segment");
        }
        return (int) entryPhysical;
    }

    /** Writes the GDT, the multiboot_info structure, the memory map and the strings. */
    private static int writeBootInformation(PhysicalMemory mem, int base, byte[] cmd) {
        mem.zero(base, CMDLINE_OFFSET);
        int gdt = base + GDT_OFFSET;
        writeDescriptor(mem, gdt + CODE_SELECTOR, CODE_ACCESS);
        writeDescriptor(mem, gdt + DATA_SELECTOR, DATA_ACCESS);

        long ram = mem.ramSize();
        int mmap = base + MMAP_OFFSET;
        int e = mmap;
        e = writeMmapEntry(mem, e, 0, LOW_MEMORY_END, 1);
        e = writeMmapEntry(mem, e, LOW_MEMORY_END, HIGH_MEMORY_START - LOW_MEMORY_END, 2);
        if (ram > HIGH_MEMORY_START) {
            e = writeMmapEntry(mem, e, HIGH_MEMORY_START, ram - HIGH_MEMORY_START, 1);
        }

        int info = base + INFO_OFFSET;
        int flags = INFO_MEMORY | INFO_MMAP | INFO_LOADER_NAME;
        mem.write32(info + 4, LOW_MEMORY_END / 1024);                                   // mem_lower (KiB)
        mem.write32(info + 8, (int) (Math.max(0, ram - HIGH_MEMORY_START) / 1024));   // mem_upper (KiB)
        flags |= INFO_CMDLINE;
        int c = base + CMDLINE_OFFSET;
        mem.load(c, cmd, 0, cmd.length);
        mem.write8(c + cmd.length, 0);
        mem.write32(info + 16, c);
        mem.write32(info + 44, e - mmap);                                              // mmap_length
        mem.write32(info + 48, mmap);                                                  // mmap_addr
        byte[] loaderName = "kasou\0".getBytes(StandardCharsets.US_ASCII);
        mem.load(base + LOADER_NAME_OFFSET, loaderName, 0, loaderName.length);
        mem.write32(info + 64, base + LOADER_NAME_OFFSET);                             // boot_loader_name
        mem.write32(info, flags);
        return info;
    }

    /** One memory map entry: size (of the rest), base_addr, length, type (section 3.3). */
    private static int writeMmapEntry(PhysicalMemory mem, int at, long base, long length, int type) {
        mem.write32(at, 20);
        mem.write32(at + 4, (int) base);
        mem.write32(at + 8, (int) (base >>> 32));
        mem.write32(at + 12, (int) length);
        mem.write32(at + 16, (int) (length >>> 32));
        mem.write32(at + 20, type);
        return at + 24;
    }

    /** A flat descriptor: base 0, limit 0xFFFFF pages, access bits 8-23 as given. */
    private static void writeDescriptor(PhysicalMemory mem, int at, int access) {
        mem.write32(at, 0x0000FFFF);
        mem.write32(at + 4, access << 8);
    }

    private static void setCpuState(CpuState s, int gdt, int entry, int info) {
        FlatStart.enter(s, gdt, 3, CODE_SELECTOR, DATA_SELECTOR, entry);
        s.gpr[CpuState.EAX] = BOOTLOADER_MAGIC;
        s.gpr[CpuState.EBX] = info;
        s.gpr[CpuState.ESP] = 0x7C00; // undefined by the specification; a harmless free spot
    }

    private static int le16(byte[] b, int off) {
        return (b[off] & 0xFF) | (b[off + 1] & 0xFF) << 8;
    }

    private static long u32(byte[] b, int off) {
        return Integer.toUnsignedLong(MultibootHeader.le32(b, off));
    }
}
