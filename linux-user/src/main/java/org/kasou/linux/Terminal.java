package org.kasou.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The terminal behind the standard streams, when the kasou process has one: the settings the
 * guest reads and writes through the terminal ioctls (struct termios of asm-generic/termbits.h,
 * the window size, the foreground process group). Settings are kept, not applied to the host
 * terminal: Java cannot switch it to raw mode or turn echo off.
 */
final class Terminal {
    static final int TCGETS = 0x5401, TCSETS = 0x5402, TCSETSW = 0x5403, TCSETSF = 0x5404, TIOCGPGRP = 0x540F, TIOCSPGRP = 0x5410,
            TIOCGWINSZ = 0x5413, TIOCSWINSZ = 0x5414, TCGETS2 = 0x802C542A, TCSETS2 = 0x402C542B, TCSETSW2 = 0x402C542C,
            TCSETSF2 = 0x402C542D;
    /** struct termios: four flag words, c_line, c_cc[19]; termios2 adds c_ispeed and c_ospeed. */
    private static final int TERMIOS = 36, TERMIOS2 = 44;

    /** Which standard descriptors (bit 0: stdin, 1: stdout, 2: stderr) the terminal stands behind. */
    private final int fds;
    /** Whether it is the host's terminal (fstat then reports the host device). */
    private final boolean host;
    private final byte[] termios = new byte[TERMIOS2];
    private short rows, columns, xpixels, ypixels;
    private int foreground;
    /** Whether a process group exists among the guest processes (TIOCSPGRP checks), or null: any. */
    private java.util.function.IntPredicate groups;

    /**
     * A terminal of {@code rows} by {@code columns} behind the standard descriptors in
     * {@code fdMask}, with the settings of a fresh pseudo-terminal (canonical input with echo, CR
     * to NL on input, NL to CR NL on output). Its foreground process group is the first guest
     * process's (whose pid is the JVM's). {@code host}: the host's terminal, not a stand-in.
     */
    Terminal(int rows, int columns, int fdMask, boolean host) {
        this.host = host;
        this.rows = (short) rows;
        this.columns = (short) columns;
        this.fds = fdMask;
        this.foreground = (int) ProcessHandle.current().pid();
        ByteBuffer b = ByteBuffer.wrap(termios).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x4500);   // ICRNL IXON IUTF8
        b.putInt(4, 0x5);      // OPOST ONLCR
        b.putInt(8, 0xBF);     // B38400 CS8 CREAD
        b.putInt(12, 0x8A3B);  // ISIG ICANON ECHO ECHOE ECHOK ECHOCTL ECHOKE IEXTEN
        byte[] cc = {3, 0x1C, 0x7F, 0x15, 4, 0, 1, 0, 0x11, 0x13, 0x1A, 0, 0x12, 0x0F, 0x17, 0x16, 0};
        System.arraycopy(cc, 0, termios, 17, cc.length);
        b.putInt(36, 38400).putInt(40, 38400);
    }

    /**
     * The host's terminal, when any of {@code in}, {@code out}, {@code err} is the JVM's own
     * standard stream and that descriptor is a terminal; null otherwise. Its size comes from
     * COLUMNS and LINES in {@code env}, else 80 by 24.
     */
    static Terminal ofHost(InputStream in, OutputStream out, OutputStream err, List<String> env) {
        int mask = (in == System.in && isHostTerminal(0) ? 1 : 0) | (out == System.out && isHostTerminal(1) ? 2 : 0)
                | (err == System.err && isHostTerminal(2) ? 4 : 0);
        if (mask == 0) return null;
        return new Terminal(size(env, "LINES", 24), size(env, "COLUMNS", 80), mask, true);
    }

    private static int size(List<String> env, String name, int otherwise) {
        for (String e : env) {
            if (e.startsWith(name + "=")) {
                try {
                    int v = Integer.parseInt(e.substring(name.length() + 1).trim());
                    if (v > 0 && v < 0x8000) return v;
                } catch (NumberFormatException ignored) {
                    // not a number: the default
                }
            }
        }
        return otherwise;
    }

    /** Whether host descriptor {@code fd} of this JVM is a terminal (a tty or pseudo-terminal device). */
    static boolean isHostTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
        } catch (IOException | UnsupportedOperationException | SecurityException e) {
            return fd < 2 && System.console() != null; // no /proc: Java's own test, which needs stdin and stdout both terminals
        }
    }

    /** The first guest process's group becomes the foreground one; TIOCSPGRP then accepts only groups {@code exists} knows. */
    synchronized void setForeground(int pgid, java.util.function.IntPredicate exists) {
        foreground = pgid;
        groups = exists;
    }

    /** Whether standard descriptor {@code fd} (0, 1 or 2) is this terminal. */
    boolean standsBehind(int fd) {
        return fd >= 0 && fd < 3 && (fds & (1 << fd)) != 0;
    }

    /** What fstat says of the terminal: the host device where it can be read, else a pseudo-terminal. */
    FileStat stat(int fd, int uid, int gid) {
        try {
            if (host) return FileStat.of(Path.of("/proc/self/fd/" + fd), true);
        } catch (IOException | RuntimeException e) {
            // no /proc: a pseudo-terminal's usual answer
        }
        long now = System.currentTimeMillis() * 1_000_000L;
        return new FileStat(24, 3, FileStat.S_IFCHR | 0620, 1, uid, gid, 136 << 8, 0, 1024, 0, now, now, now);
    }

    /** Carries out a terminal ioctl; ENOTTY for a request that is not one. */
    synchronized int ioctl(int request, int arg, AddressSpace as) {
        switch (request) {
            case TCGETS -> as.write(arg, termios, 0, TERMIOS);
            case TCGETS2 -> as.write(arg, termios, 0, TERMIOS2);
            // Nothing to drain (output is written through) and no input queue of ours to flush.
            case TCSETS, TCSETSW, TCSETSF -> System.arraycopy(as.read(arg, TERMIOS), 0, termios, 0, TERMIOS);
            case TCSETS2, TCSETSW2, TCSETSF2 -> System.arraycopy(as.read(arg, TERMIOS2), 0, termios, 0, TERMIOS2);
            case TIOCGWINSZ -> {
                ByteBuffer b = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
                b.putShort(rows).putShort(columns).putShort(xpixels).putShort(ypixels);
                as.write(arg, b.array());
            }
            case TIOCSWINSZ -> {
                ByteBuffer b = ByteBuffer.wrap(as.read(arg, 8)).order(ByteOrder.LITTLE_ENDIAN);
                rows = b.getShort();
                columns = b.getShort();
                xpixels = b.getShort();
                ypixels = b.getShort();
            }
            case TIOCGPGRP -> as.write32(arg, foreground);
            case TIOCSPGRP -> {
                int pgrp = as.read32(arg);
                if (pgrp < 0) throw new LinuxError(Errno.EINVAL);
                if (groups != null && !groups.test(pgrp)) throw new LinuxError(Errno.ESRCH);
                foreground = pgrp;
            }
            default -> throw new LinuxError(Errno.ENOTTY);
        }
        return 0;
    }
}
