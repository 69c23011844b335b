package org.kasou.linux;

/**
 * A process file descriptor (pidfd_open): it names one process of the run, for
 * pidfd_send_signal, waitid(P_PIDFD) and pidfd_getfd, and polls readable once that process has
 * ended, as Linux's pidfd does. An anonymous inode; reading or writing it is EINVAL.
 */
final class PidFile extends OpenFile {
    final int pid;
    private final ProcessTable table;
    private final long ino;

    PidFile(int pid, ProcessTable table, long ino) {
        this.pid = pid;
        this.table = table;
        this.ino = ino;
        this.statusFlags = 2; // O_RDWR, as Linux's
    }

    boolean ended() {
        return table.ended(pid);
    }

    @Override
    int read(byte[] buf, int off, int len) {
        throw new LinuxError(Errno.EINVAL);
    }

    @Override
    int write(byte[] buf, int off, int len) {
        throw new LinuxError(Errno.EINVAL);
    }

    @Override
    boolean pollable() {
        return true;
    }

    @Override
    int poll(int events) {
        return ended() ? events & POLLIN : 0;
    }

    @Override
    long edges(int events) {
        return ended() ? 1 : 0;
    }

    @Override
    FileStat stat() {
        return FileStat.anonymous(ino);
    }
}
