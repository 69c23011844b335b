package org.kasou.isa;

import static org.kasou.isa.DecodedInsn.LOC_CREG;
import static org.kasou.isa.DecodedInsn.LOC_DREG;
import static org.kasou.isa.DecodedInsn.LOC_IMM;
import static org.kasou.isa.DecodedInsn.LOC_MEM;
import static org.kasou.isa.DecodedInsn.LOC_NONE;
import static org.kasou.isa.DecodedInsn.LOC_OTHER;
import static org.kasou.isa.DecodedInsn.LOC_REG;
import static org.kasou.isa.DecodedInsn.LOC_SREG;
import static org.kasou.isa.DecodedInsn.LOC_STRING;

import org.kasou.cpu.Segment;

/**
 * Turns instruction bytes into a {@link DecodedInsn}, driven by the {@link InstructionTable}:
 * prefixes, the 0F / 0F 38 / 0F 3A escapes, ModRM with 16- and 32-bit addressing (SIB,
 * displacements), immediates, the 15-byte limit, operand and address size from the code segment's
 * D bit and the 66/67 prefixes, mandatory prefixes of SIMD rows, and the default segment (SS for
 * BP/ESP/EBP based addresses). Decoding allocates nothing. One instance per thread: it keeps the
 * position of the byte being read in fields.
 */
public final class Decoder {
    /** Where instruction bytes come from. */
    public interface ByteSource {
        /**
         * The byte at this code offset (0..255), or -1 when there are no more bytes (the
         * instruction is then TRUNCATED). The interpreter's source may throw the CPU's fault
         * (#PF, #GP for the CS limit) instead.
         */
        int read(int offset);
    }

    /** A source over a byte array; offset {@code origin} is the array's first byte. */
    public static ByteSource ofArray(byte[] code, int origin) {
        return offset -> {
            long i = (long) offset - origin;
            return i >= 0 && i < code.length ? code[(int) i] & 0xFF : -1;
        };
    }

    public static final int MAX_LENGTH = 15;

    private final InstructionTable table = InstructionTable.get();
    private DecodedInsn d;
    private ByteSource src;
    private int start;
    private int pos;
    private int err;

    private int next8() {
        if (err != 0) return 0;
        if (pos >= MAX_LENGTH) {
            err = DecodedInsn.TOO_LONG;
            return 0;
        }
        int b = src.read(start + pos);
        if (b < 0) {
            err = DecodedInsn.TRUNCATED;
            return 0;
        }
        d.setByte(pos++, b);
        return b;
    }

    private int next16() {
        int lo = next8();
        return lo | (next8() << 8);
    }

    private int next32() {
        int lo = next16();
        return lo | (next16() << 16);
    }

    /**
     * Decodes the instruction at code offset {@code eip}. {@code code32} is the code segment's D
     * bit (default operand and address size 32). Never throws for bad encodings (they decode with
     * status BAD / TOO_LONG and a handler that raises the fault); only the byte source may throw.
     */
    public void decode(DecodedInsn out, ByteSource source, int eip, boolean code32) {
        this.d = out;
        this.src = source;
        this.start = eip;
        this.pos = 0;
        this.err = 0;
        reset(out, eip, code32);
        try {
            decodeInto(out, code32);
        } finally {
            this.d = null;
            this.src = null;
        }
    }

    private static void reset(DecodedInsn d, int eip, boolean code32) {
        d.form = null;
        d.op = Op.UD;
        d.handler = Handlers.UD;
        d.status = DecodedInsn.OK;
        d.eip = eip;
        d.code32 = code32;
        d.map = 0;
        d.opcode = 0;
        d.prefixes = 0;
        d.prefixCount = 0;
        d.rep = 0;
        d.lock = false;
        d.segOverride = -1;
        d.opSize = (byte) (code32 ? 4 : 2);
        d.addrSize = (byte) (code32 ? 4 : 2);
        d.hasModrm = false;
        d.modrm = 0;
        d.mod = 0;
        d.reg = 0;
        d.rm = 0;
        d.eaSeg = Segment.DS;
        d.eaBase = -1;
        d.eaIndex = -1;
        d.eaScale = 0;
        d.eaDisp = 0;
        d.imm = 0;
        d.imm2 = 0;
        d.target = 0;
        d.cc = 0;
        d.aux = 0;
        d.dst = LOC_NONE;
        d.src = LOC_NONE;
        d.third = LOC_NONE;
        d.dstReg = 0;
        d.srcReg = 0;
        d.dstSize = 0;
        d.srcSize = 0;
    }

    private void decodeInto(DecodedInsn d, boolean code32) {
        int b;
        int lastRep = 0;
        prefixes:
        while (true) {
            b = next8();
            if (err != 0) {
                finishError(d);
                return;
            }
            switch (b) {
                case 0x26: d.segOverride = Segment.ES; d.prefixes |= DecodedInsn.P_SEG; break;
                case 0x2E: d.segOverride = Segment.CS; d.prefixes |= DecodedInsn.P_SEG; break;
                case 0x36: d.segOverride = Segment.SS; d.prefixes |= DecodedInsn.P_SEG; break;
                case 0x3E: d.segOverride = Segment.DS; d.prefixes |= DecodedInsn.P_SEG; break;
                case 0x64: d.segOverride = Segment.FS; d.prefixes |= DecodedInsn.P_SEG; break;
                case 0x65: d.segOverride = Segment.GS; d.prefixes |= DecodedInsn.P_SEG; break;
                case 0x66: d.prefixes |= DecodedInsn.P_OPSIZE; break;
                case 0x67: d.prefixes |= DecodedInsn.P_ADSIZE; break;
                case 0xF0: d.prefixes |= DecodedInsn.P_LOCK; break;
                case 0xF2: d.prefixes |= DecodedInsn.P_REPNE; lastRep = DecodedInsn.P_REPNE; break;
                case 0xF3: d.prefixes |= DecodedInsn.P_REP; lastRep = DecodedInsn.P_REP; break;
                default: break prefixes;
            }
            d.prefixCount++;
        }
        int map = 0;
        int opc = b;
        if (b == 0x0F) {
            opc = next8();
            map = 1;
            if (opc == 0x38 || opc == 0x3A) {
                map = opc == 0x38 ? 2 : 3;
                opc = next8();
            }
        }
        d.map = (byte) map;
        d.opcode = opc;
        if (table.hasModrm(map, opc)) {
            int m = next8();
            d.hasModrm = true;
            d.modrm = m;
            d.mod = (byte) (m >> 6);
            d.reg = (byte) ((m >> 3) & 7);
            d.rm = (byte) (m & 7);
        }
        if (err != 0) {
            finishError(d);
            return;
        }
        boolean has66 = (d.prefixes & DecodedInsn.P_OPSIZE) != 0;
        boolean consumed66 = false;
        boolean consumedRep = false;
        InsnForm f = null;
        if (table.hasMandatoryPrefix(map, opc)) {
            if (lastRep != 0) {
                f = table.find(map, opc, lastRep == DecodedInsn.P_REP ? InsnForm.PFX_F3 : InsnForm.PFX_F2, d.mod, d.reg, d.rm);
                consumedRep = f != null;
            }
            if (f == null && has66) {
                f = table.find(map, opc, InsnForm.PFX_66, d.mod, d.reg, d.rm);
                consumed66 = f != null;
            }
            if (f == null) {
                f = table.find(map, opc, InsnForm.PFX_NONE, d.mod, d.reg, d.rm);
            }
        }
        if (f == null) {
            f = table.find(map, opc, InsnForm.PFX_ANY, d.mod, d.reg, d.rm);
        }
        boolean adsz = (d.prefixes & DecodedInsn.P_ADSIZE) != 0;
        d.opSize = (byte) (code32 != (has66 && !consumed66) ? 4 : 2);
        d.addrSize = (byte) (code32 != adsz ? 4 : 2);
        d.rep = (byte) (consumedRep ? 0 : lastRep);
        d.lock = (d.prefixes & DecodedInsn.P_LOCK) != 0;
        if (f == null) {
            d.status = DecodedInsn.BAD;
            d.len = (byte) pos;
            d.next = nextOffset(d, code32);
            return;
        }
        d.form = f;
        d.op = f.op;
        if (d.hasModrm && d.mod != 3 && !hasRegisterOnlyRm(f)) {
            decodeEa(d);
        } else if (d.segOverride >= 0) {
            d.eaSeg = d.segOverride;
        }
        int n = f.operandCount();
        int immCount = 0;
        int rel = 0;
        for (int i = 0; i < n; i++) {
            OperandKind k = f.operand(i);
            int loc;
            int reg = 0;
            int size = k.size.bytes(d.opSize);
            switch (k.mode) {
                case E:
                    if (d.mod == 3) {
                        loc = LOC_REG;
                        reg = d.rm;
                    } else {
                        loc = LOC_MEM;
                        if (k == OperandKind.MwRv) size = 2;
                    }
                    break;
                case M:
                    loc = LOC_MEM;
                    break;
                case G:
                    loc = LOC_REG;
                    reg = d.reg;
                    break;
                case R:
                    loc = LOC_REG;
                    reg = d.rm;
                    break;
                case I: {
                    int v = size == 1 ? next8() : size == 2 ? next16() : next32();
                    loc = LOC_IMM;
                    if (immCount++ == 0) d.imm = v; else d.imm2 = v;
                    break;
                }
                case IS: {
                    int v = (byte) next8();
                    size = i == 0 ? d.opSize : d.dstSize;
                    loc = LOC_IMM;
                    v = size == 2 ? v & 0xFFFF : v;
                    if (immCount++ == 0) d.imm = v; else d.imm2 = v;
                    break;
                }
                case J:
                    rel = size == 1 ? (byte) next8() : size == 2 ? (short) next16() : next32();
                    loc = LOC_IMM;
                    break;
                case A:
                    d.imm = d.opSize == 2 ? next16() : next32();
                    d.imm2 = next16();
                    immCount = 2;
                    loc = LOC_IMM;
                    break;
                case O:
                    d.eaBase = -1;
                    d.eaIndex = -1;
                    d.eaScale = 0;
                    d.eaDisp = d.addrSize == 2 ? next16() : next32();
                    d.eaSeg = d.segOverride >= 0 ? d.segOverride : Segment.DS;
                    loc = LOC_MEM;
                    break;
                case S:
                    loc = LOC_SREG;
                    reg = d.reg;
                    break;
                case C:
                    loc = LOC_CREG;
                    reg = d.reg;
                    break;
                case D:
                    loc = LOC_DREG;
                    reg = d.reg;
                    break;
                case FIXED:
                    loc = LOC_REG;
                    reg = k.fixed;
                    break;
                case ONE:
                    loc = LOC_IMM;
                    d.imm = 1;
                    break;
                case Z:
                    loc = LOC_REG;
                    reg = opc & 7;
                    break;
                case X:
                case Y:
                    loc = LOC_STRING;
                    break;
                case SEG:
                    loc = LOC_SREG;
                    reg = k.fixed;
                    break;
                case Q:
                case W:
                    loc = d.mod == 3 ? LOC_OTHER : LOC_MEM;
                    break;
                default:
                    loc = LOC_OTHER;
                    break;
            }
            if (i == 0) {
                d.dst = (byte) loc;
                d.dstReg = (byte) reg;
                d.dstSize = (short) size;
            } else if (i == 1) {
                d.src = (byte) loc;
                d.srcReg = (byte) reg;
                d.srcSize = (short) size;
            } else {
                d.third = (byte) loc;
            }
        }
        d.len = (byte) pos;
        d.next = nextOffset(d, code32);
        if (err != 0) {
            finishError(d);
            return;
        }
        d.target = d.next + rel;
        if (d.opSize == 2) d.target &= 0xFFFF;
        d.cc = (byte) (opc & 0xF);
        d.handler = Handlers.GENERIC; // the form is chosen by HandlerSelector, outside the decoder
    }

    private static int nextOffset(DecodedInsn d, boolean code32) {
        int n = d.eip + d.len;
        return code32 ? n : n & 0xFFFF;
    }

    private void finishError(DecodedInsn d) {
        d.status = (byte) err;
        d.form = null;
        d.op = Op.UD;
        d.handler = err == DecodedInsn.TOO_LONG ? Handlers.GP0 : Handlers.UD;
        d.len = (byte) (pos == 0 && err == DecodedInsn.TOO_LONG ? MAX_LENGTH : pos);
        d.next = nextOffset(d, d.code32);
    }

    /** MOV to/from CRn/DRn treat ModRM as a register whatever mod says (SDM vol. 2, MOV CR). */
    private static boolean hasRegisterOnlyRm(InsnForm f) {
        for (int i = 0; i < f.operandCount(); i++) {
            if (f.operand(i).mode == OperandKind.Mode.R) return true;
        }
        return false;
    }

    private void decodeEa(DecodedInsn d) {
        int mod = d.mod;
        int rm = d.rm;
        int defaultSeg = Segment.DS;
        if (d.addrSize == 4) {
            int base = rm;
            int index = -1;
            int scale = 0;
            int disp = 0;
            if (rm == 4) {
                int sib = next8();
                scale = sib >> 6;
                int idx = (sib >> 3) & 7;
                index = idx == 4 ? -1 : idx;
                base = sib & 7;
                if (base == 5 && mod == 0) {
                    base = -1;
                    disp = next32();
                }
            } else if (rm == 5 && mod == 0) {
                base = -1;
                disp = next32();
            }
            if (mod == 1) disp = (byte) next8();
            else if (mod == 2) disp = next32();
            if (base == 4 || base == 5) defaultSeg = Segment.SS;
            d.eaBase = (byte) base;
            d.eaIndex = (byte) index;
            d.eaScale = (byte) scale;
            d.eaDisp = disp;
        } else {
            // 16-bit addressing: BX=3, BP=5, SI=6, DI=7 (SDM vol. 2, table 2-1)
            int base;
            int index;
            switch (rm) {
                case 0: base = 3; index = 6; break;
                case 1: base = 3; index = 7; break;
                case 2: base = 5; index = 6; defaultSeg = Segment.SS; break;
                case 3: base = 5; index = 7; defaultSeg = Segment.SS; break;
                case 4: base = 6; index = -1; break;
                case 5: base = 7; index = -1; break;
                case 6: base = 5; index = -1; defaultSeg = Segment.SS; break;
                default: base = 3; index = -1; break;
            }
            int disp = 0;
            if (mod == 0 && rm == 6) {
                base = -1;
                defaultSeg = Segment.DS;
                disp = next16();
            } else if (mod == 1) {
                disp = (byte) next8();
            } else if (mod == 2) {
                disp = (short) next16();
            }
            d.eaBase = (byte) base;
            d.eaIndex = (byte) index;
            d.eaScale = 0;
            d.eaDisp = disp;
        }
        d.eaSeg = (byte) (d.segOverride >= 0 ? d.segOverride : defaultSeg);
    }
}
