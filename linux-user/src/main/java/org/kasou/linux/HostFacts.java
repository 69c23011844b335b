package org.kasou.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the host says about the kasou process that the guest asks about as its own: the CPUs it
 * may run on (sched_getaffinity) and its supplementary groups (getgroups), both read from
 * /proc/self/status, the values a child the JVM started would be given, and its process group
 * and session.
 */
final class HostFacts {
    private HostFacts() {
    }

    /** The allowed CPUs as a bit mask, one int per 32 CPUs; all available processors where /proc says nothing. */
    static int[] cpuMask() {
        String hex = field("Cpus_allowed");
        if (hex != null) {
            String[] words = hex.trim().split(",");
            int[] mask = new int[words.length];
            try {
                for (int i = 0; i < words.length; i++) mask[words.length - 1 - i] = Integer.parseUnsignedInt(words[i], 16);
                return mask;
            } catch (NumberFormatException e) {
                // below
            }
        }
        int n = Math.min(Runtime.getRuntime().availableProcessors(), 32);
        return new int[] {n == 32 ? -1 : (1 << n) - 1};
    }

    /** The supplementary group ids. */
    static int[] groups() {
        String line = field("Groups");
        List<Integer> ids = new ArrayList<>();
        if (line != null) {
            for (String g : line.trim().split("\\s+")) {
                if (!g.isEmpty()) {
                    try {
                        ids.add(Integer.parseUnsignedInt(g));
                    } catch (NumberFormatException e) {
                        // not an id
                    }
                }
            }
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String field(String name) {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith(name + ":")) return l.substring(name.length() + 1);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc
        }
        return null;
    }

    /**
     * The process group and session of the kasou process (/proc/self/stat), which the first
     * guest process, whose pid is the JVM's, is in; {@code pid} as both where /proc says nothing.
     */
    static int[] groupAndSession(int pid) {
        String[] f = statFields();
        if (f == null) return new int[] {pid, pid};
        return new int[] {Integer.parseInt(f[2]), Integer.parseInt(f[3])}; // after the state and the ppid
    }

    /** The kasou process's nice value (/proc/self/stat), which the first guest process starts with; 0 where /proc says nothing. */
    static int nice() {
        String[] f = statFields();
        return f == null ? 0 : Integer.parseInt(f[16]);
    }

    /** The host's round-robin time slice in milliseconds (kernel.sched_rr_timeslice_ms), or Linux's default, 100. */
    static int roundRobinSliceMillis() {
        try {
            return Integer.parseInt(Files.readString(Path.of("/proc/sys/kernel/sched_rr_timeslice_ms")).trim());
        } catch (IOException | RuntimeException e) {
            return 100;
        }
    }

    /** /proc/self/stat's fields after the command's parentheses (the state first), or null. */
    private static String[] statFields() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            for (int i = 2; i < 17; i++) Integer.parseInt(f[i]); // the numeric fields read here
            return f;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
