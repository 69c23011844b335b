package org.kasou.isa;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.kasou.cpu.Flags;

/**
 * Collects table rows written in a compact text form and turns them into {@link InsnForm}s.
 *
 * <h2>Row format</h2>
 * {@code b.row(encoding, syntax, op, flags, attributes)}:
 * <ul>
 * <li><b>encoding</b>: hex tokens separated by spaces, as in the SDM opcode column.
 *   An optional leading mandatory prefix {@code 66}, {@code F2} or {@code F3} (or {@code NP} for
 *   "no 66/F2/F3 prefix"), then {@code 0F}, {@code 0F 38} or {@code 0F 3A} for the escape maps,
 *   then the opcode byte. {@code B8+r} expands to eight rows (register in the opcode's low bits,
 *   operand kind Zb/Zv/Zd). After the opcode: {@code /r} (a ModRM byte, any reg), {@code /0}..{@code /7}
 *   (ModRM.reg selects this row), optionally followed by {@code mem} (mod != 3 only) or {@code reg}
 *   (mod == 3 only); or an exact ModRM byte {@code C0}..{@code FF} (e.g. {@code 0F 01 C8}, {@code D9 E8}).
 *   A ModRM byte is implied when an operand needs one.</li>
 * <li><b>syntax</b>: the mnemonic as objdump -M intel prints it, then the operand kinds named as the
 *   {@link OperandKind} constants, comma separated: {@code "add Eb,Gb"}. A mnemonic {@code "cbw|cwde"}
 *   picks the left name with a 16-bit and the right one with a 32-bit operand size (address size with
 *   the attribute {@link InsnForm#MNEM_BY_ADDR}).</li>
 * <li><b>op</b>: the {@link Op} that gives the row its meaning.</li>
 * <li><b>flags</b>: {@code "r:C w:OSZAPC u:A"}: flags read, written and left undefined
 *   (O S Z A P C D I T; {@code *} means every flag POPF can change). Empty when none.</li>
 * <li><b>attributes</b>: {@link InsnForm} attribute bits (LOCK, PRIV, END...), or 0.</li>
 * </ul>
 * Rows for one encoding must not overlap; {@link #build()} rejects duplicates.
 */
public final class TableBuilder {
    private final List<InsnForm> rows = new ArrayList<>();
    /**
     * The words of s, split at runs of blanks: the table is built at every start, in HotSpot's
     * bytecode interpreter, where this costs less than a regular expression's split.
     */
    static String[] words(String s) {
        List<String> out = new ArrayList<>(4);
        int n = s.length(), i = 0;
        while (i < n) {
            while (i < n && s.charAt(i) <= ' ') i++;
            int start = i;
            while (i < n && s.charAt(i) > ' ') i++;
            if (i > start) out.add(s.substring(start, i));
        }
        return out.toArray(new String[0]);
    }

    /** Adds one row (or eight for "+r" encodings). */
    public void row(String encoding, String syntax, Op op, String flags, int attributes) {
        String[] t = words(encoding.toUpperCase(Locale.ROOT));
        int i = 0;
        int prefix = InsnForm.PFX_ANY;
        if (t.length > 1) {
            switch (t[0]) {
                case "66": prefix = InsnForm.PFX_66; i++; break;
                case "F3": prefix = InsnForm.PFX_F3; i++; break;
                case "F2": prefix = InsnForm.PFX_F2; i++; break;
                case "NP": prefix = InsnForm.PFX_NONE; i++; break;
                default: break;
            }
        }
        int map = 0;
        if (t[i].equals("0F") && i + 1 < t.length) {
            map = 1;
            i++;
            if ((t[i].equals("38") || t[i].equals("3A")) && i + 1 < t.length) {
                map = t[i].equals("38") ? 2 : 3;
                i++;
            }
        }
        String opTok = t[i++];
        boolean plusR = opTok.endsWith("+R");
        int opcode = Integer.parseInt(plusR ? opTok.substring(0, opTok.length() - 2) : opTok, 16);
        boolean modrm = false;
        int reg = -1, mod = InsnForm.MOD_ANY, rm = -1;
        for (; i < t.length; i++) {
            String s = t[i];
            if (s.equals("/R")) {
                modrm = true;
            } else if (s.length() == 2 && s.charAt(0) == '/') {
                modrm = true;
                reg = s.charAt(1) - '0';
            } else if (s.equals("MEM")) {
                mod = InsnForm.MOD_MEM;
            } else if (s.equals("REG")) {
                mod = InsnForm.MOD_REG;
            } else {
                int b = Integer.parseInt(s, 16);
                if (b < 0xC0 || b > 0xFF) throw new IllegalArgumentException("bad ModRM byte in " + encoding);
                modrm = true;
                mod = InsnForm.MOD_REG;
                reg = (b >> 3) & 7;
                rm = b & 7;
            }
        }
        String syn = syntax.trim();
        int sp = syn.indexOf(' ');
        String mnemonic = sp < 0 ? syn : syn.substring(0, sp);
        OperandKind[] ops = new OperandKind[0];
        if (sp >= 0) {
            String[] names = syn.substring(sp + 1).split(",");
            ops = new OperandKind[names.length];
            for (int k = 0; k < names.length; k++) {
                ops[k] = OperandKind.valueOf(names[k].trim());
                if (ops[k].usesModrm()) modrm = true;
            }
        }
        for (OperandKind k : ops) {
            // memory-only and register-only operands restrict mod (LEA with mod == 3 is #UD)
            if (k.mode == OperandKind.Mode.M && mod == InsnForm.MOD_ANY) mod = InsnForm.MOD_MEM;
            if ((k.mode == OperandKind.Mode.N || k.mode == OperandKind.Mode.U) && mod == InsnForm.MOD_ANY) mod = InsnForm.MOD_REG;
        }
        int[] f = parseFlags(flags);
        for (int r = 0; r < (plusR ? 8 : 1); r++) {
            rows.add(new InsnForm(map, opcode + r, modrm, reg, mod, rm, prefix, mnemonic, op, ops,
                    f[0], f[1] | f[2], f[2], attributes));
        }
    }

    /** Adds every row of another list (used to keep row lists in separate classes). */
    public List<InsnForm> rows() {
        return rows;
    }

    static int[] parseFlags(String spec) {
        int[] out = new int[3];
        if (spec == null || spec.isBlank()) return out;
        for (String part : words(spec)) {
            int which;
            switch (part.charAt(0)) {
                case 'r': which = 0; break;
                case 'w': which = 1; break;
                case 'u': which = 2; break;
                default: throw new IllegalArgumentException("bad flags spec " + spec);
            }
            int mask = 0;
            for (int k = 2; k < part.length(); k++) {
                mask |= flagBit(part.charAt(k));
            }
            out[which] |= mask;
        }
        return out;
    }

    private static int flagBit(char c) {
        switch (c) {
            case 'O': return Flags.OF;
            case 'S': return Flags.SF;
            case 'Z': return Flags.ZF;
            case 'A': return Flags.AF;
            case 'P': return Flags.PF;
            case 'C': return Flags.CF;
            case 'D': return Flags.DF;
            case 'I': return Flags.IF;
            case 'T': return Flags.TF;
            case '*': return 0x003F7FD5;
            default: throw new IllegalArgumentException("bad flag letter " + c);
        }
    }

    /** The flags a condition code (low 4 bits of Jcc/SETcc/CMOVcc) reads, as a flags spec. */
    public static String condFlags(int cc) {
        switch (cc >> 1) {
            case 0: return "r:O";
            case 1: return "r:C";
            case 2: return "r:Z";
            case 3: return "r:CZ";
            case 4: return "r:S";
            case 5: return "r:P";
            case 6: return "r:SO";
            default: return "r:ZSO";
        }
    }

    /** Condition code suffixes as objdump spells them (jo, jno, jb, jae, je, jne, jbe, ja, ...). */
    public static final String[] CC = {"o", "no", "b", "ae", "e", "ne", "be", "a", "s", "ns", "p", "np", "l", "ge", "le", "g"};

    /** Validates the rows (no two rows for the same encoding) and returns them. */
    List<InsnForm> build() {
        // Pairs are compared only within one opcode (map*256+opcode): this runs at every start-up.
        List<List<InsnForm>> byOpcode = new ArrayList<>(4 * 256);
        for (int i = 0; i < 4 * 256; i++) byOpcode.add(new ArrayList<>(2));
        for (InsnForm y : rows) {
            List<InsnForm> same = byOpcode.get(y.map * 256 + y.opcode);
            for (InsnForm x : same) {
                if (x.prefix == y.prefix && overlaps(x, y)) {
                    throw new IllegalStateException("overlapping rows: " + x + " and " + y);
                }
            }
            same.add(y);
        }
        return rows;
    }

    private static boolean overlaps(InsnForm x, InsnForm y) {
        if (x.modrm != y.modrm) throw new IllegalStateException("ModRM disagreement: " + x + " and " + y);
        if (!x.modrm) return true;
        if (x.reg >= 0 && y.reg >= 0 && x.reg != y.reg) return false;
        if ((x.mod == InsnForm.MOD_MEM && y.mod == InsnForm.MOD_REG) || (x.mod == InsnForm.MOD_REG && y.mod == InsnForm.MOD_MEM)) return false;
        if (x.rm >= 0 && y.rm >= 0 && x.rm != y.rm) return false;
        // a row with an exact rm is more specific than one without: allowed
        return (x.rm < 0) == (y.rm < 0) && (x.reg < 0) == (y.reg < 0) && x.mod == y.mod;
    }
}
