package org.kasou.linux;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;

/**
 * Extended attributes (setxattr 226 to fremovexattr 237, with their l* and f* forms): those of the
 * user namespace are the host file's own ("user." names, through Java's user-defined file
 * attributes, where the host's file system keeps them); a name of another namespace reads as
 * absent (ENODATA) and cannot be set (EOPNOTSUPP), and a name without a namespace is EOPNOTSUPP,
 * as Linux. As on Linux, only regular files and directories take user attributes: on anything
 * else (a symbolic link itself, a pipe) a read finds none and a change is EPERM.
 */
final class XattrSyscalls {
    private static final int XATTR_CREATE = 1, XATTR_REPLACE = 2;
    /** Linux's XATTR_NAME_MAX and XATTR_SIZE_MAX. */
    private static final int NAME_MAX = 255, SIZE_MAX = 65536;
    private static final String USER = "user.";

    private final FileSyscalls files;
    private AddressSpace as;

    XattrSyscalls(FileSyscalls files) {
        this.files = files;
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
    }

    /** The file an xattr call names: a path (following a final link unless {@code noFollow}) or, with fd >= 0, a descriptor's file (null: one without a host path). */
    private record Target(Path path, boolean noFollow) {
        LinkOption[] options() {
            return noFollow ? new LinkOption[] {LinkOption.NOFOLLOW_LINKS} : new LinkOption[0];
        }

        /** Whether user attributes apply: a regular file or a directory. */
        boolean takesUserAttributes() {
            return path != null && (Files.isRegularFile(path, options()) || Files.isDirectory(path, options()));
        }

        UserDefinedFileAttributeView view() {
            return Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, options());
        }
    }

    private Target byPath(int pathAddr, boolean noFollow) {
        String p = as.readString(pathAddr, 4096);
        if (p.isEmpty()) throw new LinuxError(Errno.ENOENT);
        Path host = files.resolve(FileSyscalls.AT_FDCWD, p);
        if (!Files.exists(host, LinkOption.NOFOLLOW_LINKS) || (!noFollow && !Files.exists(host))) throw new LinuxError(Errno.ENOENT);
        return new Target(host, noFollow);
    }

    private Target byFd(int fd) {
        return new Target(files.file(fd).path(), false);
    }

    /** The attribute's name without its "user." (null for another namespace); EOPNOTSUPP without a namespace, ERANGE for an empty or too long name. */
    private String userName(int nameAddr) {
        String n = as.readString(nameAddr, NAME_MAX + 2);
        if (n.isEmpty() || n.getBytes(StandardCharsets.UTF_8).length > NAME_MAX) throw new LinuxError(Errno.ERANGE);
        if (n.startsWith(USER)) return n.substring(USER.length());
        for (String ns : new String[] {"security.", "system.", "trusted."}) {
            if (n.startsWith(ns)) return null;
        }
        throw new LinuxError(Errno.EOPNOTSUPP);
    }

    int set(Target t, int nameAddr, int value, int size, int flags) throws IOException {
        String name = userName(nameAddr);
        if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) != 0) throw new LinuxError(Errno.EINVAL);
        if (Integer.toUnsignedLong(size) > SIZE_MAX) throw new LinuxError(Errno.E2BIG);
        if (name == null) throw new LinuxError(Errno.EOPNOTSUPP);
        if (!t.takesUserAttributes()) throw new LinuxError(Errno.EPERM);
        byte[] bytes = size == 0 ? new byte[0] : as.read(value, size);
        try {
            UserDefinedFileAttributeView v = t.view();
            boolean exists = v.list().contains(name);
            if ((flags & XATTR_CREATE) != 0 && exists) throw new LinuxError(Errno.EEXIST);
            if ((flags & XATTR_REPLACE) != 0 && !exists) throw new LinuxError(Errno.ENODATA);
            v.write(name, ByteBuffer.wrap(bytes));
        } catch (IOException e) {
            throw new LinuxError(Errno.of(e));
        }
        return 0;
    }

    int get(Target t, int nameAddr, int value, int size) throws IOException {
        String name = userName(nameAddr);
        if (name == null || !t.takesUserAttributes()) throw new LinuxError(Errno.ENODATA);
        try {
            UserDefinedFileAttributeView v = t.view();
            if (!v.list().contains(name)) throw new LinuxError(Errno.ENODATA);
            int length = v.size(name);
            if (size == 0) return length;
            if (Integer.toUnsignedLong(size) < length) throw new LinuxError(Errno.ERANGE);
            ByteBuffer b = ByteBuffer.allocate(length);
            v.read(name, b);
            if (length > 0) as.write(value, b.array(), 0, length);
            return length;
        } catch (IOException e) {
            throw new LinuxError(Errno.of(e));
        }
    }

    int list(Target t, int listAddr, int size) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        if (t.takesUserAttributes()) {
            try {
                for (String n : t.view().list()) {
                    out.writeBytes((USER + n).getBytes(StandardCharsets.UTF_8));
                    out.write(0);
                }
            } catch (IOException e) {
                int errno = Errno.of(e);
                if (errno != Errno.EOPNOTSUPP) throw new LinuxError(errno); // a file system without them lists none
            }
        }
        byte[] names = out.toByteArray();
        if (size == 0) return names.length;
        if (Integer.toUnsignedLong(size) < names.length) throw new LinuxError(Errno.ERANGE);
        if (names.length > 0) as.write(listAddr, names, 0, names.length);
        return names.length;
    }

    int remove(Target t, int nameAddr) throws IOException {
        String name = userName(nameAddr);
        if (name == null) throw new LinuxError(Errno.ENODATA);
        if (!t.takesUserAttributes()) throw new LinuxError(Errno.EPERM);
        try {
            UserDefinedFileAttributeView v = t.view();
            if (!v.list().contains(name)) throw new LinuxError(Errno.ENODATA);
            v.delete(name);
        } catch (IOException e) {
            throw new LinuxError(Errno.of(e));
        }
        return 0;
    }

    /** The twelve calls by number (226 to 237): a path, a path without following its last link, a descriptor; set, get, list, remove. */
    int call(int nr, int a, int b, int c, int d, int e) throws IOException {
        int form = (nr - 226) % 3; // 0 path, 1 link itself, 2 descriptor
        Target t = form == 2 ? byFd(a) : byPath(a, form == 1);
        return switch ((nr - 226) / 3) {
            case 0 -> set(t, b, c, d, e);
            case 1 -> get(t, b, c, d);
            case 2 -> list(t, b, c);
            default -> remove(t, b);
        };
    }
}
