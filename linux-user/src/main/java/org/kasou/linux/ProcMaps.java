package org.kasou.linux;

import java.util.List;

/**
 * A process's /proc/self/maps, made from its own address space (the host's file is the JVM's, with
 * 64-bit addresses): a line per run of pages with the same protection and sharing, the break's
 * area named [heap] and the main stack's [stack]. glibc's pthread_getattr_np reads it to find the
 * main thread's stack. File mappings are listed without their file's name, offset and inode
 * (the pages keep their contents, not where they came from).
 */
final class ProcMaps {
    private ProcMaps() {
    }

    static String of(AddressSpace as) {
        int heapLo = (as.brkStart + 0xFFF) >>> 12, heapHi = (int) ((Integer.toUnsignedLong(as.brk) + 0xFFF) >>> 12);
        int stackLo = (LinuxProcess.STACK_TOP - LinuxProcess.STACK_SIZE) >>> 12, stackHi = LinuxProcess.STACK_TOP >>> 12;
        StringBuilder out = new StringBuilder();
        for (int[] run : as.mappedRuns()) {
            // The heap and the stack are lines of their own, as Linux's vmas are.
            split(out, run, heapLo, heapHi, "[heap]", stackLo, stackHi);
        }
        return out.toString();
    }

    private static void split(StringBuilder out, int[] run, int heapLo, int heapHi, String heap, int stackLo, int stackHi) {
        int from = run[0];
        for (int[] named : List.of(new int[] {heapLo, heapHi, 0}, new int[] {stackLo, stackHi, 1})) {
            int lo = Math.max(from, named[0]), hi = Math.min(run[1], named[1]);
            if (lo >= hi) continue;
            if (from < lo) line(out, from, lo, run, "");
            line(out, lo, hi, run, named[2] == 0 ? heap : "[stack]");
            from = hi;
        }
        if (from < run[1]) line(out, from, run[1], run, "");
    }

    private static void line(StringBuilder out, int lo, int hi, int[] run, String name) {
        int kind = run[2];
        // As a 64-bit Linux prints a line (show_map_vma): the inode followed by a space, and a name
        // padded to column 73.
        String prefix = String.format("%08x-%08x %c%c%c%c 00000000 00:00 0 ", (long) lo << 12, (long) hi << 12,
                (kind & AddressSpace.PROT_READ) != 0 ? 'r' : '-', (kind & AddressSpace.PROT_WRITE) != 0 ? 'w' : '-',
                (kind & AddressSpace.PROT_EXEC) != 0 ? 'x' : '-', run[3] != 0 ? 's' : 'p');
        out.append(prefix);
        if (!name.isEmpty()) out.append(" ".repeat(Math.max(0, 72 - prefix.length()))).append(' ').append(name);
        out.append('\n');
    }
}
