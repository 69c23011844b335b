package org.kasou.embed;

import java.util.ArrayList;
import java.util.List;
import org.kasou.cpu.CpuFault;
import org.kasou.cpu.CpuHooks;
import org.kasou.cpu.CpuState;
import org.kasou.cpu.Segment;
import org.kasou.cpu.sys.Interrupts;
import org.kasou.io.PortDevice;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.InsnForm;
import org.kasou.mem.AccessWatcher;

/**
 * The hooks installed on an engine and the core's callbacks that call them. Lists are replaced,
 * never changed in place, so that a hook may add or remove hooks while they are being called.
 *
 * <p>What runs one instruction at a time (interpreted, compiled code stops before it): blocks that
 * hold the run's until-address, and code in pages not mapped executable (so that a fetch from them
 * is caught); all code while block, memory, port or CPUID hooks exist, so that a stop from one of
 * them takes effect right after the instruction, with the JIT on or off alike. Instructions a code
 * hook covers are announced: by compiled code itself, or stepping through them in the interpreter.
 */
final class HookSet implements CpuHooks, AccessWatcher, PortDevice {
    /** Code hooks covering more pages than this make every page run one instruction at a time. */
    private static final long MAX_WATCHED_PAGES = 1 << 12;

    record Ranged<H>(long begin, long end, H hook) {
        boolean covers(long a) {
            return a >= begin && a <= end;
        }
    }

    record ForVector<H>(int vector, H hook) {}

    private final Engine engine;
    private final AddressSpace space;
    List<Ranged<Hooks.CodeHook>> code = List.of();
    /** {@link #code} as an array, for the per-instruction loop. */
    private Ranged<?>[] codeArray = new Ranged<?>[0];
    List<Ranged<Hooks.BlockHook>> blocks = List.of();
    List<Ranged<Hooks.MemoryHook>> memory = List.of();
    List<Hooks.InvalidMemoryHook> invalid = List.of();
    List<ForVector<Hooks.InterruptHook>> interrupts = List.of();
    List<Ranged<Hooks.PortInHook>> portIn = List.of();
    List<Ranged<Hooks.PortOutHook>> portOut = List.of();
    List<Hooks.CpuidHook> cpuid = List.of();
    List<Hooks.SysenterHook> sysenter = List.of();

    /** Pages that code hooks cover (one bit per 4 KiB page). */
    private long[] codePages = new long[1 << 14];
    private boolean stepAll;
    /** The until-address of the current run, or -1. */
    long until = -1;
    /** A hook changed segment or control registers or the mapping (compiled code must leave). */
    boolean structureChanged;
    /** The next instruction starts a basic block (block hooks). */
    boolean blockStart = true;
    /** Repeated refusals of the same access with nothing retired in between: a hook that never fixes it. */
    private long lastRefusedAddress = -1, lastRefusedAt = -1;
    private int refusals;

    HookSet(Engine engine, AddressSpace space) {
        this.engine = engine;
        this.space = space;
    }

    static <T> List<T> plus(List<T> l, T x) {
        List<T> n = new ArrayList<>(l);
        n.add(x);
        return List.copyOf(n);
    }

    static <T> List<T> minus(List<T> l, T x) {
        List<T> n = new ArrayList<>(l);
        n.remove(x);
        return List.copyOf(n);
    }

    /** Recomputes which pages run one instruction at a time; returns whether that changed. */
    void setCode(List<Ranged<Hooks.CodeHook>> hooks) {
        code = hooks;
        codeArray = hooks.toArray(new Ranged<?>[0]);
    }

    boolean recomputePages() {
        long[] pages = new long[1 << 14];
        long count = 0;
        for (Ranged<Hooks.CodeHook> r : code) {
            count += (r.end >>> 12) - (r.begin >>> 12) + 1;
            if (count > MAX_WATCHED_PAGES) break;
            for (long p = r.begin >>> 12; p <= r.end >>> 12; p++) pages[(int) (p >>> 6)] |= 1L << p;
        }
        boolean all = count > MAX_WATCHED_PAGES || !blocks.isEmpty() || !memory.isEmpty() || !portIn.isEmpty()
                || !portOut.isEmpty() || !cpuid.isEmpty();
        boolean changed = all != stepAll || !java.util.Arrays.equals(pages, codePages);
        stepAll = all;
        codePages = pages;
        return changed;
    }

    boolean watchesMemory() {
        return !memory.isEmpty();
    }

    // ---- CpuHooks

    @Override
    public boolean stepsCode(int first, int last) {
        if (stepAll) return true;
        long lo = first & 0xFFFFFFFFL, hi = last & 0xFFFFFFFFL;
        if (until >= lo && until <= hi) return true;
        if (!regionsAreLinear()) return false;
        int p0 = first >>> 12, p1 = last >>> 12;
        int exec = AddressSpace.MAPPED | Perm.EXEC;
        return (space.state(p0) & exec) != exec || (space.state(p1) & exec) != exec;
    }

    /**
     * Whether regions are at linear addresses, so that fetches can be checked against them: not
     * in {@link Mode#SYSTEM_32} once the guest's own paging is on (its page tables decide then).
     */
    private boolean regionsAreLinear() {
        return engine.mode() != Mode.SYSTEM_32 || (engine.cpu().state.cr0 & CpuState.CR0_PG) == 0;
    }

    @Override
    public boolean announcesCode(int first, int last) {
        int p0 = first >>> 12, p1 = last >>> 12;
        if ((codePages[p0 >>> 6] & (1L << p0)) == 0 && (codePages[p1 >>> 6] & (1L << p1)) == 0) return false;
        long lo = first & 0xFFFFFFFFL, hi = last & 0xFFFFFFFFL;
        for (Ranged<Hooks.CodeHook> r : code) if (r.begin <= hi && r.end >= lo) return true;
        return false;
    }

    @Override
    public boolean beforeInstruction(int linear, DecodedInsn insn) {
        long a = linear & 0xFFFFFFFFL;
        if (a == until) {
            engine.stopWith(StopCause.UNTIL_REACHED);
            return false;
        }
        int st = space.state(linear >>> 12);
        if ((st & (AddressSpace.MAPPED | Perm.EXEC)) != (AddressSpace.MAPPED | Perm.EXEC) && regionsAreLinear()) {
            Hooks.InvalidAccess kind = (st & AddressSpace.MAPPED) == 0 ? Hooks.InvalidAccess.FETCH_UNMAPPED : Hooks.InvalidAccess.FETCH_PROTECTED;
            boolean fixed = refused(kind, a)
                    && (space.state(linear >>> 12) & (AddressSpace.MAPPED | Perm.EXEC)) == (AddressSpace.MAPPED | Perm.EXEC);
            // Fixed: mapping flushed the code cache, so the CPU looks the instruction up again.
            if (!fixed) engine.stopWithInvalid(kind, a);
            return true;
        }
        if (!memory.isEmpty()) fetched(linear, insn.len);
        structureChanged = false;
        List<Ranged<Hooks.BlockHook>> bl = blocks;
        if (!bl.isEmpty()) {
            if (blockStart) {
                for (Ranged<Hooks.BlockHook> r : bl) {
                    if (!r.covers(a)) continue;
                    try {
                        r.hook.onBlock(engine, a);
                    } catch (RuntimeException | Error t) {
                        engine.hookFailed(t);
                    }
                }
            }
            blockStart = insn.form != null && (insn.form.has(InsnForm.END) || insn.form.has(InsnForm.BRANCH));
        }
        for (Ranged<?> r : codeArray) {
            if (a < r.begin || a > r.end) continue;
            try {
                ((Hooks.CodeHook) r.hook).onInstruction(engine, a, insn.len);
            } catch (RuntimeException | Error t) {
                engine.hookFailed(t);
            }
        }
        return structureChanged;
    }

    @Override
    public boolean interrupt(int vector, int errorCode, int kind) {
        CpuState s = engine.cpu().state;
        if (vector == CpuFault.PF && kind == Interrupts.EXCEPTION && engine.mode().enginePaged()) {
            // The engine's own page tables: a #PF is an access outside the regions or their permissions.
            long addr = s.cr2 & 0xFFFFFFFFL;
            Hooks.InvalidAccess access = classify(s, addr, errorCode);
            long eip = (s.seg[Segment.CS].base + s.eip) & 0xFFFFFFFFL;
            if (eip == until && (access == Hooks.InvalidAccess.FETCH_UNMAPPED || access == Hooks.InvalidAccess.FETCH_PROTECTED)) {
                engine.stopWith(StopCause.UNTIL_REACHED); // an until-address nobody mapped: the usual return address
                return true;
            }
            if (refused(access, addr)) return true; // fixed: the instruction runs again
            if (engine.options().guestInterrupts()) return false; // the guest's own #PF handler
            engine.stopWithInvalid(access, addr);
            return true;
        }
        for (ForVector<Hooks.InterruptHook> h : interrupts) {
            if (h.vector >= 0 && h.vector != vector) continue;
            try {
                if (h.hook.onInterrupt(engine, vector, errorCode)) return true;
            } catch (RuntimeException | Error t) {
                engine.hookFailed(t);
                return true;
            }
        }
        if (engine.options().guestInterrupts()) return false; // through the guest's IDT
        engine.stopWithException(vector, errorCode);
        return true;
    }

    /** A #PF as an invalid access: a write, a fetch (the address is the instruction's own), or a read. */
    private Hooks.InvalidAccess classify(CpuState s, long addr, int errorCode) {
        boolean mapped = space.mapped(addr);
        if ((errorCode & 2) != 0) return mapped ? Hooks.InvalidAccess.WRITE_PROTECTED : Hooks.InvalidAccess.WRITE_UNMAPPED;
        long eip = (s.seg[Segment.CS].base + s.eip) & 0xFFFFFFFFL;
        boolean fetch = addr >= eip && addr < eip + 15 && (addr == eip || (addr & 0xFFF) == 0);
        if (fetch) return mapped ? Hooks.InvalidAccess.FETCH_PROTECTED : Hooks.InvalidAccess.FETCH_UNMAPPED;
        return mapped ? Hooks.InvalidAccess.READ_PROTECTED : Hooks.InvalidAccess.READ_UNMAPPED;
    }

    /** Calls the invalid-memory hooks; true when one fixed the access. */
    private boolean refused(Hooks.InvalidAccess access, long addr) {
        long now = engine.cpu().instructions;
        if (addr == lastRefusedAddress && now == lastRefusedAt) {
            if (++refusals > 16) return false; // the hooks say "fixed" but it keeps failing
        } else {
            refusals = 0;
            lastRefusedAddress = addr;
            lastRefusedAt = now;
        }
        for (Hooks.InvalidMemoryHook h : invalid) {
            try {
                if (h.onInvalidAccess(engine, access, addr)) return true;
            } catch (RuntimeException | Error t) {
                engine.hookFailed(t);
                return false;
            }
        }
        return false;
    }

    @Override
    public boolean cpuid(CpuState state) {
        for (Hooks.CpuidHook h : cpuid) {
            try {
                if (h.onCpuid(engine)) return true;
            } catch (RuntimeException | Error t) {
                engine.hookFailed(t);
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean sysenter(CpuState state) {
        for (Hooks.SysenterHook h : sysenter) {
            try {
                if (h.onSysenter(engine)) return true;
            } catch (RuntimeException | Error t) {
                engine.hookFailed(t);
                return true;
            }
        }
        return false;
    }

    // ---- AccessWatcher

    @Override
    public void beforeRead(int linear, int size) {
        memoryEvent(Hooks.MemoryAccess.READ, linear, size, 0);
    }

    @Override
    public void afterRead(int linear, int size, int value) {
        memoryEvent(Hooks.MemoryAccess.READ_AFTER, linear, size, value);
    }

    @Override
    public void beforeWrite(int linear, int size, int value) {
        memoryEvent(Hooks.MemoryAccess.WRITE, linear, size, value);
    }

    /** Tells the memory hooks whose range the instruction's bytes reach that it was fetched. */
    private void fetched(int linear, int len) {
        long a = linear & 0xFFFFFFFFL;
        long bytes = 0;
        boolean read = false;
        for (Ranged<Hooks.MemoryHook> r : memory) {
            if (a + len - 1 < r.begin || a > r.end) continue;
            if (!read) {
                // The bytes were just decoded, so they are mapped: reading them again cannot fault.
                for (int i = Math.min(len, 8) - 1; i >= 0; i--) bytes = bytes << 8 | engine.cpu().memory.fetch8(linear + i);
                read = true;
            }
            try {
                r.hook.onAccess(engine, Hooks.MemoryAccess.FETCH, a, len, bytes);
            } catch (RuntimeException | Error t) {
                engine.hookFailed(t);
            }
        }
    }

    private void memoryEvent(Hooks.MemoryAccess access, int linear, int size, int value) {
        long a = linear & 0xFFFFFFFFL;
        long v = size == 4 ? value & 0xFFFFFFFFL : size == 2 ? value & 0xFFFF : value & 0xFF;
        for (Ranged<Hooks.MemoryHook> r : memory) {
            if (a + size - 1 < r.begin || a > r.end) continue;
            try {
                r.hook.onAccess(engine, access, a, size, v);
            } catch (RuntimeException | Error t) {
                engine.hookFailed(t);
            }
        }
    }

    // ---- PortDevice (claims every port)

    @Override
    public int in(int port, int size) {
        for (Ranged<Hooks.PortInHook> r : portIn) {
            if (!r.covers(port)) continue;
            try {
                return r.hook.onIn(engine, port, size);
            } catch (RuntimeException | Error t) {
                engine.hookFailed(t);
                break;
            }
        }
        return size == 1 ? 0xFF : size == 2 ? 0xFFFF : -1;
    }

    @Override
    public void out(int port, int size, int value) {
        for (Ranged<Hooks.PortOutHook> r : portOut) {
            if (!r.covers(port)) continue;
            try {
                r.hook.onOut(engine, port, size, value);
            } catch (RuntimeException | Error t) {
                engine.hookFailed(t);
            }
        }
    }
}
