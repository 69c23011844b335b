package org.kasou.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A process's resource limits (getrlimit, setrlimit, prlimit64): soft and hard, -1 for
 * RLIM_INFINITY. The first process starts with kasou's own (/proc/self/limits), as it would
 * natively, except RLIMIT_NOFILE, which is kasou's descriptor table; a fork's child inherits them.
 * RLIMIT_NOFILE is enforced (descriptors at or above its soft limit are refused), and so is
 * RLIMIT_FSIZE on writes and truncates of regular files (FileSyscalls); the others are kept for the
 * program to read back.
 */
final class ResourceLimits {
    static final int FSIZE = 1, STACK = 3, NOFILE = 7, COUNT = 16;
    static final long INFINITY = -1L;

    private final long[] soft = new long[COUNT], hard = new long[COUNT];

    private ResourceLimits() {}

    /** The limits of a first process. */
    static ResourceLimits ofHost() {
        ResourceLimits l = new ResourceLimits();
        java.util.Arrays.fill(l.soft, INFINITY);
        java.util.Arrays.fill(l.hard, INFINITY);
        l.soft[STACK] = 8L << 20;
        try {
            // /proc/self/limits lists them in Linux's order, one line each after a header
            List<String> lines = Files.readAllLines(Path.of("/proc/self/limits"));
            for (int r = 0; r < COUNT && r + 1 < lines.size(); r++) {
                String[] f = lines.get(r + 1).substring(26).trim().split("\\s+");
                l.soft[r] = parse(f[0]);
                l.hard[r] = parse(f[1]);
            }
        } catch (IOException | RuntimeException e) {
            // no /proc: the defaults above
        }
        l.soft[NOFILE] = l.hard[NOFILE] = FileSyscalls.MAX_FDS;
        return l;
    }

    private static long parse(String s) {
        return s.equals("unlimited") ? INFINITY : Long.parseLong(s);
    }

    synchronized ResourceLimits copy() {
        ResourceLimits l = new ResourceLimits();
        System.arraycopy(soft, 0, l.soft, 0, COUNT);
        System.arraycopy(hard, 0, l.hard, 0, COUNT);
        return l;
    }

    /** {soft, hard} of {@code resource}; EINVAL for an unknown one. */
    synchronized long[] get(int resource) {
        check(resource);
        return new long[] {soft[resource], hard[resource]};
    }

    /**
     * Sets {@code resource}'s limits as Linux's do_prlimit: EINVAL when soft exceeds hard, EPERM
     * when the hard limit would rise without privilege.
     */
    synchronized void set(int resource, long newSoft, long newHard, boolean privileged) {
        check(resource);
        if (Long.compareUnsigned(newSoft, newHard) > 0) throw new LinuxError(Errno.EINVAL);
        if (Long.compareUnsigned(newHard, hard[resource]) > 0 && !privileged) throw new LinuxError(Errno.EPERM);
        if (resource == NOFILE && Long.compareUnsigned(newHard, 1L << 20) > 0) throw new LinuxError(Errno.EPERM); // nr_open
        soft[resource] = newSoft;
        hard[resource] = newHard;
    }

    /** RLIMIT_FSIZE's soft limit: the largest file size a write or truncate may make, {@link #INFINITY} for none. */
    synchronized long fileSizeLimit() {
        return soft[FSIZE];
    }

    /** The lowest descriptor number that RLIMIT_NOFILE refuses. */
    synchronized int descriptorLimit() {
        return (int) Math.min(Long.compareUnsigned(soft[NOFILE], Integer.MAX_VALUE) > 0 ? Integer.MAX_VALUE : soft[NOFILE],
                FileSyscalls.MAX_FDS);
    }

    private static void check(int resource) {
        if (resource < 0 || resource >= COUNT) throw new LinuxError(Errno.EINVAL);
    }
}
