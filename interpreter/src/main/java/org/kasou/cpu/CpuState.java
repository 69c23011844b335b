package org.kasou.cpu;

/**
 * The architectural state of one IA-32 CPU. Fields are public on purpose: the interpreter and
 * the generated code read and write them directly on the hot path.
 */
public final class CpuState {
    public static final int EAX = 0, ECX = 1, EDX = 2, EBX = 3, ESP = 4, EBP = 5, ESI = 6, EDI = 7;

    /** General-purpose registers in encoding order (EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI). */
    public final int[] gpr = new int[8];
    /** Offset of the next instruction in CS. */
    public int eip;

    // --- EFLAGS: the six arithmetic flags are lazy (see LazyFlags); the rest live in eflagsRest.
    /** LazyFlags.OP_* of the last flag-setting operation. */
    public int lfOp;
    /** Result and operands of that operation, as 32-bit values. */
    public int lfRes, lfDst, lfSrc;
    /** Arithmetic flags that are known outright (meaning depends on lfOp, see LazyFlags). */
    public int lfKnown;
    /** Every EFLAGS bit that is not an arithmetic flag: IF, DF, TF, IOPL, NT, RF, VM, AC, ID, bit 1. */
    public int eflagsRest = Flags.FIXED1;

    /** ES, CS, SS, DS, FS, GS in encoding order, then LDTR and TR. */
    public final Segment[] seg = new Segment[8];

    public int cr0, cr2, cr3, cr4;
    public int gdtrBase, gdtrLimit, idtrBase, idtrLimit;
    public final int[] dr = new int[8];
    /** Current privilege level (CS.RPL in protected mode, 3 in virtual-8086 mode, 0 in real mode). */
    public int cpl;
    /**
     * Offset of the time-stamp counter: RDTSC reads {@code tsc} plus the machine's clock in
     * nanoseconds ({@link Cpu#clock}), or plus {@code cpu.instructions} (one tick per retired
     * instruction) without one, so nothing needs to advance it per instruction.
     */
    public long tsc;
    /** MTRRs, PAT and IA32_MISC_ENABLE. */
    public final CacheControlMsrs cacheControl = new CacheControlMsrs();
    /** The x87 FPU. */
    public final FpuState fpu = new FpuState();
    public int sysenterCs, sysenterEsp, sysenterEip;
    /** True after HLT until an interrupt arrives. */
    public boolean halted;
    /** Interrupts (NMI included) are inhibited for one instruction after STI, MOV SS and POP SS. */
    public boolean interruptShadow;
    /** An NMI has been signalled and not yet taken (the NMI input is an edge, latched here). */
    public boolean nmiPending;
    /** An NMI handler is running: further NMIs wait until the next IRET (SDM vol. 3, 6.7.1). */
    public boolean nmiBlocked;
    /** Set by a triple fault: the CPU has shut down and run() must return SHUTDOWN. */
    public boolean shutdown;

    public static final int CR0_PE = 1, CR0_MP = 2, CR0_EM = 4, CR0_TS = 8, CR0_ET = 0x10, CR0_NE = 0x20;
    public static final int CR0_WP = 1 << 16, CR0_AM = 1 << 18, CR0_NW = 1 << 29, CR0_CD = 1 << 30, CR0_PG = 1 << 31;
    public static final int CR4_VME = 1, CR4_PVI = 2, CR4_TSD = 4, CR4_DE = 8, CR4_PSE = 0x10, CR4_PAE = 0x20, CR4_PGE = 0x80;

    public CpuState() {
        for (int i = 0; i < seg.length; i++) {
            seg[i] = new Segment();
        }
        reset();
    }

    /** The state after RESET (SDM vol. 3, 9.1.1), except that the caller sets CS:EIP. */
    public void reset() {
        java.util.Arrays.fill(gpr, 0);
        gpr[EDX] = 0x0633; // family 6 model 3 stepping 3: P6 class
        eip = 0xFFF0;
        LazyFlags.setArith(this, 0);
        eflagsRest = Flags.FIXED1;
        for (Segment s : seg) {
            s.set(0, 0, 0xFFFF, 0x93); // present, writable data, accessed
        }
        seg[Segment.CS].set(0xF000, 0xFFFF0000, 0xFFFF, 0x9B);
        seg[Segment.LDTR].access = 0x82;
        seg[Segment.TR].access = 0x8B;
        cr0 = CR0_ET | CR0_CD | CR0_NW;
        cr2 = cr3 = cr4 = 0;
        gdtrBase = idtrBase = 0;
        gdtrLimit = idtrLimit = 0xFFFF;
        java.util.Arrays.fill(dr, 0);
        dr[6] = 0xFFFF0FF0;
        dr[7] = 0x400;
        cpl = 0;
        tsc = 0;
        cacheControl.reset();
        fpu.reset();
        halted = false;
        interruptShadow = false;
        nmiPending = false;
        nmiBlocked = false;
        shutdown = false;
    }

    public boolean protectedMode() { return (cr0 & CR0_PE) != 0; }
    public boolean paging() { return (cr0 & CR0_PG) != 0; }
    public boolean v86() { return (eflagsRest & Flags.VM) != 0; }

    /** EFLAGS as the guest sees it (PUSHF, interrupt frames). */
    public int eflags() { return LazyFlags.arith(this) | eflagsRest; }

    /** Writes every EFLAGS bit without privilege checks; callers apply POPF/IRET rules first. */
    public void setEflags(int value) {
        LazyFlags.setArith(this, value & Flags.ARITH);
        eflagsRest = (value & ~Flags.ARITH & 0x003F7FD5) | Flags.FIXED1;
    }

    public boolean flag(int mask) {
        return (mask & Flags.ARITH) != 0 ? (LazyFlags.arith(this) & mask) != 0 : (eflagsRest & mask) != 0;
    }

    // Narrow register views used by the interpreter for 8- and 16-bit operands.
    /** 8-bit register by encoding: AL, CL, DL, BL, AH, CH, DH, BH. */
    public int reg8(int r) { return r < 4 ? gpr[r] & 0xFF : (gpr[r - 4] >>> 8) & 0xFF; }
    public void setReg8(int r, int v) {
        if (r < 4) gpr[r] = (gpr[r] & ~0xFF) | (v & 0xFF);
        else gpr[r - 4] = (gpr[r - 4] & ~0xFF00) | ((v & 0xFF) << 8);
    }
    public int reg16(int r) { return gpr[r] & 0xFFFF; }
    public void setReg16(int r, int v) { gpr[r] = (gpr[r] & 0xFFFF0000) | (v & 0xFFFF); }
}
