package org.kasou.isa;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

/**
 * The single source of truth for instruction encodings: every row of the one-byte, 0F, 0F 38 and
 * 0F 3A maps, with groups selected by ModRM.reg, mod == 3 splits, exact ModRM encodings and
 * mandatory 66/F2/F3 prefixes. The decoder, the disassembler, the interpreter and the JIT read it.
 *
 * <p>The rows live in several row-list classes, each with a static {@code addTo(TableBuilder)}
 * method: {@link IntegerRows} (every integer instruction of a P6-class CPU), {@link X87Rows}
 * (D8-DF) and {@link SimdRows} (MMX, SSE..SSE4.2). A new instruction is one row in one of them
 * (see {@link TableBuilder} for the row format) plus its semantics.
 */
public final class InstructionTable {
    private static final InstructionTable INSTANCE = new InstructionTable();

    /** Candidate rows per map*256+opcode, most specific first. */
    private final InsnForm[][] candidates = new InsnForm[4 * 256][];
    private final boolean[] hasModrm = new boolean[4 * 256];
    /** Whether some row of this opcode has a mandatory prefix. */
    private final boolean[] prefixed = new boolean[4 * 256];
    private final List<InsnForm> all;

    private InstructionTable() {
        TableBuilder b = new TableBuilder();
        IntegerRows.addTo(b);
        X87Rows.addTo(b);
        SimdRows.addTo(b);
        all = Collections.unmodifiableList(new ArrayList<>(b.build()));
        List<List<InsnForm>> lists = new ArrayList<>();
        for (int i = 0; i < candidates.length; i++) lists.add(new ArrayList<>());
        for (InsnForm f : all) {
            int key = f.map * 256 + f.opcode;
            lists.get(key).add(f);
            if (f.modrm) hasModrm[key] = true;
            if (f.prefix != InsnForm.PFX_ANY) prefixed[key] = true;
        }
        Comparator<InsnForm> specificity = Comparator.comparingInt(InstructionTable::specificity).reversed();
        for (int i = 0; i < candidates.length; i++) {
            List<InsnForm> l = lists.get(i);
            l.sort(specificity);
            candidates[i] = l.toArray(new InsnForm[0]);
        }
    }

    private static int specificity(InsnForm f) {
        return (f.rm >= 0 ? 4 : 0) + (f.reg >= 0 ? 2 : 0) + (f.mod != InsnForm.MOD_ANY ? 1 : 0);
    }

    public static InstructionTable get() {
        return INSTANCE;
    }

    /** Every row, in declaration order. */
    public List<InsnForm> forms() {
        return all;
    }

    /** Whether the opcode (map 0..3) is followed by a ModRM byte. */
    public boolean hasModrm(int map, int opcode) {
        return hasModrm[map * 256 + opcode];
    }

    /** Whether any row of the opcode has a mandatory 66/F2/F3 prefix. */
    public boolean hasMandatoryPrefix(int map, int opcode) {
        return prefixed[map * 256 + opcode];
    }

    /** Whether the opcode has any row at all. */
    public boolean defined(int map, int opcode) {
        return candidates[map * 256 + opcode].length > 0;
    }

    /**
     * The row for an opcode with the given ModRM fields (ignored without ModRM) and mandatory
     * prefix class (an InsnForm.PFX_* value), or null. Rows with PFX_ANY match any prefix.
     */
    public InsnForm find(int map, int opcode, int prefix, int mod, int reg, int rm) {
        for (InsnForm f : candidates[map * 256 + opcode]) {
            if (f.prefix == prefix && f.matches(mod, reg, rm)) return f;
        }
        return null;
    }
}
