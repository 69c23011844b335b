package org.kasou.pc;

/**
 * Where a kernel was placed.
 *
 * @param entry physical address the CPU starts at
 * @param start lowest physical address loaded
 * @param end one past the highest physical address loaded or zeroed (bss included)
 * @param infoAddress physical address of the multiboot information structure (EBX)
 */
public record LoadedKernel(int entry, long start, long end, int infoAddress) {
}
