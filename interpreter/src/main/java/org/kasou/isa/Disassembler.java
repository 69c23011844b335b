package org.kasou.isa;

import java.util.Locale;

/**
 * Intel-syntax disassembler over the {@link Decoder}: it decodes with the one instruction table and
 * spells the result as GNU {@code objdump -d -M intel} does, so that listings can be compared line by
 * line. Not thread-safe (it reuses one {@link DecodedInsn}); cheap to create.
 *
 * <p>objdump conventions reproduced here: the mnemonic (with its prefixes) padded to six columns and
 * one space; memory operands as {@code DWORD PTR seg:[base+index*scale+disp]} with the segment shown
 * only when overridden, except for absolute addresses ({@code ds:0x1234}) and string operands
 * ({@code es:[edi]}); signed hexadecimal displacements; immediates in hexadecimal masked to their
 * operand size; branch targets as absolute addresses; {@code (bad)} for bytes that do not decode.
 */
public final class Disassembler {
    private static final String[] REG8 = {"al", "cl", "dl", "bl", "ah", "ch", "dh", "bh"};
    private static final String[] REG16 = {"ax", "cx", "dx", "bx", "sp", "bp", "si", "di"};
    private static final String[] REG32 = {"eax", "ecx", "edx", "ebx", "esp", "ebp", "esi", "edi"};
    private static final String[] SREG = {"es", "cs", "ss", "ds", "fs", "gs", "?", "?"};
    private static final String[] BASE16 = {"bx+si", "bx+di", "bp+si", "bp+di", "si", "di", "bp", "bx"};
    /** SSE compare predicates (CMPPS imm8 0..7), SDM vol. 2, CMPPS. */
    private static final String[] CMP_PREDICATE = {"eq", "lt", "le", "unord", "neq", "nlt", "nle", "ord"};

    private final Decoder decoder = new Decoder();
    private final DecodedInsn insn = new DecodedInsn();
    private final ArraySource source = new ArraySource();
    private final StringBuilder out = new StringBuilder(80);
    private final boolean code32;
    private int mnemonicLength;
    private int length;
    /** Segment override shown in the memory operand being formatted, or -1. */
    private int seg;

    /** A disassembler for 16-bit ({@code bits == 16}) or 32-bit code. */
    public Disassembler(int bits) {
        if (bits != 16 && bits != 32) {
            throw new IllegalArgumentException("bits must be 16 or 32, not " + bits);
        }
        this.code32 = bits == 32;
    }

    /**
     * Disassembles the instruction at {@code code[offset]} (bytes at or past {@code limit} are not
     * read), located at {@code address}. Returns its length in bytes, at least 1; {@link #text()}
     * then holds its text.
     */
    public int disassemble(byte[] code, int offset, int limit, long address) {
        out.setLength(0);
        source.reset(code, offset, limit, (int) address);
        decoder.decode(insn, source, (int) address, code32);
        if (insn.status != DecodedInsn.OK) {
            if (insn.status == DecodedInsn.BAD) {
                // objdump names the prefixes, then skips the opcode bytes of an undefined encoding
                // but not its ModRM, except in the x87 escapes where ModRM selects the operation
                Spelling.unusedPrefixes(insn, out);
                boolean x87 = insn.map == 0 && insn.opcode >= 0xD8 && insn.opcode <= 0xDF;
                length = insn.prefixCount + (insn.map == 0 ? 1 : insn.map == 1 ? 2 : 3) + (x87 ? 1 : 0);
            } else {
                length = 1;
            }
            out.append("(bad)");
            mnemonicLength = out.length();
            return length;
        }
        length = insn.len;
        if (insn.op == Op.WAIT && offset + insn.len < limit && waitPrefixed(code, offset, limit, address)) {
            return length;
        }
        format(insn);
        return length;
    }

    /**
     * objdump shows FWAIT followed by an x87 instruction as one instruction: the x87 one, with the
     * "no-wait" FN... mnemonics named without the n (9B DB E3 is "finit", SDM vol. 2, FINIT), and
     * with any prefixes in front of the FWAIT applying to it.
     */
    private boolean waitPrefixed(byte[] code, int offset, int limit, long address) {
        int prefixes = insn.prefixCount;
        byte[] joined = new byte[15];
        System.arraycopy(code, offset, joined, 0, prefixes);
        int rest = Math.min(limit - (offset + prefixes + 1), joined.length - prefixes);
        System.arraycopy(code, offset + prefixes + 1, joined, prefixes, rest);
        source.reset(joined, 0, prefixes + rest, (int) address);
        decoder.decode(insn, source, (int) address, code32);
        if (insn.status != DecodedInsn.OK || insn.op != Op.X87) {
            source.reset(code, offset, limit, (int) address);
            decoder.decode(insn, source, (int) address, code32);
            return false;
        }
        length = insn.len + 1;
        format(insn);
        int at = out.indexOf("fn");
        if (at >= 0 && at + 2 <= mnemonicLength && (at == 0 || out.charAt(at - 1) == ' ') && !insn.form.mnemonic.equals("fnop")) {
            out.deleteCharAt(at + 1);
            mnemonicLength--;
            realign();
        }
        return true;
    }

    /** Re-pads the operands after the mnemonic changed length. */
    private void realign() {
        int ops = mnemonicLength;
        while (ops < out.length() && out.charAt(ops) == ' ') ops++;
        if (ops >= out.length()) {
            out.setLength(mnemonicLength);
            return;
        }
        String operands = out.substring(ops);
        out.setLength(mnemonicLength);
        pad();
        out.append(operands);
    }

    /** Disassembles one instruction from the start of {@code code}. */
    public String disassemble(byte[] code, long address) {
        disassemble(code, 0, code.length, address);
        return text();
    }

    /** The text of the last instruction disassembled. */
    public String text() {
        return out.toString();
    }

    /** The length of the mnemonic part of {@link #text()}, prefixes included, before the padding. */
    public int mnemonicLength() {
        return mnemonicLength;
    }

    /** The mnemonic part of {@link #text()}: prefixes and mnemonic, without operands. */
    public String mnemonic() {
        return out.substring(0, mnemonicLength);
    }

    /** The length of the last instruction disassembled. */
    public int length() {
        return length;
    }

    /** The decoded form of the last instruction (reused by the next call). */
    public DecodedInsn decoded() {
        return insn;
    }

    /** The bytes of {@code code[offset..limit)} seen at code offsets starting at {@code origin}. */
    private static final class ArraySource implements Decoder.ByteSource {
        private byte[] code;
        private int offset, limit, origin;

        void reset(byte[] code, int offset, int limit, int origin) {
            this.code = code;
            this.offset = offset;
            this.limit = Math.min(limit, code.length);
            this.origin = origin;
        }

        @Override
        public int read(int at) {
            long i = (long) offset + (at - origin);
            return i >= offset && i < limit ? code[(int) i] & 0xFF : -1;
        }
    }

    // ---------------------------------------------------------------- formatting

    private void format(DecodedInsn d) {
        InsnForm f = d.form;
        String mnemonic = Spelling.mnemonic(d, code32);
        int immOperand = -1;
        int n = f.operandCount();
        // SSE compares with a predicate 0..7 are spelled as pseudo-ops: cmpltps xmm0,xmm1
        if (f.op == Op.SSE && mnemonic.startsWith("cmp") && mnemonic.length() == 5 && n == 3
                && f.operand(2) == OperandKind.Ib && (d.imm & 0xFF) < 8) {
            mnemonic = "cmp" + CMP_PREDICATE[d.imm & 0xFF] + mnemonic.substring(3);
            n = 2;
        } else if (f.op == Op.SSE && mnemonic.equals("pclmulqdq") && pclmulName(d.imm & 0xFF) != null) {
            mnemonic = pclmulName(d.imm & 0xFF);
            n = 2;
        }
        Spelling.prefixes(d, out);
        out.append(mnemonic);
        mnemonicLength = out.length();
        if (Spelling.isXchg90(d)) {
            pad();
            out.append(code32 ? "ax,ax" : "eax,eax");
            return;
        }
        if (f.op == Op.XLAT) {
            pad();
            out.append("BYTE PTR ").append(SREG[d.segOverride >= 0 ? d.segOverride : 3]).append(':');
            out.append(d.addrSize == 4 ? "[ebx]" : "[bx]");
            return;
        }
        if (n == 0) {
            return;
        }
        pad();
        boolean second = false;
        for (int i = 0; i < n; i++) {
            OperandKind k = f.operand(i);
            if (i > 0) out.append(',');
            operand(d, k, second);
            if (k.mode == OperandKind.Mode.I || k.mode == OperandKind.Mode.IS) second = true;
        }
    }

    /**
     * A relative branch target as objdump computes it: the address of the next instruction plus
     * the displacement (the last bytes of the instruction). A rel16 target is truncated to 16 bits
     * (in 16-bit code objdump keeps the address's upper bits); a rel8 target never is.
     */
    private int branchTarget(DecodedInsn d, OperandKind k) {
        int n = k.size.bytes(d.opSize);
        int at = d.len - n;
        int rel = n == 1 ? d.byteAt(at)
                : n == 2 ? (short) ((d.byteAt(at) & 0xFF) | (d.byteAt(at + 1) << 8))
                : (d.byteAt(at) & 0xFF) | (d.byteAt(at + 1) & 0xFF) << 8 | (d.byteAt(at + 2) & 0xFF) << 16 | d.byteAt(at + 3) << 24;
        int target = d.eip + d.len + rel;
        if (n == 2) return code32 ? target & 0xFFFF : (d.eip & 0xFFFF0000) | (target & 0xFFFF);
        return target;
    }

    /** objdump's pseudo-op names for PCLMULQDQ's quadword selectors. */
    private static String pclmulName(int imm) {
        switch (imm) {
            case 0x00: return "pclmullqlqdq";
            case 0x01: return "pclmulhqlqdq";
            case 0x02: case 0x10: return "pclmullqhqdq";
            case 0x03: case 0x11: return "pclmulhqhqdq";
            default: return null;
        }
    }

    private void pad() {
        while (out.length() < 6) out.append(' ');
        out.append(' ');
    }

    private void operand(DecodedInsn d, OperandKind k, boolean secondImmediate) {
        switch (k.mode) {
            case E:
                if (d.mod == 3) {
                    gpr(gprSizeOf(d, k), d.rm);
                } else {
                    memory(d, memSizeOf(d, k));
                }
                break;
            case M: case W: case Q:
                if (d.mod == 3) {
                    out.append(k.mode == OperandKind.Mode.Q ? "mm" : "xmm").append(d.rm);
                } else {
                    memory(d, memSizeOf(d, k));
                }
                break;
            case G:
                gpr(k.size.bytes(d.opSize), d.reg);
                break;
            case R:
                gpr(k.size.bytes(d.opSize), d.rm);
                break;
            case Z:
                // BSWAP with a 16-bit operand size is undefined; objdump shows the 16-bit register
                gpr(d.op == Op.BSWAP ? d.opSize : k.size.bytes(d.opSize), d.opcode & 7);
                break;
            case I: {
                int size = k.size.bytes(d.opSize);
                int v = secondImmediate ? d.imm2 : d.imm;
                hex(v & mask(size));
                break;
            }
            case IS:
                hex(d.imm & mask(d.opSize));
                break;
            case J:
                hex(branchTarget(d, k));
                break;
            case A:
                hex(d.imm2 & 0xFFFF);
                out.append(':');
                hex(d.imm & mask(d.opSize));
                break;
            case O:
                out.append(SREG[d.segOverride >= 0 ? d.segOverride : 3]).append(':');
                hex(d.eaDisp & mask(d.addrSize));
                break;
            case S:
                out.append(SREG[d.reg]);
                break;
            case C:
                out.append("cr").append(d.reg);
                break;
            case D:
                out.append("dr").append(d.reg);
                break;
            case FIXED:
                if (k == OperandKind.XMM0) {
                    out.append("xmm0");
                } else {
                    gpr(k.size.bytes(d.opSize), k.fixed);
                }
                break;
            case ONE:
                out.append('1');
                break;
            case X:
                out.append(sizeKeyword(k.size.bytes(d.opSize)));
                out.append(SREG[d.segOverride >= 0 ? d.segOverride : 3]).append(':');
                out.append(d.addrSize == 4 ? "[esi]" : "[si]");
                break;
            case Y:
                out.append(sizeKeyword(k.size.bytes(d.opSize)));
                out.append(d.addrSize == 4 ? "es:[edi]" : "es:[di]");
                break;
            case SEG:
                out.append(SREG[k.fixed]);
                break;
            case ST0:
                out.append("st");
                break;
            case STI:
                out.append("st(").append(d.rm).append(')');
                break;
            case P:
                out.append("mm").append(d.reg);
                break;
            case N:
                out.append("mm").append(d.rm);
                break;
            case V:
                out.append("xmm").append(d.reg);
                break;
            case U:
                out.append("xmm").append(d.rm);
                break;
            default:
                out.append('?');
        }
    }

    /** Register width of an E operand in register form. */
    private static int gprSizeOf(DecodedInsn d, OperandKind k) {
        if (k == OperandKind.RdMb || k == OperandKind.RdMw) return 4;
        return k.size.bytes(d.opSize);
    }

    /** Memory operand size in bytes for the size keyword (0: none, 6/10: far pointer and TBYTE...). */
    private static int memSizeOf(DecodedInsn d, OperandKind k) {
        if (k == OperandKind.MwRv) return 2;
        switch (k.size) {
            case NONE: case S: return 0;
            case P: return d.opSize == 4 ? 6 : 4;
            case A: return d.opSize * 2;
            default: return k.size.bytes(d.opSize);
        }
    }

    private void gpr(int size, int r) {
        out.append(size == 1 ? REG8[r] : size == 2 ? REG16[r] : REG32[r]);
    }

    private static String sizeKeyword(int size) {
        switch (size) {
            case 1: return "BYTE PTR ";
            case 2: return "WORD PTR ";
            case 4: return "DWORD PTR ";
            case 6: return "FWORD PTR ";
            case 8: return "QWORD PTR ";
            case 10: return "TBYTE PTR ";
            case 16: return "XMMWORD PTR ";
            default: return "";
        }
    }

    private void memory(DecodedInsn d, int size) {
        out.append(sizeKeyword(size));
        seg = Spelling.notrack(d) ? -1 : d.segOverride;
        if (d.addrSize == 2) {
            memory16(d);
        } else {
            memory32(d);
        }
    }

    private void memory16(DecodedInsn d) {
        boolean absolute = d.mod == 0 && d.rm == 6;
        if (absolute) {
            out.append(SREG[seg >= 0 ? seg : 3]).append(':');
            hex(d.eaDisp & 0xFFFF);
            return;
        }
        if (seg >= 0) out.append(SREG[seg]).append(':');
        out.append('[').append(BASE16[d.rm]);
        if (d.mod != 0) signedDisp((short) d.eaDisp);
        out.append(']');
    }

    private void memory32(DecodedInsn d) {
        boolean sib = d.rm == 4;
        int sibByte = sib ? d.byteAt(modrmIndex(d) + 1) & 0xFF : 0;
        boolean noBase = d.mod == 0 && (sib ? (sibByte & 7) == 5 : d.rm == 5);
        int index = sib ? (sibByte >> 3) & 7 : 4;
        int scale = sibByte >> 6;
        // objdump names the "no index" SIB encoding eiz when it is not the plain [esp] form
        boolean eiz = sib && index == 4 && (scale != 0 || (sibByte & 7) != 4 || noBase);
        if (noBase && (!sib || (index == 4 && !eiz))) {
            out.append(SREG[seg >= 0 ? seg : 3]).append(':');
            hex(d.eaDisp);
            return;
        }
        if (seg >= 0) out.append(SREG[seg]).append(':');
        out.append('[');
        boolean any = false;
        if (!noBase) {
            out.append(REG32[sib ? sibByte & 7 : d.rm]);
            any = true;
        }
        if (sib && (index != 4 || eiz)) {
            if (any) out.append('+');
            out.append(index == 4 ? "eiz" : REG32[index]).append('*').append(1 << scale);
            any = true;
        }
        if (noBase) {
            signedDisp(d.eaDisp);
        } else if (d.mod != 0) {
            signedDisp(d.eaDisp);
        }
        out.append(']');
    }

    /** Offset of the ModRM byte in the instruction bytes. */
    private static int modrmIndex(DecodedInsn d) {
        return d.prefixCount + (d.map == 0 ? 1 : d.map == 1 ? 2 : 3);
    }

    private void signedDisp(int disp) {
        if (disp < 0) {
            out.append("-0x").append(Integer.toHexString(-disp));
        } else {
            out.append("+0x").append(Integer.toHexString(disp));
        }
    }

    private void hex(int v) {
        out.append("0x").append(Integer.toHexString(v));
    }

    private static int mask(int size) {
        return size >= 4 ? -1 : (1 << (size * 8)) - 1;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "Disassembler(%d-bit)", code32 ? 32 : 16);
    }
}
