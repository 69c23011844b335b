package org.kasou.isa;

/**
 * The parts of objdump's Intel spelling that depend on prefixes and on the code size rather than on
 * the table row alone: prefix names, mnemonic suffixes for an overridden operand size, and the few
 * encodings objdump names differently from their architectural meaning (66 90 is "xchg ax,ax").
 */
final class Spelling {
    private static final String[] SEG_PREFIX = {"es ", "cs ", "ss ", "ds ", "fs ", "gs "};
    /** x87 environment loads and stores whose layout depends on the operand size (SDM vol. 1, 8.1.10). */
    private static final java.util.Set<String> ENV_SIZED = java.util.Set.of("fldenv", "fnstenv", "frstor", "fnsave");

    private Spelling() {}

    /** The mnemonic of a decoded instruction as objdump prints it. */
    static String mnemonic(DecodedInsn d, boolean code32) {
        InsnForm f = d.form;
        String m = f.mnemonic(d.opSize, d.addrSize);
        if (m.indexOf('(') >= 0) m = m.replace('_', ' '); // fneni(8087 only)
        int defaultSize = code32 ? 4 : 2;
        switch (f.op) {
            case PUSHF: case POPF: case PUSHA: case POPA: case IRET: case RET_FAR:
                return sized(base(f.mnemonic), d.opSize, defaultSize);
            case JMP: case CALL:
                // only the rel16/rel32 forms name their size; a short jump shows "data16"
                return f.operand(0).size == OperandKind.Size.V ? sized(m, d.opSize, defaultSize) : m;
            case RET: case ENTER: case LEAVE:
                return sized(m, d.opSize, defaultSize);
            case X87:
                return ENV_SIZED.contains(m) ? sized(m, d.opSize, defaultSize) : m;
            case PUSH:
                // an immediate push names its size; a register or memory push shows it in the operand
                if (f.operandCount() == 1 && isImmediate(f.operand(0))) return sized(m, d.opSize, defaultSize);
                return m;
            case PUSH_SREG: case POP_SREG:
                return sized(m, d.opSize, defaultSize);
            case LGDT: case LIDT: case SGDT: case SIDT:
                return m + (d.opSize == 2 ? "w" : "d");
            case NOP:
                if (isXchg90(d)) return "xchg";
                return m;
            case SALC:
                return "(bad)"; // undocumented (D6); objdump does not name it
            default:
                return m;
        }
    }

    /** Whether this is 90 under a 66 prefix, which objdump shows as "xchg ax,ax" (or "eax,eax" in 16-bit code). */
    static boolean isXchg90(DecodedInsn d) {
        return d.form.op == Op.NOP && d.map == 0 && d.opcode == 0x90 && (d.prefixes & DecodedInsn.P_OPSIZE) != 0 && d.rep == 0;
    }

    private static boolean isImmediate(OperandKind k) {
        return k.mode == OperandKind.Mode.I || k.mode == OperandKind.Mode.IS;
    }

    /** The 16-bit name of an "a|b" mnemonic, or the mnemonic itself. */
    private static String base(String mnemonic) {
        int bar = mnemonic.indexOf('|');
        return bar < 0 ? mnemonic : mnemonic.substring(0, bar);
    }

    private static String sized(String m, int opSize, int defaultSize) {
        if (opSize == defaultSize) return m;
        return m + (opSize == 2 ? "w" : "d");
    }

    /**
     * Appends the prefixes objdump shows in front of the mnemonic, in byte order: every prefix byte
     * except the one of each kind that the instruction uses silently (the last segment override
     * when an operand is in memory, the last 66 or 67 when a size depends on it, the last F2/F3
     * when it is a mandatory prefix). LOCK and a REP that is not mandatory are always named.
     */
    static void prefixes(DecodedInsn d, StringBuilder out) {
        InsnForm f = d.form;
        int lastSeg = -1, last66 = -1, last67 = -1, lastRep = -1, lastF2 = -1, lastF3 = -1;
        for (int i = 0; i < d.prefixCount; i++) {
            switch (d.byteAt(i) & 0xFF) {
                case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65: lastSeg = i; break;
                case 0x66: last66 = i; break;
                case 0x67: last67 = i; break;
                case 0xF2: lastRep = i; lastF2 = i; break;
                case 0xF3: lastRep = i; lastF3 = i; break;
                default: break;
            }
        }
        boolean mandatory66 = f.prefix == InsnForm.PFX_66;
        boolean mandatoryRep = f.prefix == InsnForm.PFX_F2 || f.prefix == InsnForm.PFX_F3;
        for (int i = 0; i < d.prefixCount; i++) {
            int p = d.byteAt(i) & 0xFF;
            switch (p) {
                case 0x26: case 0x2E: case 0x36: case 0x3E: case 0x64: case 0x65: {
                    int seg = segmentOf(p);
                    if (i == lastSeg && notrack(d)) {
                        out.append("notrack ");
                    } else if (i == lastSeg && usesSegment(d)) {
                        break;
                    } else {
                        out.append(SEG_PREFIX[seg]);
                    }
                    break;
                }
                case 0x66:
                    if (i == last66 && (mandatory66 || usesOperandSize(d))) break;
                    out.append(d.code32 ? "data16 " : "data32 ");
                    break;
                case 0x67:
                    if (i == last67 && usesAddressSize(d)) break;
                    out.append(d.code32 ? "addr16 " : "addr32 ");
                    break;
                case 0xF0:
                    out.append("lock ");
                    break;
                case 0xF2: case 0xF3:
                    if (i == lastRep && mandatoryRep) break;
                    if (i == (p == 0xF3 ? lastF3 : lastF2)) {
                        out.append(repName(d, p == 0xF3));
                    } else {
                        out.append(p == 0xF3 ? "repz " : "repnz ");
                    }
                    break;
                default:
                    break;
            }
        }
    }

    /** Whether a 3E prefix on an indirect near JMP/CALL is the CET "notrack" hint rather than DS. */
    static boolean notrack(DecodedInsn d) {
        return d.segOverride == 3 && (d.form.op == Op.JMP_IND || d.form.op == Op.CALL_IND);
    }

    /** Appends the name of every prefix byte, for an encoding that does not decode. */
    static void unusedPrefixes(DecodedInsn d, StringBuilder out) {
        for (int i = 0; i < d.prefixCount; i++) {
            int p = d.byteAt(i) & 0xFF;
            switch (p) {
                case 0x66: out.append(d.code32 ? "data16 " : "data32 "); break;
                case 0x67: out.append(d.code32 ? "addr16 " : "addr32 "); break;
                case 0xF0: out.append("lock "); break;
                case 0xF2: out.append("repnz "); break;
                case 0xF3: out.append("repz "); break;
                default: out.append(SEG_PREFIX[segmentOf(p)]); break;
            }
        }
    }

    private static int segmentOf(int prefix) {
        switch (prefix) {
            case 0x26: return 0;
            case 0x2E: return 1;
            case 0x36: return 2;
            case 0x3E: return 3;
            case 0x64: return 4;
            default: return 5;
        }
    }

    /** The name of a REP-class prefix that is not mandatory: rep/repz/repnz, bnd, xacquire/xrelease. */
    private static String repName(DecodedInsn d, boolean f3) {
        InsnForm f = d.form;
        if (f.has(InsnForm.REP)) return f3 ? "rep " : "repnz ";
        if (f.has(InsnForm.REPCC)) return f3 ? "repz " : "repnz ";
        if (!f3 && isBranch(f)) return "bnd ";
        if (f.op == Op.PAUSE) return "";
        if (hle(d, f3)) return f3 ? "xrelease " : "xacquire ";
        return f3 ? "repz " : "repnz ";
    }

    /**
     * Whether F2/F3 is a hardware lock elision hint (SDM vol. 1, 16.3.1): on a LOCKed instruction
     * or XCHG with a memory operand, and XRELEASE also on MOV to memory (88, 89, C6, C7).
     */
    private static boolean hle(DecodedInsn d, boolean f3) {
        if (d.mod == 3 || !d.hasModrm || d.map != 0) {
            return d.lock && d.hasModrm && d.mod != 3 && d.form.has(InsnForm.LOCK);
        }
        if (d.form.op == Op.XCHG) return true;
        if (d.lock && d.form.has(InsnForm.LOCK)) return true;
        return f3 && (d.opcode == 0x88 || d.opcode == 0x89 || d.opcode == 0xC6 || d.opcode == 0xC7);
    }

    private static boolean isBranch(InsnForm f) {
        switch (f.op) {
            case JMP: case JMP_IND: case CALL: case CALL_IND: case RET: case JCC:
                return true;
            default:
                return false;
        }
    }

    /** Whether a segment override applies to one of the operands. */
    private static boolean usesSegment(DecodedInsn d) {
        InsnForm f = d.form;
        for (int i = 0; i < f.operandCount(); i++) {
            OperandKind k = f.operand(i);
            switch (k.mode) {
                case X: case O: return true;
                case E: case M: case W: case Q: if (d.mod != 3) return true; break;
                default: break;
            }
        }
        return f.op == Op.XLAT;
    }

    /** Whether the operand size changes an operand or the mnemonic. */
    private static boolean usesOperandSize(DecodedInsn d) {
        InsnForm f = d.form;
        if (f.mnemonic.indexOf('|') >= 0 && !f.has(InsnForm.MNEM_BY_ADDR)) return true;
        switch (f.op) {
            case JMP: case CALL:
                return f.operand(0).size == OperandKind.Size.V;
            case X87:
                return ENV_SIZED.contains(f.mnemonic);
            case PUSHF: case POPF: case PUSHA: case POPA: case IRET: case RET_FAR: case RET:
            case ENTER: case LEAVE: case BSWAP: case PUSH: case POP: case PUSH_SREG: case POP_SREG: case LGDT: case LIDT: case SGDT: case SIDT:
                return true;
            case NOP:
                if (isXchg90(d)) return true;
                break;
            default:
                break;
        }
        for (int i = 0; i < f.operandCount(); i++) {
            OperandKind k = f.operand(i);
            if (k == OperandKind.MwRv && d.mod != 3) continue; // a word in memory whatever the size
            if (k.size == OperandKind.Size.V || k.size == OperandKind.Size.P || k.size == OperandKind.Size.A) return true;
        }
        return false;
    }

    /** Whether the address size changes an operand (memory, string or offset operands, JCXZ, LOOP). */
    private static boolean usesAddressSize(DecodedInsn d) {
        InsnForm f = d.form;
        if (f.has(InsnForm.MNEM_BY_ADDR)) return true;
        switch (f.op) {
            case XLAT: return true;
            default: break;
        }
        for (int i = 0; i < f.operandCount(); i++) {
            OperandKind k = f.operand(i);
            switch (k.mode) {
                case X: case Y: return true;
                case E: case M: case W: case Q: if (d.mod != 3 && !(absolute(d) && !d.code32)) return true; break;
                default: break;
            }
        }
        return false;
    }

    /** Whether the memory operand is a bare displacement (in 16-bit code objdump then still names a 67 prefix). */
    private static boolean absolute(DecodedInsn d) {
        return d.eaBase < 0 && d.eaIndex < 0;
    }
}
