package org.kasou.cpu.sys;

import org.kasou.cpu.CacheControlMsrs;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Flags;
import org.kasou.cpu.LazyFlags;
import org.kasou.cpu.Segment;

/**
 * The system instructions (SDM vol. 2 pages of the same names), privilege checks included. All
 * static. Register operands are passed and returned as values; memory operands as a segment
 * (Segment.ES..GS) and an effective offset. opSize is the operand size in bytes (2 or 4).
 * Instructions that set ZF (LAR, LSL, VERR, VERW, ARPL) set it here and leave the other
 * arithmetic flags alone.
 */
public final class SystemOps {
    private SystemOps() {}

    /** CPUID vendor string: 12 characters, returned in EBX, EDX, ECX. */
    public static final String VENDOR = "KasouVirtCPU";
    /** Family 6, model 3, stepping 3: a P6-class CPU (also the EDX value after reset). */
    public static final int SIGNATURE = 0x0633;
    /**
     * CPUID.1:EDX: FPU, DE, PSE, TSC, MSR, PAE, CX8, SEP, MTRR, PGE, CMOV (with FCMOV and FCOMI), PAT,
     * FXSR (FXSAVE/FXRSTOR and CR4.OSFXSR). No MMX or SSE until they execute.
     */
    public static final int FEATURES_EDX = 1 | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 8) | (1 << 11)
            | (1 << 12) | (1 << 13) | (1 << 15) | (1 << 16) | (1 << 24);
    private static final int MAX_BASIC_LEAF = 1;
    private static final int MAX_EXT_LEAF = 0x80000004;
    private static final String BRAND = "Kasou Virtual CPU";

    /**
     * IA32_BIOS_SIGN_ID: the microcode update signature, which operating systems read on every
     * P6 (after writing 0 and executing CPUID); no microcode is loaded, so it reads 0.
     */
    public static final int MSR_BIOS_SIGN_ID = 0x8B;
    public static final int MSR_TSC = 0x10, MSR_SYSENTER_CS = 0x174, MSR_SYSENTER_ESP = 0x175, MSR_SYSENTER_EIP = 0x176;

    /** CR0 bits that exist (the rest are ignored on write); ET is hardwired to 1 (SDM 2.5). */
    private static final int CR0_MASK = CpuState.CR0_PE | CpuState.CR0_MP | CpuState.CR0_EM | CpuState.CR0_TS
            | CpuState.CR0_ET | CpuState.CR0_NE | CpuState.CR0_WP | CpuState.CR0_AM | CpuState.CR0_NW
            | CpuState.CR0_CD | CpuState.CR0_PG;
    /** CR4 bits this CPU implements; setting any other is #GP(0). */
    private static final int CR4_MASK = CpuState.CR4_TSD | CpuState.CR4_DE | CpuState.CR4_PSE | CpuState.CR4_PAE
            | CpuState.CR4_PGE | 0x100 /* PCE */ | 0x200 /* OSFXSR: the system uses FXSAVE/FXRSTOR (no SSE to enable) */;

    // ------------------------------------------------------------------------------------------
    // Identification, time stamp, MSRs, fast system calls.

    /** CPUID: reads EAX, writes EAX, EBX, ECX, EDX. Leaves above the maximum return the highest basic leaf. */
    public static void cpuid(Cpu cpu) {
        org.kasou.cpu.CpuHooks hooks = cpu.hooks;
        if (hooks != null && hooks.cpuid(cpu.state)) return; // the embedder answered
        int[] r = cpu.state.gpr;
        int leaf = r[CpuState.EAX];
        boolean ext = leaf < 0;
        if (ext ? Integer.compareUnsigned(leaf, MAX_EXT_LEAF) > 0 : leaf > MAX_BASIC_LEAF) leaf = MAX_BASIC_LEAF;
        int a = 0, b = 0, c = 0, d = 0;
        switch (leaf) {
            case 0 -> {
                a = MAX_BASIC_LEAF;
                b = ascii(VENDOR, 0);
                d = ascii(VENDOR, 4);
                c = ascii(VENDOR, 8);
            }
            case 1 -> {
                a = SIGNATURE;
                d = FEATURES_EDX;
            }
            case 0x80000000 -> a = MAX_EXT_LEAF;
            case 0x80000002, 0x80000003, 0x80000004 -> {
                int base = (leaf - 0x80000002) * 16;
                a = ascii(BRAND, base);
                b = ascii(BRAND, base + 4);
                c = ascii(BRAND, base + 8);
                d = ascii(BRAND, base + 12);
            }
            default -> { }
        }
        r[CpuState.EAX] = a;
        r[CpuState.EBX] = b;
        r[CpuState.ECX] = c;
        r[CpuState.EDX] = d;
    }

    /** Four characters of s from i, little-endian, NUL-padded. */
    private static int ascii(String s, int i) {
        int v = 0;
        for (int k = 0; k < 4; k++) {
            int ch = i + k < s.length() ? s.charAt(i + k) : 0;
            v |= (ch & 0xFF) << (8 * k);
        }
        return v;
    }

    /**
     * The time-stamp counter, plus the offset in state.tsc: one tick per nanosecond of the
     * machine's clock when it has one (so that it agrees with its timers), else one per retired
     * instruction.
     */
    public static long tsc(Cpu cpu) {
        return cpu.state.tsc + tscBase(cpu);
    }

    private static long tscBase(Cpu cpu) {
        return cpu.clock != null ? cpu.clock.getAsLong() : cpu.instructions;
    }

    /** RDTSC: EDX:EAX = TSC; #GP(0) when CR4.TSD is set and CPL > 0. */
    public static void rdtsc(Cpu cpu) {
        CpuState s = cpu.state;
        if ((s.cr4 & CpuState.CR4_TSD) != 0 && s.protectedMode() && s.cpl > 0) throw cpu.fault.set(CpuFault.GP, 0);
        long t = tsc(cpu);
        s.gpr[CpuState.EAX] = (int) t;
        s.gpr[CpuState.EDX] = (int) (t >>> 32);
    }

    /** RDMSR: EDX:EAX = MSR[ECX]; #GP(0) at CPL > 0 or for an MSR this CPU does not have. */
    public static void rdmsr(Cpu cpu) {
        CpuState s = cpu.state;
        checkCpl0(cpu);
        long v = switch (s.gpr[CpuState.ECX]) {
            case MSR_TSC -> tsc(cpu);
            case MSR_BIOS_SIGN_ID -> 0L;
            case MSR_SYSENTER_CS -> s.sysenterCs & 0xFFFFFFFFL;
            case MSR_SYSENTER_ESP -> s.sysenterEsp & 0xFFFFFFFFL;
            case MSR_SYSENTER_EIP -> s.sysenterEip & 0xFFFFFFFFL;
            default -> {
                int index = s.gpr[CpuState.ECX];
                if (!CacheControlMsrs.handles(index)) throw cpu.fault.set(CpuFault.GP, 0);
                yield s.cacheControl.read(index);
            }
        };
        s.gpr[CpuState.EAX] = (int) v;
        s.gpr[CpuState.EDX] = (int) (v >>> 32);
    }

    /** WRMSR: MSR[ECX] = EDX:EAX; #GP(0) at CPL > 0 or for an MSR this CPU does not have. */
    public static void wrmsr(Cpu cpu) {
        CpuState s = cpu.state;
        checkCpl0(cpu);
        long v = (s.gpr[CpuState.EAX] & 0xFFFFFFFFL) | ((long) s.gpr[CpuState.EDX] << 32);
        switch (s.gpr[CpuState.ECX]) {
            case MSR_TSC -> s.tsc = v - tscBase(cpu);
            case MSR_BIOS_SIGN_ID -> { } // writing triggers a signature update; there is none
            case MSR_SYSENTER_CS -> s.sysenterCs = (int) v;
            case MSR_SYSENTER_ESP -> s.sysenterEsp = (int) v;
            case MSR_SYSENTER_EIP -> s.sysenterEip = (int) v;
            default -> {
                int index = s.gpr[CpuState.ECX];
                if (!CacheControlMsrs.handles(index) || !s.cacheControl.write(index, v)) throw cpu.fault.set(CpuFault.GP, 0);
            }
        }
    }

    /** Flat 4 GiB code (execute/read, accessed) and stack (read/write, accessed) segments, 32-bit. */
    private static final int FLAT_CODE = 0xC09B, FLAT_DATA = 0xC093;

    /** SYSENTER (SDM vol. 2): to CPL 0 with flat segments from the SYSENTER MSRs. */
    public static void sysenter(Cpu cpu) {
        CpuState s = cpu.state;
        if (!s.protectedMode() || Descriptors.isNull(s.sysenterCs)) throw cpu.fault.set(CpuFault.GP, 0);
        s.eflagsRest &= ~(Flags.VM | Flags.IF | Flags.RF);
        int cs = s.sysenterCs & 0xFFFC;
        s.seg[Segment.CS].set(cs, 0, 0xFFFFFFFF, FLAT_CODE);
        s.seg[Segment.SS].set(cs + 8, 0, 0xFFFFFFFF, FLAT_DATA);
        s.cpl = 0;
        s.gpr[CpuState.ESP] = s.sysenterEsp;
        s.eip = s.sysenterEip;
    }

    /** Offers SYSENTER to the embedder's hooks (EIP at {@code nextEip}); true when they handled it. */
    public static boolean sysenterHandled(Cpu cpu, int nextEip) {
        org.kasou.cpu.CpuHooks hooks = cpu.hooks;
        if (hooks == null) return false;
        int at = cpu.state.eip;
        cpu.state.eip = nextEip;
        if (hooks.sysenter(cpu.state)) return true;
        cpu.state.eip = at;
        return false;
    }

    /** SYSEXIT (SDM vol. 2): to CPL 3 with flat segments; ESP = ECX, EIP = EDX. */
    public static void sysexit(Cpu cpu) {
        CpuState s = cpu.state;
        if (!s.protectedMode() || s.v86() || s.cpl != 0 || Descriptors.isNull(s.sysenterCs)) {
            throw cpu.fault.set(CpuFault.GP, 0);
        }
        int cs = s.sysenterCs & 0xFFFC;
        s.seg[Segment.CS].set((cs + 16) | 3, 0, 0xFFFFFFFF, FLAT_CODE | (3 << 5));
        s.seg[Segment.SS].set((cs + 24) | 3, 0, 0xFFFFFFFF, FLAT_DATA | (3 << 5));
        s.cpl = 3;
        s.gpr[CpuState.ESP] = s.gpr[CpuState.ECX];
        s.eip = s.gpr[CpuState.EDX];
    }

    // ------------------------------------------------------------------------------------------
    // Descriptor-table registers.

    /** LGDT m16&32: with a 16-bit operand only 24 bits of the base are loaded. */
    public static void lgdt(Cpu cpu, int seg, int off, int opSize) {
        checkCpl0(cpu);
        int limit = cpu.memory.read16(seg, off);
        int base = cpu.memory.read32(seg, off + 2);
        cpu.state.gdtrLimit = limit;
        cpu.state.gdtrBase = opSize == 2 ? base & 0xFFFFFF : base;
    }

    public static void lidt(Cpu cpu, int seg, int off, int opSize) {
        checkCpl0(cpu);
        int limit = cpu.memory.read16(seg, off);
        int base = cpu.memory.read32(seg, off + 2);
        cpu.state.idtrLimit = limit;
        cpu.state.idtrBase = opSize == 2 ? base & 0xFFFFFF : base;
    }

    /** SGDT m: not privileged; with a 16-bit operand the base's high byte is stored as zero. */
    public static void sgdt(Cpu cpu, int seg, int off, int opSize) {
        storeTableRegister(cpu, seg, off, opSize, cpu.state.gdtrLimit, cpu.state.gdtrBase);
    }

    public static void sidt(Cpu cpu, int seg, int off, int opSize) {
        storeTableRegister(cpu, seg, off, opSize, cpu.state.idtrLimit, cpu.state.idtrBase);
    }

    private static void storeTableRegister(Cpu cpu, int seg, int off, int opSize, int limit, int base) {
        cpu.memory.probeWrite(seg, off, 2);
        cpu.memory.probeWrite(seg, off + 2, 4);
        cpu.memory.write16(seg, off, limit);
        cpu.memory.write32(seg, off + 2, opSize == 2 ? base & 0xFFFFFF : base);
    }

    /** LLDT r/m16: protected mode only (#UD otherwise), CPL 0; a null selector leaves LDTR unusable. */
    public static void lldt(Cpu cpu, int selector) {
        CpuState s = cpu.state;
        checkProtected(cpu);
        checkCpl0(cpu);
        int sel = selector & 0xFFFF;
        Segment ldtr = s.seg[Segment.LDTR];
        if (Descriptors.isNull(sel)) {
            ldtr.set(sel, 0, 0, 0x82);
            ldtr.valid = false;
            return;
        }
        if ((sel & 4) != 0) throw cpu.fault.set(CpuFault.GP, sel & 0xFFFC);
        long d = Descriptors.read(cpu, sel, CpuFault.GP, 0);
        if (!Descriptors.system(d) || Descriptors.type(d) != Descriptors.LDT) throw cpu.fault.set(CpuFault.GP, sel & 0xFFFC);
        if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.NP, sel & 0xFFFC);
        Descriptors.load(ldtr, sel, d);
    }

    /** SLDT: protected mode only. */
    public static int sldt(Cpu cpu) {
        checkProtected(cpu);
        return cpu.state.seg[Segment.LDTR].selector;
    }

    /** LTR r/m16: an available TSS in the GDT, marked busy. */
    public static void ltr(Cpu cpu, int selector) {
        CpuState s = cpu.state;
        checkProtected(cpu);
        checkCpl0(cpu);
        int sel = selector & 0xFFFF;
        if (Descriptors.isNull(sel)) throw cpu.fault.set(CpuFault.GP, 0);
        if ((sel & 4) != 0) throw cpu.fault.set(CpuFault.GP, sel & 0xFFFC);
        int addr = Descriptors.address(cpu, sel, CpuFault.GP, 0);
        long d = Descriptors.readAt(cpu, addr);
        int type = Descriptors.type(d);
        if (!Descriptors.system(d) || (type != Descriptors.TSS16_AVAIL && type != Descriptors.TSS32_AVAIL)) {
            throw cpu.fault.set(CpuFault.GP, sel & 0xFFFC);
        }
        if (!Descriptors.present(d)) throw cpu.fault.set(CpuFault.NP, sel & 0xFFFC);
        int busyHi = Descriptors.hi(d) | 0x200;
        cpu.memory.writeSystem32(addr + 4, busyHi);
        Descriptors.load(s.seg[Segment.TR], sel, (d & 0xFFFFFFFFL) | ((long) busyHi << 32));
    }

    /** STR: protected mode only. */
    public static int str(Cpu cpu) {
        checkProtected(cpu);
        return cpu.state.seg[Segment.TR].selector;
    }

    // ------------------------------------------------------------------------------------------
    // Control and debug registers.

    /** LMSW: loads PE, MP, EM, TS from the low four bits; cannot clear PE. */
    public static void lmsw(Cpu cpu, int value) {
        CpuState s = cpu.state;
        checkCpl0(cpu);
        int keep = s.cr0 & ~0xE;
        s.cr0 = keep | (value & 0xF);
    }

    /** SMSW: CR0 (the caller keeps the low 16 bits for a 16-bit or memory destination). */
    public static int smsw(Cpu cpu) {
        return cpu.state.cr0;
    }

    public static void clts(Cpu cpu) {
        checkCpl0(cpu);
        cpu.state.cr0 &= ~CpuState.CR0_TS;
    }

    /** INVLPG m: drops the TLB entry of the page holding seg:off. */
    public static void invlpg(Cpu cpu, int seg, int off) {
        checkCpl0(cpu);
        cpu.memory.invalidatePage(cpu.state.seg[seg].base + off);
    }

    /**
     * MOV CRn, r32: #UD for CR1, CR5-CR7; #GP(0) at CPL > 0, for PG without PE, NW without CD,
     * or a CR4 bit this CPU does not have. Flushes the TLB as the SDM requires (4.10.4).
     */
    public static void movToCr(Cpu cpu, int cr, int value) {
        CpuState s = cpu.state;
        if (cr == 1 || cr > 4) throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
        checkCpl0(cpu);
        switch (cr) {
            case 0 -> {
                int v = (value & CR0_MASK) | CpuState.CR0_ET;
                if ((v & CpuState.CR0_PG) != 0 && (v & CpuState.CR0_PE) == 0) throw cpu.fault.set(CpuFault.GP, 0);
                if ((v & CpuState.CR0_NW) != 0 && (v & CpuState.CR0_CD) == 0) throw cpu.fault.set(CpuFault.GP, 0);
                int changed = s.cr0 ^ v;
                boolean paePagingOn = (v & CpuState.CR0_PG) != 0 && (s.cr4 & CpuState.CR4_PAE) != 0;
                if (paePagingOn && (changed & (CpuState.CR0_PG | CpuState.CR0_CD | CpuState.CR0_NW)) != 0) {
                    cpu.memory.loadPdptes(s.cr3); // may raise #GP(0): CR0 is then unchanged
                }
                s.cr0 = v;
                if ((changed & (CpuState.CR0_PG | CpuState.CR0_WP | CpuState.CR0_PE)) != 0) cpu.memory.flushTlb();
            }
            case 2 -> s.cr2 = value;
            case 3 -> {
                if (s.paging() && (s.cr4 & CpuState.CR4_PAE) != 0) cpu.memory.loadPdptes(value);
                s.cr3 = value;
                cpu.memory.flushNonGlobal();
            }
            case 4 -> {
                if ((value & ~CR4_MASK) != 0) throw cpu.fault.set(CpuFault.GP, 0);
                int changed = s.cr4 ^ value;
                boolean paging = s.paging() && (value & CpuState.CR4_PAE) != 0;
                if (paging && (changed & (CpuState.CR4_PAE | CpuState.CR4_PSE | CpuState.CR4_PGE)) != 0) {
                    cpu.memory.loadPdptes(s.cr3);
                }
                s.cr4 = value;
                if ((changed & (CpuState.CR4_PSE | CpuState.CR4_PGE | CpuState.CR4_PAE)) != 0) cpu.memory.flushTlb();
            }
            default -> throw new AssertionError(cr);
        }
    }

    /** MOV r32, CRn: #UD for CR1, CR5-CR7, #GP(0) at CPL > 0. */
    public static int movFromCr(Cpu cpu, int cr) {
        CpuState s = cpu.state;
        if (cr == 1 || cr > 4) throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
        checkCpl0(cpu);
        return switch (cr) {
            case 0 -> s.cr0;
            case 2 -> s.cr2;
            case 3 -> s.cr3;
            default -> s.cr4;
        };
    }

    /** DR4/DR5 alias DR6/DR7 unless CR4.DE is set, when they are #UD. */
    private static int debugRegister(Cpu cpu, int dr) {
        if (dr == 4 || dr == 5) {
            if ((cpu.state.cr4 & CpuState.CR4_DE) != 0) throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
            return dr + 2;
        }
        return dr;
    }

    /** #DB with DR6.BD when DR7.GD is set (general detect, SDM 17.2.4). */
    private static void checkGeneralDetect(Cpu cpu) {
        CpuState s = cpu.state;
        if ((s.dr[7] & (1 << 13)) != 0) {
            s.dr[6] |= 1 << 13;
            s.dr[7] &= ~(1 << 13);
            throw cpu.fault.set(CpuFault.DB, CpuFault.NO_ERROR_CODE);
        }
    }

    /** MOV DRn, r32; the run loop matches the breakpoints (see BreakpointMatch). */
    public static void movToDr(Cpu cpu, int dr, int value) {
        checkCpl0(cpu);
        int r = debugRegister(cpu, dr & 7);
        checkGeneralDetect(cpu);
        CpuState s = cpu.state;
        switch (r) {
            case 6 -> s.dr[6] = value | 0xFFFF0FF0;
            case 7 -> s.dr[7] = (value | 0x400) & ~0xD000;
            default -> s.dr[r] = value;
        }
        cpu.memory.debugRegistersChanged();
    }

    public static int movFromDr(Cpu cpu, int dr) {
        checkCpl0(cpu);
        int r = debugRegister(cpu, dr & 7);
        checkGeneralDetect(cpu);
        return cpu.state.dr[r];
    }

    // ------------------------------------------------------------------------------------------
    // Selector tests.

    /** LAR: access rights (high dword & 0x00FFFF00) and ZF=1, or -1 and ZF=0. Protected mode only. */
    public static long lar(Cpu cpu, int selector) {
        long d = visibleDescriptor(cpu, selector, 0b0001_1010_0011_1110);
        boolean ok = d != NONE;
        setZf(cpu.state, ok);
        return ok ? Descriptors.hi(d) & 0x00FFFF00L : -1;
    }

    /** LSL: the byte-granular limit and ZF=1, or -1 and ZF=0. Protected mode only. */
    public static long lsl(Cpu cpu, int selector) {
        long d = visibleDescriptor(cpu, selector, 0b0000_1010_0000_1110);
        boolean ok = d != NONE;
        setZf(cpu.state, ok);
        return ok ? Descriptors.limit(d) & 0xFFFFFFFFL : -1;
    }

    /** VERR: ZF=1 if the segment is readable at the current CPL and the selector's RPL. */
    public static void verr(Cpu cpu, int selector) {
        long d = visibleDescriptor(cpu, selector, 0);
        setZf(cpu.state, d != NONE && Descriptors.readable(d));
    }

    /** VERW: ZF=1 if the segment is writable data at the current CPL and the selector's RPL. */
    public static void verw(Cpu cpu, int selector) {
        long d = visibleDescriptor(cpu, selector, 0);
        setZf(cpu.state, d != NONE && Descriptors.writableData(d));
    }

    private static final long NONE = 0;

    /**
     * The descriptor a selector names if LAR/LSL/VERR/VERW may see it: inside the table, a code or
     * data segment passing the DPL >= max(CPL, RPL) test (conforming code always passes), or a
     * system descriptor whose type is in {@code systemTypes} (a bit mask). NONE otherwise.
     */
    private static long visibleDescriptor(Cpu cpu, int selector, int systemTypes) {
        CpuState s = cpu.state;
        checkProtected(cpu);
        int sel = selector & 0xFFFF;
        if (Descriptors.isNull(sel)) return NONE;
        long d;
        try {
            d = Descriptors.read(cpu, sel, CpuFault.GP, 0);
        } catch (CpuFault f) {
            if (f.vector == CpuFault.GP) return NONE; // outside the table: ZF=0, no fault
            throw f;
        }
        if (d == NONE) return NONE;
        if (Descriptors.system(d)) {
            return ((systemTypes >>> Descriptors.type(d)) & 1) != 0 && privilegeOk(s, sel, d) ? d : NONE;
        }
        if (Descriptors.conforming(d)) return d;
        return privilegeOk(s, sel, d) ? d : NONE;
    }

    private static boolean privilegeOk(CpuState s, int sel, long d) {
        int dpl = Descriptors.dpl(d);
        return dpl >= s.cpl && dpl >= (sel & 3);
    }

    /** ARPL r/m16, r16: protected mode only; returns the new destination and sets ZF. */
    public static int arpl(Cpu cpu, int dst, int src) {
        checkProtected(cpu);
        boolean adjust = (dst & 3) < (src & 3);
        setZf(cpu.state, adjust);
        return adjust ? (dst & 0xFFFC) | (src & 3) : dst & 0xFFFF;
    }

    private static void setZf(CpuState s, boolean zf) {
        LazyFlags.setArith(s, (LazyFlags.arith(s) & ~Flags.ZF) | (zf ? Flags.ZF : 0));
    }

    // ------------------------------------------------------------------------------------------
    // Privilege and I/O checks for instructions the interpreter executes itself.

    /** HLT: #GP(0) at CPL > 0; otherwise the CPU halts until an interrupt. */
    public static void hlt(Cpu cpu) {
        checkCpl0(cpu);
        cpu.state.halted = true;
    }

    private static int iopl(CpuState s) {
        return (s.eflagsRest & Flags.IOPL) >>> 12;
    }

    /** CLI: #GP(0) when CPL > IOPL in protected mode (IOPL < 3 in virtual-8086 mode). */
    public static void cli(Cpu cpu) {
        checkIopl(cpu);
        cpu.state.eflagsRest &= ~Flags.IF;
    }

    /** STI: as CLI; setting IF delays interrupts by one instruction. */
    public static void sti(Cpu cpu) {
        checkIopl(cpu);
        CpuState s = cpu.state;
        if ((s.eflagsRest & Flags.IF) == 0) s.interruptShadow = true;
        s.eflagsRest |= Flags.IF;
    }

    private static void checkIopl(Cpu cpu) {
        CpuState s = cpu.state;
        if (s.protectedMode() && (s.v86() ? iopl(s) < 3 : s.cpl > iopl(s))) throw cpu.fault.set(CpuFault.GP, 0);
    }

    /**
     * IN, OUT, INS, OUTS: when CPL > IOPL in protected mode, or in virtual-8086 mode, the TSS I/O
     * permission bitmap must allow every byte of the access, else #GP(0) (SDM vol. 1, 19.5).
     */
    public static void checkIo(Cpu cpu, int port, int size) {
        CpuState s = cpu.state;
        if (!s.protectedMode()) return;
        if (!s.v86() && s.cpl <= iopl(s)) return;
        if (!TaskState.ioAllowed(cpu, port & 0xFFFF, size)) throw cpu.fault.set(CpuFault.GP, 0);
    }

    /**
     * POPF/POPFD: writes the popped image with the privilege rules (IOPL only at CPL 0, IF only
     * when CPL <= IOPL; VM, VIF, VIP never; RF cleared); #GP(0) in virtual-8086 mode with IOPL < 3.
     */
    public static void popf(Cpu cpu, int value, int opSize) {
        CpuState s = cpu.state;
        int mask = Flags.ARITH | Flags.TF | Flags.DF | Flags.NT;
        if (opSize == 4) mask |= Flags.AC | Flags.ID | Flags.RF;
        if (!s.protectedMode()) {
            mask |= Flags.IF | Flags.IOPL;
        } else if (s.v86()) {
            if (iopl(s) < 3) throw cpu.fault.set(CpuFault.GP, 0);
            mask |= Flags.IF;
        } else {
            if (s.cpl <= iopl(s)) mask |= Flags.IF;
            if (s.cpl == 0) mask |= Flags.IOPL;
        }
        int v = opSize == 4 ? value & ~Flags.RF : value;
        s.setEflags((s.eflags() & ~mask) | (v & mask));
    }

    private static void checkCpl0(Cpu cpu) {
        CpuState s = cpu.state;
        if (s.protectedMode() && (s.cpl != 0 || s.v86())) throw cpu.fault.set(CpuFault.GP, 0);
    }

    private static void checkProtected(Cpu cpu) {
        CpuState s = cpu.state;
        if (!s.protectedMode() || s.v86()) throw cpu.fault.set(CpuFault.UD, CpuFault.NO_ERROR_CODE);
    }
}
