package org.kasou.isa;

/**
 * Rows of the x87 escape opcodes D8-DF (decoded and disassembled; executed as #UD until the FPU
 * exists). Row format: see {@link TableBuilder}. Use {@link Op#X87} as the op.
 */
final class X87Rows {
    private X87Rows() {}

    static void addTo(TableBuilder b) {
        // rows to come
    }
}
