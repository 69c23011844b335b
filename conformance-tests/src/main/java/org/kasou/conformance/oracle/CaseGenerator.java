package org.kasou.conformance.oracle;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.kasou.cpu.Flags;
import org.kasou.isa.InsnForm;
import org.kasou.isa.Op;
import org.kasou.isa.OperandKind;

/**
 * Random test cases driven by the instruction table: single instructions of every usable form
 * (every ModRM and SIB shape, both operand and address sizes, segment overrides, LOCK and REP
 * where they apply) whose memory operands are aimed into the data region, and sequences of 2 to
 * 20 instructions with forward branches. Operand values lean toward the edges (see
 * {@link EdgeValues}). Flags that the table says an instruction leaves undefined are tracked
 * along every path, so that no generated instruction reads one and the comparison masks exactly
 * those that may still be undefined where the code stops.
 *
 * <p>Registers: in single-instruction cases every register is free and the address registers are
 * solved so that the effective address lands where the generator wants it. In sequences EBX and
 * EBP are pointers into the region that no instruction writes, ESP moves only through stack
 * instructions, and memory operands are addressed from them (or absolutely).
 */
public final class CaseGenerator {
    private static final int ESP = 4, EBX = 3, EBP = 5, ESI = 6, EDI = 7, EAX = 0, ECX = 1, EDX = 2;
    private static final int SEG_ES = 0, SEG_CS = 1, SEG_SS = 2, SEG_DS = 3;
    private static final int[] SEG_PREFIX = {0x26, 0x2E, 0x36, 0x3E, 0x64, 0x65};
    /** Ops whose first operand is only read. */
    private static final java.util.Set<Op> READS_DEST = java.util.EnumSet.of(Op.CMP, Op.TEST, Op.BT, Op.PUSH,
            Op.BOUND, Op.JMP_IND, Op.CALL_IND, Op.NOP, Op.PUSH_SREG);
    /** Ops that may leave the flags they write untouched (count 0, REP with ECX = 0). */
    private static final java.util.Set<Op> MAYBE_WRITES = java.util.EnumSet.of(Op.ROL, Op.ROR, Op.RCL, Op.RCR,
            Op.SHL, Op.SHR, Op.SAR, Op.SHLD, Op.SHRD);

    private final Random rnd;
    private final EdgeValues edge;
    private final List<InsnForm> forms;

    public CaseGenerator(long seed) {
        this.rnd = new Random(seed);
        this.edge = new EdgeValues(rnd);
        this.forms = new FormCatalog().forms();
    }

    /** A number in [0, bound) from the generator's stream (for callers that size cases). */
    public int nextInt(int bound) {
        return rnd.nextInt(bound);
    }

    /** The forms cases are drawn from. */
    public List<InsnForm> forms() {
        return forms;
    }

    /** The next random case: a single instruction (60%) or a sequence. */
    public TestCase next(int id) {
        if (rnd.nextInt(10) < 6) {
            return single(id, forms.get(rnd.nextInt(forms.size())));
        }
        return sequence(id, 2 + rnd.nextInt(19));
    }

    // ------------------------------------------------------------------ case building blocks

    /** One encoded instruction. */
    private static final class Insn {
        InsnForm form;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream(16);
        int opSize = 4, addrSize = 4;
        /** The shift or rotate count when known (immediate, 1, or CL in single cases), else -1. */
        int count = -1;
        /** Operand size in bytes of a shift's destination. */
        int shiftSize;
        /** Position and size of a relative displacement to fix up, or -1. */
        int relPos = -1, relSize;
        /** Position and size (2 or 4) of an absolute target offset in the bytes, or -1. */
        int absPos = -1, absSize = 4;
        String mnemonic;
    }

    /** One slot of a case: an instruction, or a setup instruction and the instruction it feeds. */
    private static final class Slot {
        final List<Insn> parts = new ArrayList<>(2);
        int reads, defined, undefined;
        boolean fallsThrough = true;
        /** Slot index that a branch goes to (the slot count means the end), or -1. */
        int target = -1;
        /** A register (or region offset) that must hold the target's absolute address, or -1. */
        int targetReg = -1, targetMem = -1;
    }

    /** Mutable state of the case being generated. */
    private final class Build {
        final TestCase tc;
        final boolean sequence;
        final int[] regs = new int[8];
        /** Registers whose value is dictated (address registers, pointers). */
        final boolean[] fixed = new boolean[8];
        final List<Slot> slots = new ArrayList<>();
        /** Branches may go backward (loops): for kasou against kasou, not for the host. */
        boolean loops;
        /** Code runs in the 16-bit code segment (default operand and address size 16). */
        final boolean code16;
        /** SS is the 16-bit stack segment: pushes and pops use SP, ESP's upper half stays. */
        final boolean stack16;

        Build(TestCase tc, boolean sequence) {
            this.tc = tc;
            this.sequence = sequence;
            this.code16 = rnd.nextInt(4) == 0;
            this.stack16 = rnd.nextInt(4) == 0;
            int esMode = rnd.nextInt(8) == 0 ? OracleLayout.MODE_ES_DOWN32 : rnd.nextInt(7) == 0 ? OracleLayout.MODE_ES_DOWN16 : 0;
            tc.mode = (code16 ? OracleLayout.MODE_CODE16 : 0) | (stack16 ? OracleLayout.MODE_STACK16 : 0) | esMode;
            for (int seg = 0; seg < 6; seg++) {
                lo[seg] = 0;
                hi[seg] = OracleLayout.segmentLimit(seg);
                delta[seg] = OracleLayout.segmentOffset(seg);
            }
            if (esMode != 0) {
                // expand-down: valid offsets from just above the limit to the top (SDM vol. 3, 3.4.5.1)
                lo[SEG_ES] = esMode == OracleLayout.MODE_ES_DOWN32 ? 0xFFFF8000 : 0x8000;
                hi[SEG_ES] = esMode == OracleLayout.MODE_ES_DOWN32 ? 0xFFFFFFFF : 0xFFFF;
                delta[SEG_ES] = -lo[SEG_ES];
            }
            for (int r = 0; r < 8; r++) regs[r] = edge.register(4);
            regs[ESP] = 0x5800 + rnd.nextInt(0x1000) & (rnd.nextInt(10) == 0 ? -1 : ~3);
            if (stack16 && rnd.nextBoolean()) regs[ESP] |= rnd.nextInt() & 0xFFFF0000; // only SP is used
            fixed[ESP] = true;
            if (sequence) {
                regs[EBX] = 0x100 + rnd.nextInt(0x5000);
                regs[EBP] = 0x100 + rnd.nextInt(0x5000);
                regs[ESI] = 0x400 + rnd.nextInt(0x3000);
                regs[EDI] = 0x400 + rnd.nextInt(0x3000);
                fixed[EBX] = fixed[EBP] = true;
            }
            tc.fillSeed = rnd.nextInt();
            tc.eflags = rnd.nextInt() & (Flags.ARITH | (rnd.nextInt(4) == 0 ? Flags.DF : 0));
        }

        void setReg(int r, int size, int value) {
            if (fixed[r]) return;
            regs[r] = size == 4 ? value : size == 2 ? (regs[r] & 0xFFFF0000) | (value & 0xFFFF) : (regs[r] & ~0xFF) | (value & 0xFF);
        }

        /** 8-bit register number (AL..BH) to its 32-bit register and whether it is the high byte. */
        void setReg8(int r8, int value) {
            int r = r8 & 3;
            if (fixed[r]) return;
            if (r8 < 4) regs[r] = (regs[r] & ~0xFF) | (value & 0xFF);
            else regs[r] = (regs[r] & ~0xFF00) | ((value & 0xFF) << 8);
        }

        int reg8(int r8) {
            return r8 < 4 ? regs[r8] & 0xFF : (regs[r8 & 3] >>> 8) & 0xFF;
        }

        void patch(int regionOffset, int size, long value) {
            if (regionOffset < 0 || regionOffset + size > OracleLayout.DATA_SIZE) return;
            byte[] b = new byte[size];
            for (int i = 0; i < size; i++) b[i] = (byte) (value >>> (8 * i));
            tc.patch(regionOffset, b);
        }

        /** Per data segment (ES..GS): lowest and highest valid offset, and offset-to-region shift. */
        final int[] lo = new int[6], hi = new int[6], delta = new int[6];

        /** The data-region offset that a segment offset addresses. */
        int region(int seg, int offset) {
            return offset + delta[seg];
        }

        /** Region offset of the stack top (SS has base 0 in the region). */
        int stackTop() {
            return stack16 ? regs[ESP] & 0xFFFF : regs[ESP];
        }

        /** The code segment offset of a code offset: code16 runs from offset 0, flat code from CODE_BASE. */
        int codeAddress(int offset) {
            return code16 ? offset : OracleLayout.CODE_BASE + offset;
        }

        int defaultSize() {
            return code16 ? 2 : 4;
        }

        /** Selector patches, applied after every other patch so that no edge value overwrites them. */
        final List<long[]> late = new ArrayList<>();

        void latePatch(int regionOffset, int size, int value) {
            late.add(new long[] {regionOffset, size, value});
        }

        int readPatched(int regionOffset, int size) {
            byte[] d = tc.initialData();
            int v = 0;
            for (int i = 0; i < size; i++) {
                int at = regionOffset + i;
                if (at >= 0 && at < d.length) v |= (d[at] & 0xFF) << (8 * i);
            }
            return v;
        }
    }

    // ------------------------------------------------------------------ single instructions

    /** A case running one instance of {@code form} (plus a filler instruction after a branch). */
    public TestCase single(int id, InsnForm form) {
        for (int attempt = 0; ; attempt++) {
            TestCase tc = new TestCase(id);
            Build b = new Build(tc, false);
            Slot s = new Slot();
            Insn insn = encode(b, form, s, 0);
            if (insn == null && attempt < 20) continue;
            if (insn == null) throw new IllegalStateException("cannot encode " + form);
            s.parts.add(insn);
            flagsOf(form, insn, s);
            b.slots.add(s);
            if (form.has(InsnForm.BRANCH)) {
                b.slots.add(filler(b));
                s.target = 2;
                if (form.op == Op.JMP || form.op == Op.JMP_IND || form.op == Op.RET) s.fallsThrough = false;
            }
            if (finish(b)) return tc;
        }
    }

    /** INC of a register other than ESP: something a skipped branch visibly skips. */
    private Slot filler(Build b) {
        Slot s = new Slot();
        Insn f = new Insn();
        int r = rnd.nextInt(7);
        if (r >= ESP) r++;
        f.bytes.write(0x40 + r);
        f.mnemonic = "inc";
        s.parts.add(f);
        s.defined = Flags.OF | Flags.SF | Flags.ZF | Flags.AF | Flags.PF;
        return s;
    }

    // ------------------------------------------------------------------ sequences

    /** A case of {@code count} instruction slots with forward branches. */
    public TestCase sequence(int id, int count) {
        return sequence(id, count, false);
    }

    /**
     * A case of {@code count} slots whose branches also go backward: loops that end by their
     * counter, by a condition, or never (an instruction budget stops them). The host helper must
     * not run these; they compare kasou's engines with each other.
     */
    public TestCase loopSequence(int id, int count) {
        return sequence(id, count, true);
    }

    private TestCase sequence(int id, int count, boolean loops) {
        for (int attempt = 0; ; attempt++) {
            TestCase tc = new TestCase(id);
            Build b = new Build(tc, true);
            b.loops = loops;
            for (int i = 0; i < count; i++) {
                int in = undefinedFlow(b.slots)[i];
                Slot s = null;
                for (int tries = 0; tries < 60 && s == null; tries++) {
                    InsnForm f = forms.get(rnd.nextInt(forms.size()));
                    if (FormCatalog.SINGLE_ONLY.contains(f.op) || (f.flagsRead & in & Flags.ARITH) != 0) continue;
                    s = sequenceSlot(b, f, i, count);
                }
                if (s == null) s = filler(b);
                b.slots.add(s);
            }
            if (finish(b)) return tc;
            if (attempt > 50) throw new IllegalStateException("cannot build a consistent sequence");
        }
    }

    private Slot sequenceSlot(Build b, InsnForm f, int index, int count) {
        Slot s = new Slot();
        Op op = f.op;
        boolean branch = f.has(InsnForm.BRANCH);
        if (branch) s.target = index + 1 + rnd.nextInt(count - index);
        boolean local = op == Op.JCC || op == Op.JMP || op == Op.LOOP || op == Op.LOOPE || op == Op.LOOPNE || op == Op.JCXZ;
        if (branch && local && b.loops && rnd.nextInt(3) > 0) s.target = Math.max(0, index - rnd.nextInt(12));
        if (op == Op.POPF) {
            // POPF only ever pops a value with IF set and TF, AC, NT, IOPL clear, as a user process can.
            Insn push = new Insn();
            int v = (rnd.nextInt() & (Flags.ARITH | Flags.DF)) | 0x202;
            boolean flip = rnd.nextInt(4) == 0;
            int size = flip ? 6 - b.defaultSize() : b.defaultSize();
            if (flip) push.bytes.write(0x66);
            push.bytes.write(0x68);
            writeLe(push.bytes, v, size);
            push.mnemonic = "push";
            s.parts.add(push);
            Insn popf = new Insn();
            if (flip) popf.bytes.write(0x66);
            popf.bytes.write(0x9D);
            popf.opSize = size;
            popf.form = f;
            popf.mnemonic = f.mnemonic(popf.opSize, b.defaultSize());
            s.parts.add(popf);
            s.defined = Flags.ARITH;
            return s;
        }
        if (op == Op.RET) {
            Insn push = new Insn();
            push.bytes.write(0x68);
            push.absPos = 1;
            push.absSize = b.defaultSize();
            writeLe(push.bytes, 0, push.absSize);
            push.mnemonic = "push";
            s.parts.add(push);
            Insn ret = new Insn();
            ret.form = f;
            ret.bytes.write(f.opcode);
            if (f.opcode == 0xC2) writeLe(ret.bytes, smallStackImm(), 2);
            ret.mnemonic = "ret";
            s.parts.add(ret);
            s.fallsThrough = false;
            return s;
        }
        if (op == Op.JMP_IND || op == Op.CALL_IND) {
            int r = new int[] {EAX, ECX, EDX, ESI, EDI}[rnd.nextInt(5)];
            Insn mov = new Insn();
            mov.bytes.write(0xB8 + r);
            mov.absPos = 1;
            mov.absSize = b.defaultSize();
            writeLe(mov.bytes, 0, mov.absSize);
            mov.mnemonic = "mov";
            s.parts.add(mov);
            Insn jmp = new Insn();
            jmp.form = f;
            jmp.bytes.write(0xFF);
            jmp.bytes.write(0xC0 | f.reg << 3 | r);
            jmp.mnemonic = f.mnemonic;
            s.parts.add(jmp);
            s.fallsThrough = op == Op.CALL_IND ? false : false;
            return s;
        }
        Insn insn = encode(b, f, s, index);
        if (insn == null) return null;
        s.parts.add(insn);
        flagsOf(f, insn, s);
        if (branch && (op == Op.JMP || op == Op.CALL)) s.fallsThrough = false;
        return s;
    }

    private static final java.util.Set<Op> SHIFTS = java.util.EnumSet.of(Op.ROL, Op.ROR, Op.RCL, Op.RCR,
            Op.SHL, Op.SHR, Op.SAR, Op.SHLD, Op.SHRD);

    private void flagsOf(InsnForm f, Insn insn, Slot s) {
        if (insn != null && SHIFTS.contains(f.op)) {
            shiftFlags(f.op, insn, s);
            return;
        }
        s.reads = f.flagsRead & Flags.ARITH;
        s.undefined = f.flagsUndefined & Flags.ARITH;
        int def = f.flagsWritten & ~f.flagsUndefined & Flags.ARITH;
        boolean rep = insn != null && repPrefixed(insn);
        if (MAYBE_WRITES.contains(f.op) || (rep && (f.op == Op.CMPS || f.op == Op.SCAS))) def = 0;
        s.defined = def;
    }

    /**
     * Shifts and rotates define their flags by count, which the table's per-form row cannot say
     * (SDM vol. 2, SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD, SHRD): a masked count of 0 changes no
     * flag; OF is defined only for a count of 1; AF is undefined for shifts; SHL/SHR leave CF
     * undefined when the count reaches the operand width. An unknown count (CL in a sequence)
     * may leave every flag unchanged.
     */
    private static void shiftFlags(Op op, Insn insn, Slot s) {
        final int o = Flags.OF, c = Flags.CF, a = Flags.AF, szp = Flags.SF | Flags.ZF | Flags.PF;
        boolean rotate = op == Op.ROL || op == Op.ROR || op == Op.RCL || op == Op.RCR;
        s.reads = op == Op.RCL || op == Op.RCR ? c : 0;
        int bits = insn.shiftSize * 8;
        if (insn.count < 0) {
            s.defined = 0;
            s.undefined = rotate ? o : o | a | ((op == Op.SHL || op == Op.SHR) && bits < 32 ? c : 0);
            return;
        }
        int n = insn.count & 31;
        if (n == 0) {
            s.defined = s.undefined = 0;
            return;
        }
        if (rotate) {
            int temp = op == Op.RCL || op == Op.RCR ? (bits == 8 ? n % 9 : bits == 16 ? n % 17 : n) : n;
            s.defined = (temp == 0 && (op == Op.RCL || op == Op.RCR) ? 0 : c) | (n == 1 ? o : 0);
            s.undefined = n == 1 ? 0 : o;
            return;
        }
        s.defined = szp | c | (n == 1 ? o : 0);
        s.undefined = a | (n == 1 ? 0 : o);
        if ((op == Op.SHL || op == Op.SHR) && n >= bits) {
            s.defined &= ~c;
            s.undefined |= c;
        }
    }

    private static boolean repPrefixed(Insn insn) {
        byte[] b = insn.bytes.toByteArray();
        for (byte x : b) {
            int v = x & 0xFF;
            if (v == 0xF2 || v == 0xF3) return true;
            if (v != 0x66 && v != 0x67 && v != 0xF0 && v != 0x26 && v != 0x2E && v != 0x36 && v != 0x3E && v != 0x64 && v != 0x65) break;
        }
        return false;
    }

    /**
     * For each slot (and, last, the end), the flags that may be undefined on entry over every
     * path from the start, loops included: the least fixpoint of in[t] = union of the outs of
     * t's predecessors, out = (in minus the flags the slot defines) plus those it leaves undefined.
     * Branches to slots not generated yet are ignored.
     */
    private static int[] undefinedFlow(List<Slot> slots) {
        int n = slots.size();
        int[] in = new int[n + 1];
        for (int iter = 0; iter <= n + 2; iter++) {
            int[] next = new int[n + 1];
            for (int p = 0; p < n; p++) {
                Slot s = slots.get(p);
                int out = (in[p] & ~s.defined) | s.undefined;
                if (s.fallsThrough) next[p + 1] |= out;
                if (s.target >= 0 && s.target <= n) next[s.target] |= out;
            }
            if (java.util.Arrays.equals(next, in)) break;
            in = next;
        }
        return in;
    }

    // ------------------------------------------------------------------ layout

    /** Lays the slots out, fixes branch targets, records flag masks; false when inconsistent. */
    private boolean finish(Build b) {
        TestCase tc = b.tc;
        List<Slot> slots = b.slots;
        int n = slots.size();
        List<Insn> all = new ArrayList<>();
        int[] slotStart = new int[n + 1];
        int pos = 0;
        for (int i = 0; i < n; i++) {
            slotStart[i] = pos;
            for (Insn p : slots.get(i).parts) {
                all.add(p);
                pos += p.bytes.size();
            }
        }
        slotStart[n] = pos;
        if (pos > 1000) return false;
        byte[] code = new byte[pos];
        int[] offsets = new int[all.size()];
        String[] text = new String[all.size()];
        int k = 0;
        pos = 0;
        for (int i = 0; i < n; i++) {
            Slot s = slots.get(i);
            for (Insn p : s.parts) {
                byte[] bytes = p.bytes.toByteArray();
                int next = pos + bytes.length;
                if (s.target >= 0) {
                    if (p.relPos >= 0) {
                        int rel = slotStart[s.target] - next;
                        if (p.relSize == 1 && (rel > 127 || rel < -128)) {
                            // too far for rel8: go to the farthest slot in reach
                            int t = s.target;
                            while (slotStart[t] - next > 127) t--;
                            while (slotStart[t] - next < -128) t++;
                            s.target = t;
                            rel = slotStart[t] - next;
                        }
                        putLe(bytes, p.relPos, rel, p.relSize);
                    }
                    if (p.absPos >= 0) putLe(bytes, p.absPos, b.codeAddress(slotStart[s.target]), p.absSize);
                }
                System.arraycopy(bytes, 0, code, pos, bytes.length);
                offsets[k] = pos;
                text[k] = (p.mnemonic == null ? "?" : p.mnemonic) + " [" + HexFormat.ofDelimiter(" ").formatHex(bytes) + "]";
                k++;
                pos = next;
            }
            if (s.target >= 0 && s.targetReg >= 0) b.regs[s.targetReg] = b.codeAddress(slotStart[s.target]);
            if (s.target >= 0 && s.targetMem >= 0) b.patch(s.targetMem, b.defaultSize(), b.codeAddress(slotStart[s.target]));
        }
        // flags: no instruction may read a flag that is undefined on some path into it
        int[] flow = undefinedFlow(slots);
        int[] before = new int[all.size() + 1];
        k = 0;
        for (int i = 0; i < n; i++) {
            int in = flow[i];
            if ((slots.get(i).reads & in) != 0) return false;
            for (int j = 0; j < slots.get(i).parts.size(); j++) before[k++] = in;
        }
        before[all.size()] = flow[n];
        for (long[] p : b.late) b.patch((int) p[0], (int) p[1], p[2]);
        System.arraycopy(b.regs, 0, tc.gpr, 0, 8);
        tc.code = code;
        tc.insnOffsets = offsets;
        tc.insnText = text;
        tc.undefinedBefore = before;
        return true;
    }

    // ------------------------------------------------------------------ encoding

    /** Operand slots found while encoding, for value assignment. */
    private static final int NONE = Integer.MIN_VALUE;

    /**
     * Encodes one instance of {@code f}; in single cases also chooses register and memory values.
     * Returns null when the form cannot be instantiated under the current constraints.
     */
    private Insn encode(Build b, InsnForm f, Slot slot, int index) {
        Insn insn = new Insn();
        insn.form = f;
        Op op = f.op;
        boolean branch = f.has(InsnForm.BRANCH);
        OperandKind[] ops = f.operands();
        boolean varSize = f.mnemonic.contains("|");
        boolean hasRm = false, hasString = false, hasMoffs = false;
        for (OperandKind k : ops) {
            if (k.size == OperandKind.Size.V || k.size == OperandKind.Size.A) varSize = true;
            if (k.isModrmRm()) hasRm = true;
            if (k.mode == OperandKind.Mode.X || k.mode == OperandKind.Mode.Y) hasString = true;
            if (k.mode == OperandKind.Mode.O) hasMoffs = true;
        }
        // ---- ModRM shape
        boolean mem = false;
        if (f.modrm) {
            if (f.mod == InsnForm.MOD_MEM) mem = true;
            else if (f.mod == InsnForm.MOD_REG) mem = false;
            else mem = hasRm && rnd.nextBoolean();
        }
        boolean memAccess = mem || hasString || hasMoffs || op == Op.XLAT;
        boolean selectorOp = op == Op.MOV_TO_SREG || op == Op.LAR || op == Op.LSL || op == Op.VERR || op == Op.VERW
                || op == Op.LES || op == Op.LDS || op == Op.LSS || op == Op.LFS || op == Op.LGS;
        if (b.sequence && selectorOp && (!mem || index != 0)) {
            // a selector of unknown value (a register, memory that earlier instructions or a moved
            // ESP changed) may name a host GDT entry (TLS...), and the GDTs differ: in sequences
            // selectors come only from memory the first instruction reads
            return null;
        }
        for (int i = 0; i < ops.length; i++) {
            // a register named by the opcode (INC EBX, POP ESP...) must not break the sequence's pointers
            if (ops[i].mode == OperandKind.Mode.Z && b.sequence) {
                int r = ops[i].size == OperandKind.Size.B ? f.opcode & 3 : f.opcode & 7;
                boolean written = i == 0 ? !READS_DEST.contains(op) : op == Op.XCHG;
                if (written && b.fixed[r]) return null;
            }
        }
        // ---- sizes and prefixes
        int def = b.defaultSize();
        insn.opSize = insn.addrSize = def;
        // operand size 32 is needed for BSWAP (16 is undefined); near branches keep the default size
        boolean flipOp = !branch && op != Op.PAUSE && (varSize ? rnd.nextInt(10) < 3 : rnd.nextInt(50) == 0);
        if (op == Op.BSWAP) flipOp = b.code16;
        if (flipOp) insn.opSize = 6 - def;
        boolean addrMatters = memAccess || op == Op.LOOP || op == Op.LOOPE || op == Op.LOOPNE || op == Op.JCXZ;
        boolean flipAddr = addrMatters ? rnd.nextInt(4) == 0 : rnd.nextInt(60) == 0;
        if (flipAddr) insn.addrSize = 6 - def;
        int seg = -1;
        if (memAccess ? rnd.nextInt(10) < 3 : rnd.nextInt(40) == 0) {
            seg = new int[] {0, 2, 3, 4, 5}[rnd.nextInt(5)];
        }
        boolean lock = false;
        if (f.has(InsnForm.LOCK) && mem) lock = rnd.nextInt(10) < 3;
        else if (rnd.nextInt(300) == 0) lock = true; // #UD on both sides
        int rep = 0;
        if (f.has(InsnForm.REP) && rnd.nextBoolean()) rep = 0xF3;
        if (f.has(InsnForm.REPCC) && rnd.nextBoolean()) rep = rnd.nextBoolean() ? 0xF3 : 0xF2;
        List<Integer> prefixes = new ArrayList<>();
        if (flipOp) prefixes.add(0x66);
        if (flipAddr) prefixes.add(0x67);
        if (seg >= 0) prefixes.add(SEG_PREFIX[seg]);
        if (lock) prefixes.add(0xF0);
        java.util.Collections.shuffle(prefixes, rnd);
        if (rep != 0) prefixes.add(rnd.nextInt(prefixes.size() + 1), rep);
        if (op == Op.PAUSE) prefixes.add(0xF3);
        for (int p : prefixes) insn.bytes.write(p);
        // ---- opcode
        if (f.map >= 1) insn.bytes.write(0x0F);
        if (f.map == 2) insn.bytes.write(0x38);
        if (f.map == 3) insn.bytes.write(0x3A);
        insn.bytes.write(f.opcode);
        insn.mnemonic = f.mnemonic(insn.opSize, insn.addrSize);

        int opSize = insn.opSize;
        int regField = -1, rmReg = -1;
        int memOff = NONE, memSeg = -1, memSize = 0;
        boolean writesDest = !READS_DEST.contains(op);
        if (SHIFTS.contains(op)) {
            insn.shiftSize = ops[0].size.bytes(opSize);
            if (ops[ops.length - 1] == OperandKind.ONE) insn.count = 1;
            // SHLD/SHRD of 16 bits by more than 16 leave the result undefined: no unknown CL count then
            if (b.sequence && (op == Op.SHLD || op == Op.SHRD) && opSize == 2 && ops[ops.length - 1] == OperandKind.CL) return null;
        }
        // ---- register operand from ModRM.reg
        if (f.modrm) {
            if (f.reg >= 0) {
                regField = f.reg;
            } else {
                OperandKind g = null;
                int gi = -1;
                for (int i = 0; i < ops.length; i++) {
                    if (ops[i].mode == OperandKind.Mode.G || ops[i].mode == OperandKind.Mode.S) {
                        g = ops[i];
                        gi = i;
                    }
                }
                if (g != null && g.mode == OperandKind.Mode.S) {
                    regField = rnd.nextInt(40) == 0 ? 6 + rnd.nextInt(2) : rnd.nextInt(6);
                } else if (g != null) {
                    boolean written = gi == 0 ? writesDest : op == Op.XCHG || op == Op.XADD;
                    regField = pickReg(b, g.size.bytes(opSize), written);
                    if (regField < 0) return null;
                } else {
                    regField = rnd.nextInt(8);
                }
            }
            // ---- r/m
            if (!mem) {
                if (f.rm >= 0) {
                    rmReg = f.rm;
                } else {
                    OperandKind e = rmKind(ops);
                    int size = e == null ? 4 : e.size.bytes(opSize);
                    if (e == OperandKind.MwRv) size = opSize;
                    boolean written = e != null && (ops[0] == e ? writesDest : op == Op.XCHG || op == Op.XADD);
                    rmReg = pickReg(b, size, written);
                    if (rmReg < 0) return null;
                }
                insn.bytes.write(0xC0 | regField << 3 | rmReg);
            } else {
                OperandKind e = rmKind(ops);
                memSize = e == null ? 0 : e.size.bytes(opSize);
                if (e == OperandKind.MwRv) memSize = 2;
                if (e == OperandKind.M) memSize = 0;
                int[] r = b.sequence ? sequenceAddress(b, insn, regField, seg, memSize) : singleAddress(b, insn, regField, seg, memSize, op);
                if (r == null) return null;
                memOff = r[0];
                memSeg = r[1];
                if (b.sequence && memSize > 0 && rnd.nextInt(10) < 7) {
                    // edge values in memory too (single cases get theirs in assignValues)
                    for (int at = 0; at < memSize; at += 4) b.patch(memOff + at, Math.min(4, memSize - at), edge.value(Math.min(4, memSize - at)));
                }
            }
        }
        // ---- other operands: immediates, moffs, string operands, fixed registers
        int immCount = 0;
        int[] immVal = new int[2];
        for (int i = 0; i < ops.length; i++) {
            OperandKind k = ops[i];
            switch (k.mode) {
                case I: {
                    int size = k.size.bytes(opSize);
                    int v = immediate(op, size, immCount, f);
                    if (SHIFTS.contains(op)) {
                        if ((op == Op.SHLD || op == Op.SHRD) && opSize == 2 && (v & 31) > 16) v &= 15; // result undefined
                        insn.count = v & 0xFF;
                    }
                    immVal[immCount++] = v;
                    writeLe(insn.bytes, v, size);
                    break;
                }
                case IS: {
                    int v = op == Op.PUSH ? edge.value(1) : edge.value(1);
                    writeLe(insn.bytes, v, 1);
                    break;
                }
                case J: {
                    int size = k.size.bytes(opSize);
                    insn.relPos = insn.bytes.size();
                    insn.relSize = size;
                    writeLe(insn.bytes, 0, size);
                    break;
                }
                case O: {
                    int es = seg >= 0 ? seg : SEG_DS;
                    int sz = k.size.bytes(opSize);
                    int t = target(b, es, sz);
                    writeLe(insn.bytes, t, insn.addrSize);
                    memOff = b.region(es, insn.addrSize == 2 ? t & 0xFFFF : t);
                    memSeg = es;
                    memSize = sz;
                    break;
                }
                default:
                    break;
            }
        }
        if (b.sequence && (hasString || op == Op.XLAT)) {
            // ESI/EDI/ECX are whatever earlier instructions left; keep REP counts from running away
            if (rep != 0 && rnd.nextBoolean()) return null;
        }
        if (!b.sequence) assignValues(b, insn, f, ops, regField, rmReg, memOff, memSeg, memSize, seg, rep, immVal, slot);
        selectors(b, insn, f, regField, rmReg, memOff);
        return insn;
    }

    private static OperandKind rmKind(OperandKind[] ops) {
        for (OperandKind k : ops) if (k.isModrmRm()) return k;
        return null;
    }

    /** A register number for a register operand of {@code size} bytes, honouring protected registers. */
    private int pickReg(Build b, int size, boolean written) {
        for (int t = 0; t < 20; t++) {
            int r = rnd.nextInt(8);
            int full = size == 1 ? (r & 3) : r;
            if (written && b.sequence && b.fixed[full]) continue;
            return r;
        }
        return -1;
    }

    private int immediate(Op op, int size, int which, InsnForm f) {
        switch (op) {
            case ROL: case ROR: case RCL: case RCR: case SHL: case SHR: case SAR: case SHLD: case SHRD:
                return edge.shiftCount() & 0xFF;
            case AAM: case AAD:
                return rnd.nextInt(3) == 0 ? edge.value(1) : 10;
            case ENTER:
                if (which == 0) return new int[] {0, 4, 8, 0x10, 0x7C, rnd.nextInt(0x200)}[rnd.nextInt(6)];
                return rnd.nextInt(4) == 0 ? rnd.nextInt(256) : rnd.nextInt(4);
            case RET:
                return smallStackImm();
            case BT: case BTS: case BTR: case BTC:
                return rnd.nextInt(256);
            default:
                return edge.value(size);
        }
    }

    private int smallStackImm() {
        return new int[] {0, 2, 4, 8, 0x10, 0x100}[rnd.nextInt(6)];
    }

    /** An offset in segment {@code seg} where an access of {@code size} bytes goes, mostly valid. */
    private int target(Build b, int seg, int size) {
        int lo = b.lo[seg];
        int limit = b.hi[seg] - lo; // valid offsets are lo .. lo + limit
        int last = limit + 1 - Math.max(size, 1);
        int u;
        switch (rnd.nextInt(40)) {
            case 0: u = last + 1 + rnd.nextInt(Math.max(size, 1)); break; // crosses the top: #GP/#SS
            case 1: u = last; break;                                      // the very last valid place
            case 2: u = 0; break;
            case 3: u = (rnd.nextInt((limit + 1) >> 12) << 12) - 1 - rnd.nextInt(Math.max(size, 1)) & 0x7FFF; break; // page crossing
            case 4: u = -1 - rnd.nextInt(Math.max(size, 1)); break;       // just below the bottom
            default: u = rnd.nextInt(Math.max(last, 1)); break;
        }
        return lo + u;
    }

    private static int defaultSeg(int base) {
        return base == ESP || base == EBP ? SEG_SS : SEG_DS;
    }

    /**
     * Single-instruction addressing: any ModRM/SIB shape; registers are solved so that the
     * effective address is a chosen target. Returns {region offset, segment}.
     */
    private int[] singleAddress(Build b, Insn insn, int regField, int seg, int size, Op op) {
        if (insn.addrSize == 2) return address16(b, insn, regField, seg, size, false);
        int mod = rnd.nextInt(3);
        int rm = rnd.nextInt(8);
        int base, index = -1, scale = 0, dispSize;
        boolean sib = rm == 4;
        int sibByte = 0;
        if (sib) {
            scale = rnd.nextInt(4);
            index = rnd.nextInt(8);
            base = rnd.nextInt(8);
            sibByte = scale << 6 | index << 3 | base;
            if (index == ESP) index = -1;
            if (mod == 0 && base == 5) base = -1;
        } else {
            base = rm;
            if (mod == 0 && rm == 5) base = -1;
        }
        dispSize = mod == 1 ? 1 : mod == 2 || base < 0 ? 4 : 0;
        int eseg = seg >= 0 ? seg : (base < 0 ? SEG_DS : defaultSeg(base));
        int t = target(b, eseg, size);
        int disp = dispSize == 0 ? 0 : edge.displacement(dispSize);
        // solve base + index*2^scale + disp == t
        if (index >= 0 && index == base) {
            int c = 1 + (1 << scale);
            if (b.fixed[base]) {
                t = b.regs[base] * c + disp;
            } else if (dispSize == 4) {
                int v = edge.register(4) & 0xFFFF;
                b.regs[base] = v;
                disp = t - v * c;
            } else {
                int rest = t - disp;
                rest -= Math.floorMod(rest, c);
                b.regs[base] = rest / c;
                t = rest + disp;
            }
            b.fixed[base] = true;
        } else {
            int idxVal = 0;
            if (index >= 0) {
                if (!b.fixed[index]) {
                    b.regs[index] = rnd.nextInt(3) == 0 ? edge.register(4) : rnd.nextInt(0x100) - 0x80;
                    b.fixed[index] = true;
                }
                idxVal = b.regs[index] << scale;
            }
            if (base >= 0 && !b.fixed[base]) {
                b.regs[base] = t - idxVal - disp;
                b.fixed[base] = true;
            } else if (dispSize == 4) {
                disp = t - idxVal - (base >= 0 ? b.regs[base] : 0);
            } else {
                t = (base >= 0 ? b.regs[base] : 0) + idxVal + disp; // ESP-based: wherever it lands
            }
        }
        insn.bytes.write(mod << 6 | regField << 3 | rm);
        if (sib) insn.bytes.write(sibByte);
        writeLe(insn.bytes, disp, dispSize);
        return new int[] {b.region(eseg, t), eseg};
    }

    /** 16-bit addressing ([BX+SI], [BP+DI+disp8], [disp16]...), for single cases and sequences. */
    private int[] address16(Build b, Insn insn, int regField, int seg, int size, boolean sequence) {
        final int[][] regsOf = {{EBX, ESI}, {EBX, EDI}, {EBP, ESI}, {EBP, EDI}, {ESI}, {EDI}, {EBP}, {EBX}};
        int mod = rnd.nextInt(3), rm;
        if (sequence) {
            rm = new int[] {6, 7, 6}[rnd.nextInt(3)]; // [BP+d], [BX+d], or [disp16] with mod 0
        } else {
            rm = rnd.nextInt(8);
        }
        boolean absolute = mod == 0 && rm == 6;
        int dispSize = mod == 1 ? 1 : mod == 2 || absolute ? 2 : 0;
        int[] used = absolute ? new int[0] : regsOf[rm];
        int eseg = seg >= 0 ? seg : (!absolute && (rm == 2 || rm == 3 || rm == 6) ? SEG_SS : SEG_DS);
        int t = target(b, eseg, size);
        int disp = dispSize == 0 ? 0 : edge.displacement(dispSize);
        if (absolute) {
            disp = t;
        } else {
            int sum = disp;
            int free = -1;
            for (int r : used) {
                if (b.fixed[r] || free >= 0) {
                    if (!b.fixed[r]) {
                        b.regs[r] = edge.register(4);
                        b.fixed[r] = true;
                    }
                    sum += b.regs[r];
                } else {
                    free = r;
                }
            }
            if (free >= 0) {
                b.regs[free] = (rnd.nextInt() & 0xFFFF0000) | ((t - sum) & 0xFFFF);
                b.fixed[free] = true;
            } else if (dispSize == 2) {
                disp = t - (sum - disp);
            } else {
                t = sum & 0xFFFF;
            }
            t &= 0xFFFF;
        }
        insn.bytes.write(mod << 6 | regField << 3 | rm);
        writeLe(insn.bytes, disp, dispSize);
        return new int[] {b.region(eseg, t), eseg};
    }

    /** Sequence addressing: [EBX/EBP/ESP + disp], [disp32], sometimes with ESI/EDI as index. */
    private int[] sequenceAddress(Build b, Insn insn, int regField, int seg, int size) {
        if (insn.addrSize == 2) return address16(b, insn, regField, seg, size, true);
        int kind = rnd.nextInt(6);
        int base = kind <= 1 ? EBX : kind == 2 ? EBP : kind == 3 ? ESP : -1;
        int eseg = seg >= 0 ? seg : (base < 0 ? SEG_DS : defaultSeg(base));
        int t = target(b, eseg, size);
        boolean withIndex = base >= 0 && rnd.nextInt(5) == 0;
        int index = withIndex ? (rnd.nextBoolean() ? ESI : EDI) : -1;
        int scale = withIndex ? rnd.nextInt(4) : 0;
        if (withIndex) t = (b.regs[base] + (b.regs[index] << scale) + rnd.nextInt(64)) & 0xFFFF; // may be out of range: a fault
        int baseVal = base >= 0 ? b.regs[base] : 0;
        int idxVal = withIndex ? b.regs[index] << scale : 0;
        int disp = t - baseVal - idxVal;
        int mod;
        if (base < 0) {
            insn.bytes.write(regField << 3 | 5);
            writeLe(insn.bytes, t, 4);
            return new int[] {b.region(eseg, t), eseg};
        }
        if (disp == 0 && base != EBP) mod = 0;
        else if (disp >= -128 && disp <= 127) mod = 1;
        else mod = 2;
        if (withIndex || base == ESP) {
            insn.bytes.write(mod << 6 | regField << 3 | 4);
            insn.bytes.write(scale << 6 | (withIndex ? index : 4) << 3 | base);
        } else {
            insn.bytes.write(mod << 6 | regField << 3 | base);
        }
        writeLe(insn.bytes, disp, mod == 0 ? 0 : mod == 1 ? 1 : 4);
        return new int[] {b.region(eseg, t), eseg};
    }

    // ------------------------------------------------------------------ values for single cases

    private void assignValues(Build b, Insn insn, InsnForm f, OperandKind[] ops, int regField, int rmReg,
                              int memOff, int memSeg, int memSize, int seg, int rep, int[] imm, Slot slot) {
        Op op = f.op;
        int opSize = insn.opSize;
        boolean a16 = insn.addrSize == 2;
        // register operands get edge values, memory operands edge contents
        for (int i = 0; i < ops.length; i++) {
            OperandKind k = ops[i];
            int size = k.size.bytes(opSize);
            switch (k.mode) {
                case G: valueReg(b, regField, size); break;
                case E: case R:
                    if (rmReg >= 0) valueReg(b, rmReg, k == OperandKind.MwRv ? opSize : size);
                    break;
                case Z: valueReg(b, f.opcode & 7, size); break;
                case FIXED: valueReg(b, k.fixed, size); break;
                default: break;
            }
        }
        if (memOff != NONE && memSize > 0) {
            if (memSize == 8) {
                b.patch(memOff, 4, edge.value(4));
                b.patch(memOff + 4, 4, edge.value(4));
            } else if (memSize <= 4) {
                b.patch(memOff, memSize, edge.value(memSize));
            }
        }
        int esp = b.stackTop();
        switch (op) {
            case DIV: case IDIV: {
                if (rnd.nextInt(10) < 7) divisible(b, op, ops[0].size.bytes(opSize), rmReg, memOff);
                break;
            }
            case BT: case BTS: case BTR: case BTC:
                if (memOff != NONE && ops[1].mode == OperandKind.Mode.G) {
                    // the bit offset also selects the byte: keep the bit string inside the segment
                    int room = Math.min(memOff - b.region(memSeg, b.lo[memSeg]), OracleLayout.DATA_SIZE - memOff - 4);
                    int bit = room > 0 ? rnd.nextInt(Math.min(room, 0x200) * 16) - Math.min(room, 0x200) * 8 : rnd.nextInt(32);
                    if (!b.fixed[regField]) b.setReg(regField, opSize, bit);
                }
                break;
            case ROL: case ROR: case RCL: case RCR: case SHL: case SHR: case SAR: case SHLD: case SHRD:
                if (ops[ops.length - 1] == OperandKind.CL) {
                    int c = edge.shiftCount();
                    if ((op == Op.SHLD || op == Op.SHRD) && opSize == 2 && (c & 31) > 16) c &= 15;
                    b.setReg8(1, c);
                    insn.count = c;
                }
                break;
            case CMPXCHG:
                if (rnd.nextBoolean()) {
                    int size = ops[0].size.bytes(opSize);
                    int v = memOff != NONE ? b.readPatched(memOff, size) : regValue(b, rmReg, size);
                    if (size == 1) b.setReg8(0, v); else b.setReg(EAX, size, v);
                }
                break;
            case CMPXCHG8B:
                if (rnd.nextBoolean() && memOff != NONE) {
                    b.setReg(EAX, 4, b.readPatched(memOff, 4));
                    b.setReg(EDX, 4, b.readPatched(memOff + 4, 4));
                }
                break;
            case BOUND:
                if (memOff != NONE) {
                    int lo = edge.value(opSize), hi = edge.value(opSize);
                    if (opSize == 2) { lo = (short) lo; hi = (short) hi; }
                    if (rnd.nextBoolean() && lo > hi) { int x = lo; lo = hi; hi = x; }
                    b.patch(memOff, opSize, lo);
                    b.patch(memOff + opSize, opSize, hi);
                    if (rnd.nextBoolean() && lo <= hi) b.setReg(regField, opSize, lo + (int) ((long) rnd.nextInt(Integer.MAX_VALUE) % ((long) hi - lo + 1)));
                }
                break;
            case ENTER:
                if (!b.fixed[EBP]) b.regs[EBP] = (b.regs[EBP] & 0xFFFF0000) | ((esp + rnd.nextInt(0x200)) & 0xFFFF);
                if (!b.fixed[EBP] && !b.stack16) b.regs[EBP] = esp + rnd.nextInt(0x200);
                break;
            case LEAVE:
                if (!b.fixed[EBP]) {
                    int bp = esp + 4 * rnd.nextInt(64) + (rnd.nextInt(10) == 0 ? 1 : 0);
                    b.regs[EBP] = b.stack16 ? (rnd.nextInt() & 0xFFFF0000) | bp : bp;
                }
                break;
            case POPF:
                b.patch(esp, opSize, (rnd.nextInt() & (Flags.ARITH | Flags.DF)) | 0x202);
                break;
            case PUSH_SREG:
                b.patch(esp - 4, 4, 0); // 32-bit pushes of a selector write 2 or 4 bytes (SDM: PUSH)
                break;
            case RET:
                slot.targetMem = esp;
                break;
            case JMP_IND: case CALL_IND:
                if (memOff != NONE) slot.targetMem = memOff;
                else slot.targetReg = rmReg;
                break;
            case LOOP: case LOOPE: case LOOPNE: case JCXZ:
                b.setReg(ECX, 4, new int[] {0, 1, 2, 0x10000, 0x10001, edge.value(4)}[rnd.nextInt(6)]);
                break;
            case XLAT: {
                int es = seg >= 0 ? seg : SEG_DS;
                int t = target(b, es, 1);
                int al = b.reg8(0);
                b.regs[EBX] = a16 ? (rnd.nextInt() & 0xFFFF0000) | ((t - al) & 0xFFFF) : t - al;
                break;
            }
            default:
                break;
        }
        if (ops.length > 0 && (ops[0].mode == OperandKind.Mode.X || ops[0].mode == OperandKind.Mode.Y
                || (ops.length > 1 && (ops[1].mode == OperandKind.Mode.X || ops[1].mode == OperandKind.Mode.Y)))) {
            strings(b, insn, f, ops, seg, rep);
        }
    }

    /**
     * Selectors for segment loads and LAR/LSL/VERR/VERW: mostly the helper's LDT segments (the
     * same descriptors on both sides), with other RPLs, null selectors and selectors past the LDT.
     * GDT selectors other than null are never used: the two GDTs differ.
     */
    private int selector() {
        // null selectors only as 0: the host's kernel may read a null FS/GS with RPL > 0 back as 0
        int[] pool = {0x07, 0x0F, 0x17, 0x1F, 0x27, 0x2F, 0x37, 0x07, 0x0F, 0x27, 0x04, 0x05, 0x06, 0x0C, 0x14, 0x1C,
            0x24, 0x2C, 0x00, 0x00, 0x3F, 0x47, 0xFFFF};
        return rnd.nextInt(12) == 0 ? rnd.nextInt(0x10000) | 4 : pool[rnd.nextInt(pool.length)];
    }

    private void selectors(Build b, Insn insn, InsnForm f, int regField, int rmReg, int memOff) {
        int opSize = insn.opSize;
        switch (f.op) {
            case MOV_TO_SREG: case LAR: case LSL: case VERR: case VERW:
                if (memOff != NONE) b.latePatch(memOff, 2, selector());
                else if (rmReg >= 0 && !b.sequence && !b.fixed[rmReg]) b.setReg(rmReg, 2, selector());
                break;
            case POP_SREG:
                if (!b.sequence) b.patch(b.stackTop(), opSize, selector());
                break;
            case LES: case LDS: case LSS: case LFS: case LGS:
                if (memOff != NONE) {
                    b.latePatch(memOff, opSize, f.op == Op.LSS ? 0x5000 + rnd.nextInt(0x1000) : edge.value(opSize));
                    b.latePatch(memOff + opSize, 2, selector());
                }
                break;
            default:
                break;
        }
    }

    private int regValue(Build b, int r, int size) {
        if (size == 1) return b.reg8(r);
        return size == 2 ? b.regs[r] & 0xFFFF : b.regs[r];
    }

    private void valueReg(Build b, int r, int size) {
        if (r < 0) return;
        if (size == 1) {
            if (!b.fixed[r & 3]) b.setReg8(r, edge.value(1));
        } else if (r != ESP && !b.fixed[r]) {
            b.regs[r] = size == 2 ? (b.regs[r] & 0xFFFF0000) | edge.value(2) : edge.value(4);
        }
    }

    /** Makes a DIV/IDIV quotient fit: the high half of the dividend smaller than the divisor. */
    private void divisible(Build b, Op op, int size, int rmReg, int memOff) {
        int divisor = memOff != NONE ? b.readPatched(memOff, size) : regValue(b, rmReg, size);
        if (divisor == 0) {
            divisor = 1 + rnd.nextInt(size == 1 ? 0xFF : 0xFFFF);
            if (memOff != NONE) b.patch(memOff, size, divisor);
            else if (size == 1) b.setReg8(rmReg, divisor);
            else b.setReg(rmReg, size, divisor);
            divisor = memOff != NONE ? b.readPatched(memOff, size) : regValue(b, rmReg, size);
            if (divisor == 0) return;
        }
        if (op == Op.DIV) {
            long d = Integer.toUnsignedLong(divisor);
            int high = (int) (Integer.toUnsignedLong(rnd.nextInt()) % d);
            if (size == 1) b.setReg8(4, high); else b.setReg(EDX, size, high);
        } else {
            int low = size == 1 ? b.reg8(0) : regValue(b, EAX, size);
            boolean neg = size == 1 ? (low & 0x80) != 0 : size == 2 ? (low & 0x8000) != 0 : low < 0;
            int high = neg ? -1 : 0;
            if (size == 1) b.setReg8(4, high); else b.setReg(EDX, size, high);
        }
    }

    /** ESI/EDI (SI/DI) into the region with room for the repeat count, ECX small mostly. */
    private void strings(Build b, Insn insn, InsnForm f, OperandKind[] ops, int seg, int rep) {
        int size = 1;
        for (OperandKind k : ops) {
            if (k.mode == OperandKind.Mode.X || k.mode == OperandKind.Mode.Y) size = k.size.bytes(insn.opSize);
        }
        int count = rep == 0 ? 1 : new int[] {0, 1, 2, 3, 4, 7, 16, 33, 64, rnd.nextInt(300)}[rnd.nextInt(10)];
        boolean big = rep != 0 && rnd.nextInt(30) == 0; // runs into the segment limit: #GP part-way
        if (rep != 0) {
            int c = big ? 0x40000 + rnd.nextInt(0x1000) : count;
            if (insn.addrSize == 2) b.setReg(ECX, 2, c); else b.regs[ECX] = c;
        }
        boolean down = (b.tc.eflags & Flags.DF) != 0;
        int span = count * size;
        int srcSeg = seg >= 0 ? seg : SEG_DS;
        int[] regs = {ESI, EDI};
        int[] segs = {srcSeg, SEG_ES};
        for (int i = 0; i < 2; i++) {
            int limit = b.hi[segs[i]] - b.lo[segs[i]];
            int room = Math.max(limit + 1 - span - size, 1);
            int t = rnd.nextInt(room) + (down ? span : 0);
            if (rnd.nextInt(25) == 0) t = limit + 1 - size + rnd.nextInt(size + 2); // at or over the limit
            t += b.lo[segs[i]];
            if (insn.addrSize == 2) b.regs[regs[i]] = (rnd.nextInt() & 0xFFFF0000) | (t & 0xFFFF);
            else b.regs[regs[i]] = t;
        }
        if ((f.op == Op.CMPS || f.op == Op.SCAS) && rnd.nextBoolean()) {
            // equal runs, so that REPE/REPNE stop on a difference rather than on the first element
            int n = Math.min(Math.max(count, 1), 64) * size;
            int srcOff = b.region(srcSeg, b.regs[ESI] & (insn.addrSize == 2 ? 0xFFFF : -1)) - (down ? n - size : 0);
            int dstOff = b.region(SEG_ES, b.regs[EDI] & (insn.addrSize == 2 ? 0xFFFF : -1)) - (down ? n - size : 0);
            byte[] run = new byte[n];
            int fillByte = f.op == Op.SCAS ? b.reg8(0) : rnd.nextInt(256);
            java.util.Arrays.fill(run, (byte) fillByte);
            if (f.op == Op.SCAS && size > 1) {
                for (int i = 0; i < n; i++) run[i] = (byte) (b.regs[EAX] >>> (8 * (i % size)));
            }
            if (rnd.nextBoolean() && n > 0) run[rnd.nextInt(n)] ^= (byte) (1 + rnd.nextInt(255));
            if (f.op == Op.CMPS && srcOff >= 0 && srcOff + n <= OracleLayout.DATA_SIZE) b.tc.patch(srcOff, run);
            if (dstOff >= 0 && dstOff + n <= OracleLayout.DATA_SIZE) b.tc.patch(dstOff, run);
        }
    }

    // ------------------------------------------------------------------ bytes

    private static void writeLe(ByteArrayOutputStream out, int v, int size) {
        for (int i = 0; i < size; i++) out.write(v >>> (8 * i));
    }

    private static void putLe(byte[] b, int pos, int v, int size) {
        for (int i = 0; i < size; i++) b[pos + i] = (byte) (v >>> (8 * i));
    }
}
