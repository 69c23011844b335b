package org.kasou.linux;

import java.io.IOException;

/**
 * ioctl: the requests every kind of file answers (FIONREAD, FIONBIO, FIOCLEX, FIONCLEX), then
 * the terminal's own. Anything else is ENOTTY, as Linux says for a request the file does not know.
 */
final class Ioctls {
    static final int FIONREAD = 0x541B, FIONBIO = 0x5421, FIONCLEX = 0x5450, FIOCLEX = 0x5451;

    private Ioctls() {
    }

    static int ioctl(FileSyscalls files, AddressSpace as, int fd, int request, int arg) throws IOException {
        OpenFile f = files.file(fd);
        switch (request) {
            case FIONREAD -> {
                as.write32(arg, f.available());
                return 0;
            }
            case FIONBIO -> {
                boolean on = as.read32(arg) != 0;
                synchronized (f) {
                    f.statusFlags = on ? f.statusFlags | FileSyscalls.O_NONBLOCK : f.statusFlags & ~FileSyscalls.O_NONBLOCK;
                }
                return 0;
            }
            case FIOCLEX, FIONCLEX -> {
                files.setCloseOnExec(fd, request == FIOCLEX);
                return 0;
            }
            default -> {
                Terminal t = f.terminal();
                if (t == null) throw new LinuxError(Errno.ENOTTY);
                return t.ioctl(request, arg, as);
            }
        }
    }
}
