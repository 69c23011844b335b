package org.kasou.linux;

import java.io.IOException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * flock's advisory locks, shared or exclusive, held by open file descriptions on a file (its
 * device and inode, or the description itself for files without one): descriptors made by dup
 * or fork share their description's lock, two opens of one file do not. Kept in this JVM for
 * every guest process of every run; host processes do not see them.
 */
final class FileLocks {
    static final int LOCK_SH = 1, LOCK_EX = 2, LOCK_NB = 4, LOCK_UN = 8;

    private static final class Lock {
        final Set<OpenFile> shared = new HashSet<>();
        OpenFile exclusive;

        boolean free() {
            return shared.isEmpty() && exclusive == null;
        }
    }

    private static final Map<Object, Lock> LOCKS = new HashMap<>();
    /** The file each description holds a lock on, for its release at the last close. */
    private static final Map<OpenFile, Object> HELD = new HashMap<>();

    private FileLocks() {
    }

    /** flock on description {@code f}: EINVAL for an unknown operation, EWOULDBLOCK (EAGAIN) when LOCK_NB finds it taken. */
    static int flock(OpenFile f, int op) throws IOException {
        int kind = op & ~LOCK_NB;
        if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN) throw new LinuxError(Errno.EINVAL);
        Object key = key(f);
        if (kind == LOCK_UN) {
            release(f);
            return 0;
        }
        boolean exclusive = kind == LOCK_EX;
        synchronized (LOCKS) {
            // As Linux: a conversion gives up the lock held first, and may then have to wait for it.
            unlock(f);
            if (tryTake(key, f, exclusive)) return 0;
            if ((op & LOCK_NB) != 0) throw new LinuxError(Errno.EAGAIN);
        }
        return SignalWaits.await(() -> {
            synchronized (LOCKS) {
                while (!tryTake(key, f, exclusive)) LOCKS.wait();
                return 0;
            }
        });
    }

    /** The description is closed by its last descriptor: its lock goes. */
    static void release(OpenFile f) {
        synchronized (LOCKS) {
            unlock(f);
        }
    }

    private static boolean tryTake(Object key, OpenFile f, boolean exclusive) {
        Lock l = LOCKS.computeIfAbsent(key, k -> new Lock());
        if (exclusive ? !l.free() : l.exclusive != null) return false;
        if (exclusive) l.exclusive = f;
        else l.shared.add(f);
        HELD.put(f, key);
        return true;
    }

    private static void unlock(OpenFile f) {
        Object key = HELD.remove(f);
        if (key == null) return;
        Lock l = LOCKS.get(key);
        if (l == null) return;
        if (l.exclusive == f) l.exclusive = null;
        l.shared.remove(f);
        if (l.free()) LOCKS.remove(key);
        LOCKS.notifyAll();
    }

    /** What identifies the file: device and inode where it has a path, else the description (record locks use it too). */
    static Object key(OpenFile f) throws IOException {
        if (f.path() == null) return f;
        FileStat st = f.stat();
        return java.util.List.of(st.dev(), st.ino());
    }
}
