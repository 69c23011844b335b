package org.kasou.jit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.kasou.cpu.Interpreter;

/**
 * An engine's regions whose classes are being generated and loaded on the compiler thread (see
 * {@link JitEngine#generate}), while the CPU's thread goes on running their code in the
 * interpreter instead of waiting a millisecond or more for each. At most one per code page, so
 * that the page's other hot blocks wait for its body (they are likely among its entries) instead
 * of compiling their code again. A write to a region's code while it is on its way makes it stale:
 * its body is then never used.
 */
final class PendingCompiles {
    /** One region on its way, and the block whose heat sent it. */
    static final class Pending {
        final Region region;
        final Interpreter.Block block;
        final int page;
        /** Set on the CPU's thread only. */
        boolean stale;
        /** Set by the compiler thread before it queues this as done. */
        JitEngine.Generated result;

        Pending(Region region, Interpreter.Block block) {
            this.region = region;
            this.block = block;
            this.page = region.pagePhys >>> 12;
        }
    }

    /** The compiler thread, shared by all engines (a daemon: it never keeps the JVM alive). */
    private static final ExecutorService THREAD = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "kasou-jit-compiler");
        t.setDaemon(true);
        return t;
    });

    /** Runs {@code task} on the compiler thread, after the regions sent before it (for tests that hold the thread). */
    static void onCompilerThread(Runnable task) {
        THREAD.execute(task);
    }

    private final Map<Integer, Pending> byPage = new HashMap<>();
    private final ConcurrentLinkedQueue<Pending> done = new ConcurrentLinkedQueue<>();

    /** Whether a region of this code page is on its way. */
    boolean pendingIn(int physPage) {
        return byPage.containsKey(physPage);
    }

    /** Whether any region is on its way (a plain read, before the queue's). */
    boolean waiting() {
        return !byPage.isEmpty();
    }

    /** Whether some region holds code in this physical page. */
    boolean holds(int physPage) {
        for (Pending p : byPage.values()) if (p.region.hasCodeIn(physPage)) return true;
        return false;
    }

    /** Sends a region to the compiler thread. */
    Pending submit(Region region, Interpreter.Block block, JitRuntime rt) {
        Pending p = new Pending(region, block);
        byPage.put(p.page, p);
        THREAD.execute(() -> {
            JitEngine.Generated g;
            try {
                g = JitEngine.generate(region, rt);
            } catch (Throwable e) { // a bug in the compiler: the interpreter keeps running the code
                JitEngine.Generated failed = new JitEngine.Generated();
                failed.failed = true;
                g = failed;
            }
            p.result = g;
            done.add(p);
        });
        return p;
    }

    /** Whether some region's class is ready (one volatile read). */
    boolean anyDone() {
        return !done.isEmpty();
    }

    /** A region whose class is ready, no longer pending; null when none is. */
    Pending poll() {
        Pending p = done.poll();
        if (p != null) byPage.remove(p.page, p);
        return p;
    }

    /** A write to guest memory: the regions whose code it touches become stale. */
    void written(int physAddr, int size) {
        for (Pending p : byPage.values()) if (p.region.codeOverlaps(physAddr, size)) p.stale = true;
    }

    /** Every region on its way becomes stale (the engine's code was flushed). */
    void flush() {
        for (Pending p : byPage.values()) p.stale = true;
    }

    /** The regions on their way (for tests). */
    List<Pending> pending() {
        return new ArrayList<>(byPage.values());
    }
}
