package org.kasou.fpu;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The host CPU's x87 as oracle: x87oracle.c, built with gcc into target/ (rebuilt when the
 * source changes), runs batches of {@link X87Case}s and answers each with an {@link X87Outcome}.
 */
final class HostX87 implements AutoCloseable {
    private static final String SOURCE = "x87oracle.c";
    static final int BATCH = 4000;
    private final Process process;
    private final OutputStream out;
    private final InputStream in;

    private HostX87(Process process) {
        this.process = process;
        this.out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        this.in = new BufferedInputStream(process.getInputStream(), 1 << 16);
    }

    /**
     * Empty, with the reason in {@code why[0]}, when neither build runs. The oracle is built with
     * gcc -m32 and, where the host's kernel runs no 32-bit programs, as a 64-bit program: the x87
     * is the same unit in 64-bit mode, and the oracle compares no instruction or operand pointer.
     */
    static Optional<HostX87> start(String[] why) {
        Optional<HostX87> host = start(why, "-m32");
        if (host.isPresent()) return host;
        String first = why[0];
        host = start(why, "-m64", "-mno-red-zone"); // its inline asm pushes below the stack pointer
        if (host.isEmpty()) why[0] = first + "; " + why[0];
        return host;
    }

    private static Optional<HostX87> start(String[] why, String... modeFlags) {
        String mode = String.join(" ", modeFlags);
        try {
            byte[] src;
            try (InputStream s = HostX87.class.getResourceAsStream(SOURCE)) {
                src = s.readAllBytes();
            }
            Path dir = Path.of("target", "x87oracle");
            Files.createDirectories(dir);
            String name = "x87oracle" + modeFlags[0];
            Path c = dir.resolve(name + ".c"), exe = dir.resolve(name);
            if (!(Files.isExecutable(exe) && Files.exists(c) && Arrays.equals(Files.readAllBytes(c), src))) {
                Path tmpSrc = dir.resolve("build" + ProcessHandle.current().pid() + ".c");
                Path tmpExe = dir.resolve("build" + ProcessHandle.current().pid());
                Files.write(tmpSrc, src);
                List<String> command = new java.util.ArrayList<>(List.of("gcc"));
                command.addAll(List.of(modeFlags));
                command.addAll(List.of("-O1", "-fno-pie", "-no-pie", "-o", tmpExe.toString(), tmpSrc.toString()));
                Process gcc = new ProcessBuilder(command).redirectErrorStream(true).start();
                String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean ok = gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0;
                Files.deleteIfExists(tmpSrc);
                if (!ok) {
                    gcc.destroyForcibly();
                    why[0] = "gcc " + mode + " cannot build the x87 oracle: " + log.trim();
                    return Optional.empty();
                }
                Files.move(tmpExe, exe, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.write(c, src);
            }
            HostX87 host = new HostX87(new ProcessBuilder(exe.toAbsolutePath().toString()).start());
            try {
                // A host whose kernel runs no 32-bit programs starts the process and ends it at once.
                host.run(List.of(new X87CaseGenerator(1).next(X87TestOp.values()[0])));
            } catch (IOException e) {
                host.close();
                why[0] = "the host cannot run the x87 oracle built with gcc " + mode + ": " + e.getMessage();
                return Optional.empty();
            }
            return Optional.of(host);
        } catch (IOException e) {
            why[0] = "no gcc " + mode + " to build the x87 oracle: " + e.getMessage();
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            why[0] = "interrupted";
            return Optional.empty();
        }
    }

    /** Runs up to {@link #BATCH} cases. */
    X87Outcome[] run(List<X87Case> cases) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(4 + 40 * cases.size()).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(cases.size());
        for (X87Case c : cases) {
            int p = b.position();
            b.putShort((short) c.op().ordinal()).putShort((short) c.control());
            putExt(b, c.aSe(), c.aSig());
            putExt(b, c.bSe(), c.bSig());
            b.put(c.memory(), 0, 10);
            b.position(p + 40);
        }
        out.write(b.array());
        out.flush();
        X87Outcome[] results = new X87Outcome[cases.size()];
        for (int i = 0; i < results.length; i++) {
            byte[] rec = in.readNBytes(124);
            if (rec.length != 124) throw new IOException("the x87 oracle ended early");
            ByteBuffer r = ByteBuffer.wrap(rec).order(ByteOrder.LITTLE_ENDIAN);
            int sw = r.getShort(4) & 0xFFFF;
            long st0 = r.getLong(28), st1 = r.getLong(38);
            results[i] = new X87Outcome(r.getShort(36) & 0xFFFF, st0, r.getShort(46) & 0xFFFF, st1, sw,
                    r.getInt(108), Arrays.copyOfRange(rec, 112, 122));
        }
        return results;
    }

    private static void putExt(ByteBuffer b, int se, long sig) {
        b.putLong(sig).putShort((short) se);
    }

    @Override
    public void close() {
        try {
            out.write(new byte[4]);
            out.flush();
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (IOException e) {
            // already gone
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly();
        }
    }
}
