package org.kasou.mem;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Little-endian loads and stores in a RAM chunk ({@link PhysicalMemory#CHUNK_SIZE} bytes) at an
 * index that the caller has already proven to lie in it: the TLB fast paths, whose page-crossing
 * check keeps every access inside one 4 KiB page of a full-size chunk.
 *
 * <p>Where the JVM allows it silently, these go through {@code sun.misc.Unsafe} without a bounds
 * check: a fast-path access then compiles to one machine load or store, where a byte-array view
 * {@link VarHandle} adds a load of the array's length and two branches, and costs about 200 bytes
 * of HotSpot's inlining budget against a dozen (compiled units make many accesses). Elsewhere
 * (Java 23 and later unless started with {@code --sun-misc-unsafe-memory-access=allow}, where the
 * JVM would warn or refuse) they use the VarHandles, with the same results.
 */
public final class ChunkWords {
    /**
     * The byte-array views, made only where Unsafe is not used: making them spins method-handle
     * classes, milliseconds of every start in HotSpot's bytecode interpreter.
     */
    private static final class Views {
        static final VarHandle I16 = MethodHandles.byteArrayViewVarHandle(short[].class, ByteOrder.LITTLE_ENDIAN);
        static final VarHandle I32 = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
        static final VarHandle I64 = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    }

    /** Null when the VarHandles are used. */
    private static final sun.misc.Unsafe U = unsafe();
    private static final long BASE = U == null ? 0 : U.arrayBaseOffset(byte[].class);

    private ChunkWords() {}

    /** Whether accesses skip the bounds check (for the log and tests). */
    public static boolean unchecked() {
        return U != null;
    }

    public static int get8(byte[] c, int i) {
        if (U != null) return U.getByte(c, BASE + i) & 0xFF;
        return c[i] & 0xFF;
    }

    public static void set8(byte[] c, int i, int v) {
        if (U != null) U.putByte(c, BASE + i, (byte) v);
        else c[i] = (byte) v;
    }

    public static int get16(byte[] c, int i) {
        if (U != null) return U.getShort(c, BASE + i) & 0xFFFF;
        return (short) Views.I16.get(c, i) & 0xFFFF;
    }

    public static void set16(byte[] c, int i, int v) {
        if (U != null) U.putShort(c, BASE + i, (short) v);
        else Views.I16.set(c, i, (short) v);
    }

    public static int get32(byte[] c, int i) {
        if (U != null) return U.getInt(c, BASE + i);
        return (int) Views.I32.get(c, i);
    }

    public static void set32(byte[] c, int i, int v) {
        if (U != null) U.putInt(c, BASE + i, v);
        else Views.I32.set(c, i, v);
    }

    public static long get64(byte[] c, int i) {
        if (U != null) return U.getLong(c, BASE + i);
        return (long) Views.I64.get(c, i);
    }

    public static void set64(byte[] c, int i, long v) {
        if (U != null) U.putLong(c, BASE + i, v);
        else Views.I64.set(c, i, v);
    }

    /**
     * The Unsafe instance when the host is little-endian (as x86 guests need), unaligned accesses
     * are allowed by the hardware, and using it draws no warning: before Java 23 always, after only
     * with {@code --sun-misc-unsafe-memory-access=allow}. {@code -Dkasou.unsafe=false} turns it off.
     */
    private static sun.misc.Unsafe unsafe() {
        if ("false".equals(System.getProperty("kasou.unsafe"))) return null;
        if (ByteOrder.nativeOrder() != ByteOrder.LITTLE_ENDIAN) return null;
        String arch = System.getProperty("os.arch", "");
        if (!arch.equals("amd64") && !arch.equals("x86_64") && !arch.equals("x86") && !arch.equals("i386")) return null;
        if (Runtime.version().feature() >= 23 && !allowedWithoutWarning()) return null;
        try {
            java.lang.reflect.Field f = sun.misc.Unsafe.class.getDeclaredField("theUnsafe");
            f.setAccessible(true);
            sun.misc.Unsafe u = (sun.misc.Unsafe) f.get(null);
            byte[] probe = new byte[8];
            u.putInt(probe, u.arrayBaseOffset(byte[].class) + 1, 0x04030201);
            return probe[1] == 1 && probe[4] == 4 ? u : null;
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** The JVM keeps its {@code --sun-misc-unsafe-memory-access} option in this system property. */
    private static boolean allowedWithoutWarning() {
        return "allow".equals(System.getProperty("sun.misc.unsafe.memory.access"));
    }
}
