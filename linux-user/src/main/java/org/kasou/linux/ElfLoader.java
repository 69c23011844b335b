package org.kasou.linux;

/**
 * Maps an ELF image's PT_LOAD segments into an address space: at their addresses for ET_EXEC, at
 * a load bias for ET_DYN (PIE and the dynamic loader), with the protection of their flags and the
 * part past the file's bytes zeroed (.bss).
 */
final class ElfLoader {
    /** Where a position-independent main program goes. */
    static final int PIE_BASE = 0x56555000;

    /** Where an image ended up. */
    record Loaded(int bias, int entry, int phdr, int end) {
    }

    private ElfLoader() {
    }

    /**
     * Loads {@code elf}: a position-independent image at {@code dynBase} (or, for -1, the highest
     * free place below the mmap top).
     */
    static Loaded load(ElfImage elf, AddressSpace as, int dynBase) {
        long lo = Long.MAX_VALUE, hi = 0;
        for (ElfImage.Segment s : elf.segments) {
            if (s.type() != ElfImage.PT_LOAD) continue;
            lo = Math.min(lo, Integer.toUnsignedLong(s.vaddr()) & ~0xFFFL);
            hi = Math.max(hi, Integer.toUnsignedLong(s.vaddr()) + Integer.toUnsignedLong(s.memsz()));
        }
        int bias = 0;
        if (elf.type == ElfImage.ET_DYN) {
            int span = (int) (((hi - lo) + 0xFFF) & ~0xFFFL);
            int base = dynBase != -1 && as.isFree(dynBase, span) ? dynBase : as.findFree(span, AddressSpace.MMAP_TOP);
            if (base == -1) throw new LinuxError(Errno.ENOMEM);
            bias = base - (int) lo;
        } else if (!as.isFree((int) lo, (int) (hi - lo))) {
            throw new ElfImage.ElfFormatException("its segments overlap each other, the stack or the top 4 MiB of the address space");
        }
        int phdr = 0;
        long end = 0;
        for (ElfImage.Segment s : elf.segments) {
            if (s.type() == ElfImage.PT_PHDR) phdr = s.vaddr() + bias;
            if (s.type() != ElfImage.PT_LOAD) continue;
            int start = (s.vaddr() + bias) & ~0xFFF;
            int len = (s.vaddr() + bias + s.memsz()) - start;
            int prot = ((s.flags() & ElfImage.PF_R) != 0 ? AddressSpace.PROT_READ : 0)
                    | ((s.flags() & ElfImage.PF_W) != 0 ? AddressSpace.PROT_WRITE : 0)
                    | ((s.flags() & ElfImage.PF_X) != 0 ? AddressSpace.PROT_EXEC : 0);
            // Whole pages of the file's bytes that no other segment shares are read from the image
            // when first touched (as Linux maps them); the rest is written now.
            int[] lazy = filePages(elf, s, bias);
            if (lazy[1] > lazy[0]) {
                int fileStart = s.offset() + (lazy[0] - (s.vaddr() + bias));
                as.mapFile(lazy[0], lazy[1] - lazy[0], prot, java.nio.ByteBuffer.wrap(elf.data, fileStart, lazy[1] - lazy[0]).slice());
            }
            // Two segments may share a page: it gets both protections and keeps the first's bytes.
            for (int p = start; Integer.compareUnsigned(p, start + len) < 0 && len > 0; p += AddressSpace.PAGE) {
                if (!as.isMapped(p)) as.map(p, AddressSpace.PAGE, prot);
            }
            as.protectUnion(start, len, prot);
            int from = s.vaddr() + bias, to = from + s.filesz();
            if (lazy[1] > lazy[0]) {
                as.writeImage(from, elf.data, s.offset(), lazy[0] - from);
                as.writeImage(lazy[1], elf.data, s.offset() + (lazy[1] - from), to - lazy[1]);
            } else {
                as.writeImage(from, elf.data, s.offset(), s.filesz());
            }
            if (phdr == 0 && s.offset() == 0) phdr = s.vaddr() + bias + elf.phoff;
            end = Math.max(end, Integer.toUnsignedLong(s.vaddr() + bias) + Integer.toUnsignedLong(s.memsz()));
        }
        if (phdr == 0) phdr = (int) lo + bias + elf.phoff;
        return new Loaded(bias, elf.entry + bias, phdr, (int) end);
    }

    /**
     * The pages [first, end) of segment s (at load bias {@code bias}) that hold only its file's
     * bytes and share no byte with another PT_LOAD segment; first >= end when there are none.
     */
    private static int[] filePages(ElfImage elf, ElfImage.Segment s, int bias) {
        long from = Integer.toUnsignedLong(s.vaddr() + bias), to = from + Integer.toUnsignedLong(s.filesz());
        long first = (from + 0xFFF) & ~0xFFFL, end = to & ~0xFFFL;
        // the image's bytes and the pages must line up for a page to come from the image as it is
        if (((s.vaddr() - s.offset()) & 0xFFF) != 0 || Integer.toUnsignedLong(s.offset()) + s.filesz() > elf.data.length) end = first;
        for (ElfImage.Segment o : elf.segments) {
            if (o == s || o.type() != ElfImage.PT_LOAD) continue;
            long oFrom = Integer.toUnsignedLong(o.vaddr() + bias) & ~0xFFFL;
            long oTo = Integer.toUnsignedLong(o.vaddr() + bias) + Integer.toUnsignedLong(o.memsz());
            if (oTo <= first || oFrom >= end) continue;
            // another segment's pages reach into the range: keep the part before them, or after
            if (oFrom <= first) first = Math.max(first, (oTo + 0xFFF) & ~0xFFFL);
            else end = Math.min(end, oFrom);
        }
        return new int[] {(int) first, (int) Math.max(first, end)};
    }
}
