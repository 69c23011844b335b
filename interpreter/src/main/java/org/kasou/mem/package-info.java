/**
 * Guest memory: {@link org.kasou.mem.PhysicalMemory} (RAM as one little-endian byte array,
 * memory-mapped I/O by 4 KiB page, code-page write tracking through
 * {@link org.kasou.mem.CodeWriteListener}) and {@link org.kasou.mem.Memory}, the CPU's view:
 * segment limit and rights checks, 32-bit paging with 4 KiB and 4 MiB pages, PAE paging, the A20 gate, and a
 * TLB of 2^20 entries indexed by virtual page with the user/supervisor permissions folded in, so
 * that a guest access that hits costs one array load, one test and one RAM access.
 */
package org.kasou.mem;
