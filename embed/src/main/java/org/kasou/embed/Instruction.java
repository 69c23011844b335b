package org.kasou.embed;

import java.util.HexFormat;

/**
 * One disassembled instruction: where, its bytes, and its text as {@code objdump -d -M intel}
 * spells it ({@code mnemonic} and {@code operands} are the two parts of {@code text}).
 */
public record Instruction(long address, byte[] bytes, String text, String mnemonic, String operands) {
    public int length() {
        return bytes.length;
    }

    /** {@code ADDRESS<TAB>BYTES<TAB>TEXT}, the line {@code kasou disasm} prints. */
    @Override
    public String toString() {
        return String.format("%8x:\t%s\t%s", address, HexFormat.ofDelimiter(" ").formatHex(bytes), text);
    }
}
