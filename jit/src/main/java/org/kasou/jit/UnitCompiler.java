package org.kasou.jit;

import static org.kasou.jit.FlagLocals.K_ADD;
import static org.kasou.jit.FlagLocals.K_DEAD;
import static org.kasou.jit.FlagLocals.K_SUB;
import static org.kasou.jit.FlagLocals.K_UNKNOWN;
import static org.objectweb.asm.Opcodes.*;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.List;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;
import org.kasou.cpu.Segment;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Type;

/**
 * Translates a {@link Region} into the static method of a hidden class.
 *
 * <p>Shape of the generated method {@code body(CpuState s, Memory m, JitRuntime rt, int left)}:
 * guest registers and the five lazy-flag fields live in JVM locals, loaded at entry and stored
 * at the two epilogues (normal exit, fault). Instructions are emitted in EIP order; a segment is a
 * straight run that starts at a label (the entry, a branch target, a return site, the instruction
 * after a branch). Each segment start checks that the budget {@code left} covers the whole
 * segment, else the unit exits there, so a unit never runs more instructions than asked; each
 * segment end subtracts what it ran. Jumps inside the region are JVM branches, so loops are
 * JVM loops.
 *
 * <p>Flags: a flag-setting instruction records the lazy-flag fields in locals only if one of its
 * flags is live (read before being overwritten on some path; every exit and every instruction
 * that can fault counts as a read of all flags, since the state must be exact there). A Jcc
 * whose flags were set earlier in its segment by a known operation tests them directly;
 * otherwise it stores the locals into the state and calls the interpreter's
 * {@link org.kasou.cpu.exec.Conditions#test}.
 *
 * <p>Faults: each instruction that can fault is covered by its own exception-table entry whose
 * handler records its EIP and how much of its segment retired before it; the fault epilogue
 * stores the locals (every instruction computes into the stack and temporaries and writes guest
 * registers and flag locals only after its last faulting access, so they hold the state before
 * the faulting instruction) and rethrows the CPU's fault for the dispatcher to deliver.
 *
 * <p>After each memory write the unit checks {@link JitRuntime#hit}: a write that invalidated
 * compiled code (possibly this unit) makes it exit right after that instruction.
 */
final class UnitCompiler {
    // kasou's classes are named through class literals, so that a rename cannot compile and then fail at run time.
    private static final String CPU_STATE = Type.getInternalName(CpuState.class);
    private static final String MEMORY = Type.getInternalName(org.kasou.mem.Memory.class);
    private static final String RUNTIME = Type.getInternalName(JitRuntime.class);
    private static final String FAULT = Type.getInternalName(org.kasou.cpu.CpuFault.class);
    private static final String SEGMENT = Type.getInternalName(Segment.class);
    private static final String CPU = Type.getInternalName(org.kasou.cpu.Cpu.class);
    private static final String EXEC = Type.getInternalName(org.kasou.cpu.exec.Exec.class);
    private static final String BIT_OPS = Type.getInternalName(org.kasou.cpu.exec.BitOps.class);
    private static final String X87_EXEC = Type.getInternalName(org.kasou.cpu.exec.X87Exec.class);
    private static final String DECODED_INSN_DESC = Type.getDescriptor(org.kasou.isa.DecodedInsn.class);
    private static final String ACCESS = Type.getInternalName(CompiledAccess.class);
    private static final String CHUNK_WORDS = Type.getInternalName(org.kasou.mem.ChunkWords.class);
    private static final String RUNTIME_DESC = Type.getDescriptor(JitRuntime.class);
    private static final String BUDGET_EXIT = Type.getInternalName(BudgetExit.class);
    private static final String SLOW_ACCESS = Type.getInternalName(SlowAccess.class);
    private static final String MEMORY_DESC = Type.getDescriptor(org.kasou.mem.Memory.class);
    /** What CompiledAccess takes after the offset (and a write's value): segment base and limit, TLB, chunks, access bit. */
    private static final String ACCESS_STATE = "IJ[[B", ACCESS_FLAT_STATE = "[[B";
    private static final String ACCESS_READ_DESC = "(" + MEMORY_DESC + "II" + ACCESS_STATE + ")I";
    private static final String ACCESS_WRITE_DESC = "(" + MEMORY_DESC + "III" + ACCESS_STATE + RUNTIME_DESC + ")Z";
    private static final String ACCESS_FLAT_READ_DESC = "(" + MEMORY_DESC + "II" + ACCESS_FLAT_STATE + ")I";
    private static final String ACCESS_FLAT_WRITE_DESC = "(" + MEMORY_DESC + "III" + ACCESS_FLAT_STATE + RUNTIME_DESC + ")Z";
    private static final String INSNS_DESC = "[" + DECODED_INSN_DESC;
    private static final String RUN_DESC = "(II)I";
    /** The prefix of a unit's class name; the rest is its first entry's EIP (see {@link #unitName}). */
    static final String UNIT_PREFIX = "org/kasou/jit/GuestCode_";
    private static final String UNIT_CLASS = Type.getInternalName(JitEngine.Unit.class);
    private static final String LINK = Type.getInternalName(ChainLink.class);

    // Locals.
    // Slot 0 is the unit object (run is an instance method); the others follow it.
    private static final int LEFT = 1, ENTRY = 2, S = 3, RT = 5;
    /** The guest's memory. */
    static final int M = 4;
    /** The guest's general registers: register r in local R0 + r. */
    static final int R0 = 6;
    /** The lazy flags' five fields, the state's lfOp to lfKnown (see {@link FlagLocals}). */
    static final int F_OP = 14, F_RES = 15, F_DST = 16, F_SRC = 17, F_KNOWN = 18;
    private static final int EIP_OUT = 19, EXC = 20, CS_LIMIT = 21;
    /** Temporaries of an instruction (FlagLocals records the operands and results they hold). */
    static final int T0 = 22, T1 = 23, T2 = 24;
    /** The address of a read-modify-write memory operand. */
    static final int T3 = 26;
    // Memory fast path: temporaries, and per segment
    // register its base and the fast-path limits for reads and writes (longs, -1 = never fast).
    private static final int T_OFF = 30, T_VAL = 33,
            SEG_BASE = 34, SEG_SLOTS = 5,
            /** The node that may fault next (an index into the FAULT_ tables), for the one fault handler. */
            FAULT_AT = SEG_BASE + 6 * SEG_SLOTS,
            /** Whether a write of the current instruction reached compiled code (see CompiledAccess). */
            WRITE_HIT = FAULT_AT + 1,
            /** The exit's link (an index into LINKS) and the unit it continues into (see ChainLink). */
            LINK_AT = WRITE_HIT + 1, NEXT_UNIT = WRITE_HIT + 2,
            /** Per base register, the page of its group's accesses ({@link PageGroup}), or null. */
            GROUP_PAGES = NEXT_UNIT + 1;
    /** Per base register, its group's offset in that page (of the lowest displacement). */
    static final int GROUP_OFFS = GROUP_PAGES + 8;
    /** Locals for others to use from here on (see X87Locals), and the ones they read. */
    static final int FIRST_FREE_LOCAL = GROUP_OFFS + 8, STATE_LOCAL = S, LEFT_LOCAL = LEFT, ENTRY_LOCAL = ENTRY;
    /** Whether units keep the x87 stack in locals where they can (X87Locals). */
    static final boolean X87_LOCALS = !"false".equals(System.getProperty("kasou.jit.x87Locals"));
    /**
     * Accesses leave the unit off their fast path (SlowAccess) instead of calling Memory, except
     * in instructions that have left that way often ({@link Node#slowCalls}).
     */
    static final boolean LEAVE_ON_SLOW = !"false".equals(System.getProperty("kasou.jit.leaveOnSlow"));

    /** Bytecode size that HotSpot still JIT-compiles (HugeMethodLimit is 8,000), with a margin. */
    static final int MAX_METHOD_BYTES = 7_600;

    private final Region region;
    /** The x87 stack in locals, or null when the unit leaves it in the state. */
    private X87Locals x87;
    /**
     * By node index, for the fault handler: the instruction's EIP, the instructions of its segment
     * that retired before it (the budget is charged at segment ends), and what to take back from
     * the state (1: registers, which Exec left precise; 2: registers and flags, after CMPS/SCAS).
     */
    private int[] faultEips, faultRetired, faultReload;
    private MethodVisitor mv;
    /** The method's frames (mv is this visitor). */
    private UniformFrames frames;
    private final Label exitEpilogue = new Label();
    /**
     * Where a leave before the node in FAULT_AT goes (see {@link #leaveBefore}): its EIP and the
     * instructions retired before it come from the fault tables, as for a fault.
     */
    private final Label leaveAtFaultNode = new Label();
    private boolean leavesAtFaultNode;
    /** The node whose index FAULT_AT holds while its instruction is emitted (-1: none). */
    private int faultAtNode = -1;
    /** The instruction being compiled calls Memory off its accesses' fast paths ({@link Node#slowCalls}). */
    private boolean slowCalls;
    /** Whether the instruction being compiled has a write that may set WRITE_HIT (one that calls Memory off its fast path). */
    private boolean writeMayHit;
    /** Where exits that may continue into the next unit themselves go (see ChainLink). */
    private final Label linkedEpilogue = new Label();
    /** Whether exits continue into the next unit themselves: not after code that may change what units are checked against. */
    private boolean links;
    /** The links' exits: a constant EIP's index, shared by all exits there. */
    private final java.util.Map<Integer, Integer> linkOfEip = new java.util.HashMap<>();
    /** Links of the unit's exits, at most {@link #MAX_LINKS}. */
    private int linkCount;
    /** Links of exits to a computed EIP (RET, JMP and CALL through a register or memory), by index. */
    private final java.util.BitSet computedLinks = new java.util.BitSet();
    private static final int MAX_LINKS = 32;
    private final Label faultEpilogue = new Label();
    private Label[] nodeLabel;
    private Label[] bodyLabel;
    /** The lazy flags in the locals: what they hold, and the code that records and reads them. */
    private final FlagLocals flags = new FlagLocals(this);
    /** The code of shifts, rotates and double shifts. */
    private final ShiftCode shifts = new ShiftCode(this, flags);
    /** The code of byte and word operands and of the operations on them. */
    private final SmallOperands small = new SmallOperands(this, flags);
    private int usedSegsAll;
    /**
     * Segment registers that were flat (base 0, limit 4 GiB, readable and writable) when the unit
     * was compiled: their accesses skip the base and limit locals. The engine enters the unit only
     * while they still are, and the unit leaves after any instruction that loads a segment register.
     */
    int flatSegs;
    private int writtenRegs;
    private boolean setsFlags;
    /**
     * Whether the flag locals start as {@link #FLAGS_IN_STATE} instead of a copy of the state's
     * lazy flags: no entry's flags reach an instruction that reads the locals themselves
     * ({@link #entryFlagsRead}), so until the unit sets flags the state's are the current ones.
     */
    private boolean flagsInState;
    /** Bytecode size of the generated method. */
    int methodBytes;

    /** Whether the unit starts with the flags left in the state ({@link #FLAGS_IN_STATE}; known once generated). */
    boolean leavesFlagsInState() {
        return flagsInState;
    }

    /** Whether the unit keeps the x87 stack in locals (known once generated). */
    boolean keepsX87InLocals() {
        return x87 != null;
    }
    /** Estimated bytecode that HotSpot inlines into it (see InlineBudget). */
    int inlinedBytes;

    UnitCompiler(Region region) {
        this.region = region;
        this.unit = unitName(region);
        // Taken here, on the CPU's thread (the memory builds these tables on demand): the rest may
        // run on another thread.
        org.kasou.mem.Memory m = region.memory();
        readPages = m.readPages(region.cpl);
        writePages = m.writePages(region.cpl);
    }

    /** The RAM pages the unit's CPL may read and write directly, for {@link #classData}. */
    private final byte[][] readPages, writePages;

    /**
     * The unit's class name, its first entry's EIP in hex after {@link #UNIT_PREFIX}: profilers
     * (perf's map, Java Flight Recorder, -XX:+PrintCompilation) then name the guest code they
     * sample. HotSpot adds a suffix of its own to each hidden class, so two units at one EIP stay apart.
     */
    static String unitName(Region region) {
        return UNIT_PREFIX + Integer.toHexString(region.entries.get(0).eip); // the engine compiles no region without entries
    }

    /** This unit's class name (see {@link #unitName}). */
    private final String unit;

    /** The class file of a hidden class implementing {@link CompiledCode}. */
    byte[] generate() {
        List<Node> nodes = region.nodes;
        layout(nodes);
        PageGroup.assign(nodes, region.flatSegments, LEAVE_ON_SLOW);
        for (Node n : nodes) {
            PageGroup g = n.pageGroup;
            if (g != null && g.leader() == n) groupLocals |= 1 << g.base;
        }
        liveness(nodes);
        flagsInState = FLAGS_LEFT_IN_STATE && !entryFlagsRead(nodes);
        x87 = X87_LOCALS ? X87Locals.of(nodes, region.entries) : null;
        // Stack map frames come from UniformFrames, not from ASM's analysis (COMPUTE_FRAMES was most
        // of a unit's compile time); the JVM checks them without the fallback to type inference.
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        String name = unit;
        String base = Type.getInternalName(CompiledCode.class);
        cw.visit(V1_7, ACC_FINAL | ACC_SUPER, name, null, base, null);
        constants(cw);
        MethodVisitor init = cw.visitMethod(ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(ALOAD, 0);
        init.visitMethodInsn(INVOKESPECIAL, base, "<init>", "()V", false);
        init.visitInsn(RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();
        InlineBudget inlining = new InlineBudget(cw.visitMethod(ACC_PUBLIC, "run", RUN_DESC, null, null));
        frames = new UniformFrames(inlining, name, INTEGER, INTEGER);
        frames.declare(S, CPU_STATE);
        frames.declare(M, MEMORY);
        frames.declare(RT, RUNTIME);
        frames.declare(EXC, "java/lang/Throwable");
        frames.declare(NEXT_UNIT, UNIT_CLASS);
        for (int r = 0; r < 8; r++) if ((groupLocals & (1 << r)) != 0) frames.declare(GROUP_PAGES + r, "[B");
        links = JitEngine.CHAIN && !JitEngine.Body.mayLoadSegments(nodes);
        mv = frames;
        flags.mv = mv;
        shifts.mv = mv;
        small.mv = mv;
        if (x87 != null) x87.start(this, mv, frames);
        mv.visitCode();
        // The CPU's state, memory and runtime are the unit's own constants (units are compiled for
        // one CPU): then they take no register in the compiled code, which needs every one it has.
        for (int i = 0; i < CPU_FIELDS.length; i++) {
            mv.visitFieldInsn(GETSTATIC, unit, CPU_FIELDS[i][0], CPU_FIELDS[i][1]);
            mv.visitVarInsn(ASTORE, S + i);
        }
        Label end = body(nodes);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        methodBytes = end.getOffset();
        inlinedBytes = inlining.inlined;
        cw.visitEnd();
        return cw.toByteArray();
    }

    /**
     * Static final fields for what does not change while the unit exists: the decoded instructions
     * (for those run through Exec), the read TLB, and the RAM pages the unit's CPL may read and write
     * ({@link org.kasou.mem.Memory#readPages}). They come from the hidden class's class data
     * ({@link #classData}); HotSpot takes static finals as constants, so they cost the compiled
     * code neither a register nor a load. The registers' array and CS's Segment are the state's own
     * (neither is ever replaced): a constant array's length is known, so its accesses need no
     * range check, and CS's limit is one load at each entry instead of four and a range check.
     */
    private void constants(ClassWriter cw) {
        String[][] fields = {{"INSNS", INSNS_DESC}, {"TLB_READ", "[I"}, {"READ_PAGES", "[[B"}, {"WRITE_PAGES", "[[B"},
            {"FAULT_EIPS", "[I"}, {"FAULT_RETIRED", "[I"}, {"FAULT_RELOAD", "[I"},
            CPU_FIELDS[0], CPU_FIELDS[1], CPU_FIELDS[2], {"GPR", "[I"}, {"CS", "L" + SEGMENT + ";"}, {"LINKS", "[L" + LINK + ";"}};
        for (String[] f : fields) cw.visitField(ACC_STATIC | ACC_FINAL, f[0], f[1], null, null).visitEnd();
        MethodVisitor clinit = cw.visitMethod(ACC_STATIC, "<clinit>", "()V", null, null);
        clinit.visitCode();
        clinit.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "lookup", "()Ljava/lang/invoke/MethodHandles$Lookup;", false);
        clinit.visitLdcInsn("_");
        clinit.visitLdcInsn(Type.getType(Object[].class));
        clinit.visitMethodInsn(INVOKESTATIC, "java/lang/invoke/MethodHandles", "classData",
                "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/Class;)Ljava/lang/Object;", false);
        clinit.visitTypeInsn(CHECKCAST, "[Ljava/lang/Object;");
        for (int i = 0; i < fields.length; i++) {
            clinit.visitInsn(DUP);
            clinit.visitIntInsn(BIPUSH, i);
            clinit.visitInsn(AALOAD);
            clinit.visitTypeInsn(CHECKCAST, Type.getType(fields[i][1]).getInternalName());
            clinit.visitFieldInsn(PUTSTATIC, unit, fields[i][0], fields[i][1]);
        }
        clinit.visitInsn(POP);
        clinit.visitInsn(RETURN);
        clinit.visitMaxs(0, 0);
        clinit.visitEnd();
    }

    /** The CPU's state, memory and the JIT's runtime as constants, in the order of locals S, M and RT. */
    private static final String[][] CPU_FIELDS = {
        {"STATE", "L" + CPU_STATE + ";"}, {"MEMORY", "L" + MEMORY + ";"}, {"RUNTIME", RUNTIME_DESC}};

    /** The class data for {@link #constants}, in the order of its fields. */
    Object[] classData(org.kasou.isa.DecodedInsn[] insns, JitRuntime runtime) {
        org.kasou.mem.Memory m = region.memory();
        CpuState state = region.state();
        return new Object[] {insns, m.readTlb(), readPages, writePages, faultEips, faultRetired, faultReload, state, m,
            runtime, state.gpr, state.seg[Segment.CS], newLinks()};
    }

    /** The unit's exits' links, empty until the engine finds where each exit goes. */
    private ChainLink[] newLinks() {
        ChainLink[] l = new ChainLink[linkCount];
        for (int i = 0; i < l.length; i++) l[i] = new ChainLink();
        return l;
    }

    // ---------------------------------------------------------------------------------------
    // Analysis

    private void layout(List<Node> nodes) {
        for (int i = 0; i < nodes.size(); i++) nodes.get(i).order = i;
        boolean[] heads = ControlFlow.staticHeads(nodes);
        for (int i = 0; i < nodes.size(); i++) nodes.get(i).head = heads[i] || region.entries.contains(nodes.get(i));
        for (int i = 0; i < nodes.size(); ) {
            int j = i + 1;
            while (j < nodes.size() && !nodes.get(j).head) j++;
            // Positions count guest instructions (a node may retire more than one).
            int retired = 0;
            for (int k = i; k < j; k++) {
                nodes.get(k).segPos = retired;
                retired += nodes.get(k).retires();
            }
            for (int k = i; k < j; k++) nodes.get(k).segLen = retired;
            i = j;
        }
        markBudgetChecks(nodes);
        markPageGuards(nodes);
        for (Node n : nodes) {
            writtenRegs |= RegisterUse.written(n);
            // Shifts by CL may set the flags though they define none for sure (a zero count keeps them).
            if (Kinds.flagsWritten(n) != 0 || n.kind == Kinds.GENERIC || n.kind == Kinds.SHIFT_RC || n.kind == Kinds.SHIFT_M
                    || n.kind == Kinds.DSHIFT || n.kind == Kinds.DSHIFT_M) {
                setsFlags = true;
            }
        }
    }

    /**
     * Chooses where the budget is checked: the targets of backward branches (emission order is EIP
     * order, so any cycle goes through one) and of computed jumps and returns. A path that passes
     * no check only moves forward and so runs at most the unit's instruction count, which the
     * engine checks before it enters a unit and each check requires of the budget. Few checks
     * means few branches that are almost never taken, each of which HotSpot would first compile
     * as an uncommon trap.
     */
    private void markBudgetChecks(List<Node> nodes) {
        for (Node n : nodes) {
            if (n.kind == Kinds.JMP_IND) {
                n.guesses = new java.util.ArrayList<>();
                if (n.tableTargets != null) n.guesses.addAll(n.tableTargets);
                for (Node r : nodes) if (r.head && !n.guesses.contains(r)) n.guesses.add(r);
                if (n.guesses.size() > 16) n.guesses = new java.util.ArrayList<>(n.guesses.subList(0, 16));
            } else if (n.kind == Kinds.RET) {
                n.guesses = new java.util.ArrayList<>();
                for (Node r : nodes) if (r.returnSite) n.guesses.add(r);
            }
            if (n.guesses != null) for (Node g : n.guesses) g.budgetCheck = true;
            for (Node t : new Node[] {n.fall, n.target}) {
                if (t != null && t.compiled() && t.order <= n.order) t.budgetCheck = true;
            }
        }
    }

    /** Nodes at which control arrives from another page of the region: their page's mapping is checked there. */
    private boolean[] guarded;

    /**
     * Marks the nodes outside the entry's page that a branch, fall-through, return or computed
     * jump reaches from another page. The entry's page is checked before the unit runs; the
     * others at these nodes, where the unit leaves for the interpreter unless the TLB still maps
     * that linear page to the physical page the code came from (a mapping changes only between
     * unit runs: the instructions that change one end the unit).
     */
    private void markPageGuards(List<Node> nodes) {
        guarded = new boolean[nodes.size()];
        if (region.pages.size() < 2) return;
        for (Node a : nodes) {
            List<Node> next = new java.util.ArrayList<>(4);
            if (!Kinds.isBranch(a.kind) || a.kind == Kinds.JCC) next.add(a.fall);
            if (a.kind == Kinds.JCC || a.kind == Kinds.JMP || a.kind == Kinds.CALL) next.add(a.target);
            if (a.guesses != null) next.addAll(a.guesses);
            for (Node b : next) {
                if (b != null && b.compiled() && b.page != 0 && b.page != a.page) guarded[b.order] = true;
            }
        }
    }

    /** Leaves before node n unless the region's page {@code page} is still mapped as when it was compiled. */
    private void pageGuard(Node n, int page) {
        Region.CodePage p = region.pages.get(page);
        Label ok = new Label();
        mv.visitFieldInsn(GETSTATIC, unit, "TLB_READ", "[I");
        push(org.kasou.mem.Memory.tlbAccessBit(region.cpl));
        push(p.linPage);
        push(p.physAddr);
        mv.visitMethodInsn(INVOKESTATIC, ACCESS, "pageIs", "([IIII)Z", false);
        mv.visitJumpInsn(IFNE, ok);
        leaveBefore(n);
        mv.visitLabel(ok);
    }

    /** Backward flag liveness to a fixed point. */
    private void liveness(List<Node> nodes) {
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node n = nodes.get(i);
                int out = 0;
                if (Kinds.writesMemory(n.kind, n.aux) || n.kind == Kinds.RET || n.kind == Kinds.JMP_IND || n.kind == Kinds.CALL_IND) {
                    out = Kinds.ALL_FLAGS; // may exit after it
                }
                if (!Kinds.isBranch(n.kind) || n.kind == Kinds.JCC) out |= liveInOf(n.fall);
                if (n.kind == Kinds.JCC || n.kind == Kinds.JMP || n.kind == Kinds.CALL) out |= liveInOf(n.target);
                int in = Kinds.flagsRead(n, out) | (out & ~Kinds.flagsWritten(n));
                // The budget check or a page's guard may exit before it.
                if (n.budgetCheck || guarded[n.order] || n.tailPage >= 0) in = Kinds.ALL_FLAGS;
                if (in != n.liveIn || out != n.liveOut) {
                    n.liveIn = in;
                    n.liveOut = out;
                    changed = true;
                }
            }
        }
    }

    private static int liveInOf(Node n) {
        return n == null || !n.compiled() ? Kinds.ALL_FLAGS : n.liveIn;
    }

    /**
     * The lazy flags' kind while the flag locals hold none: the flags are still those of the
     * state, which the unit leaves as they are when it stores its own (see {@link #flushFlags}).
     */
    static final int FLAGS_IN_STATE = -1;
    /** Whether units may start with {@link #FLAGS_IN_STATE} (-Dkasou.jit.flagsInState=false: never). */
    static final boolean FLAGS_LEFT_IN_STATE = !"false".equals(System.getProperty("kasou.jit.flagsInState"));

    /**
     * Whether the flags a unit is entered with reach, on some path from an entry, an instruction
     * whose code reads the flag locals themselves: a condition, a carry, or a write of only some
     * flags (the others kept from the locals). Exits, faults and calls into the interpreter do not
     * count: they store the locals only once the unit has set them (FLAGS_IN_STATE otherwise).
     * When none does, the unit does not load the state's five lazy-flag fields at each entry, and
     * leaves them as they are at exits before its first flag-setting instruction.
     */
    private boolean entryFlagsRead(List<Node> nodes) {
        boolean[] need = new boolean[nodes.size()];
        boolean changed = true;
        while (changed) {
            changed = false;
            for (int i = nodes.size() - 1; i >= 0; i--) {
                Node n = nodes.get(i);
                boolean out = needs(need, n.fall) || needs(need, n.target);
                if (n.guesses != null) for (Node g : n.guesses) out |= needs(need, g);
                boolean in = readsFlagLocals(n) || (out && !setsAllFlagLocals(n));
                if (in != need[i]) {
                    need[i] = in;
                    changed = true;
                }
            }
        }
        for (Node e : region.entries) if (need[e.order]) return true;
        return false;
    }

    private static boolean needs(boolean[] need, Node n) {
        return n != null && n.compiled() && need[n.order];
    }

    /**
     * An instruction whose code may read the flag locals: one that uses flags, one that sets some
     * of them only (the rest come from the locals), a rotate or BT run through the interpreter's
     * code (counted as readers, though they take the state's flags).
     */
    private static boolean readsFlagLocals(Node n) {
        if (org.kasou.cpu.FlagEffects.used(n.d) != 0) return true;
        if (n.kind == Kinds.GENERIC) return false; // Exec takes the state's flags, which the spill left right
        int written = Kinds.flagsWritten(n);
        return n.kind == Kinds.BT_R || Kinds.throughShifts(n, Kinds.ALL_FLAGS) || (written != 0 && written != Kinds.ALL_FLAGS);
    }

    /** An instruction that sets all six flags from its own operands (and so all of the locals it records). */
    private static boolean setsAllFlagLocals(Node n) {
        return n.kind != Kinds.GENERIC && Kinds.flagsWritten(n) == Kinds.ALL_FLAGS;
    }

    // ---------------------------------------------------------------------------------------
    // Code

    private Label body(List<Node> nodes) {
        int count = nodes.size();
        nodeLabel = new Label[count];
        bodyLabel = new Label[count];
        Label[] start = new Label[count], stop = new Label[count];
        // One handler for every instruction that can fault: exception edges from all of them into
        // one block, where the node index tells what to do, cost HotSpot's register allocator far
        // less than a handler block per instruction.
        Label handler = new Label();
        Label budgetHandler = new Label();
        Label[] budgetStart = new Label[count], budgetStop = new Label[count];
        faultEips = new int[count];
        faultRetired = new int[count];
        faultReload = new int[count];
        for (int i = 0; i < count; i++) {
            nodeLabel[i] = new Label();
            bodyLabel[i] = new Label();
            Node n = nodes.get(i);
            if (n.budgetCheck) {
                // All budget checks share one handler too; FAULT_AT names the node there as well.
                budgetStart[i] = new Label();
                budgetStop[i] = new Label();
                mv.visitTryCatchBlock(budgetStart[i], budgetStop[i], budgetHandler, BUDGET_EXIT);
                faultEips[i] = n.eip;
            }
            if (Kinds.faults(n.kind)) {
                start[i] = new Label();
                stop[i] = new Label();
                // Any throwable: a CpuFault is the guest's; anything else is an internal error that the
                // engine turns into #UD, as the interpreter does. Either way the state is stored first.
                mv.visitTryCatchBlock(start[i], stop[i], handler, null);
                faultEips[i] = n.eip;
                faultRetired[i] = n.segPos;
                if (n.kind == Kinds.GENERIC) {
                    // Exec leaves registers precise (a REP string instruction keeps its progress); the
                    // flags are those before the instruction, except after CMPS/SCAS (the flags of the
                    // last completed iteration), as in the interpreter.
                    faultReload[i] = n.d.op == org.kasou.isa.Op.CMPS || n.d.op == org.kasou.isa.Op.SCAS ? 2 : 1;
                }
            }
        }
        prologue();
        frames.endPrologue();
        if (x87 != null) x87.entryCheck();
        enterAt(region.entries);
        for (int i = 0; i < count; i++) {
            Node n = nodes.get(i);
            Node nextEmitted = i + 1 < count ? nodes.get(i + 1) : null;
            mv.visitLabel(nodeLabel[i]);
            if (n.head) flags.known = K_UNKNOWN;
            if (guarded[i]) pageGuard(n, n.page);
            if (n.tailPage >= 0) pageGuard(n, n.tailPage);
            if (n.budgetCheck) {
                push(i);
                mv.visitVarInsn(ISTORE, FAULT_AT);
                mv.visitLabel(budgetStart[i]);
                mv.visitVarInsn(ILOAD, LEFT);
                push(region.instructionCount());
                mv.visitMethodInsn(INVOKESTATIC, BUDGET_EXIT, "check", "(II)V", false);
                mv.visitLabel(budgetStop[i]);
            }
            mv.visitLabel(bodyLabel[i]);
            if (n.announced) announce(n);
            if (start[i] != null) {
                push(i);
                mv.visitVarInsn(ISTORE, FAULT_AT);
                mv.visitLabel(start[i]);
                faultAtNode = i;
            }
            // Writes through CompiledAccess say whether they reached compiled code; the others
            // (through Exec and X87Exec) leave it in rt.hit. A write that leaves the unit off its
            // fast path never reaches compiled code (pages that hold code are not in the unit's
            // write pages), so an instruction whose writes all leave that way has nothing to look
            // at afterwards.
            boolean accessWrites = n.kind != Kinds.GENERIC && n.kind != Kinds.X87_M;
            slowCalls = n.slowCalls;
            writeMayHit = false;
            if (accessWrites && Kinds.writesMemory(n.kind, n.aux) && !leavesOnSlowAccess()) {
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, WRITE_HIT);
            }
            if (n.pageGroup != null && n.pageGroup.leader() == n) lookUpGroupPages(n.pageGroup);
            member = n.pageGroup != null ? n : null;
            instruction(n);
            member = null;
            slowCalls = false;
            faultAtNode = -1;
            if (stop[i] != null) mv.visitLabel(stop[i]);
            if (Kinds.writesMemory(n.kind, n.aux) && n.kind != Kinds.CALL_THUNK // the thunk call looks itself
                    && (!accessWrites || writeMayHit)) {
                Label cont = new Label();
                if (accessWrites) {
                    mv.visitVarInsn(ILOAD, WRITE_HIT);
                } else {
                    mv.visitVarInsn(ALOAD, RT);
                    mv.visitFieldInsn(GETFIELD, RUNTIME, "hit", "Z");
                }
                mv.visitJumpInsn(IFEQ, cont);
                consume(n.segPos + 1);
                if (n.kind == Kinds.CALL_IND) {
                    mv.visitVarInsn(ILOAD, T1);
                    mv.visitVarInsn(ISTORE, EIP_OUT);
                    mv.visitJumpInsn(GOTO, exitEpilogue);
                } else {
                    exitTo(n.kind == Kinds.CALL ? n.d.target : n.d.next);
                }
                mv.visitLabel(cont);
            }
            terminate(n, nextEmitted);
        }
        boolean anyFault = false, anyReload = false, anyBudget = false;
        for (int i = 0; i < count; i++) {
            anyBudget |= budgetStart[i] != null;
            anyFault |= start[i] != null;
            anyReload |= faultReload[i] != 0;
        }
        if (anyBudget) {
            frames.handlerLabel(budgetHandler, BUDGET_EXIT);
            mv.visitInsn(POP);
            faultTable("FAULT_EIPS");
            mv.visitVarInsn(ISTORE, EIP_OUT);
            mv.visitJumpInsn(GOTO, exitEpilogue);
        }
        if (anyFault) {
            frames.handlerLabel(handler, "java/lang/Throwable");
            mv.visitVarInsn(ASTORE, EXC);
            if (LEAVE_ON_SLOW) {
                // An access off its fast path (SlowAccess): leave before the instruction, as for a
                // fault but without one, and tell the engine (which counts such exits per instruction).
                Label fault = new Label();
                mv.visitVarInsn(ALOAD, EXC);
                mv.visitTypeInsn(INSTANCEOF, SLOW_ACCESS);
                mv.visitJumpInsn(IFEQ, fault);
                mv.visitVarInsn(ALOAD, RT);
                mv.visitInsn(ICONST_1);
                mv.visitFieldInsn(PUTFIELD, RUNTIME, "slowExit", "Z");
                atFaultNode();
                mv.visitJumpInsn(GOTO, exitEpilogue);
                mv.visitLabel(fault);
            }
            if (anyReload) {
                Label plain = new Label(), regsOnly = new Label();
                faultTable("FAULT_RELOAD");
                mv.visitJumpInsn(IFEQ, plain);
                reloadRegs();
                faultTable("FAULT_RELOAD");
                mv.visitInsn(ICONST_1);
                mv.visitJumpInsn(IF_ICMPEQ, regsOnly);
                reloadFlags();
                mv.visitLabel(regsOnly);
                mv.visitLabel(plain);
            }
            atFaultNode();
            mv.visitJumpInsn(GOTO, faultEpilogue);
        }
        if (leavesAtFaultNode) {
            mv.visitLabel(leaveAtFaultNode);
            atFaultNode();
            mv.visitJumpInsn(GOTO, exitEpilogue);
        }
        // One store of the state for every way out (its code is the largest part of a small unit's
        // bytecode, which HotSpot's interpreter and both its compilers go through): LINK_AT says
        // which way, a link's index, LEAVES_PLAIN or LEAVES_FAULT.
        Label stored = new Label();
        mv.visitLabel(faultEpilogue);
        push(LEAVES_FAULT);
        mv.visitVarInsn(ISTORE, LINK_AT);
        mv.visitJumpInsn(GOTO, stored);
        mv.visitLabel(exitEpilogue);
        push(LEAVES_PLAIN);
        mv.visitVarInsn(ISTORE, LINK_AT);
        mv.visitLabel(linkedEpilogue);
        mv.visitLabel(stored);
        storeState();
        Label notLinked = new Label(), plain = new Label();
        if (linkCount > 0) {
            mv.visitVarInsn(ILOAD, LINK_AT);
            mv.visitJumpInsn(IFLT, notLinked);
            linkedEpilogue();
        }
        mv.visitLabel(notLinked);
        mv.visitVarInsn(ILOAD, LINK_AT);
        push(LEAVES_PLAIN);
        mv.visitJumpInsn(IF_ICMPEQ, plain);
        mv.visitVarInsn(ALOAD, RT);
        mv.visitVarInsn(ILOAD, LEFT);
        mv.visitFieldInsn(PUTFIELD, RUNTIME, "faultLeft", "I");
        mv.visitVarInsn(ALOAD, EXC);
        mv.visitInsn(ATHROW);
        mv.visitLabel(plain);
        mv.visitVarInsn(ILOAD, LEFT);
        mv.visitInsn(IRETURN);
        Label end = new Label();
        mv.visitLabel(end);
        return end;
    }

    /** LINK_AT at the shared epilogue of an exit without a link and of a fault (a link's exit holds its index). */
    private static final int LEAVES_PLAIN = -1, LEAVES_FAULT = -2;

    /**
     * The exits with a link, the state stored: each link's own call of the unit it leads to
     * (ChainLink#follow says whether to), a return to the engine otherwise.
     */
    private void linkedEpilogue() {
        Label back = new Label();
        Label[] sites = new Label[linkCount];
        for (int i = 0; i < linkCount; i++) sites[i] = new Label();
        if (linkCount > 1) {
            mv.visitVarInsn(ILOAD, LINK_AT);
            mv.visitTableSwitchInsn(0, linkCount - 1, sites[0], sites);
        }
        for (int i = 0; i < linkCount; i++) {
            // A call site per link: each sees the few units its exit goes to.
            mv.visitLabel(sites[i]);
            mv.visitFieldInsn(GETSTATIC, unit, "LINKS", "[L" + LINK + ";");
            push(i);
            mv.visitInsn(AALOAD);
            mv.visitVarInsn(ALOAD, RT);
            mv.visitVarInsn(ILOAD, LEFT);
            mv.visitVarInsn(ILOAD, EIP_OUT);
            String follow = computedLinks.get(i) || !ChainLink.missOutOfLine ? "follow" : "followDirect";
            mv.visitMethodInsn(INVOKESTATIC, LINK, follow, "(L" + LINK + ";" + RUNTIME_DESC + "II)L" + UNIT_CLASS + ";", false);
            if (computedLinks.get(i)) {
                // Many units follow a computed exit in turn: the call in a shared method, whose type
                // profile (unlike this unit's) makes C2 neither inline one of them nor trap on the others.
                mv.visitVarInsn(ILOAD, LEFT);
                mv.visitMethodInsn(INVOKESTATIC, LINK, "enter", "(L" + UNIT_CLASS + ";I)I", false);
                mv.visitInsn(IRETURN);
                continue;
            }
            mv.visitVarInsn(ASTORE, NEXT_UNIT);
            mv.visitVarInsn(ALOAD, NEXT_UNIT);
            mv.visitJumpInsn(IFNULL, back);
            mv.visitVarInsn(ALOAD, NEXT_UNIT);
            mv.visitFieldInsn(GETFIELD, UNIT_CLASS, "code", "L" + Type.getInternalName(CompiledCode.class) + ";");
            mv.visitVarInsn(ILOAD, LEFT);
            mv.visitVarInsn(ALOAD, NEXT_UNIT);
            mv.visitFieldInsn(GETFIELD, UNIT_CLASS, "entry", "I");
            mv.visitMethodInsn(INVOKEVIRTUAL, Type.getInternalName(CompiledCode.class), "run", RUN_DESC, false);
            mv.visitInsn(IRETURN);
        }
        mv.visitLabel(back);
        mv.visitVarInsn(ILOAD, LEFT);
        mv.visitInsn(IRETURN);
    }

    /** The state of the start of the node in FAULT_AT: the budget it had left and its EIP. */
    private void atFaultNode() {
        mv.visitVarInsn(ILOAD, LEFT);
        faultTable("FAULT_RETIRED");
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, LEFT);
        faultTable("FAULT_EIPS");
        mv.visitVarInsn(ISTORE, EIP_OUT);
    }

    /** Pushes the entry of a FAULT_ table for the node in FAULT_AT. */
    private void faultTable(String name) {
        mv.visitFieldInsn(GETSTATIC, unit, name, "[I");
        mv.visitVarInsn(ILOAD, FAULT_AT);
        mv.visitInsn(IALOAD);
    }

    /** Jumps to the entry the caller asked for (an index into {@code entries}). */
    private void enterAt(List<Node> entries) {
        if (entries.size() == 1) {
            if (entries.get(0).order != 0) mv.visitJumpInsn(GOTO, nodeLabel[entries.get(0).order]);
            return;
        }
        Label[] targets = new Label[entries.size()];
        for (int i = 0; i < targets.length; i++) targets[i] = nodeLabel[entries.get(i).order];
        mv.visitVarInsn(ILOAD, ENTRY);
        mv.visitTableSwitchInsn(0, targets.length - 1, targets[0], targets);
    }

    private void prologue() {
        int used = writtenRegs;
        for (Node n : region.nodes) used |= n.announced ? 0xFF : RegisterUse.read(n); // the hooks see every register
        for (int r = 0; r < 8; r++) {
            if ((used & (1 << r)) != 0) {
                mv.visitFieldInsn(GETSTATIC, unit, "GPR", "[I");
                push(r);
                mv.visitInsn(IALOAD);
            } else {
                mv.visitInsn(ICONST_0);
            }
            mv.visitVarInsn(ISTORE, R0 + r);
        }
        if (flagsInState) {
            push(FLAGS_IN_STATE);
            mv.visitVarInsn(ISTORE, F_OP);
            for (int i = 1; i < 5; i++) {
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, F_OP + i);
            }
        } else {
            reloadFlags();
        }
        mv.visitFieldInsn(GETSTATIC, unit, "CS", "L" + SEGMENT + ";");
        mv.visitFieldInsn(GETFIELD, SEGMENT, "limit", "I");
        mv.visitVarInsn(ISTORE, CS_LIMIT);
        for (int l : new int[] {EIP_OUT, T0, T1, T2, T3, T_OFF, T_VAL, FAULT_AT, WRITE_HIT, LINK_AT}) {
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, l);
        }
        mv.visitInsn(ACONST_NULL);
        mv.visitVarInsn(ASTORE, EXC);
        mv.visitInsn(ACONST_NULL);
        mv.visitVarInsn(ASTORE, NEXT_UNIT);
        for (int r = 0; r < 8; r++) {
            if ((groupLocals & (1 << r)) == 0) continue;
            mv.visitInsn(ACONST_NULL);
            mv.visitVarInsn(ASTORE, GROUP_PAGES + r);
            mv.visitInsn(ICONST_0);
            mv.visitVarInsn(ISTORE, GROUP_OFFS + r);
        }
        int segs = 0;
        for (Node n : region.nodes) {
            switch (n.kind) {
                case Kinds.MOV_RM: case Kinds.MOV_MR: case Kinds.MOV_MI: case Kinds.MOVZX_RM8:
                case Kinds.MOV_RM8: case Kinds.MOV_MR8: case Kinds.MOVSX_M8:
                case Kinds.ALU_RM: case Kinds.ALU_MR: case Kinds.ALU_MI: case Kinds.CMP_MI8: case Kinds.MOV_MI8:
                case Kinds.BYTE_ALU_M: case Kinds.MUL_M: case Kinds.IMUL_M: case Kinds.CMOV_M: case Kinds.SHIFT_M:
                case Kinds.WORD_ALU_M: case Kinds.DSHIFT_M:
                    segs |= 1 << n.d.eaSeg;
                    break;
                case Kinds.STRING:
                    if (n.aux == Kinds.MOVS || n.aux == Kinds.LODS) segs |= 1 << n.d.eaSeg;
                    if (n.aux != Kinds.LODS) segs |= 1 << Segment.ES;
                    break;
                case Kinds.DIV:
                    if (n.d.dst == org.kasou.isa.DecodedInsn.LOC_MEM) segs |= 1 << n.d.eaSeg;
                    break;
                case Kinds.X87_M:
                    if (x87 != null && X87Locals.compiles(n)) segs |= 1 << n.d.eaSeg;
                    break;
                case Kinds.MOVX16_M: case Kinds.MOV16_RM: case Kinds.MOV16_MR: case Kinds.MOV16_MI: case Kinds.INCDEC_M:
                case Kinds.TEST_M: case Kinds.SETCC_M: case Kinds.BIT_SCAN_M: case Kinds.MOVX8_16_M: case Kinds.UNARY_M:
                    segs |= 1 << n.d.eaSeg;
                    break;
                case Kinds.LEAVE:
                    segs |= 1 << Segment.SS;
                    break;
                case Kinds.PUSH_M:
                    segs |= 1 << n.d.eaSeg | 1 << Segment.SS;
                    break;
                case Kinds.PUSH_I:
                    segs |= 1 << Segment.SS;
                    break;
                case Kinds.JMP_IND:
                    if (n.d.dst == org.kasou.isa.DecodedInsn.LOC_MEM) segs |= 1 << n.d.eaSeg;
                    break;
                case Kinds.CALL_IND:
                    if (n.d.dst == org.kasou.isa.DecodedInsn.LOC_MEM) segs |= 1 << n.d.eaSeg;
                    segs |= 1 << Segment.SS;
                    break;
                case Kinds.PUSH: case Kinds.POP: case Kinds.CALL: case Kinds.RET: case Kinds.CALL_THUNK:
                    segs |= 1 << Segment.SS;
                    break;
                default:
                    break;
            }
        }
        usedSegsAll = segs;
        for (int k = 0; k < 6; k++) {
            if ((segs & (1 << k)) != 0 && (region.flatSegments & (1 << k)) != 0) flatSegs |= 1 << k;
        }
        if (segs != 0) loadSegments(segs);
        if (x87 != null) x87.prologue();
    }

    /** The segment registers that are flat ({@link #isFlat}), a bit per register. */
    static int flatSegments(Segment[] seg) {
        int flat = 0;
        for (int k = 0; k < 6; k++) if (isFlat(seg[k])) flat |= 1 << k;
        return flat;
    }

    /** Whether a segment register is flat: base 0 and the whole 4 GiB readable and writable. */
    static boolean isFlat(Segment sg) {
        return org.kasou.mem.Memory.flat(sg, true);
    }

    /** Loads the fast-path state of the segment registers in {@code segs} (bit per register) that are not flat. */
    private void loadSegments(int segs) {
        segs &= ~flatSegs;
        for (int k = 0; k < 6; k++) {
            if ((segs & (1 << k)) == 0) continue;
            int base = SEG_BASE + k * SEG_SLOTS;
            segment(k);
            mv.visitFieldInsn(GETFIELD, SEGMENT, "base", "I");
            mv.visitVarInsn(ISTORE, base);
            for (int w = 0; w < 2; w++) {
                segment(k);
                mv.visitInsn(w == 0 ? ICONST_0 : ICONST_1);
                mv.visitMethodInsn(INVOKESTATIC, MEMORY, "fastLimit", "(L" + SEGMENT + ";Z)J", false);
                mv.visitVarInsn(LSTORE, base + 1 + 2 * w);
            }
        }
    }

    private void segment(int k) {
        mv.visitVarInsn(ALOAD, S);
        mv.visitFieldInsn(GETFIELD, CPU_STATE, "seg", "[L" + SEGMENT + ";");
        push(k);
        mv.visitInsn(AALOAD);
    }

    private void storeState() {
        if (x87 != null) x87.spill();
        storeRegs(writtenRegs);
        if (setsFlags) flushFlags();
        mv.visitVarInsn(ALOAD, S);
        mv.visitVarInsn(ILOAD, EIP_OUT);
        mv.visitFieldInsn(PUTFIELD, CPU_STATE, "eip", "I");
    }

    private void storeRegs(int set) {
        for (int r = 0; r < 8; r++) {
            if ((set & (1 << r)) == 0) continue;
            mv.visitFieldInsn(GETSTATIC, unit, "GPR", "[I");
            push(r);
            mv.visitVarInsn(ILOAD, R0 + r);
            mv.visitInsn(IASTORE);
        }
    }

    void flushFlags() {
        Label done = flagsInState ? new Label() : null;
        if (done != null) { // nothing set yet: the state's flags are the current ones
            mv.visitVarInsn(ILOAD, F_OP);
            push(FLAGS_IN_STATE);
            mv.visitJumpInsn(IF_ICMPEQ, done);
        }
        String[] f = {"lfOp", "lfRes", "lfDst", "lfSrc", "lfKnown"};
        for (int i = 0; i < 5; i++) {
            mv.visitVarInsn(ALOAD, S);
            mv.visitVarInsn(ILOAD, F_OP + i);
            mv.visitFieldInsn(PUTFIELD, CPU_STATE, f[i], "I");
        }
        if (done != null) mv.visitLabel(done);
    }

    void consume(int n) {
        if (n != 0) mv.visitIincInsn(LEFT, -n);
    }

    /** Leaves the unit with EIP = eip (the budget already charged). */
    void exitTo(int eip) {
        push(eip);
        mv.visitVarInsn(ISTORE, EIP_OUT);
        mv.visitJumpInsn(GOTO, exitEpilogue);
    }

    /** {@link #goTo}, or nothing when n is compiled and its code comes next. */
    private void fallTo(Node n, int eip, Node nextEmitted) {
        if (n == null || !n.compiled() || n != nextEmitted) goTo(n, eip);
    }

    /** Continues at node n: a JVM branch when it is compiled, else an exit to its EIP. */
    private void goTo(Node n, int eip) {
        if (n != null && n.compiled()) {
            mv.visitJumpInsn(GOTO, nodeLabel[n.order]);
            return;
        }
        push(eip);
        mv.visitVarInsn(ISTORE, EIP_OUT);
        Integer link = linkOfEip.get(eip);
        if (link == null && links && linkCount < MAX_LINKS) linkOfEip.put(eip, link = linkCount++);
        exitThrough(link);
    }

    /**
     * Leaves with EIP_OUT set, by the given link (an index into LINKS; null for none: a new one
     * when there is room, for a computed target).
     */
    private void exitThrough(Integer link) {
        if (link == null && links && linkCount < MAX_LINKS) {
            link = linkCount++;
            computedLinks.set(link);
        }
        if (link == null) {
            mv.visitJumpInsn(GOTO, exitEpilogue);
            return;
        }
        push(link);
        mv.visitVarInsn(ISTORE, LINK_AT);
        mv.visitJumpInsn(GOTO, linkedEpilogue);
    }

    void push(int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    private void terminate(Node n, Node nextEmitted) {
        org.kasou.isa.DecodedInsn d = n.d;
        switch (n.kind) {
            case Kinds.JCC: {
                consume(n.segPos + 1);
                if (n.target != null && n.target.compiled()) { // straight to the target's label
                    flags.condition(n.aux, nodeLabel[n.target.order]);
                    fallTo(n.fall, d.next, nextEmitted);
                    return;
                }
                Label taken = new Label();
                flags.condition(n.aux, taken);
                goTo(n.fall, d.next); // the exit to the target comes next
                mv.visitLabel(taken);
                goTo(n.target, d.target);
                return;
            }
            case Kinds.JMP: case Kinds.CALL:
                consume(n.segPos + 1);
                fallTo(n.target, d.target, nextEmitted);
                return;
            case Kinds.JMP_IND: {
                consume(n.segPos + 1);
                // The target is often a label of this unit: first what the jump table held at compile
                // time, then the unit's other labels (a loop through a jump table).
                for (Node g : n.guesses) {
                    mv.visitVarInsn(ILOAD, T1);
                    push(g.eip);
                    mv.visitJumpInsn(IF_ICMPEQ, nodeLabel[g.order]);
                }
                mv.visitVarInsn(ILOAD, T1);
                mv.visitVarInsn(ISTORE, EIP_OUT);
                exitThrough(null);
                return;
            }
            case Kinds.CALL_IND:
                // The target is a function elsewhere (a pointer, a virtual method, a PLT slot).
                consume(n.segPos + 1);
                mv.visitVarInsn(ILOAD, T1);
                mv.visitVarInsn(ISTORE, EIP_OUT);
                exitThrough(null);
                return;
            case Kinds.RET: {
                consume(n.segPos + 1);
                // The return address is often the instruction after a CALL of this unit.
                for (Node r : n.guesses) {
                    mv.visitVarInsn(ILOAD, T1);
                    push(r.eip);
                    mv.visitJumpInsn(IF_ICMPEQ, nodeLabel[r.order]);
                }
                mv.visitVarInsn(ILOAD, T1);
                mv.visitVarInsn(ISTORE, EIP_OUT);
                exitThrough(null);
                return;
            }
            default:
                if (n.segPos + n.retires() == n.segLen) {
                    consume(n.segLen);
                    fallTo(n.fall, d.next, nextEmitted);
                }
        }
    }

    // ---------------------------------------------------------------------------------------
    // Instructions

    private void instruction(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        if (d.atomic()) leaveIfMemoryShared(n);
        switch (n.kind) {
            case Kinds.MOV_RR:
                mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.MOV_RI:
                push(d.imm);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.MOV_RM:
                read(d, "read32");
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.MOVZX_RM8:
                read(d, "read8");
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.MOV_MR:
                ea(d);
                mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                store(d.eaSeg);
                break;
            case Kinds.MOV_MI:
                ea(d);
                push(d.imm);
                store(d.eaSeg);
                break;
            case Kinds.LEA:
                ea(d);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.ALU_RR:
                if (n.aux == 2 || n.aux == 3) {
                    mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                    mv.visitVarInsn(ISTORE, T0);
                    mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                    mv.visitVarInsn(ISTORE, T1);
                    adcSbb(n, R0 + d.dstReg);
                } else {
                    aluToRegister(n, R0 + d.dstReg, R0 + d.srcReg, 0);
                }
                break;
            case Kinds.ALU_RI:
                if (n.aux == 2 || n.aux == 3) {
                    mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                    mv.visitVarInsn(ISTORE, T0);
                    push(d.imm);
                    mv.visitVarInsn(ISTORE, T1);
                    adcSbb(n, R0 + d.dstReg);
                } else {
                    aluToRegister(n, R0 + d.dstReg, -1, d.imm);
                }
                break;
            case Kinds.ALU_RM:
                read(d, "read32");
                mv.visitVarInsn(ISTORE, T1);
                if (n.aux == 2 || n.aux == 3) {
                    mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                    mv.visitVarInsn(ISTORE, T0);
                    adcSbb(n, R0 + d.dstReg);
                } else {
                    aluToRegister(n, R0 + d.dstReg, T1, 0);
                }
                break;
            case Kinds.ALU_MR: case Kinds.ALU_MI: {
                // T3 holds the address while T0/T1 hold the operands; the result goes to memory
                // before the flags are recorded (a faulting store leaves the flags as they were).
                ea(d);
                mv.visitVarInsn(ISTORE, T3);
                mv.visitVarInsn(ILOAD, T3);
                load(d.eaSeg, 4);
                mv.visitVarInsn(ISTORE, T0);
                if (n.kind == Kinds.ALU_MR) mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                else push(d.imm);
                mv.visitVarInsn(ISTORE, T1);
                if (n.aux == 2 || n.aux == 3) {
                    flags.carryIn(); // ADC, SBB: T2 = T0 +- T1 +- CF, stored, then the flags
                    mv.visitVarInsn(ISTORE, T2);
                    mv.visitVarInsn(ILOAD, T3);
                    mv.visitVarInsn(ILOAD, T0);
                    mv.visitVarInsn(ILOAD, T1);
                    mv.visitInsn(n.aux == 2 ? IADD : ISUB);
                    mv.visitVarInsn(ILOAD, T2);
                    mv.visitInsn(n.aux == 2 ? IADD : ISUB);
                    mv.visitInsn(DUP);
                    mv.visitVarInsn(ISTORE, T2);
                    store(d.eaSeg);
                    flags.recordAdcSbb(n, T2);
                    break;
                }
                if (n.aux != 7) {
                    mv.visitVarInsn(ILOAD, T3);
                    operation(n.aux);
                    store(d.eaSeg);
                }
                flags.recordAlu(n);
                break;
            }
            case Kinds.INC: case Kinds.DEC:
                mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                mv.visitVarInsn(ISTORE, T0);
                mv.visitIincInsn(R0 + d.dstReg, n.kind == Kinds.INC ? 1 : -1);
                flags.recordIncDec(n, n.kind == Kinds.INC, R0 + d.dstReg);
                break;
            case Kinds.PUSH:
                mv.visitVarInsn(ILOAD, R0 + CpuState.ESP);
                push(4);
                mv.visitInsn(ISUB);
                mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                store(Segment.SS);
                mv.visitIincInsn(R0 + CpuState.ESP, -4);
                break;
            case Kinds.POP:
                mv.visitVarInsn(ILOAD, R0 + CpuState.ESP);
                load(Segment.SS, 4);
                mv.visitIincInsn(R0 + CpuState.ESP, 4);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.CALL:
                pushReturnAddress(d.next);
                break;
            case Kinds.CALL_THUNK:
                callThunk(n);
                break;
            case Kinds.JMP_IND: case Kinds.CALL_IND:
                if (d.dst == org.kasou.isa.DecodedInsn.LOC_REG) {
                    mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                } else {
                    ea(d);
                    load(d.eaSeg, 4);
                }
                mv.visitVarInsn(ISTORE, T1);
                nearLimitCheck();
                // the target checked first, then the push (a fault of either leaves ESP and EIP as they were)
                if (n.kind == Kinds.CALL_IND) pushReturnAddress(d.next);
                break;
            case Kinds.RET: {
                mv.visitVarInsn(ILOAD, R0 + CpuState.ESP);
                load(Segment.SS, 4);
                mv.visitVarInsn(ISTORE, T1);
                nearLimitCheck();
                mv.visitIincInsn(R0 + CpuState.ESP, 4);
                break;
            }
            case Kinds.JCC: case Kinds.JMP:
                break;
            case Kinds.GENERIC:
                if (x87 != null && X87Locals.compiles(n)) {
                    // FCOMI and FNSTSW AX, which write EFLAGS (all six known: setKnownFlags) or AX
                    // (the flag locals untouched, so what is known of them stays true).
                    x87.emit(n);
                } else {
                    generic(n);
                }
                break;
            case Kinds.SHIFT_RI:
                shifts.shiftRegisterImm(n);
                break;
            case Kinds.CMP_MI8:
                small.compareByteImm(n);
                break;
            case Kinds.MOV_MI8:
                ea(d);
                push(d.imm & 0xFF);
                store8(d.eaSeg);
                break;
            case Kinds.BYTE_ALU:
                small.byteAlu(n);
                break;
            case Kinds.UNARY_SMALL:
                small.unarySmall(n);
                break;
            case Kinds.BYTE_ALU_M:
                small.byteAluMemory(n);
                break;
            case Kinds.WORD_ALU: case Kinds.WORD_ALU_M:
                small.wordAlu(n);
                break;
            case Kinds.DSHIFT:
                shifts.doubleShift(n);
                break;
            case Kinds.DSHIFT_M:
                shifts.doubleShiftMemory(n);
                break;
            case Kinds.STRING:
                stringOnce(n);
                break;
            case Kinds.BSWAP:
                mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                mv.visitMethodInsn(INVOKESTATIC, "java/lang/Integer", "reverseBytes", "(I)I", false);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.SET_DF:
                mv.visitVarInsn(ALOAD, S);
                mv.visitInsn(DUP);
                mv.visitFieldInsn(GETFIELD, CPU_STATE, "eflagsRest", "I");
                push(n.aux == 0 ? ~Flags.DF : Flags.DF);
                mv.visitInsn(n.aux == 0 ? IAND : IOR);
                mv.visitFieldInsn(PUTFIELD, CPU_STATE, "eflagsRest", "I");
                break;
            case Kinds.PUSH_M: case Kinds.PUSH_I:
                // The value first (it may fault), then the store below ESP, then ESP.
                if (n.kind == Kinds.PUSH_M) read(d, "read32");
                else push(d.imm);
                mv.visitVarInsn(ISTORE, T1);
                mv.visitVarInsn(ILOAD, R0 + CpuState.ESP);
                push(4);
                mv.visitInsn(ISUB);
                mv.visitVarInsn(ILOAD, T1);
                store(Segment.SS);
                mv.visitIincInsn(R0 + CpuState.ESP, -4);
                break;
            case Kinds.NOT_R:
                mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                mv.visitInsn(ICONST_M1);
                mv.visitInsn(IXOR);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.CMOV_M: {
                // The operand is read whatever the condition (a CMOVcc from memory faults either way).
                read(d, "read32");
                mv.visitVarInsn(ISTORE, T1);
                Label skip = new Label();
                flags.condition(n.aux ^ 1, skip);
                mv.visitVarInsn(ILOAD, T1);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                mv.visitLabel(skip);
                break;
            }
            case Kinds.BT_R:
                if (flags.known != K_UNKNOWN && flags.known != K_DEAD) {
                    // CF = the bit (BitOps.bt's bit, the offset taken mod 32), OF and the rest kept.
                    mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                    if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                    else push(d.imm);
                    push(31);
                    mv.visitInsn(IAND);
                    mv.visitInsn(IUSHR);
                    mv.visitInsn(ICONST_1);
                    mv.visitInsn(IAND);
                    flags.overflowBit();
                    push(11);
                    mv.visitInsn(ISHL);
                    mv.visitInsn(IOR);
                    mv.visitVarInsn(ISTORE, T2);
                    flags.setCfOf(T2);
                    break;
                }
                flushFlags(); // BitOps keeps OF, SF, ZF, AF, PF from the lazy state
                mv.visitVarInsn(ALOAD, S);
                push(4);
                mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                else push(d.imm);
                mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(org.kasou.cpu.exec.BitOps.class), "bt",
                        "(L" + CPU_STATE + ";III)V", false);
                reloadFlags();
                flags.known = K_UNKNOWN;
                break;
            case Kinds.SHIFT_M:
                shifts.shiftMemory(n);
                break;
            case Kinds.MOVX16_R: case Kinds.MOVX16_M:
                if (n.kind == Kinds.MOVX16_M) read(d, "read16");
                else mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                if (n.aux == 0) {
                    push(0xFFFF);
                    mv.visitInsn(IAND);
                } else {
                    mv.visitInsn(I2S);
                }
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.MOV16_RM: case Kinds.MOV16_RR: case Kinds.MOV16_RI:
                // The low word of the register; the high word stays.
                if (n.kind == Kinds.MOV16_RM) read(d, "read16");
                else if (n.kind == Kinds.MOV16_RR) mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                else push(d.imm);
                small.storeSmall(2, d.dstReg);
                break;
            case Kinds.SHIFT16_RI:
                shifts.shiftWordRegisterImm(n);
                break;
            case Kinds.MOV16_MR: case Kinds.MOV16_MI:
                ea(d);
                if (n.kind == Kinds.MOV16_MR) mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                else push(d.imm);
                push(0xFFFF);
                mv.visitInsn(IAND);
                store16(d.eaSeg);
                break;
            case Kinds.INCDEC_M: {
                // T0 = the old value, T2 = the new; stored before the flags are recorded (CF is kept).
                boolean inc = n.aux == 0;
                ea(d);
                mv.visitVarInsn(ISTORE, T3);
                mv.visitVarInsn(ILOAD, T3);
                load(d.eaSeg, 4);
                mv.visitInsn(DUP);
                mv.visitVarInsn(ISTORE, T0);
                push(inc ? 1 : -1);
                mv.visitInsn(IADD);
                mv.visitVarInsn(ISTORE, T2);
                mv.visitVarInsn(ILOAD, T3);
                mv.visitVarInsn(ILOAD, T2);
                store(d.eaSeg);
                flags.recordIncDec(n, inc, T2);
                break;
            }
            case Kinds.X87: case Kinds.X87_M:
                if (x87 != null && X87Locals.compiles(n)) x87.emit(n);
                else x87(n, n.kind == Kinds.X87_M);
                break;
            case Kinds.TEST_M:
                read(d, "read32");
                mv.visitVarInsn(ISTORE, T0);
                if (d.src == org.kasou.isa.DecodedInsn.LOC_REG) mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                else push(d.imm);
                mv.visitVarInsn(ISTORE, T1);
                flags.recordAlu(n);
                break;
            case Kinds.SETCC_M: {
                Label yes = new Label(), done = new Label();
                ea(d);
                mv.visitVarInsn(ISTORE, T3);
                flags.condition(n.aux, yes);
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, T2);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(yes);
                mv.visitInsn(ICONST_1);
                mv.visitVarInsn(ISTORE, T2);
                mv.visitLabel(done);
                mv.visitVarInsn(ILOAD, T3);
                mv.visitVarInsn(ILOAD, T2);
                store8(d.eaSeg);
                break;
            }
            case Kinds.LEAVE:
                // EBP = [EBP] through SS, then ESP = the old EBP + 4: a faulting load changes neither.
                mv.visitVarInsn(ILOAD, R0 + CpuState.EBP);
                load(Segment.SS, 4);
                mv.visitVarInsn(ISTORE, T1);
                mv.visitVarInsn(ILOAD, R0 + CpuState.EBP);
                push(4);
                mv.visitInsn(IADD);
                mv.visitVarInsn(ISTORE, R0 + CpuState.ESP);
                mv.visitVarInsn(ILOAD, T1);
                mv.visitVarInsn(ISTORE, R0 + CpuState.EBP);
                break;
            case Kinds.XCHG_RR:
                mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                mv.visitVarInsn(ISTORE, T1);
                mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                mv.visitVarInsn(ILOAD, T1);
                mv.visitVarInsn(ISTORE, R0 + d.srcReg);
                break;
            case Kinds.CWDE:
                if (n.aux == 1) { // CBW: AX = AL sign-extended, EAX's upper half kept
                    mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
                    push(0xFFFF0000);
                    mv.visitInsn(IAND);
                    mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
                    mv.visitInsn(I2B);
                    push(0xFFFF);
                    mv.visitInsn(IAND);
                    mv.visitInsn(IOR);
                } else {
                    mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
                    mv.visitInsn(I2S);
                }
                mv.visitVarInsn(ISTORE, R0 + CpuState.EAX);
                break;
            case Kinds.UNARY_M: {
                // T3 = the address, T1 = the old value; the result stored before NEG's flags are recorded
                int size = d.dstSize;
                ea(d);
                mv.visitVarInsn(ISTORE, T3);
                mv.visitVarInsn(ILOAD, T3);
                load(d.eaSeg, size);
                mv.visitVarInsn(ISTORE, T1);
                mv.visitVarInsn(ILOAD, T3);
                if (n.aux == Kinds.NOT) {
                    mv.visitVarInsn(ILOAD, T1);
                    mv.visitInsn(ICONST_M1);
                    mv.visitInsn(IXOR);
                } else {
                    mv.visitInsn(ICONST_0);
                    mv.visitVarInsn(ILOAD, T1);
                    mv.visitInsn(ISUB);
                    mv.visitInsn(DUP);
                    mv.visitVarInsn(ISTORE, T2);
                }
                if (size == 1) store8(d.eaSeg);
                else if (size == 2) store16(d.eaSeg);
                else store(d.eaSeg);
                if (n.aux == Kinds.NEG) { // SUB from 0, as for registers
                    mv.visitInsn(ICONST_0);
                    mv.visitVarInsn(ISTORE, T0);
                    flags.recordSmall(n, size, LazyFlags.OP_SUB, K_SUB);
                }
                break;
            }
            case Kinds.DIV: {
                // MulDiv divides the state's EDX:EAX (raising #DE itself) and sets the flags from the state's.
                if (d.dst == org.kasou.isa.DecodedInsn.LOC_MEM) read(d, "read32");
                else mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                mv.visitVarInsn(ISTORE, T1);
                Label done = null;
                if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
                    done = new Label();
                    divideInt(n.aux == 1, done);
                }
                storeRegs(1 << CpuState.EAX | 1 << CpuState.EDX);
                flushFlags();
                mv.visitVarInsn(ALOAD, RT);
                mv.visitFieldInsn(GETFIELD, RUNTIME, "cpu", "L" + CPU + ";");
                push(4);
                mv.visitVarInsn(ILOAD, T1);
                mv.visitMethodInsn(INVOKESTATIC, Type.getInternalName(org.kasou.cpu.exec.MulDiv.class), n.aux == 0 ? "div" : "idiv",
                        "(Lorg/kasou/cpu/Cpu;II)V", false);
                for (int r : new int[] {CpuState.EAX, CpuState.EDX}) {
                    mv.visitFieldInsn(GETSTATIC, unit, "GPR", "[I");
                    push(r);
                    mv.visitInsn(IALOAD);
                    mv.visitVarInsn(ISTORE, R0 + r);
                }
                reloadFlags();
                flags.known = K_UNKNOWN;
                if (done != null) {
                    mv.visitLabel(done);
                    flags.known = K_DEAD;
                }
                break;
            }
            case Kinds.CDQ:
                mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
                push(31);
                mv.visitInsn(ISHR);
                mv.visitVarInsn(ISTORE, R0 + CpuState.EDX);
                break;
            case Kinds.NEG_R:
                // NEG is SUB from 0 (LazyFlags.OP_SUB with dst 0).
                mv.visitInsn(ICONST_0);
                mv.visitVarInsn(ISTORE, T0);
                mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                mv.visitVarInsn(ISTORE, T1);
                alu(n, R0 + d.dstReg);
                break;
            case Kinds.MOV_RR8:
                small.loadReg8(d.srcReg);
                small.storeReg8(d.dstReg);
                break;
            case Kinds.MOV_RI8:
                push(d.imm & 0xFF);
                small.storeReg8(d.dstReg);
                break;
            case Kinds.NOP:
                break;
            case Kinds.MOV_RM8:
                read(d, "read8");
                small.storeReg8(d.dstReg);
                break;
            case Kinds.MOV_MR8:
                ea(d);
                small.loadReg8(d.srcReg);
                store8(d.eaSeg);
                break;
            case Kinds.MOVZX_R8:
                small.loadReg8(d.srcReg);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.MOVSX_R8:
                small.loadReg8(d.srcReg);
                small.sx8();
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.MOVSX_M8:
                read(d, "read8");
                small.sx8();
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.MOVX8_16_R: case Kinds.MOVX8_16_M:
                // the byte first (a read may branch: nothing on the stack across it), then the word into the register
                if (n.kind == Kinds.MOVX8_16_M) read(d, "read8");
                else small.loadReg8(d.srcReg);
                if (n.aux == 1) small.sx8();
                push(0xFFFF);
                mv.visitInsn(IAND);
                mv.visitVarInsn(ISTORE, T1);
                mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                push(0xFFFF0000);
                mv.visitInsn(IAND);
                mv.visitVarInsn(ILOAD, T1);
                mv.visitInsn(IOR);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.SETCC_R: {
                Label yes = new Label(), done = new Label();
                int r = d.dstReg;
                mv.visitVarInsn(ILOAD, R0 + (r & 3));
                push(r < 4 ? ~0xFF : ~0xFF00);
                mv.visitInsn(IAND);
                mv.visitVarInsn(ISTORE, T0);
                flags.condition(n.aux, yes);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(yes);
                mv.visitVarInsn(ILOAD, T0);
                push(r < 4 ? 1 : 0x100);
                mv.visitInsn(IOR);
                mv.visitVarInsn(ISTORE, T0);
                mv.visitLabel(done);
                mv.visitVarInsn(ILOAD, T0);
                mv.visitVarInsn(ISTORE, R0 + (r & 3));
                break;
            }
            case Kinds.SHIFT_RC:
                shifts.shiftByCl(n);
                break;
            case Kinds.CMOV_RR: {
                Label yes = new Label(), done = new Label();
                flags.condition(n.aux, yes);
                mv.visitJumpInsn(GOTO, done);
                mv.visitLabel(yes);
                mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                mv.visitLabel(done);
                break;
            }
            case Kinds.MUL_R: case Kinds.MUL_M: {
                // EDX:EAX = EAX * r/m32, unsigned (MUL) or signed (IMUL, aux 1); CF = OF = (EDX is
                // not the extension of EAX: nonzero for MUL, not EAX's sign for IMUL).
                boolean signed = n.aux == 1;
                if (n.kind == Kinds.MUL_M) {
                    read(d, "read32");
                    mv.visitVarInsn(ISTORE, T1);
                }
                mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
                if (signed) mv.visitInsn(I2L);
                else unsignedLong();
                mv.visitVarInsn(ILOAD, n.kind == Kinds.MUL_M ? T1 : R0 + d.dstReg);
                if (signed) mv.visitInsn(I2L);
                else unsignedLong();
                mv.visitInsn(LMUL);
                mv.visitInsn(DUP2);
                mv.visitInsn(L2I);
                mv.visitVarInsn(ISTORE, T0);
                push(32);
                mv.visitInsn(LUSHR);
                mv.visitInsn(L2I);
                mv.visitInsn(DUP);
                mv.visitVarInsn(ISTORE, R0 + CpuState.EDX);
                if (signed) {
                    mv.visitVarInsn(ILOAD, T0);
                    push(31);
                    mv.visitInsn(ISHR);
                    mv.visitInsn(IXOR);
                }
                mv.visitVarInsn(ISTORE, T1);
                mv.visitVarInsn(ILOAD, T0);
                mv.visitVarInsn(ISTORE, R0 + CpuState.EAX);
                flags.mulFlags(n);
                break;
            }
            case Kinds.BIT_SCAN_R: case Kinds.BIT_SCAN_M:
                // T1 = the source, T0 = the result (the destination itself for a zero source)
                if (n.kind == Kinds.BIT_SCAN_M) read(d, "read32");
                else mv.visitVarInsn(ILOAD, R0 + d.srcReg);
                mv.visitVarInsn(ISTORE, T1);
                mv.visitVarInsn(ILOAD, R0 + d.dstReg);
                mv.visitVarInsn(ILOAD, T1);
                mv.visitMethodInsn(INVOKESTATIC, BIT_OPS, n.aux == 0 ? "scanForward" : "scanReverse", "(II)I", false);
                mv.visitVarInsn(ISTORE, T0);
                if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
                    flags.known = K_DEAD;
                } else {
                    mv.visitVarInsn(ILOAD, T1);
                    mv.visitVarInsn(ILOAD, T0);
                    mv.visitMethodInsn(INVOKESTATIC, BIT_OPS, "scanFlags", "(II)I", false);
                    flags.setKnownFlags();
                }
                mv.visitVarInsn(ILOAD, T0);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                break;
            case Kinds.IMUL_R: case Kinds.IMUL_M: {
                // Signed product truncated to 32 bits; CF = OF = (it does not fit).
                boolean three = d.third == org.kasou.isa.DecodedInsn.LOC_IMM;
                int src = R0 + d.srcReg;
                if (n.kind == Kinds.IMUL_M) {
                    read(d, "read32");
                    mv.visitVarInsn(ISTORE, T2);
                    src = T2;
                }
                mv.visitVarInsn(ILOAD, three ? src : R0 + d.dstReg);
                mv.visitInsn(I2L);
                if (three) push(d.imm);
                else mv.visitVarInsn(ILOAD, src);
                mv.visitInsn(I2L);
                mv.visitInsn(LMUL);
                mv.visitInsn(DUP2);
                mv.visitInsn(L2I);
                mv.visitInsn(DUP);
                mv.visitVarInsn(ISTORE, T0);
                mv.visitInsn(I2L);
                mv.visitInsn(LCMP);
                mv.visitVarInsn(ISTORE, T1);
                mv.visitVarInsn(ILOAD, T0);
                mv.visitVarInsn(ISTORE, R0 + d.dstReg);
                flags.mulFlags(n);
                break;
            }
            default:
                throw new IllegalStateException("kind " + n.kind);
        }
    }

    /**
     * DIV or IDIV of EDX:EAX by T1 whose dividend is EAX alone (EDX zero, or EAX's sign for IDIV),
     * as compiled C divides 32-bit values: one JVM division and remainder, as MulDiv computes them
     * for such operands, then a jump to {@code done}; other operands (a 64-bit dividend, a divisor
     * of 0 or -1, values of 2^31 and more for DIV) fall through to MulDiv. Only where no flag is live:
     * the flags DIV leaves are not computed here.
     */
    private void divideInt(boolean signed, Label done) {
        Label general = new Label();
        mv.visitVarInsn(ILOAD, R0 + CpuState.EDX);
        if (signed) {
            mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
            push(31);
            mv.visitInsn(ISHR);
            mv.visitJumpInsn(IF_ICMPNE, general);
            mv.visitVarInsn(ILOAD, T1);
            mv.visitInsn(ICONST_M1);
            mv.visitJumpInsn(IF_ICMPEQ, general);
        } else {
            mv.visitJumpInsn(IFNE, general);
            mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
            mv.visitVarInsn(ILOAD, T1);
            mv.visitInsn(IOR);
            mv.visitJumpInsn(IFLT, general);
        }
        mv.visitVarInsn(ILOAD, T1);
        mv.visitJumpInsn(IFEQ, general);
        mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
        mv.visitVarInsn(ILOAD, T1);
        mv.visitInsn(IREM);
        mv.visitVarInsn(ISTORE, T2);
        mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
        mv.visitVarInsn(ILOAD, T1);
        mv.visitInsn(IDIV);
        mv.visitVarInsn(ISTORE, R0 + CpuState.EAX);
        mv.visitVarInsn(ILOAD, T2);
        mv.visitVarInsn(ISTORE, R0 + CpuState.EDX);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(general);
    }

    /**
     * Before an atomic read-modify-write (a LOCK'd instruction, XCHG with memory): once CPUs share
     * the memory (guest threads) the unit leaves before it, for the interpreter, which holds the
     * memory's lock and stores with a compare-and-set (AtomicOp); while one CPU uses it, it runs
     * as the same instruction without LOCK (its compiled form, or Exec), as in the interpreter.
     */
    private void leaveIfMemoryShared(Node n) {
        Label alone = new Label();
        mv.visitVarInsn(ALOAD, RT);
        mv.visitFieldInsn(GETFIELD, RUNTIME, "cpu", "L" + CPU + ";");
        mv.visitFieldInsn(GETFIELD, CPU, "physical", Type.getDescriptor(org.kasou.mem.PhysicalMemory.class));
        mv.visitMethodInsn(INVOKEVIRTUAL, Type.getInternalName(org.kasou.mem.PhysicalMemory.class), "sharedByCpus", "()Z", false);
        mv.visitJumpInsn(IFEQ, alone);
        leaveBefore(n);
        mv.visitLabel(alone);
    }

    /**
     * Any other instruction, through the interpreter's semantics: the registers, flags, EIP (the
     * next instruction, as the interpreter sets it) and instruction count go to the state, Exec
     * runs the instruction, everything comes back. An instruction that transfers control (Exec
     * says STOP) ends the unit at the EIP it set.
     */
    private void generic(Node n) {
        if (x87 != null) x87.spill();
        spillFor(n, n.d.next);
        mv.visitVarInsn(ALOAD, RT);
        mv.visitFieldInsn(GETFIELD, RUNTIME, "cpu", "L" + CPU + ";");
        mv.visitFieldInsn(GETSTATIC, unit, "INSNS", INSNS_DESC);
        push(n.order);
        mv.visitInsn(AALOAD);
        mv.visitMethodInsn(INVOKESTATIC, EXEC, "execute", "(L" + CPU + ";" + DECODED_INSN_DESC + ")I", false);
        mv.visitVarInsn(ISTORE, T0);
        reloadRegs();
        reloadFlags();
        loadSegments(usedSegsAll);
        if (flatSegs != 0 && loadsSegment(n.d.op)) {
            push(1);
            mv.visitVarInsn(ISTORE, T0); // the unit may rely on that segment being flat: leave
        }
        if (x87 != null) {
            x87.reloadAndCheck(n, true);
            mv.visitVarInsn(ILOAD, T0);
            mv.visitInsn(IOR);
            mv.visitVarInsn(ISTORE, T0);
        }
        leaveIfAsked(n.segPos + 1);
    }

    /**
     * The embedder's hooks are told of the instruction before it runs, with the state stored as
     * before {@link #generic}; the unit leaves before the instruction when the hook stopped the run
     * or changed what the unit relies on (see {@link JitRuntime#announce}).
     */
    private void announce(Node n) {
        if (x87 != null) x87.spill();
        spillFor(n, n.eip);
        mv.visitVarInsn(ALOAD, RT);
        push(region.csBase + n.eip);
        mv.visitFieldInsn(GETSTATIC, unit, "INSNS", INSNS_DESC);
        push(n.order);
        mv.visitInsn(AALOAD);
        mv.visitMethodInsn(INVOKESTATIC, RUNTIME, "announce", "(L" + RUNTIME + ";I" + DECODED_INSN_DESC + ")I", false);
        mv.visitVarInsn(ISTORE, T0);
        reloadRegs();
        reloadFlags();
        if (x87 != null) {
            x87.reloadAndCheck(n, false);
            mv.visitVarInsn(ILOAD, T0);
            mv.visitInsn(IOR);
            mv.visitVarInsn(ISTORE, T0);
        }
        leaveIfAsked(n.segPos);
    }

    /**
     * After a call into the interpreter's code or the hooks, with its answer in T0: when nonzero
     * the unit leaves at the EIP the state holds, {@code retired} instructions of the segment
     * counted; otherwise it goes on, knowing nothing of the flags.
     */
    private void leaveIfAsked(int retired) {
        Label cont = new Label();
        mv.visitVarInsn(ILOAD, T0);
        mv.visitJumpInsn(IFEQ, cont);
        consume(retired);
        mv.visitVarInsn(ALOAD, S);
        mv.visitFieldInsn(GETFIELD, CPU_STATE, "eip", "I");
        mv.visitVarInsn(ISTORE, EIP_OUT);
        mv.visitJumpInsn(GOTO, exitEpilogue);
        mv.visitLabel(cont);
        flags.known = K_UNKNOWN;
    }

    /**
     * An x87 instruction through X87Exec, which keeps the FPU state in CpuState and reads and
     * writes memory through the CPU's Memory: the unit's registers and flags stay in locals.
     */
    private void x87(Node n, boolean memory) {
        if (x87 != null) x87.spill();
        mv.visitVarInsn(ALOAD, RT);
        mv.visitFieldInsn(GETFIELD, RUNTIME, "cpu", "L" + CPU + ";");
        mv.visitFieldInsn(GETSTATIC, unit, "INSNS", INSNS_DESC);
        push(n.order);
        mv.visitInsn(AALOAD);
        if (memory) {
            ea(n.d);
            mv.visitMethodInsn(INVOKESTATIC, X87_EXEC, org.kasou.cpu.exec.X87Exec.memoryMethod(n.d),
                    "(L" + CPU + ";" + DECODED_INSN_DESC + "I)V", false);
        } else {
            mv.visitMethodInsn(INVOKESTATIC, X87_EXEC, "executeRegister", "(L" + CPU + ";" + DECODED_INSN_DESC + ")V", false);
        }
        if (x87 != null) {
            Label cont = new Label();
            x87.reloadAndCheck(n, true);
            mv.visitJumpInsn(IFEQ, cont);
            consume(n.segPos + 1);
            exitTo(n.d.next);
            mv.visitLabel(cont);
        }
    }

    /**
     * Everything the interpreter's code may look at goes to the state before a call into it: the
     * registers, the flags, EIP ({@code eip}) and the instructions retired before node n.
     */
    private void spillFor(Node n, int eip) {
        storeRegs(0xFF);
        flushFlags();
        mv.visitVarInsn(ALOAD, S);
        push(eip);
        mv.visitFieldInsn(PUTFIELD, CPU_STATE, "eip", "I");
        mv.visitVarInsn(ALOAD, RT);
        mv.visitFieldInsn(GETFIELD, RUNTIME, "cpu", "L" + CPU + ";");
        mv.visitVarInsn(ALOAD, RT);
        mv.visitFieldInsn(GETFIELD, RUNTIME, "chainEnd", "J");
        push(n.segPos);
        mv.visitVarInsn(ILOAD, LEFT);
        mv.visitInsn(ISUB);
        mv.visitInsn(I2L);
        mv.visitInsn(LADD);
        mv.visitFieldInsn(PUTFIELD, CPU, "instructions", "J");
    }

    private static boolean loadsSegment(org.kasou.isa.Op op) {
        switch (op) {
            case MOV_TO_SREG: case POP_SREG: case LES: case LDS: case LSS: case LFS: case LGS:
                return true;
            default:
                return false;
        }
    }

    private void reloadRegs() {
        for (int r = 0; r < 8; r++) {
            mv.visitFieldInsn(GETSTATIC, unit, "GPR", "[I");
            push(r);
            mv.visitInsn(IALOAD);
            mv.visitVarInsn(ISTORE, R0 + r);
        }
    }

    void reloadFlags() {
        String[] f = {"lfOp", "lfRes", "lfDst", "lfSrc", "lfKnown"};
        for (int i = 0; i < 5; i++) {
            mv.visitVarInsn(ALOAD, S);
            mv.visitFieldInsn(GETFIELD, CPU_STATE, f[i], "I");
            mv.visitVarInsn(ISTORE, F_OP + i);
        }
    }

    /** #GP(0) when the near branch target in T1 is beyond the CS limit. */
    private void nearLimitCheck() {
        Label ok = new Label();
        mv.visitVarInsn(ILOAD, T1);
        mv.visitVarInsn(ILOAD, CS_LIMIT);
        flags.lazyFlags("belowOrEqual", "(II)Z"); // unsigned, as the conditions are (see LazyFlags.below)
        mv.visitJumpInsn(IFNE, ok);
        mv.visitVarInsn(ALOAD, RT);
        mv.visitMethodInsn(INVOKEVIRTUAL, RUNTIME, "gp0", "()L" + FAULT + ";", false);
        mv.visitInsn(ATHROW);
        mv.visitLabel(ok);
    }

    private void read(org.kasou.isa.DecodedInsn d, String method) {
        ea(d);
        load(d.eaSeg, method.equals("read8") ? 1 : method.equals("read16") ? 2 : 4);
    }

    /** The node being compiled when it belongs to a {@link PageGroup}, else null. */
    private Node member;
    /** The base registers whose group locals the unit uses, a bit each (GROUP_PAGES + r, GROUP_OFFS + r). */
    private int groupLocals;

    /**
     * Whether the access of {@code size} bytes being compiled goes through its group's page: the
     * instruction's one access, at its effective address (a member's kind has no other), within
     * the span the group's lookup checked (a write only where the lookup found the write page).
     */
    private boolean grouped(int seg, int size, boolean write) {
        if (member == null) return false;
        org.kasou.isa.DecodedInsn d = member.d;
        PageGroup g = member.pageGroup;
        return seg == d.eaSeg && (flatSegs & (1 << seg)) != 0 && g.covers(d.eaDisp, size) && (!write || g.writes);
    }

    /**
     * Looks up the page of a group's accesses and its offset there, before the group's first access
     * (which the unit leaves before when they span two pages or the page is not mapped): see
     * {@link PageGroup}.
     */
    private void lookUpGroupPages(PageGroup g) {
        // A group that writes takes the write page for its reads too (a page the CPL may write it
        // may read, and it is the same RAM page): one lookup.
        // The span's first linear address twice: for the lookup, and for the offset after it.
        mv.visitVarInsn(ILOAD, R0 + g.base);
        push(g.lo);
        mv.visitInsn(IADD);
        mv.visitInsn(DUP);
        mv.visitVarInsn(ILOAD, R0 + g.base);
        push(g.hiEnd - 1);
        mv.visitInsn(IADD);
        mv.visitFieldInsn(GETSTATIC, unit, g.writes ? "WRITE_PAGES" : "READ_PAGES", "[[B");
        mv.visitMethodInsn(INVOKESTATIC, ACCESS, "groupPageOrLeave", "(II[[B)[B", false);
        mv.visitVarInsn(ASTORE, GROUP_PAGES + g.base);
        push(0xFFF);
        mv.visitInsn(IAND);
        mv.visitVarInsn(ISTORE, GROUP_OFFS + g.base);
    }

    /** Pushes the group's page and the member's offset in it: the group's offset plus the displacement past its lowest. */
    private void groupPageAndOffset() {
        PageGroup g = member.pageGroup;
        mv.visitVarInsn(ALOAD, GROUP_PAGES + g.base);
        mv.visitVarInsn(ILOAD, GROUP_OFFS + g.base);
        push(member.d.eaDisp - g.lo);
        mv.visitInsn(IADD);
    }

    /** Whether the accesses of the instruction being compiled leave the unit off their fast path. */
    private boolean leavesOnSlowAccess() {
        return LEAVE_ON_SLOW && !slowCalls;
    }

    /** Reads {@code size} (1, 2 or 4) bytes at seg:[offset on the stack]; leaves the value. */
    private void load(int seg, int size) {
        if (leavesOnSlowAccess() && grouped(seg, size, false)) {
            // The offset on the stack gives way to the group's page and offset plus this displacement.
            mv.visitInsn(POP);
            groupPageAndOffset();
            mv.visitMethodInsn(INVOKESTATIC, CHUNK_WORDS, "get" + size * 8, "([BI)I", false);
            return;
        }
        if (leavesOnSlowAccess()) {
            boolean flat = accessState(seg, false);
            mv.visitMethodInsn(INVOKESTATIC, ACCESS, (flat ? "readFlat" : "read") + (size == 4 ? "32" : size == 2 ? "16" : "8")
                    + "OrLeave", flat ? "(I[[B)I" : "(IIJ[[B)I", false);
            return;
        }
        mv.visitVarInsn(ISTORE, T_OFF);
        mv.visitVarInsn(ALOAD, M);
        push(seg);
        mv.visitVarInsn(ILOAD, T_OFF);
        boolean flat = accessState(seg, false);
        String name = (flat ? "readFlat" : "read") + (size == 4 ? "32" : size == 2 ? "16" : "8");
        mv.visitMethodInsn(INVOKESTATIC, ACCESS, name, flat ? ACCESS_FLAT_READ_DESC : ACCESS_READ_DESC, false);
    }

    /** The local holding general register r. */
    int registerLocal(int r) {
        return R0 + r;
    }

    /** Jumps to {@code taken} when Jcc condition cc holds on the flags in the locals ({@link FlagLocals#condition}). */
    void condition(int cc, Label taken) {
        flags.condition(cc, taken);
    }

    /** The arithmetic flags on the stack become EFLAGS' ({@link FlagLocals#setKnownFlags}). */
    void setKnownFlags() {
        flags.setKnownFlags();
    }

    /** Leaves the unit before node n, for the interpreter to run it. */
    void leaveBefore(Node n) {
        if (faultAtNode == n.order) {
            // One shared exit: a unit of x87 code makes such checks at most of its instructions,
            // and their bytes count against HotSpot's limits on the unit's size.
            leavesAtFaultNode = true;
            mv.visitJumpInsn(GOTO, leaveAtFaultNode);
            return;
        }
        consume(n.segPos);
        exitTo(n.eip);
    }

    /** Reads a byte (zero-extended) at seg:[offset on the stack]; leaves the value. */
    void read8(int seg) {
        load(seg, 1);
    }

    /** Writes the low byte of the value on the stack to seg:[offset below it on the stack]. */
    void write8(int seg) {
        store8(seg);
    }

    /** Reads 32 bits at seg:[offset on the stack]; leaves the value. */
    void read32(int seg) {
        load(seg, 4);
    }

    /** Writes the 32-bit value on the stack to seg:[offset below it on the stack]. */
    void write32(int seg) {
        store(seg);
    }

    /** Reads 16 bits (zero-extended) at seg:[offset on the stack]; leaves the value. */
    void read16(int seg) {
        load(seg, 2);
    }

    /** Writes the low 16 bits of the value on the stack to seg:[offset below it on the stack]. */
    void write16(int seg) {
        store16(seg);
    }

    /**
     * A 64-bit access at seg:[offset on the stack]: a read leaves the long; a write stores the
     * long in X87Locals.TMP_LONG (whether it reached compiled code shows in rt.hit).
     */
    void access64(int seg, boolean write) {
        // These call Memory off the fast path: x87 code's units are large, and leaving them, then
        // compiling them again where an access leaves often (a program's doubles on the page of
        // its code), cost n-body's default run a fifth of its time.
        mv.visitVarInsn(ISTORE, T_OFF);
        mv.visitVarInsn(ALOAD, M);
        push(seg);
        mv.visitVarInsn(ILOAD, T_OFF);
        if (write) mv.visitVarInsn(LLOAD, X87Locals.TMP_LONG);
        boolean flat = accessState(seg, write);
        String state = flat ? ACCESS_FLAT_STATE : ACCESS_STATE;
        if (write) {
            mv.visitVarInsn(ALOAD, RT);
            mv.visitMethodInsn(INVOKESTATIC, ACCESS, flat ? "writeFlat64" : "write64", "(" + MEMORY_DESC + "IIJ" + state + RUNTIME_DESC + ")Z", false);
            mv.visitInsn(POP);
        } else {
            mv.visitMethodInsn(INVOKESTATIC, ACCESS, flat ? "readFlat64" : "read64", "(" + MEMORY_DESC + "II" + state + ")J", false);
        }
    }

    /** Writes the 32-bit value on the stack to seg:[offset below it on the stack]. */
    private void store(int seg) {
        storeSized(seg, "32");
    }

    /** Writes the byte value on the stack to seg:[offset below it on the stack]. */
    private void store8(int seg) {
        storeSized(seg, "8");
    }

    /** Writes the word value on the stack to seg:[offset below it on the stack]. */
    private void store16(int seg) {
        storeSized(seg, "16");
    }

    private void storeSized(int seg, String size) {
        if (leavesOnSlowAccess() && grouped(seg, Integer.parseInt(size) / 8, true)) {
            // The offset gives way to the group's page and offset plus this displacement; the value stays.
            mv.visitVarInsn(ISTORE, T_VAL);
            mv.visitInsn(POP);
            groupPageAndOffset();
            mv.visitVarInsn(ILOAD, T_VAL);
            mv.visitMethodInsn(INVOKESTATIC, CHUNK_WORDS, "set" + size, "([BII)V", false);
            return;
        }
        if (leavesOnSlowAccess()) {
            boolean flat = accessState(seg, true);
            mv.visitMethodInsn(INVOKESTATIC, ACCESS, (flat ? "writeFlat" : "write") + size + "OrLeave",
                    flat ? "(II[[B)V" : "(IIIJ[[B)V", false);
            return;
        }
        mv.visitVarInsn(ISTORE, T_VAL);
        mv.visitVarInsn(ISTORE, T_OFF);
        mv.visitVarInsn(ALOAD, M);
        push(seg);
        mv.visitVarInsn(ILOAD, T_OFF);
        mv.visitVarInsn(ILOAD, T_VAL);
        boolean flat = accessState(seg, true);
        mv.visitVarInsn(ALOAD, RT);
        mv.visitMethodInsn(INVOKESTATIC, ACCESS, (flat ? "writeFlat" : "write") + size,
                flat ? ACCESS_FLAT_WRITE_DESC : ACCESS_WRITE_DESC, false);
        mv.visitVarInsn(ILOAD, WRITE_HIT);
        mv.visitInsn(IOR);
        mv.visitVarInsn(ISTORE, WRITE_HIT);
        writeMayHit = true;
    }

    /**
     * Pushes what {@link CompiledAccess} needs besides the offset: segment base and limit (unless
     * the segment is flat) and the RAM pages of the unit's CPL. Returns whether the segment is flat.
     */
    private boolean accessState(int seg, boolean write) {
        boolean flat = (flatSegs & (1 << seg)) != 0;
        if (!flat) {
            mv.visitVarInsn(ILOAD, SEG_BASE + seg * SEG_SLOTS);
            mv.visitVarInsn(LLOAD, SEG_BASE + seg * SEG_SLOTS + (write ? 3 : 1));
        }
        mv.visitFieldInsn(GETSTATIC, unit, write ? "WRITE_PAGES" : "READ_PAGES", "[[B"); // units are compiled per CPL
        return flat;
    }

    /** CALL's push of the return address: the write to SS:[ESP - 4] first, then ESP. */
    private void pushReturnAddress(int next) {
        mv.visitVarInsn(ILOAD, R0 + CpuState.ESP);
        push(4);
        mv.visitInsn(ISUB);
        push(next);
        store(Segment.SS);
        mv.visitIincInsn(R0 + CpuState.ESP, -4);
    }

    /**
     * CALL of a PIC thunk (see {@link Kinds#CALL_THUNK}): the CALL's push, then, when the push
     * reached no compiled code and the thunk's bytes are still mapped at its linear address for
     * this CPL, MOV reg, [ESP] and RET as reg = return address and ESP back up. Otherwise the
     * CALL alone has run and the unit leaves at the thunk, for the interpreter to fetch.
     */
    private void callThunk(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        Label leave = new Label(), done = new Label();
        pushReturnAddress(d.next);
        mv.visitVarInsn(ILOAD, WRITE_HIT);
        mv.visitJumpInsn(IFNE, leave);
        mv.visitFieldInsn(GETSTATIC, unit, "READ_PAGES", "[[B");
        push(region.csBase + d.target);
        push(Region.thunkBytes(n.aux));
        mv.visitMethodInsn(INVOKESTATIC, ACCESS, "codeIs", "([[BII)Z", false);
        mv.visitJumpInsn(IFEQ, leave);
        push(d.next);
        mv.visitVarInsn(ISTORE, R0 + n.aux);
        mv.visitIincInsn(R0 + CpuState.ESP, 4);
        mv.visitJumpInsn(GOTO, done);
        mv.visitLabel(leave);
        consume(n.segPos + 1);
        exitTo(d.target);
        mv.visitLabel(done);
    }

    /** The 32-bit effective address (base + index << scale + displacement). */
    void ea(org.kasou.isa.DecodedInsn d) {
        boolean any = false;
        if (d.eaBase >= 0) {
            mv.visitVarInsn(ILOAD, R0 + d.eaBase);
            any = true;
        }
        if (d.eaIndex >= 0) {
            mv.visitVarInsn(ILOAD, R0 + d.eaIndex);
            if (d.eaScale != 0) {
                push(d.eaScale);
                mv.visitInsn(ISHL);
            }
            if (any) mv.visitInsn(IADD);
            any = true;
        }
        if (!any) push(d.eaDisp);
        else if (d.eaDisp != 0) {
            push(d.eaDisp);
            mv.visitInsn(IADD);
        }
    }

    /** T0 op T1 on the stack. */
    void operation(int aux) {
        mv.visitVarInsn(ILOAD, T0);
        mv.visitVarInsn(ILOAD, T1);
        operationOnStack(aux);
    }

    /** The two ints on the stack replaced by the first op the second. */
    private void operationOnStack(int aux) {
        switch (aux) {
            case 0: mv.visitInsn(IADD); break;
            case 1: mv.visitInsn(IOR); break;
            case 4: case Kinds.TEST: mv.visitInsn(IAND); break;
            case 5: case 7: mv.visitInsn(ISUB); break;
            case 6: mv.visitInsn(IXOR); break;
            default: throw new IllegalStateException("alu " + aux);
        }
    }

    /** Register-destination ALU operation on T0 (dst) and T1 (src). */
    private void alu(Node n, int dstLocal) {
        if (n.aux == 2 || n.aux == 3) {
            adcSbb(n, dstLocal);
            return;
        }
        if (n.aux != 7 && n.aux != Kinds.TEST) {
            operation(n.aux);
            mv.visitVarInsn(ISTORE, dstLocal);
        }
        flags.recordAlu(n);
    }

    /**
     * A register-destination ALU operation without carry in (n.aux: ADD, OR, AND, SUB, XOR, CMP,
     * TEST) of local dstLocal and local srcLocal (-1: the immediate imm), with the same result and
     * flag locals as {@link FlagLocals#recordAlu} on T0 and T1, straight from the operands' locals:
     * these are the commonest instructions, and HotSpot's bytecode interpreter runs and its
     * compilers parse every byte of a unit.
     */
    private void aluToRegister(Node n, int dstLocal, int srcLocal, int imm) {
        int aux = n.aux;
        boolean writes = aux != 7 && aux != Kinds.TEST;
        if ((n.liveOut & Kinds.ALL_FLAGS) == 0) {
            flags.known = K_DEAD;
            if (!writes) return;
            if (srcLocal < 0 && (aux == 0 || aux == 5) && imm >= -Short.MAX_VALUE && imm <= Short.MAX_VALUE) {
                mv.visitIincInsn(dstLocal, aux == 0 ? imm : -imm);
                return;
            }
            mv.visitVarInsn(ILOAD, dstLocal);
            pushOperand(srcLocal, imm);
            operationOnStack(aux);
            mv.visitVarInsn(ISTORE, dstLocal);
            return;
        }
        boolean arithmetic = aux == 0 || aux == 5 || aux == 7;
        mv.visitVarInsn(ILOAD, dstLocal);
        if (arithmetic) {
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, F_DST);
        }
        pushOperand(srcLocal, imm);
        if (arithmetic) {
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, F_SRC);
        }
        operationOnStack(aux);
        if (writes) {
            mv.visitInsn(DUP);
            mv.visitVarInsn(ISTORE, dstLocal);
        }
        mv.visitVarInsn(ISTORE, F_RES);
        if (arithmetic) {
            push(aux == 0 ? LazyFlags.OP_ADD : LazyFlags.OP_SUB);
            mv.visitVarInsn(ISTORE, F_OP);
            flags.known = aux == 0 ? K_ADD : K_SUB;
        } else {
            flags.recordLogic();
        }
    }

    private void pushOperand(int local, int imm) {
        if (local >= 0) mv.visitVarInsn(ILOAD, local);
        else push(imm);
    }

    /** ADC (aux 2) or SBB (aux 3) of T0 (dst) and T1 (src) with the carry of the flag locals. */
    private void adcSbb(Node n, int dstLocal) {
        withCarry(n.aux == 2, dstLocal);
        flags.recordAdcSbb(n, dstLocal);
    }

    /** resultLocal = T0 + T1 + CF (adc) or T0 - T1 - CF, CF from the flag locals (T2 holds it). */
    void withCarry(boolean adc, int resultLocal) {
        flags.carryIn();
        mv.visitVarInsn(ISTORE, T2);
        mv.visitVarInsn(ILOAD, T0);
        mv.visitVarInsn(ILOAD, T1);
        mv.visitInsn(adc ? IADD : ISUB);
        mv.visitVarInsn(ILOAD, T2);
        mv.visitInsn(adc ? IADD : ISUB);
        mv.visitVarInsn(ISTORE, resultLocal);
    }

    /** Zero-extends the int on the stack to a long. */
    private void unsignedLong() {
        mv.visitInsn(I2L);
        mv.visitLdcInsn(0xFFFFFFFFL);
        mv.visitInsn(LAND);
    }

    /**
     * MOVS, LODS, STOS or SCAS once: the accesses first (each may fault with nothing changed),
     * then ESI and EDI move by the element size, backwards when EFLAGS.DF is set.
     */
    private void stringOnce(Node n) {
        org.kasou.isa.DecodedInsn d = n.d;
        int op = n.aux;
        int size = op == Kinds.LODS ? d.srcSize : d.dstSize;
        int mask = size == 4 ? -1 : (1 << (8 * size)) - 1;
        switch (op) {
            case Kinds.MOVS:
                mv.visitVarInsn(ILOAD, R0 + CpuState.EDI);
                mv.visitVarInsn(ILOAD, R0 + CpuState.ESI);
                load(d.eaSeg, size);
                storeSized(Segment.ES, size == 1 ? "8" : size == 2 ? "16" : "32");
                break;
            case Kinds.LODS:
                mv.visitVarInsn(ILOAD, R0 + CpuState.ESI);
                load(d.eaSeg, size);
                if (size < 4) {
                    mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
                    push(~mask);
                    mv.visitInsn(IAND);
                    mv.visitInsn(IOR);
                }
                mv.visitVarInsn(ISTORE, R0 + CpuState.EAX);
                break;
            case Kinds.STOS:
                mv.visitVarInsn(ILOAD, R0 + CpuState.EDI);
                mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
                storeSized(Segment.ES, size == 1 ? "8" : size == 2 ? "16" : "32");
                break;
            default: // SCAS: CMP of AL/AX/EAX with ES:[EDI]
                mv.visitVarInsn(ILOAD, R0 + CpuState.EDI);
                load(Segment.ES, size);
                mv.visitVarInsn(ISTORE, T1);
                mv.visitVarInsn(ILOAD, R0 + CpuState.EAX);
                if (size < 4) {
                    push(mask);
                    mv.visitInsn(IAND);
                }
                mv.visitVarInsn(ISTORE, T0);
                flags.sizedFlags(n, size);
                break;
        }
        // The step: size, or -size when DF is set.
        push(size);
        mv.visitVarInsn(ALOAD, S);
        mv.visitFieldInsn(GETFIELD, CPU_STATE, "eflagsRest", "I");
        push(Integer.numberOfTrailingZeros(Flags.DF) - 1);
        mv.visitInsn(IUSHR);
        push(2);
        mv.visitInsn(IAND);
        push(size);
        mv.visitInsn(IMUL);
        mv.visitInsn(ISUB);
        mv.visitVarInsn(ISTORE, T2);
        for (int reg : new int[] {CpuState.ESI, CpuState.EDI}) {
            if ((RegisterUse.string(op, true) & (1 << reg)) == 0) continue;
            mv.visitVarInsn(ILOAD, R0 + reg);
            mv.visitVarInsn(ILOAD, T2);
            mv.visitInsn(IADD);
            mv.visitVarInsn(ISTORE, R0 + reg);
        }
    }

    /** Where -Dkasou.jit.dump=DIR writes each unit's class file (for javap), or null. */
    private static final String DUMP_DIR = System.getProperty("kasou.jit.dump");

    private void dump(byte[] classFile) {
        // Named as the class is (what profilers show), with a time for the units compiled at one EIP.
        String simple = unit.substring(unit.lastIndexOf('/') + 1);
        java.nio.file.Path p = java.nio.file.Path.of(DUMP_DIR, simple + "-" + System.nanoTime() + ".class");
        try {
            java.nio.file.Files.createDirectories(p.getParent());
            java.nio.file.Files.write(p, classFile);
        } catch (java.io.IOException e) {
            org.slf4j.LoggerFactory.getLogger(UnitCompiler.class).warn("cannot write {}", p, e);
        }
    }

    /** Defines the class generated from this compiler's region and returns a new instance of it. */
    CompiledCode load(byte[] classFile, Object[] classData) {
        if (DUMP_DIR != null) dump(classFile);
        try {
            MethodHandles.Lookup hidden = MethodHandles.lookup().defineHiddenClassWithClassData(classFile, classData, true);
            return (CompiledCode) hidden.findConstructor(hidden.lookupClass(), MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("cannot load a compiled unit", e);
        }
    }
}
