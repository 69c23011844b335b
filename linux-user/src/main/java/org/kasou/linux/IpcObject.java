package org.kasou.linux;

/** What every SysV IPC object has (Linux's kern_ipc_perm): its id and key, owner, creator and mode, and its change time. */
abstract class IpcObject {
    final int id, cuid, cgid;
    int key, uid, gid, mode;
    long ctime;
    boolean removed;

    IpcObject(int id, int key, int mode, int uid, int gid) {
        this.id = id;
        this.key = key;
        this.mode = mode;
        this.uid = this.cuid = uid;
        this.gid = this.cgid = gid;
        this.ctime = now();
    }

    /** The time as the IPC structures keep it: seconds since the epoch. */
    static long now() {
        return System.currentTimeMillis() / 1000;
    }
}
