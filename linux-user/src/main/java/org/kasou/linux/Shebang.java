package org.kasou.linux;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The "#!" line of an interpreter script, read as Linux's binfmt_script reads it: from the first
 * 256 bytes, the interpreter path after optional spaces and tabs, then at most one argument, the
 * rest of the line with its outer spaces and tabs trimmed (spaces inside it stay: one argument).
 */
record Shebang(String interpreter, String argument) {
    /** How much of the file Linux looks at (BINPRM_BUF_SIZE). */
    static final int HEAD = 256;
    /** How many interpreters may stand between execve and a binary (Linux gives ELOOP beyond). */
    static final int MAX_DEPTH = 5;

    /** The script line of a file that starts with {@code image}; null when it does not start with "#!"; ENOEXEC when the line names no interpreter. */
    static Shebang parse(byte[] image) {
        if (image.length < 2 || image[0] != '#' || image[1] != '!') return null;
        int size = Math.min(image.length, HEAD);
        byte[] buf = new byte[HEAD];
        System.arraycopy(image, 0, buf, 0, size); // a shorter file reads as padded with NULs
        int end = indexOf(buf, (byte) '\n', 2, HEAD);
        if (end < 0) {
            // No end of line: only an interpreter path that ends within the buffer may be used.
            int name = skipSpaces(buf, 2, HEAD - 1);
            if (name == HEAD - 1 || terminator(buf, name, HEAD - 1) < 0) throw new LinuxError(Errno.ENOEXEC);
            end = HEAD - 1;
        }
        while (end > 2 && (buf[end - 1] == ' ' || buf[end - 1] == '\t')) end--;
        int name = skipSpaces(buf, 2, end);
        if (name >= end) throw new LinuxError(Errno.ENOEXEC);
        int sep = terminator(buf, name, end);
        String argument = null;
        if (sep >= 0 && buf[sep] != 0) {
            int arg = skipSpaces(buf, sep, end);
            if (arg < end) argument = cString(buf, arg, end);
        }
        return new Shebang(cString(buf, name, sep < 0 ? end : sep), argument);
    }

    /** Linux's new argv: the interpreter as named, its argument if any, the script as execve named it, then argv without argv[0]. */
    List<String> argv(String script, List<String> argv) {
        List<String> out = new ArrayList<>();
        out.add(interpreter);
        if (argument != null) out.add(argument);
        out.add(script);
        if (argv.size() > 1) out.addAll(argv.subList(1, argv.size()));
        return out;
    }

    private static int indexOf(byte[] b, byte v, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) return i;
        }
        return -1;
    }

    private static int skipSpaces(byte[] b, int from, int to) {
        int i = from;
        while (i < to && (b[i] == ' ' || b[i] == '\t')) i++;
        return i;
    }

    /** The first space, tab or NUL in [from, to), or -1. */
    private static int terminator(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == ' ' || b[i] == '\t' || b[i] == 0) return i;
        }
        return -1;
    }

    /** Bytes up to {@code to} or a NUL before it, as a path or argument string. */
    private static String cString(byte[] b, int from, int to) {
        int nul = indexOf(b, (byte) 0, from, to);
        return new String(b, from, (nul < 0 ? to : nul) - from, StandardCharsets.UTF_8);
    }
}
