package org.kasou.linux;

/**
 * A process's user and group ids, real, effective and saved, and the set*id rules of Linux
 * (kernel/sys.c): with an effective uid of 0 (CAP_SETUID and CAP_SETGID) any ids may be set;
 * otherwise only to ids the process already has, else EPERM. -1 leaves an id as it is where
 * the call allows it. They are the guest's own account: files are still reached with the
 * host's permissions. Shared by a process's threads, copied by fork.
 */
final class Credentials {
    private int ruid, euid, suid, rgid, egid, sgid;

    Credentials(int uid, int gid) {
        ruid = euid = suid = uid;
        rgid = egid = sgid = gid;
    }

    synchronized Credentials copy() {
        Credentials c = new Credentials(ruid, rgid);
        c.euid = euid;
        c.suid = suid;
        c.egid = egid;
        c.sgid = sgid;
        return c;
    }

    synchronized int[] uids() {
        return new int[] {ruid, euid, suid};
    }

    synchronized int[] gids() {
        return new int[] {rgid, egid, sgid};
    }

    /** Whether the effective uid is 0: what lets a process raise limits, lower its nice value, grow a pipe. */
    synchronized boolean privileged() {
        return euid == 0;
    }

    /** setuid: all three ids when privileged; else the effective one, to the real or saved id. */
    synchronized void setuid(int uid) {
        checkValid(uid);
        if (privileged()) {
            ruid = euid = suid = uid;
        } else if (uid == ruid || uid == suid) {
            euid = uid;
        } else {
            throw new LinuxError(Errno.EPERM);
        }
    }

    synchronized void setgid(int gid) {
        checkValid(gid);
        if (privileged()) {
            rgid = egid = sgid = gid;
        } else if (gid == rgid || gid == sgid) {
            egid = gid;
        } else {
            throw new LinuxError(Errno.EPERM);
        }
    }

    /**
     * setreuid: the real id may become the real or effective one, the effective id any of the
     * three; the saved id follows the new effective one when the real id is set or the
     * effective one becomes other than the old real id.
     */
    synchronized void setreuid(int r, int e) {
        int[] n = setre(r, e, ruid, euid, suid);
        ruid = n[0];
        euid = n[1];
        suid = n[2];
    }

    synchronized void setregid(int r, int e) {
        int[] n = setre(r, e, rgid, egid, sgid);
        rgid = n[0];
        egid = n[1];
        sgid = n[2];
    }

    private int[] setre(int r, int e, int oldR, int oldE, int oldS) {
        if (r != -1) checkValid(r);
        if (e != -1) checkValid(e);
        int newR = r == -1 ? oldR : r, newE = e == -1 ? oldE : e;
        if (!privileged()) {
            if (r != -1 && r != oldR && r != oldE) throw new LinuxError(Errno.EPERM);
            if (e != -1 && e != oldR && e != oldE && e != oldS) throw new LinuxError(Errno.EPERM);
        }
        int newS = r != -1 || (e != -1 && e != oldR) ? newE : oldS;
        return new int[] {newR, newE, newS};
    }

    /** setresuid: unprivileged, each new id must be one of the three current ones. */
    synchronized void setresuid(int r, int e, int s) {
        int[] n = setres(r, e, s, ruid, euid, suid);
        ruid = n[0];
        euid = n[1];
        suid = n[2];
    }

    synchronized void setresgid(int r, int e, int s) {
        int[] n = setres(r, e, s, rgid, egid, sgid);
        rgid = n[0];
        egid = n[1];
        sgid = n[2];
    }

    private int[] setres(int r, int e, int s, int oldR, int oldE, int oldS) {
        int[] asked = {r, e, s}, old = {oldR, oldE, oldS};
        for (int id : asked) {
            if (id == -1) continue;
            checkValid(id);
            if (!privileged() && id != oldR && id != oldE && id != oldS) throw new LinuxError(Errno.EPERM);
        }
        for (int i = 0; i < 3; i++) {
            if (asked[i] == -1) asked[i] = old[i];
        }
        return asked;
    }

    /** (uid_t) -1 is not an id: EINVAL where it cannot mean "unchanged". */
    private static void checkValid(int id) {
        if (id == -1) throw new LinuxError(Errno.EINVAL);
    }
}
