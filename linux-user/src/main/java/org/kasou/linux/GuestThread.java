package org.kasou.linux;

/**
 * One thread of a guest process: its CPU (registers, TLS entries of its own GDT, its own
 * interpreter and JIT caches) over the process's shared memory, its thread id, signal mask and
 * pending signals, and the address that CLONE_CHILD_CLEARTID / set_tid_address named.
 */
final class GuestThread {
    final int tid;
    /** Replaced by execve. */
    volatile CpuCore core;
    final SignalState signals;
    /** Its waits that a signal interrupts. */
    final SignalWaits waits;
    final Syscalls syscalls;
    /** struct user_desc fields of the TLS entries set so far (base, limit, flags), null where none. */
    final int[][] tls = new int[CpuCore.TLS_COUNT][];
    /** Where the thread's exit writes 0 and wakes a futex (pthread_join waits there); 0 for nowhere. */
    int clearChildTid;
    /** Its robust futex list's head (set_robust_list), which its end walks; 0 for none. */
    int robustList;
    /** The Java thread running it, once it runs. */
    volatile Thread runner;
    /** Set when the thread must end without ending the process (execve by another thread). */
    volatile boolean cancelled;

    GuestThread(int tid, CpuCore core, SignalState signals, LinuxProcess proc, FileSyscalls files) {
        this.tid = tid;
        this.core = core;
        this.signals = signals;
        this.waits = new SignalWaits(signals);
        this.syscalls = new Syscalls(proc, this, files);
    }

    /** Asks the thread to leave guest code and a waiting system call soon; safe from any thread. */
    void interrupt() {
        core.requestStop();
        Thread t = runner;
        if (t != null && t != Thread.currentThread()) t.interrupt();
    }

    /**
     * Makes {@code sig} pending for this thread, unless it would be discarded. One it does not
     * block interrupts its guest code (the CPU takes it at the next instruction boundary) and
     * its interruptible wait; safe from any thread. False when a real-time signal's queue was full
     * (nothing was sent).
     */
    boolean raise(int sig, SignalState.Info info) {
        if (signals.discards(sig)) return true;
        if (!signals.raise(sig, info)) return false;
        if (!signals.blocks(sig)) core.raiseSignal();
        waits.wake(sig);
        return true;
    }

    // ------------------------------------------------------------------------------------------
    // TLS entries of the GDT (set_thread_area, CLONE_SETTLS).

    int freeTlsEntry() {
        for (int i = 0; i < tls.length; i++) {
            if (tls[i] == null) return CpuCore.TLS_FIRST + i;
        }
        return -1;
    }

    /** Sets a TLS entry from struct user_desc's base, limit and flag bits. */
    void setTls(int entry, int base, int limit, int flags) {
        tls[entry - CpuCore.TLS_FIRST] = new int[] {base, limit, flags};
        boolean seg32 = (flags & 1) != 0, readOnly = (flags & 8) != 0, pages = (flags & 16) != 0, absent = (flags & 32) != 0;
        int contents = (flags >>> 1) & 3;
        if (base == 0 && limit == 0 && readOnly && absent) { // an empty entry clears it
            core.setGdtEntry(entry, 0, 0);
            return;
        }
        int type = contents == 2 ? 0xA : (contents << 2) | (readOnly ? 0 : 2); // code, or data (expand-down with contents 1)
        if (contents == 2 && readOnly) type = 0x8;
        int lo = (base << 16) | (limit & 0xFFFF);
        int hi = (base & 0xFF000000) | ((base >>> 16) & 0xFF) | (limit & 0xF0000) | ((type | 0x10 | 0x60 | (absent ? 0 : 0x80)) << 8)
                | ((flags & 64) != 0 ? 1 << 20 : 0) | (seg32 ? 1 << 22 : 0) | (pages ? 1 << 23 : 0);
        core.setGdtEntry(entry, lo, hi | 0x100); // accessed
    }

    int[] tls(int entry) {
        int[] t = tls[entry - CpuCore.TLS_FIRST];
        return t == null ? new int[3] : t;
    }

    /**
     * Applies a struct user_desc at {@code uinfo} (set_thread_area, and CLONE_SETTLS for a new
     * thread); an entry number of -1 picks a free entry and writes its number back.
     */
    void setThreadArea(AddressSpace as, int uinfo) {
        int entry = as.read32(uinfo);
        int base = as.read32(uinfo + 4), limit = as.read32(uinfo + 8), flags = as.read32(uinfo + 12);
        if (entry == -1) {
            entry = freeTlsEntry();
            if (entry < 0) throw new LinuxError(Errno.ESRCH);
            as.write32(uinfo, entry);
        }
        if (entry < CpuCore.TLS_FIRST || entry >= CpuCore.TLS_FIRST + CpuCore.TLS_COUNT) throw new LinuxError(Errno.EINVAL);
        setTls(entry, base, limit, flags);
    }
}
