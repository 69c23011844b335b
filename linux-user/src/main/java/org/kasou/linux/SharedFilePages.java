package org.kasou.linux;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The pages of files that shared mappings (MAP_SHARED) hold, one array per page of a file, as
 * Linux's page cache has one page: every shared mapping of the same host file (its device and
 * inode) maps the same arrays, in one process or in unrelated ones, and read() and write() on the
 * file see and change them. So a POSIX named semaphore or a shm_open segment that two programs
 * open by name works, and a store through a mapping is in the file for read() at once.
 *
 * <p>One registry for the JVM, as the host has one page cache. A page stays while some mapping
 * refers to it; its bytes are made (from the file) when a mapping first touches it. Mappings
 * still write their pages back to the file (at msync, unmap and the process's end), since the
 * host's own readers see only the file.
 */
final class SharedFilePages {
    private SharedFilePages() {}

    /** A host file: its device and inode. */
    record FileKey(long dev, long ino) {
        static FileKey of(FileStat st) {
            return new FileKey(st.dev(), st.ino());
        }
    }

    /** One page of a file, shared by the mappings that refer to it. */
    static final class Page {
        final FileKey file;
        final long index;
        /** Its run-wide shared number, for futexes (AddressSpace's sharedPages). */
        final long number = AddressSpace.newSharedPageNumber();
        private byte[] bytes;
        private int users;

        private Page(FileKey file, long index) {
            this.file = file;
            this.index = index;
        }

        /** The page's bytes, made now by {@code fill} (given a zeroed page) if no mapping touched it before. */
        byte[] bytes(Consumer<byte[]> fill) {
            synchronized (SharedFilePages.class) {
                if (bytes == null) {
                    byte[] b = new byte[AddressSpace.PAGE];
                    fill.accept(b);
                    bytes = b;
                }
                return bytes;
            }
        }
    }

    /** Per file, its pages that mappings refer to, by page index in the file. */
    private static final Map<FileKey, Map<Long, Page>> FILES = new HashMap<>();
    /** Whether any page is held: read() and write() look no further when none is. */
    private static volatile boolean any;

    /** Whether any page is held (else read() and write() need not know where they are in the file). */
    static boolean active() {
        return any;
    }

    /** Page {@code index} of {@code file}, with one more mapping referring to it. */
    static synchronized Page acquire(FileKey file, long index) {
        Page p = FILES.computeIfAbsent(file, k -> new HashMap<>()).computeIfAbsent(index, i -> new Page(file, i));
        p.users++;
        any = true;
        return p;
    }

    /** The bytes of page {@code index} of {@code file} if a shared mapping holds it, touched; else null. */
    static synchronized byte[] held(FileKey file, long index) {
        if (!any) return null;
        Map<Long, Page> pages = FILES.get(file);
        Page p = pages == null ? null : pages.get(index);
        return p == null ? null : p.bytes;
    }

    /** A mapping no longer refers to {@code p}: the last one forgets it. */
    static synchronized void release(Page p) {
        if (--p.users > 0) return;
        Map<Long, Page> pages = FILES.get(p.file);
        if (pages == null || pages.get(p.index) != p) return;
        pages.remove(p.index);
        if (pages.isEmpty()) FILES.remove(p.file);
        any = !FILES.isEmpty();
    }

    /**
     * After {@code n} bytes of {@code file} at {@code pos} were read into {@code buf} at
     * {@code off}: the parts that mapped pages hold are taken from them, which mappings may have
     * changed since their last write-back.
     */
    static void afterRead(FileKey file, long pos, byte[] buf, int off, int n) {
        if (any && n > 0) copy(file, pos, buf, off, n, false);
    }

    /** After {@code n} bytes from {@code buf} at {@code off} were written to {@code file} at {@code pos}: mapped pages take them too. */
    static void afterWrite(FileKey file, long pos, byte[] buf, int off, int n) {
        if (any && n > 0) copy(file, pos, buf, off, n, true);
    }

    private static synchronized void copy(FileKey file, long pos, byte[] buf, int off, int n, boolean intoPages) {
        Map<Long, Page> pages = FILES.get(file);
        if (pages == null) return;
        long end = pos + n;
        for (long index = pos >>> 12; index << 12 < end; index++) {
            Page p = pages.get(index);
            if (p == null || p.bytes == null) continue;
            long from = Math.max(pos, index << 12), to = Math.min(end, (index + 1) << 12);
            int inPage = (int) (from & 0xFFF), inBuf = off + (int) (from - pos), len = (int) (to - from);
            if (intoPages) System.arraycopy(buf, inBuf, p.bytes, inPage, len);
            else System.arraycopy(p.bytes, inPage, buf, inBuf, len);
        }
    }
}
