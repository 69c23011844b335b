package org.kasou.linux;

import java.nio.charset.StandardCharsets;

/**
 * The files of a process's own /proc/self that kasou makes from the guest's state (the host's
 * are the JVM's): cmdline and environ (the strings execve put on the stack, read from the
 * process's memory as Linux reads them, so a program that rewrites its arguments shows them
 * rewritten), auxv (the auxiliary vector execve gave it, 32-bit pairs), comm (the program's
 * name, or what prctl(PR_SET_NAME) set), and status with the
 * fields kasou knows (names, ids, threads, signal masks); maps is {@link ProcMaps}.
 */
final class ProcSelf {
    private ProcSelf() {}

    /** Linux's TASK_COMM_LEN less its 0 byte. */
    static final int COMM_MAX = 15;

    /** The contents of own /proc entry {@code name}, or null when kasou does not make it (the host's is used). */
    static byte[] contents(LinuxProcess p, AddressSpace as, String name) {
        return switch (name) {
            case "cmdline" -> memory(as, as.argStart, as.argEnd);
            case "environ" -> memory(as, as.envStart, as.envEnd);
            case "auxv" -> as.auxv.clone();
            case "comm" -> (p.name + "\n").getBytes(StandardCharsets.UTF_8);
            case "status" -> status(p).getBytes(StandardCharsets.UTF_8);
            default -> null;
        };
    }

    /** The name Linux gives a process at execve: the last part of the path, at most 15 bytes. */
    static String comm(String path) {
        String base = path.substring(path.lastIndexOf('/') + 1);
        return truncate(base);
    }

    /** {@code s} cut to {@link #COMM_MAX} bytes (prctl's PR_SET_NAME keeps no more). */
    static String truncate(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return b.length <= COMM_MAX ? s : new String(b, 0, COMM_MAX, StandardCharsets.UTF_8);
    }

    private static byte[] memory(AddressSpace as, int start, int end) {
        if (end <= start) return new byte[0];
        try {
            return as.read(start, end - start);
        } catch (LinuxError e) {
            return new byte[0]; // unmapped since: an empty file, as Linux's
        }
    }

    private static String status(LinuxProcess p) {
        int[] u = p.credentials.uids(), g = p.credentials.gids();
        SignalState s = p.mainSignals();
        StringBuilder b = new StringBuilder();
        b.append("Name:\t").append(p.name).append('\n');
        b.append(String.format("Umask:\t%04o%n", p.umask()));
        b.append("State:\tR (running)\n");
        b.append("Tgid:\t").append(p.pid).append('\n');
        b.append("Ngid:\t0\n");
        b.append("Pid:\t").append(p.pid).append('\n');
        b.append("PPid:\t").append(p.ppid).append('\n');
        b.append("TracerPid:\t0\n");
        b.append("Uid:\t").append(u[0]).append('\t').append(u[1]).append('\t').append(u[2]).append('\t').append(u[1]).append('\n');
        b.append("Gid:\t").append(g[0]).append('\t').append(g[1]).append('\t').append(g[2]).append('\t').append(g[1]).append('\n');
        b.append("Groups:\t\n");
        b.append("Threads:\t").append(p.threadCount()).append('\n');
        b.append(String.format("SigPnd:\t%016x%n", s.pending()));
        b.append(String.format("SigBlk:\t%016x%n", s.blocked));
        b.append(String.format("SigIgn:\t%016x%n", s.ignoredSet()));
        b.append(String.format("SigCgt:\t%016x%n", s.caughtSet()));
        return b.toString();
    }
}
