package org.kasou.isa;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The instructions of an {@code objdump -d -M intel} listing: address, length and text of each. */
final class ObjdumpListing {
    /** One instruction of the listing; the text has symbol annotations removed. */
    record Line(long address, int length, String text) {}

    private static final Pattern INSN = Pattern.compile("^\\s*([0-9a-f]+):\\t((?:[0-9a-f]{2} )+)\\s*(?:\\t(.*))?$");
    /** A branch target with its symbol, "call   1040 <puts@plt>": objdump -b binary prints "0x1040". */
    private static final Pattern TARGET = Pattern.compile("^(\\S+(?: \\S+)?\\s+)([0-9a-f]+) <[^>]*>$");

    private ObjdumpListing() {}

    /** Runs objdump on the file's .text, or returns null when objdump is not installed. */
    static String run(Path file) throws IOException, InterruptedException {
        return run("objdump", "-d", "-M", "intel", "-j", ".text", file.toString());
    }

    /** Runs objdump on a raw image of 16- or 32-bit code, or returns null when objdump is not installed. */
    static String runRaw(Path file, int bits) throws IOException, InterruptedException {
        return run("objdump", "-D", "-b", "binary", "-m", bits == 16 ? "i8086" : "i386", "-M", "intel", file.toString());
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException notInstalled) {
            return null;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            return null;
        }
        return out;
    }

    static List<Line> parse(String listing) throws IOException {
        return parse(new StringReader(listing));
    }

    static List<Line> parse(Reader in) throws IOException {
        List<Line> lines = new ArrayList<>();
        BufferedReader r = new BufferedReader(in);
        for (String s; (s = r.readLine()) != null; ) {
            Matcher m = INSN.matcher(s);
            if (!m.matches()) continue;
            long addr = Long.parseLong(m.group(1), 16);
            int len = m.group(2).length() / 3;
            String text = m.group(3);
            if (text == null) {
                // objdump wraps long instructions: the rest of the bytes follow on a line of their own
                Line last = lines.remove(lines.size() - 1);
                lines.add(new Line(last.address(), last.length() + len, last.text()));
                continue;
            }
            lines.add(new Line(addr, len, normalize(text)));
        }
        return lines;
    }

    static String normalize(String text) {
        String t = text.strip();
        int comment = t.indexOf("  #");
        if (comment >= 0) t = t.substring(0, comment).strip();
        Matcher m = TARGET.matcher(t);
        if (m.matches()) t = m.group(1) + "0x" + m.group(2);
        return t;
    }

    static List<Line> parseGzipResource(String name) throws IOException {
        try (var in = ObjdumpListing.class.getResourceAsStream(name)) {
            if (in == null) throw new IOException("missing resource " + name);
            return parse(new InputStreamReader(new java.util.zip.GZIPInputStream(in), StandardCharsets.UTF_8));
        }
    }
}
