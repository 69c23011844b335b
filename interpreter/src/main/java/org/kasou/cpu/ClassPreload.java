package org.kasou.cpu;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads and initializes the classes of the CPU's packages once a guest has run two million
 * instructions (at the first new block after them: never in a short run), on the CPU's thread.
 *
 * <p>Why: HotSpot compiles the interpreter's dispatch methods ({@code Exec.execute},
 * {@code OpFactory.create}, {@code GenericOp.run}, thousands of bytes of bytecode each) with C2
 * once they are hot. A class that one of their rarely taken cases names and that is not loaded
 * yet becomes a trap in C2's code (whatever {@code -XX:PerMethodTrapLimit} says), and the first
 * guest instruction that takes that case throws the machine code away: the method runs in
 * HotSpot's bytecode interpreter and C1's code again until C2 has compiled it anew. In a boot of
 * the Debian guest four such classes (FarTransfer, Interrupts, Branches, X87Exec) cost
 * {@code Exec.execute} three more C2 compiles of up to 0.2 s each and {@code GenericOp.run} one.
 * What loading does not help: a {@code new} in {@code OpFactory.create} whose constant-pool entry
 * is not resolved yet (C2 traps there whether or not the class is loaded; it is resolved when that
 * {@code new} first runs), one trap in most runs.
 *
 * <p>On the CPU's thread rather than a thread of its own: two threads initializing classes whose
 * static initializers name each other can deadlock.
 */
public final class ClassPreload {
    private static final Logger LOG = LoggerFactory.getLogger(ClassPreload.class);

    private ClassPreload() {}

    /**
     * Guest instructions before the classes are loaded: short runs (`kasou run busybox true`, `ls`
     * or `lua5.4 -e 'print(1)'` through the sysroot: 0.03 to 1.1 million) do not pay the 10 ms
     * this takes, and the dispatch methods reach C2 after thousands of calls, later than this
     * (after 20 million, sqlite3's `GenericOp.run` had been compiled with a trap already).
     */
    static final long AFTER_INSTRUCTIONS = 2_000_000;

    /** The packages (directories in the jar) whose classes are loaded. */
    private static final List<String> PACKAGES = List.of("org/kasou/cpu/", "org/kasou/cpu/exec/", "org/kasou/cpu/sys/",
            "org/kasou/fpu/", "org/kasou/isa/", "org/kasou/mem/");

    /** Set by the one call that loads them (a Linux program's threads are CPUs of their own, each of which may call). */
    private static final AtomicBoolean DONE = new AtomicBoolean(!Boolean.parseBoolean(System.getProperty("kasou.preloadClasses", "true")));

    /**
     * Initializes classes now, for code that HotSpot may compile before they are first used: C2
     * makes a use of a class not yet initialized (a throw of its instance, a call of its static
     * method) a trap that throws the compiled code away the first time it is taken. The lookup
     * must have access to them (the caller's own).
     */
    public static void initialize(MethodHandles.Lookup lookup, Class<?>... classes) {
        for (Class<?> c : classes) {
            try {
                lookup.ensureInitialized(c);
            } catch (IllegalAccessException e) {
                throw new IllegalArgumentException(c + " is not accessible to " + lookup, e);
            }
        }
    }

    /**
     * Loads the classes the first time it is called in this JVM (also from the launcher's
     * start-up training, so that they come from its class-data archive: parsed and verified
     * once, not at every run).
     */
    public static void once() {
        if (DONE.get() || !DONE.compareAndSet(false, true)) return;
        long t0 = System.nanoTime();
        List<String> names = classNames();
        long t1 = System.nanoTime();
        int loaded = 0;
        ClassLoader loader = ClassPreload.class.getClassLoader();
        for (String name : names) {
            try {
                Class.forName(name, true, loader);
                loaded++;
            } catch (ClassNotFoundException | LinkageError | RuntimeException e) { // the first real use reports it
                LOG.debug("cannot preload {}: {}", name, e.toString());
            }
        }
        LOG.debug("preloaded {} of {} classes in {} ms ({} ms listing them)", loaded, names.size(), (System.nanoTime() - t0) / 1_000_000,
                (t1 - t0) / 1_000_000);
    }

    /** Binary names of the classes of {@link #PACKAGES} where this class was loaded from (a jar or a directory). */
    static List<String> classNames() {
        List<String> names = new ArrayList<>();
        CodeSource source = ClassPreload.class.getProtectionDomain().getCodeSource();
        if (source == null || source.getLocation() == null) return names;
        try {
            Path where = Path.of(source.getLocation().toURI());
            if (Files.isDirectory(where)) {
                try (Stream<Path> files = Files.walk(where)) {
                    files.forEach(p -> add(names, where.relativize(p).toString().replace('\\', '/')));
                }
            } else if (Files.isRegularFile(where)) {
                try (JarFile jar = new JarFile(where.toFile())) {
                    for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) add(names, e.nextElement().getName());
                }
            }
        } catch (IOException | URISyntaxException | RuntimeException e) {
            LOG.debug("cannot list the classes to preload", e);
        }
        return names;
    }

    private static void add(List<String> names, String path) {
        if (!path.endsWith(".class") || path.endsWith("package-info.class") || path.endsWith("module-info.class")) return;
        int slash = path.lastIndexOf('/');
        if (!PACKAGES.contains(path.substring(0, slash + 1))) return;
        names.add(path.substring(0, path.length() - ".class".length()).replace('/', '.'));
    }
}
