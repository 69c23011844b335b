package org.kasou.linux;

import java.util.ArrayList;
import java.util.List;

/**
 * nice, getpriority and setpriority, and the sched_* calls that read and set a policy and its
 * priority: Linux's rules (kernel/sys.c, kernel/sched/core.c) on {@link Scheduling}'s settings.
 */
final class SchedulingSyscalls {
    private static final int PRIO_PROCESS = 0, PRIO_PGRP = 1, PRIO_USER = 2;
    /** The real-time policies' priority range. */
    private static final int RT_MIN = 1, RT_MAX = 99;
    /** SCHED_RESET_ON_FORK, which may be or-ed into a policy. */
    private static final int RESET_ON_FORK = 0x40000000;

    private final LinuxProcess proc;
    private AddressSpace as;

    SchedulingSyscalls(LinuxProcess proc) {
        this.proc = proc;
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
    }

    /** The call's result, or null when {@code nr} is not one of these. */
    Integer call(int nr, int a, int b, int c) {
        return switch (nr) {
            case 34 -> nice(a);
            case 96 -> getpriority(a, b);
            case 97 -> setpriority(a, b, c);
            case 154 -> setparam(a, b);
            case 155 -> getparam(a, b);
            case 156 -> setscheduler(a, b, c);
            case 157 -> process(a).scheduling.policy();
            case 159 -> priorityLimit(a, RT_MAX);
            case 160 -> priorityLimit(a, RT_MIN);
            case 161 -> rrInterval(a, b, false);
            case 423 -> rrInterval(a, b, true); // sched_rr_get_interval_time64
            default -> null;
        };
    }

    /** nice(inc): the kernel's call returns 0 (glibc's nice() then asks getpriority). */
    private int nice(int increment) {
        int inc = Math.max(-40, Math.min(40, increment));
        Scheduling s = proc.scheduling;
        try {
            s.setNice(s.nice() + inc, proc.credentials.privileged());
        } catch (LinuxError e) {
            throw new LinuxError(Errno.EPERM); // nice says EPERM where setpriority says EACCES
        }
        return 0;
    }

    /** The highest priority (lowest nice value) among the targets, as 20 - nice (1 to 40). */
    private int getpriority(int which, int who) {
        int best = Integer.MAX_VALUE;
        for (LinuxProcess p : targets(which, who)) best = Math.min(best, p.scheduling.nice());
        return 20 - best;
    }

    private int setpriority(int which, int who, int value) {
        for (LinuxProcess p : targets(which, who)) {
            if (p != proc && !sameOwner(p)) throw new LinuxError(Errno.EPERM);
            p.scheduling.setNice(value, proc.credentials.privileged());
        }
        return 0;
    }

    /** Linux's set_one_prio_perm: the caller's effective uid is the target's real or effective one, or privileged. */
    private boolean sameOwner(LinuxProcess p) {
        int euid = proc.credentials.uids()[1];
        int[] theirs = p.credentials.uids();
        return euid == 0 || euid == theirs[0] || euid == theirs[1];
    }

    /** The processes that which/who names; ESRCH when none, EINVAL for a bad which. */
    private List<LinuxProcess> targets(int which, int who) {
        List<LinuxProcess> out = new ArrayList<>();
        switch (which) {
            case PRIO_PROCESS -> out.add(process(who));
            case PRIO_PGRP -> out.addAll(proc.table.members(who == 0 ? proc.table.pgid(proc.pid) : who));
            case PRIO_USER -> {
                int uid = who == 0 ? proc.credentials.uids()[0] : who;
                for (LinuxProcess p : proc.table.members(-1)) {
                    if (p.credentials.uids()[0] == uid) out.add(p);
                }
            }
            default -> throw new LinuxError(Errno.EINVAL);
        }
        if (out.isEmpty()) throw new LinuxError(Errno.ESRCH);
        return out;
    }

    /** The process of pid (0: the caller; a thread id of the caller's: the caller); ESRCH when there is none. */
    /**
     * sched_rr_get_interval: the round-robin time slice of a SCHED_RR process (the host's
     * kernel.sched_rr_timeslice_ms), zero for the other policies: kasou's processes run as host
     * threads, not in time slices of a kernel of their own (Linux gives a fair-class process its
     * slice in whole jiffies, which is zero too where the slice is shorter than one).
     */
    private int rrInterval(int pid, int addr, boolean time64) {
        LinuxProcess p = process(pid);
        long nanos = p.scheduling.policy() == Scheduling.SCHED_RR ? HostFacts.roundRobinSliceMillis() * 1_000_000L : 0;
        Timespecs.write(as, addr, nanos, time64);
        return 0;
    }

    private LinuxProcess process(int pid) {
        if (pid < 0) throw new LinuxError(Errno.EINVAL);
        if (pid == 0 || pid == proc.pid || proc.hasThread(pid)) return proc;
        LinuxProcess p = proc.table.find(pid);
        if (p == null) throw new LinuxError(Errno.ESRCH);
        return p;
    }

    private int getparam(int pid, int param) {
        if (param == 0) throw new LinuxError(Errno.EINVAL);
        process(pid);
        as.write32(param, 0); // sched_priority: 0 for every policy a process can have here
        return 0;
    }

    private int setparam(int pid, int param) {
        if (param == 0) throw new LinuxError(Errno.EINVAL);
        LinuxProcess p = process(pid);
        return setscheduler(pid, p.scheduling.policy(), param);
    }

    private int setscheduler(int pid, int policy, int param) {
        if (param == 0 || pid < 0) throw new LinuxError(Errno.EINVAL);
        int base = policy & ~RESET_ON_FORK;
        int priority = as.read32(param);
        LinuxProcess p = process(pid);
        switch (base) {
            case Scheduling.SCHED_OTHER, Scheduling.SCHED_BATCH, Scheduling.SCHED_IDLE -> {
                if (priority != 0) throw new LinuxError(Errno.EINVAL);
            }
            case Scheduling.SCHED_FIFO, Scheduling.SCHED_RR -> {
                if (priority < RT_MIN || priority > RT_MAX) throw new LinuxError(Errno.EINVAL);
                throw new LinuxError(Errno.EPERM); // RLIMIT_RTPRIO is 0: no real-time scheduling here
            }
            default -> throw new LinuxError(Errno.EINVAL);
        }
        if (p != proc && !sameOwner(p)) throw new LinuxError(Errno.EPERM);
        p.scheduling.setPolicy(base);
        return 0;
    }

    private static int priorityLimit(int policy, int realTime) {
        return switch (policy) {
            case Scheduling.SCHED_FIFO, Scheduling.SCHED_RR -> realTime;
            case Scheduling.SCHED_OTHER, Scheduling.SCHED_BATCH, Scheduling.SCHED_IDLE -> 0;
            default -> throw new LinuxError(Errno.EINVAL);
        };
    }
}
