package org.kasou.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The structures of SysV IPC's *ctl calls as i386 lays them out: the 64-bit ones (IPC_64:
 * ipc64_perm, and each time as two 32-bit halves, low first: one little-endian long) and the old
 * ones with 16-bit ids; IPC_STAT's images and what IPC_SET reads.
 */
final class IpcStructs {
    private IpcStructs() {
    }

    /** What IPC_SET takes from a struct: the owner and the mode. */
    record Permissions(int uid, int gid, int mode) {
    }

    /** The owner and mode of an IPC_SET's struct ipc64_perm ({@code wide}) or old struct ipc_perm (16-bit ids). */
    static Permissions permissions(AddressSpace as, int buf, boolean wide) {
        if (wide) return new Permissions(as.read32(buf + 4), as.read32(buf + 8), as.read32(buf + 20) & 0xFFFF);
        int ids = as.read32(buf + 4);
        return new Permissions(ids & 0xFFFF, ids >>> 16, as.read32(buf + 12) & 0xFFFF);
    }

    /** msg_qbytes of an IPC_SET's struct msqid64_ds or old struct msqid_ds. */
    static int queueLimit(AddressSpace as, int buf, boolean wide) {
        return wide ? as.read32(buf + 68) : as.read32(buf + 48) & 0xFFFF;
    }

    /** struct msqid64_ds as i386 has it (88 bytes): ipc64_perm, the times in halves, bytes, count, limit, pids. */
    static byte[] queue64(MessageQueues.Queue q) {
        ByteBuffer b = permissions64(88, q);
        b.putLong(36, q.stime);
        b.putLong(44, q.rtime);
        b.putLong(52, q.ctime);
        b.putInt(60, q.bytes).putInt(64, q.messages.size()).putInt(68, q.limit).putInt(72, q.lastSender).putInt(76, q.lastReceiver);
        return b.array();
    }

    /** The old struct msqid_ds (56 bytes), with 16-bit ids, counts and pids. */
    static byte[] queueOld(MessageQueues.Queue q) {
        ByteBuffer b = permissionsOld(56, q);
        b.putInt(24, (int) q.stime).putInt(28, (int) q.rtime).putInt(32, (int) q.ctime);
        b.putInt(36, q.bytes).putInt(40, q.limit);
        b.putShort(44, (short) Math.min(q.bytes, 0xFFFF)).putShort(46, (short) q.messages.size()).putShort(48, (short) q.limit)
                .putShort(50, (short) q.lastSender).putShort(52, (short) q.lastReceiver);
        return b.array();
    }

    /** A struct of {@code size} bytes that starts with the object's struct ipc64_perm. */
    private static ByteBuffer permissions64(int size, IpcObject o) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, o.key).putInt(4, o.uid).putInt(8, o.gid).putInt(12, o.cuid).putInt(16, o.cgid).putShort(20, (short) o.mode);
        return b;
    }

    /** A struct of {@code size} bytes that starts with the object's old struct ipc_perm (16-bit ids). */
    private static ByteBuffer permissionsOld(int size, IpcObject o) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0, o.key).putShort(4, (short) o.uid).putShort(6, (short) o.gid).putShort(8, (short) o.cuid)
                .putShort(10, (short) o.cgid).putShort(12, (short) o.mode);
        return b;
    }

    /** struct semid64_ds as i386 has it (64 bytes): ipc64_perm, the times in halves, the count. */
    static byte[] set64(SemaphoreSets.SemSet s) {
        ByteBuffer b = permissions64(64, s);
        b.putLong(36, s.otime);
        b.putLong(44, s.ctime);
        b.putInt(52, s.nsems);
        return b.array();
    }

    /** The old struct semid_ds (44 bytes), with 16-bit ids. */
    static byte[] setOld(SemaphoreSets.SemSet s) {
        ByteBuffer b = permissionsOld(44, s);
        b.putInt(16, (int) s.otime).putInt(20, (int) s.ctime).putShort(40, (short) s.nsems);
        return b.array();
    }

    /** struct shmid64_ds as i386 has it (84 bytes): ipc64_perm, size, the times in halves, pids, attaches. */
    static byte[] segment64(SharedSegments.Segment s) {
        ByteBuffer b = permissions64(84, s);
        b.putInt(36, s.size);
        b.putLong(40, s.atime);
        b.putLong(48, s.dtime);
        b.putLong(56, s.ctime);
        b.putInt(64, s.cpid).putInt(68, s.lpid).putInt(72, s.attachments);
        return b.array();
    }

    /** The old struct shmid_ds (48 bytes), with 16-bit ids, pids and attach count. */
    static byte[] segmentOld(SharedSegments.Segment s) {
        ByteBuffer b = permissionsOld(48, s);
        b.putInt(16, s.size).putInt(20, (int) s.atime).putInt(24, (int) s.dtime).putInt(28, (int) s.ctime);
        b.putShort(32, (short) s.cpid).putShort(34, (short) s.lpid).putShort(36, (short) s.attachments);
        return b.array();
    }
}
