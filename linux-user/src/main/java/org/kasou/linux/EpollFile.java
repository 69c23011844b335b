package org.kasou.linux;

import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An epoll instance (epoll_create): its interest list, keyed as Linux keys it by descriptor
 * number and open file description together, so that a registration lives until the description
 * is closed by its last descriptor, not by the one it was added through. Readiness is asked of
 * the files at each scan; edge-triggered entries report again only when new readiness appeared or
 * the file saw new traffic since their last report ({@link OpenFile#edges}).
 */
final class EpollFile extends OpenFile {
    static final int EPOLLIN = 0x1, EPOLLPRI = 0x2, EPOLLOUT = 0x4, EPOLLERR = 0x8, EPOLLHUP = 0x10, EPOLLRDNORM = 0x40,
            EPOLLRDBAND = 0x80, EPOLLWRNORM = 0x100, EPOLLWRBAND = 0x200, EPOLLMSG = 0x400, EPOLLRDHUP = 0x2000,
            EPOLLEXCLUSIVE = 1 << 28, EPOLLWAKEUP = 1 << 29, EPOLLONESHOT = 1 << 30, EPOLLET = 1 << 31;
    /** struct epoll_event on i386: u32 events, u64 data, 12 bytes. */
    static final int EVENT_SIZE = 12;
    /** How deep epoll instances may watch each other (Linux's EP_MAX_NESTS). */
    private static final int MAX_NESTING = 4;

    private record Key(int fd, OpenFile file) {
    }

    private static final class Entry {
        int events;
        long data;
        /** ONESHOT entries after their report: silent until EPOLL_CTL_MOD. */
        boolean disarmed;
        int lastReady;
        long lastEdges = -1;
    }

    private final Map<Key, Entry> interest = new LinkedHashMap<>();
    private final long ino;

    EpollFile(long ino) {
        this.ino = ino;
        this.statusFlags = FileSyscalls.O_RDWR;
    }

    synchronized void add(int fd, OpenFile file, int events, long data) {
        forgetClosed();
        Key k = new Key(fd, file);
        if (interest.containsKey(k)) throw new LinuxError(Errno.EEXIST);
        if (file instanceof EpollFile e && e.reaches(this, MAX_NESTING)) throw new LinuxError(Errno.ELOOP);
        Entry en = new Entry();
        set(en, events, data);
        interest.put(k, en);
    }

    synchronized void modify(int fd, OpenFile file, int events, long data) {
        Entry en = interest.get(new Key(fd, file));
        if (en == null) throw new LinuxError(Errno.ENOENT);
        set(en, events, data);
    }

    synchronized void delete(int fd, OpenFile file) {
        if (interest.remove(new Key(fd, file)) == null) throw new LinuxError(Errno.ENOENT);
    }

    private static void set(Entry en, int events, long data) {
        en.events = events | EPOLLERR | EPOLLHUP; // reported whether asked for or not
        en.data = data;
        en.disarmed = false;
        en.lastReady = 0;
        en.lastEdges = -1;
    }

    /** Whether this instance watches {@code target}, directly or through instances it watches, within {@code depth} levels. */
    private synchronized boolean reaches(EpollFile target, int depth) {
        if (this == target) return true;
        if (depth == 0) return true; // too deep counts as a loop, as Linux refuses it
        for (Key k : interest.keySet()) {
            if (k.file() instanceof EpollFile e && e.reaches(target, depth - 1)) return true;
        }
        return false;
    }

    /** Registrations whose description no descriptor holds any more go, as in Linux at the last close. */
    private void forgetClosed() {
        interest.keySet().removeIf(k -> !k.file().isOpen());
    }

    /** Whether every watched file is a host stream (see {@link Readiness.Scan#ready}). */
    synchronized boolean onlyHostStreams() {
        forgetClosed();
        if (interest.isEmpty()) return false;
        for (Key k : interest.keySet()) {
            if (!Readiness.isHostStream(k.file())) return false;
        }
        return true;
    }

    /**
     * Writes up to {@code max} ready events into {@code out} (struct epoll_event each) and returns
     * how many, updating the edge-triggered and one-shot state of those reported.
     */
    synchronized int collect(ByteBuffer out, int max, boolean assumeHostInput) throws java.io.IOException {
        forgetClosed();
        int n = 0;
        for (Iterator<Map.Entry<Key, Entry>> it = interest.entrySet().iterator(); it.hasNext() && n < max; ) {
            Map.Entry<Key, Entry> e = it.next();
            Entry en = e.getValue();
            if (en.disarmed) continue;
            OpenFile f = e.getKey().file();
            int ready = readiness(f, en.events, assumeHostInput);
            if ((en.events & EPOLLET) != 0) {
                long edges = f.edges(en.events);
                boolean fresh = (ready & ~en.lastReady) != 0 || (ready != 0 && edges != en.lastEdges);
                en.lastReady = ready;
                if (!fresh) continue;
                en.lastEdges = edges;
            }
            if (ready == 0) continue;
            out.putInt(n * EVENT_SIZE, ready).putLong(n * EVENT_SIZE + 4, en.data);
            n++;
            if ((en.events & EPOLLONESHOT) != 0) en.disarmed = true;
        }
        return n;
    }

    /** The epoll events of {@code f} now, among those asked for (EPOLLERR and EPOLLHUP always). */
    private static int readiness(OpenFile f, int events, boolean assumeHostInput) throws java.io.IOException {
        int r = f.poll(POLLIN | POLLOUT);
        if (assumeHostInput && Readiness.isHostStream(f)) r |= POLLIN;
        if ((r & POLLIN) != 0) r |= EPOLLRDNORM;
        if ((r & POLLOUT) != 0) r |= EPOLLWRNORM;
        return r & events & ~(EPOLLET | EPOLLONESHOT | EPOLLEXCLUSIVE | EPOLLWAKEUP);
    }

    /** Readable while a watched file is ready (an epoll instance in poll, select or another epoll). */
    @Override
    synchronized int poll(int events) throws java.io.IOException {
        forgetClosed();
        for (Map.Entry<Key, Entry> e : interest.entrySet()) {
            Entry en = e.getValue();
            if (!en.disarmed && readiness(e.getKey().file(), en.events, false) != 0) return events & POLLIN;
        }
        return 0;
    }

    @Override
    boolean pollable() {
        return true;
    }

    /** An anonymous inode: no file type bits, read and write for the owner. */
    @Override
    FileStat stat() {
        return FileStat.anonymous(ino);
    }

    @Override
    synchronized void close() {
        interest.clear();
    }
}
