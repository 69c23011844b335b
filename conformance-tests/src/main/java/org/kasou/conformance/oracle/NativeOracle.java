package org.kasou.conformance.oracle;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The host CPU as oracle: a native 32-bit helper process (oracle.c, built with gcc -m32) that
 * runs test cases on the real CPU. One process runs many batches; a batch that exceeds its time
 * limit is cut short by the helper (remaining cases report TIMEOUT) and, should the helper itself
 * hang, the process is killed. {@link #close()} (and a shutdown hook) never leave it running.
 *
 * <p>Where the host's kernel runs no 32-bit code, x87 cases can still run: {@link #startForX87}
 * falls back to the same helper built as a 64-bit program, which runs the 32-bit x87 cases in
 * 64-bit mode (their x87 escapes and [EBX + disp32] operands mean the same there) with the
 * selectors it announces ({@link #caseSelectors}); it answers cases that need 16-bit code or
 * segments as not run (see oracle.c).
 */
public final class NativeOracle implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(NativeOracle.class);
    private static final String SOURCE = "oracle.c";
    private static final int HELLO_MAGIC = 0x314F534B, BATCH_MAGIC = 0x3142534B, END_MAGIC = 0x3145534B;
    private static final int VERSION = 3;
    /** The greeting's version word of the 64-bit x87 helper: VERSION with this bit. */
    private static final int KIND_X87_64 = 0x100;
    /** Cases per helper batch: bounds the pipe buffers on both sides. */
    public static final int MAX_BATCH = 2000;
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "oracle-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final Process process;
    private final OutputStream toHelper;
    private final InputStream fromHelper;
    private final Thread shutdownHook;
    private final StringBuffer stderr = new StringBuffer();
    private final int batchSeconds;
    /** The segment selectors (ES CS SS DS FS GS) the 64-bit x87 helper's cases run with; null for the 32-bit helper. */
    private int[] caseSelectors;

    private NativeOracle(Process process, int batchSeconds) {
        this.process = process;
        this.batchSeconds = batchSeconds;
        this.toHelper = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        this.fromHelper = new BufferedInputStream(process.getInputStream(), 1 << 16);
        this.shutdownHook = new Thread(process::destroyForcibly, "oracle-cleanup");
        Runtime.getRuntime().addShutdownHook(shutdownHook);
        Thread drain = new Thread(() -> {
            try (InputStream err = process.getErrorStream()) {
                byte[] b = new byte[4096];
                for (int n; (n = err.read(b)) > 0; ) {
                    if (stderr.length() < 16384) stderr.append(new String(b, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "oracle-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    /**
     * Builds the helper into {@code dir} (once; rebuilt when the source changes) with gcc -m32.
     * Empty when gcc or 32-bit support is missing; the reason is logged.
     */
    public static Optional<Path> build(Path dir) {
        return build(dir, SOURCE, "oracle", "-m32");
    }

    /** Builds the helper of {@code source} into {@code dir} as {@code name} (once) with gcc and {@code mode}. */
    private static Optional<Path> build(Path dir, String source, String name, String mode) {
        try {
            byte[] src;
            try (InputStream in = NativeOracle.class.getResourceAsStream(source)) {
                if (in == null) throw new IOException("resource " + source + " missing");
                src = in.readAllBytes();
            }
            Files.createDirectories(dir);
            Path c = dir.resolve(name + ".c"); // the source this build was made from
            Path exe = dir.resolve(name);
            if (Files.isExecutable(exe) && Files.exists(c) && Arrays.equals(Files.readAllBytes(c), src)) {
                return Optional.of(exe);
            }
            // build from a private copy; the source is written only with a good binary next to it
            Path tmpExe = dir.resolve(name + ".tmp" + ProcessHandle.current().pid());
            Path tmpSrc = dir.resolve(name + ".tmp" + ProcessHandle.current().pid() + ".c");
            Files.write(tmpSrc, src);
            Process gcc = new ProcessBuilder("gcc", mode, "-O1", "-fno-stack-protector", "-fno-pie", "-no-pie",
                    "-o", tmpExe.toString(), tmpSrc.toString()).redirectErrorStream(true).start();
            byte[] out = gcc.getInputStream().readAllBytes();
            if (!gcc.waitFor(60, TimeUnit.SECONDS) || gcc.exitValue() != 0) {
                gcc.destroyForcibly();
                Files.deleteIfExists(tmpSrc);
                LOG.warn("cannot build the native oracle {} with gcc {}: {}", name, mode, new String(out, StandardCharsets.UTF_8).trim());
                return Optional.empty();
            }
            Files.deleteIfExists(tmpSrc);
            Files.move(tmpExe, exe, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            Files.write(c, src);
            return Optional.of(exe);
        } catch (IOException e) {
            LOG.warn("cannot build the native oracle: {}", e.toString());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    /** Builds (if needed) and starts the helper; empty when the host cannot run it. */
    public static Optional<NativeOracle> start(Path buildDir, int batchSeconds) {
        return start(build(buildDir), batchSeconds, false, false);
    }

    /**
     * A helper for x87 cases: the 32-bit one where the host runs it, else the 64-bit x87 helper
     * (see the class comment); empty when neither runs.
     */
    public static Optional<NativeOracle> startForX87(Path buildDir, int batchSeconds) {
        Optional<NativeOracle> o = start(build(buildDir), batchSeconds, false, true);
        if (o.isPresent()) return o;
        return start(build(buildDir, SOURCE, "oracle-x87-64", "-m64"), batchSeconds, true, false);
    }

    /** {@code fallbackFollows}: another helper is tried next, so that this one cannot run is no warning. */
    private static Optional<NativeOracle> start(Optional<Path> exe, int batchSeconds, boolean x87Helper, boolean fallbackFollows) {
        if (exe.isEmpty()) return Optional.empty();
        NativeOracle o = null;
        try {
            o = new NativeOracle(new ProcessBuilder(exe.get().toString()).start(), batchSeconds);
            o.checkHello(x87Helper);
            return Optional.of(o);
        } catch (IOException e) {
            String why = e.getMessage() + (o == null ? "" : " " + o.stderr.toString().trim());
            if (fallbackFollows) LOG.info("the 32-bit native oracle does not run on this host ({}); trying its 64-bit x87 build", why);
            else LOG.warn("the native oracle does not run on this host: {}", why);
            if (o != null) o.close();
            return Optional.empty();
        }
    }

    private void checkHello(boolean x87Helper) throws IOException {
        ScheduledFuture<?> kill = WATCHDOG.schedule(process::destroyForcibly, 10, TimeUnit.SECONDS);
        try {
            ByteBuffer h = readBuffer(24);
            int[] expected = {HELLO_MAGIC, x87Helper ? VERSION | KIND_X87_64 : VERSION, OracleLayout.DATA_BASE,
                OracleLayout.DATA_SIZE, OracleLayout.CODE_BASE, OracleLayout.CODE_SIZE};
            for (int i = 0; i < expected.length; i++) {
                int v = h.getInt();
                if (v != expected[i]) throw new IOException("unexpected helper greeting word " + i + ": " + Integer.toHexString(v));
            }
            if (x87Helper) {
                ByteBuffer sel = readBuffer(24);
                caseSelectors = new int[6];
                for (int i = 0; i < 6; i++) caseSelectors[i] = sel.getInt();
            }
        } finally {
            kill.cancel(false);
        }
    }

    /**
     * The segment selectors (ES CS SS DS FS GS) that the 64-bit x87 helper's cases run with, for
     * kasou's side of the comparison to use alike (x87 instructions store CS and DS as FCS and
     * FDS); empty for the 32-bit helper, whose cases use the selectors of {@link OracleLayout}.
     */
    public Optional<int[]> caseSelectors() {
        return Optional.ofNullable(caseSelectors).map(int[]::clone);
    }

    /** Whether the helper runs cases in 16-bit code or with 16-bit or expand-down segments (the 32-bit one does). */
    public boolean runsSixteenBitCases() {
        return caseSelectors == null;
    }

    /** Runs the cases on the host CPU, in batches, and returns one result per case in order. */
    public List<CaseResult> run(List<TestCase> cases) throws IOException {
        List<CaseResult> results = new ArrayList<>(cases.size());
        for (int i = 0; i < cases.size(); i += MAX_BATCH) {
            results.addAll(runBatch(cases.subList(i, Math.min(cases.size(), i + MAX_BATCH))));
        }
        return results;
    }

    private List<CaseResult> runBatch(List<TestCase> batch) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream(batch.size() * 128);
        for (TestCase c : batch) encode(c, body);
        ByteBuffer hdr = le(16).putInt(BATCH_MAGIC).putInt(batch.size()).putInt(body.size()).putInt(batchSeconds);
        ScheduledFuture<?> kill = WATCHDOG.schedule(process::destroyForcibly, batchSeconds + 10L, TimeUnit.SECONDS);
        try {
            toHelper.write(hdr.array());
            body.writeTo(toHelper);
            toHelper.flush();
            List<CaseResult> out = new ArrayList<>(batch.size());
            for (TestCase c : batch) out.add(decode(c));
            int end = readBuffer(4).getInt();
            if (end != END_MAGIC) throw new IOException("helper protocol error: no end of batch");
            return out;
        } catch (IOException e) {
            throw new IOException("native oracle failed: " + e.getMessage() + " " + stderr.toString().trim(), e);
        } finally {
            kill.cancel(false);
        }
    }

    private static void encode(TestCase c, ByteArrayOutputStream out) {
        if (c.code.length > OracleLayout.MAX_CODE) throw new IllegalArgumentException("code too long: " + c.code.length);
        int size = 8 + 32 + 8 + 2 + 2 + c.code.length + 1 + (c.fpu != null ? OracleLayout.FSAVE_SIZE : 0);
        for (TestCase.Patch p : c.patches) size += 4 + p.bytes().length;
        ByteBuffer b = le(size);
        b.putInt(c.id).putInt(c.mode);
        for (int r : c.gpr) b.putInt(r);
        b.putInt(c.eflags).putInt(c.fillSeed);
        b.putShort((short) c.patches.size());
        for (TestCase.Patch p : c.patches) {
            if (p.offset() < 0 || p.offset() + p.bytes().length > OracleLayout.DATA_SIZE) {
                throw new IllegalArgumentException("patch outside the data region: " + p.offset());
            }
            b.putShort((short) p.offset()).putShort((short) p.bytes().length).put(p.bytes());
        }
        b.putShort((short) c.code.length).put(c.code);
        b.put((byte) (c.fpu != null ? 1 : 0));
        if (c.fpu != null) b.put(c.fpu, 0, OracleLayout.FSAVE_SIZE);
        out.write(b.array(), 0, b.position());
    }

    private CaseResult decode(TestCase c) throws IOException {
        ByteBuffer h = readBuffer(17 * 4);
        int id = h.getInt();
        if (id != c.id) throw new IOException("helper answered case " + id + " for case " + c.id);
        CaseResult r = new CaseResult();
        int status = h.getInt();
        r.status = switch (status) {
            case 0 -> CaseResult.Status.COMPLETED;
            case 1 -> CaseResult.Status.EXCEPTION;
            default -> CaseResult.Status.TIMEOUT; // 2: not finished in time; 3: not run (the 64-bit x87 helper)
        };
        int trapno = h.getInt();
        r.errorCode = h.getInt();
        r.faultAddress = h.getInt();
        r.signal = h.getInt();
        r.signalCode = h.getInt();
        r.eipOffset = h.getInt();
        for (int i = 0; i < 8; i++) r.gpr[i] = h.getInt();
        r.eflags = h.getInt();
        if (r.status == CaseResult.Status.EXCEPTION) r.vector = trapno;
        ByteBuffer sel = readBuffer(24);
        for (int i = 0; i < 6; i++) r.sreg[i] = sel.getInt();
        r.fpu = new X87State(readBytes(OracleLayout.FSAVE_SIZE));
        byte[] data = c.initialData();
        int ranges = readBuffer(2).getShort() & 0xFFFF;
        for (int i = 0; i < ranges; i++) {
            ByteBuffer rh = readBuffer(4);
            int off = rh.getShort() & 0xFFFF, len = rh.getShort() & 0xFFFF;
            if (off + len > data.length) throw new IOException("helper protocol error: range outside the region");
            byte[] bytes = readBytes(len);
            System.arraycopy(bytes, 0, data, off, len);
        }
        r.data = data;
        return r;
    }

    private ByteBuffer readBuffer(int n) throws IOException {
        return ByteBuffer.wrap(readBytes(n)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private byte[] readBytes(int n) throws IOException {
        byte[] b = fromHelper.readNBytes(n);
        if (b.length != n) throw new EOFException("helper ended unexpectedly (exit " + exitCode() + ")");
        return b;
    }

    private String exitCode() {
        try {
            return process.waitFor(1, TimeUnit.SECONDS) ? String.valueOf(process.exitValue()) : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }

    public boolean alive() {
        return process.isAlive();
    }

    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                toHelper.write(le(16).putInt(BATCH_MAGIC).putInt(0).putInt(0).putInt(0).array());
                toHelper.flush();
                process.waitFor(2, TimeUnit.SECONDS);
            }
        } catch (IOException e) {
            // the helper is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroyForcibly();
            try {
                Runtime.getRuntime().removeShutdownHook(shutdownHook);
            } catch (IllegalStateException e) {
                // the JVM is shutting down and runs the hook anyway
            }
        }
    }
}
