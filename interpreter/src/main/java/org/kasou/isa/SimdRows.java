package org.kasou.isa;

/**
 * Rows of the MMX and SSE..SSE4.2 instructions in the 0F, 0F 38 and 0F 3A maps, with their
 * mandatory 66/F2/F3 prefixes (decoded and disassembled; executed as #UD until they are
 * implemented). Row format: see {@link TableBuilder}. Use {@link Op#MMX} or {@link Op#SSE}.
 */
final class SimdRows {
    private SimdRows() {}

    static void addTo(TableBuilder b) {
        // rows to come
    }
}
