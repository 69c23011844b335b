package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;

/**
 * Compares every arithmetic helper with results and EFLAGS captured from the host CPU by
 * {@code src/test/native/alu_vectors.c} (run on an AMD EPYC, x86-64, in 32-bit mode).
 *
 * <p>Results and the flags the SDM defines must match. Flags the SDM leaves undefined are
 * compared too, because the helpers reproduce what this host family produces; vectors captured
 * on a CPU of another vendor would differ there (run with {@code -Dkasou.vectors.maskUndefined=true}
 * to compare only defined flags). Which flags are undefined is in {@link #undefinedFlags}.
 */
class HostVectorsTest {
    // Operation codes of the vector file (alu_vectors.c).
    static final int ADD = 0, ADC = 1, SUB = 2, SBB = 3, AND = 4, OR = 5, XOR = 6, CMP = 7, TEST = 8,
            INC = 9, DEC = 10, NEG = 11, SHIFT = 16, SHLD = 24, SHRD = 25,
            MUL = 32, IMUL1 = 33, IMUL2 = 34, DIV = 35, IDIV = 36,
            DAA = 40, DAS = 41, AAA = 42, AAS = 43, AAM = 44, AAD = 45,
            BT = 48, BTS = 49, BTR = 50, BTC = 51, BSF = 52, BSR = 53;

    private static final boolean MASK_UNDEFINED = Boolean.getBoolean("kasou.vectors.maskUndefined");
    private static final int ALL = Flags.ARITH;
    private static final int CF = Flags.CF, PF = Flags.PF, AF = Flags.AF, ZF = Flags.ZF, SF = Flags.SF, OF = Flags.OF;

    private final Cpu cpu = org.kasou.cpu.TestCpus.create(new PhysicalMemory(4096), new IoPortBus());
    private final CpuState s = cpu.state;

    record Vector(int op, int size, int flagsIn, int a, int b, int c, int r1, int r2, int flagsOut, boolean fault) {}

    /** SDM: the arithmetic flags this operation leaves undefined for these operands. */
    static int undefinedFlags(Vector v) {
        int bits = v.size * 8;
        int count = v.c & 31;
        switch (v.op) {
            case AND: case OR: case XOR: case TEST:
                return AF;
            case SHIFT: case SHIFT + 1: case SHIFT + 2: case SHIFT + 3: // rotates
                return count == 1 || count == 0 ? 0 : OF;
            case SHIFT + 4: case SHIFT + 5: case SHIFT + 6: case SHIFT + 7:
                if (count == 0) return 0;
                return AF | (count == 1 ? 0 : OF) | (count >= bits && v.op != SHIFT + 7 ? CF : 0);
            case SHLD: case SHRD:
                if (count == 0) return 0;
                return count > bits ? ALL : AF | (count == 1 ? 0 : OF);
            case MUL: case IMUL1: case IMUL2:
                return SF | ZF | AF | PF;
            case DIV: case IDIV:
                return ALL;
            case DAA: case DAS:
                return OF;
            case AAA: case AAS:
                return OF | SF | ZF | PF;
            case AAM: case AAD:
                return OF | AF | CF;
            case BT: case BTS: case BTR: case BTC:
                return OF | SF | AF | PF;
            case BSF: case BSR:
                return CF | OF | SF | AF | PF;
            default:
                return 0;
        }
    }

    /** Runs one vector through the helper; returns {r1, r2, flags, faulted}. */
    int[] run(Vector v) {
        java.util.Arrays.fill(s.gpr, 0);
        LazyFlags.setArith(s, v.flagsIn);
        int size = v.size, a = v.a, b = v.b, c = v.c;
        int r1 = 0, r2 = 0;
        boolean fault = false;
        try {
            switch (v.op) {
                case ADD: r1 = Alu.add(s, size, a, b); break;
                case ADC: r1 = Alu.adc(s, size, a, b); break;
                case SUB: r1 = Alu.sub(s, size, a, b); break;
                case SBB: r1 = Alu.sbb(s, size, a, b); break;
                case AND: r1 = Alu.and(s, size, a, b); break;
                case OR: r1 = Alu.or(s, size, a, b); break;
                case XOR: r1 = Alu.xor(s, size, a, b); break;
                case CMP: Alu.cmp(s, size, a, b); r1 = a; break;
                case TEST: Alu.test(s, size, a, b); r1 = a; break;
                case INC: r1 = Alu.inc(s, size, a); break;
                case DEC: r1 = Alu.dec(s, size, a); break;
                case NEG: r1 = Alu.neg(s, size, a); break;
                case SHLD: r1 = Shifts.shld(s, size, a, b, c); break;
                case SHRD: r1 = Shifts.shrd(s, size, a, b, c); break;
                case IMUL2: r1 = MulDiv.imul(s, size, a, b); break;
                case MUL: case IMUL1: case DIV: case IDIV:
                    s.gpr[CpuState.EAX] = a;
                    s.gpr[CpuState.EDX] = b;
                    if (v.op == MUL) MulDiv.mul(s, size, c);
                    else if (v.op == IMUL1) MulDiv.imul1(s, size, c);
                    else if (v.op == DIV) MulDiv.div(cpu, size, c);
                    else MulDiv.idiv(cpu, size, c);
                    r1 = s.gpr[CpuState.EAX];
                    r2 = s.gpr[CpuState.EDX];
                    break;
                case DAA: case DAS: case AAA: case AAS: case AAM: case AAD:
                    s.gpr[CpuState.EAX] = a;
                    if (v.op == DAA) Bcd.daa(s);
                    else if (v.op == DAS) Bcd.das(s);
                    else if (v.op == AAA) Bcd.aaa(s);
                    else if (v.op == AAS) Bcd.aas(s);
                    else if (v.op == AAM) Bcd.aam(cpu, c);
                    else Bcd.aad(s, c);
                    r1 = s.gpr[CpuState.EAX];
                    break;
                case BT: BitOps.bt(s, size, a, b); r1 = a; break;
                case BTS: r1 = BitOps.bts(s, size, a, b); break;
                case BTR: r1 = BitOps.btr(s, size, a, b); break;
                case BTC: r1 = BitOps.btc(s, size, a, b); break;
                case BSF: r1 = BitOps.bsf(s, size, a, b); break;
                case BSR: r1 = BitOps.bsr(s, size, a, b); break;
                default:
                    if (v.op >= SHIFT && v.op < SHIFT + 8) {
                        r1 = Shifts.shift(s, v.op - SHIFT, size, a, c);
                        break;
                    }
                    throw new IllegalStateException("unknown op " + v.op);
            }
        } catch (CpuFault f) {
            fault = f.vector == CpuFault.DE;
            r1 = s.gpr[CpuState.EAX];
            r2 = s.gpr[CpuState.EDX];
        }
        return new int[] {r1, r2, fault ? 0 : LazyFlags.arith(s), fault ? 1 : 0};
    }

    static List<Vector> load() throws IOException {
        List<Vector> out = new ArrayList<>();
        try (InputStream raw = HostVectorsTest.class.getResourceAsStream("alu-vectors.bin.gz");
                DataInputStream in = new DataInputStream(new BufferedInputStream(new GZIPInputStream(raw), 1 << 16))) {
            while (true) {
                int op;
                try {
                    op = in.readUnsignedByte();
                } catch (EOFException end) {
                    break;
                }
                int size = in.readUnsignedByte();
                int[] f = new int[7];
                for (int i = 0; i < 7; i++) {
                    f[i] = varint(in);
                }
                boolean fault = in.readUnsignedByte() != 0;
                out.add(new Vector(op, size, f[0], f[1], f[2], f[3], f[4], f[5], f[6], fault));
            }
        }
        return out;
    }

    private static int varint(DataInputStream in) throws IOException {
        int v = 0;
        for (int shift = 0; ; shift += 7) {
            int b = in.readUnsignedByte();
            v |= (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
    }

    @Test
    void everyHelperMatchesTheHostCpu() throws IOException {
        List<Vector> vectors = load();
        assertTrue(vectors.size() > 100_000, "vector file too small: " + vectors.size());
        Map<String, Integer> failures = new TreeMap<>();
        List<String> examples = new ArrayList<>();
        for (Vector v : vectors) {
            int[] got = run(v);
            int undefined = undefinedFlags(v);
            int compared = MASK_UNDEFINED ? ALL & ~undefined : ALL;
            boolean resultOk = got[3] == (v.fault ? 1 : 0) && got[0] == v.r1
                    && (got[1] == v.r2 || !usesEdx(v.op));
            int flagDiff = (got[2] ^ v.flagsOut) & compared;
            if (v.op >= SHLD && v.op <= SHRD && (v.c & 31) > v.size * 8) {
                resultOk = resultOk || MASK_UNDEFINED; // SDM: result undefined too
            }
            if (resultOk && flagDiff == 0 && !v.fault && conditionsDisagree(v.flagsOut, compared)) {
                failures.merge(String.format("op %d size %d conditions", v.op, v.size), 1, Integer::sum);
                if (examples.size() < 40) {
                    examples.add(String.format("op %d size %d conditions: a %08x b %08x c %08x flags %03x",
                            v.op, v.size, v.a, v.b, v.c, v.flagsOut));
                }
            }
            if (!resultOk || flagDiff != 0) {
                String key = String.format("op %d size %d %s", v.op, v.size,
                        !resultOk ? "result" : (flagDiff & ~undefined) != 0 ? "defined flags" : "undefined flags");
                failures.merge(key, 1, Integer::sum);
                if (examples.size() < 40) {
                    examples.add(String.format("%s: in flags %03x a %08x b %08x c %08x -> expected %08x %08x flags %03x%s,"
                                    + " got %08x %08x flags %03x%s (diff %03x)",
                            key, v.flagsIn, v.a, v.b, v.c, v.r1, v.r2, v.flagsOut, v.fault ? " #DE" : "",
                            got[0], got[1], got[2], got[3] != 0 ? " #DE" : "", flagDiff));
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> vectors.size() + " vectors, failures " + failures + "\n"
                + String.join("\n", examples));
    }

    /**
     * Conditions.test reads the lazy state through its own shortcuts: after each helper, every
     * condition code must agree with the one computed from the host's flags.
     */
    private boolean conditionsDisagree(int hostFlags, int compared) {
        for (int cc = 0; cc < 16; cc++) {
            int needs = FLAGS_READ[cc >> 1];
            if ((needs & ~compared) != 0) {
                continue; // reads an undefined flag that is not compared
            }
            if (Conditions.test(s, cc) != ConditionsTest.expected(hostFlags, cc)) {
                return true;
            }
        }
        return false;
    }

    private static final int[] FLAGS_READ = {OF, CF, ZF, CF | ZF, SF, PF, SF | OF, ZF | SF | OF};

    private static boolean usesEdx(int op) {
        return op >= MUL && op <= IDIV && op != IMUL2;
    }
}
