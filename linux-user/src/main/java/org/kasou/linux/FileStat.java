package org.kasou.linux;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;

/** What stat reports about a file, independent of the guest structure it is written into. */
record FileStat(long dev, long ino, int mode, int nlink, int uid, int gid, long rdev, long size, int blksize, long blocks,
        long atimeNanos, long mtimeNanos, long ctimeNanos) {
    static final int S_IFIFO = 0010000, S_IFCHR = 0020000, S_IFDIR = 0040000, S_IFREG = 0100000, S_IFLNK = 0120000,
            S_IFSOCK = 0140000;

    /**
     * A host file's attributes (following a final symbolic link when {@code follow}). Java does not
     * report st_blocks: it is taken as whole 4 KiB blocks, what most file systems allocate (sparse
     * and inline files differ), except for directories on tmpfs, which hold none, and symbolic
     * links short enough to live in their inode (ext4's and tmpfs's), which hold none either.
     */
    /** The target lengths below which ext4 keeps a symbolic link in its inode (tmpfs: longer still). */
    private static final int FAST_SYMLINK = 60;

    static FileStat of(Path path, boolean follow) throws IOException {
        LinkOption[] opts = follow ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS};
        Map<String, Object> a = Files.readAttributes(path, "unix:*", opts);
        long size = ((Number) a.get("size")).longValue();
        long dev = ((Number) a.get("dev")).longValue();
        int mode = (Integer) a.get("mode");
        long blocks = (size + 4095) / 4096 * 8;
        if ((mode & 0170000) == S_IFDIR && onTmpfs(dev, path)) blocks = 0;
        if ((mode & 0170000) == S_IFLNK) blocks = size < FAST_SYMLINK ? 0 : 8;
        return new FileStat(dev, ((Number) a.get("ino")).longValue(), mode,
                (Integer) a.get("nlink"), (Integer) a.get("uid"), (Integer) a.get("gid"), ((Number) a.get("rdev")).longValue(),
                size, 4096, blocks, nanos(a.get("lastAccessTime")), nanos(a.get("lastModifiedTime")), nanos(a.get("ctime")));
    }

    /** This file once no name refers to it: no links, {@code size} bytes (and its whole pages' blocks). */
    FileStat unlinked(long size) {
        return new FileStat(dev, ino, mode, 0, uid, gid, rdev, size, blksize, (size + 4095) / 4096 * 8, atimeNanos, mtimeNanos, ctimeNanos);
    }

    /** Whether a device number is a tmpfs mount, found once per device. */
    private static final Map<Long, Boolean> TMPFS = new java.util.concurrent.ConcurrentHashMap<>();

    private static boolean onTmpfs(long dev, Path path) {
        return TMPFS.computeIfAbsent(dev, d -> {
            try {
                return "tmpfs".equals(Files.getFileStore(path).type());
            } catch (IOException e) {
                return false;
            }
        });
    }

    private static long nanos(Object t) {
        java.time.Instant i = ((FileTime) t).toInstant();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /** A socket's stat: S_IFSOCK, no size. */
    static FileStat socket(long ino, int uid, int gid) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return new FileStat(8, ino, S_IFSOCK | 0777, 1, uid, gid, 0, 0, 4096, 0, now, now, now);
    }

    /** An anonymous inode (eventfd, timerfd, epoll, pidfd): no file type bits, read and write for the owner. */
    static FileStat anonymous(long ino) {
        return new FileStat(14, ino, 0600, 1, 0, 0, 0, 0, 4096, 0, 0, 0, 0);
    }

    /** A pipe or stream with no file behind it. */
    static FileStat pipe(long ino, int uid, int gid) {
        long now = System.currentTimeMillis() * 1_000_000L;
        return new FileStat(12, ino, S_IFIFO | 0600, 1, uid, gid, 0, 0, 4096, 0, now, now, now);
    }

    /** struct stat64 of i386 (asm/stat.h): 96 bytes. */
    byte[] toStat64() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(96).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, dev).putInt(12, (int) ino).putInt(16, mode).putInt(20, nlink).putInt(24, uid).putInt(28, gid)
                .putLong(32, rdev).putLong(44, size).putInt(52, blksize).putLong(56, blocks)
                .putInt(64, (int) (atimeNanos / 1_000_000_000L)).putInt(68, (int) (atimeNanos % 1_000_000_000L))
                .putInt(72, (int) (mtimeNanos / 1_000_000_000L)).putInt(76, (int) (mtimeNanos % 1_000_000_000L))
                .putInt(80, (int) (ctimeNanos / 1_000_000_000L)).putInt(84, (int) (ctimeNanos % 1_000_000_000L))
                .putLong(88, ino);
        return b.array();
    }

    /** struct statx (linux/stat.h): 256 bytes, every basic field filled. */
    byte[] toStatx() {
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(256).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, 0x7FF).putInt(4, blksize).putInt(16, nlink).putInt(20, uid).putInt(24, gid).putShort(28, (short) mode)
                .putLong(32, ino).putLong(40, size).putLong(48, blocks);
        time(b, 64, atimeNanos);
        time(b, 96, ctimeNanos);
        time(b, 112, mtimeNanos);
        b.putInt(128, major(rdev)).putInt(132, minor(rdev)).putInt(136, major(dev)).putInt(140, minor(dev));
        return b.array();
    }

    private static void time(java.nio.ByteBuffer b, int at, long nanos) {
        b.putLong(at, Math.floorDiv(nanos, 1_000_000_000L)).putInt(at + 8, (int) Math.floorMod(nanos, 1_000_000_000L));
    }

    private static int major(long dev) {
        return (int) (((dev >>> 8) & 0xFFF) | ((dev >>> 32) & ~0xFFFL));
    }

    private static int minor(long dev) {
        return (int) ((dev & 0xFF) | ((dev >>> 12) & ~0xFFL));
    }

    boolean isDirectory() {
        return (mode & 0170000) == S_IFDIR;
    }
}
