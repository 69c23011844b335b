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
 * The host CPU's x87 as oracle: x87oracle.c, built with gcc -m32 into target/ (rebuilt when the
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

    /** Empty, with the reason in {@code why[0]}, when gcc -m32 is missing or the build fails. */
    static Optional<HostX87> start(String[] why) {
        try {
            byte[] src;
            try (InputStream s = HostX87.class.getResourceAsStream(SOURCE)) {
                src = s.readAllBytes();
            }
            Path dir = Path.of("target", "x87oracle");
            Files.createDirectories(dir);
            Path c = dir.resolve(SOURCE), exe = dir.resolve("x87oracle");
            if (!(Files.isExecutable(exe) && Files.exists(c) && Arrays.equals(Files.readAllBytes(c), src))) {
                Path tmpSrc = dir.resolve("build" + ProcessHandle.current().pid() + ".c");
                Path tmpExe = dir.resolve("build" + ProcessHandle.current().pid());
                Files.write(tmpSrc, src);
                Process gcc = new ProcessBuilder("gcc", "-m32", "-O1", "-fno-pie", "-no-pie", "-o", tmpExe.toString(),
                        tmpSrc.toString()).redirectErrorStream(true).start();
                String log = new String(gcc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                boolean ok = gcc.waitFor(60, TimeUnit.SECONDS) && gcc.exitValue() == 0;
                Files.deleteIfExists(tmpSrc);
                if (!ok) {
                    gcc.destroyForcibly();
                    why[0] = "gcc -m32 cannot build the x87 oracle: " + log.trim();
                    return Optional.empty();
                }
                Files.move(tmpExe, exe, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                Files.write(c, src);
            }
            Process helper = new ProcessBuilder(exe.toAbsolutePath().toString()).start();
            // A kernel without 32-bit support refuses the binary (Java then hands it to /bin/sh,
            // which fails at once): the helper waits for its cases, so one that ends has not run.
            if (helper.waitFor(1, TimeUnit.SECONDS)) {
                String out = new String(helper.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).trim();
                why[0] = "the x87 oracle does not run on this host (exit " + helper.exitValue() + "): " + out;
                return Optional.empty();
            }
            return Optional.of(new HostX87(helper));
        } catch (IOException e) {
            why[0] = "no gcc -m32 to build the x87 oracle: " + e.getMessage();
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
