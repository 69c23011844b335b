package org.kasou.embed;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.kasou.isa.Disassembler;

/** Disassembles x86 code from bytes or from an engine's memory, with kasou's own disassembler. */
public final class Disassembly {
    private Disassembly() {}

    /**
     * Disassembles all of {@code code}, which sits at {@code address}, as 16- or 32-bit code.
     * Undefined encodings come out as objdump shows them ("(bad)").
     */
    public static List<Instruction> disassemble(byte[] code, long address, int bits) {
        return disassemble(code, address, bits, Integer.MAX_VALUE);
    }

    /** At most {@code max} instructions from the start of {@code code}. */
    public static List<Instruction> disassemble(byte[] code, long address, int bits, int max) {
        Disassembler d = new Disassembler(bits);
        List<Instruction> out = new ArrayList<>();
        int off = 0;
        while (off < code.length && out.size() < max) {
            int len = d.disassemble(code, off, code.length, address + off);
            len = Math.max(1, Math.min(len, code.length - off));
            String text = d.text();
            String mnemonic = d.mnemonic().trim();
            out.add(new Instruction(address + off, Arrays.copyOfRange(code, off, off + len), text, mnemonic,
                    text.length() > d.mnemonicLength() ? text.substring(d.mnemonicLength()).trim() : ""));
            off += len;
        }
        return out;
    }

    static List<Instruction> fromMemory(Engine e, long address, int count, int bits) {
        if (count < 0) throw new IllegalArgumentException("negative count " + count);
        // Read as much as count instructions may need, stopping where mapped memory ends.
        int want = (int) Math.min((long) count * 15, (1L << 32) - address);
        int have = 0;
        while (have < want) {
            long page = (address + have) & ~0xFFFL;
            boolean mapped = e.regions().stream().anyMatch(r -> r.address() <= page && page < r.end());
            if (!mapped) break;
            have = (int) Math.min(want, page + 4096 - address);
        }
        if (have == 0 && count > 0) throw new IllegalArgumentException(String.format("memory at 0x%x is not mapped", address));
        return disassemble(e.read(address, have), address, bits, count);
    }
}
