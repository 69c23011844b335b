package org.kasou.linux;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The names AF_UNIX sockets are bound to, and the sockets that hold them: one registry for the
 * JVM, as a host has one file system and one abstract namespace. A path name is a socket file on
 * the host, made at bind (as Linux makes one: it stays after the socket closes, until unlinked),
 * and is found again by its device and inode, so that a rename or a link reaches the same socket
 * and a new file at the path does not. An abstract name (sun_path starting with a 0 byte) is
 * only here.
 */
final class UnixNames {
    private UnixNames() {}

    /** A path name's key: the socket file's device and inode. */
    private record PathKey(long dev, long ino) {
    }

    /** An abstract name's key: its bytes. */
    private record AbstractKey(String bytes) {
    }

    private static final Map<Object, UnixSocketFile> BOUND = new HashMap<>();
    private static long autobound;

    /**
     * bind to a path: makes the socket file at {@code host} (mode {@code mode}), EADDRINUSE when
     * something is there already; {@code guestPath} is the name as the program gave it.
     */
    static void bindPath(UnixSocketFile s, byte[] guestPath, Path host, int mode) throws IOException {
        // Linux makes the file first: an existing one is EADDRINUSE even for a socket with a name.
        if (Files.exists(host, LinkOption.NOFOLLOW_LINKS)) throw new LinuxError(Errno.EADDRINUSE);
        if (s.name() != null) throw new LinuxError(Errno.EINVAL);
        try (ServerSocketChannel made = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            made.bind(UnixDomainSocketAddress.of(host)); // makes the socket file, which outlives the channel
        } catch (java.net.BindException | FileAlreadyExistsException e) {
            throw new LinuxError(Files.exists(host, LinkOption.NOFOLLOW_LINKS) ? Errno.EADDRINUSE : Errno.ENOENT);
        } catch (UnsupportedOperationException e) {
            throw new LinuxError(Errno.EOPNOTSUPP);
        }
        Files.setPosixFilePermissions(host, FileSyscalls.permissions(mode));
        FileStat st = FileStat.of(host, false);
        UnixName n = new UnixName(guestPath, new PathKey(st.dev(), st.ino()));
        synchronized (UnixNames.class) {
            s.named(n);
            BOUND.put(n.key(), s);
        }
    }

    /** bind to an abstract name ({@code name} starts with its 0 byte); EADDRINUSE when a socket holds it. */
    static synchronized void bindAbstract(UnixSocketFile s, byte[] name) {
        AbstractKey key = new AbstractKey(new String(name, java.nio.charset.StandardCharsets.ISO_8859_1));
        if (BOUND.containsKey(key)) throw new LinuxError(Errno.EADDRINUSE);
        UnixName n = new UnixName(name, key);
        s.named(n);
        BOUND.put(key, s);
    }

    /** bind with only the family (or listen's autobind): an abstract name of five hex digits, as Linux picks. */
    static synchronized void autobind(UnixSocketFile s) {
        while (true) {
            byte[] name = String.format("\0%05x", autobound++ & 0xFFFFF).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
            if (!BOUND.containsKey(new AbstractKey(new String(name, java.nio.charset.StandardCharsets.ISO_8859_1)))) {
                bindAbstract(s, name);
                return;
            }
        }
    }

    /**
     * The socket bound at a path (connect): ENOENT when nothing is there, ECONNREFUSED when no
     * socket of this JVM holds the file, EPROTOTYPE when it is of another type than {@code type}.
     */
    static UnixSocketFile atPath(Path host, int type) throws IOException {
        FileStat st;
        try {
            st = FileStat.of(host, true);
        } catch (NoSuchFileException e) {
            throw new LinuxError(Errno.ENOENT);
        }
        UnixSocketFile s;
        synchronized (UnixNames.class) {
            s = BOUND.get(new PathKey(st.dev(), st.ino()));
        }
        if (s == null || (st.mode() & 0170000) != FileStat.S_IFSOCK) throw new LinuxError(Errno.ECONNREFUSED);
        if (s.type != type) throw new LinuxError(Errno.EPROTOTYPE);
        return s;
    }

    /** The socket bound to an abstract name of {@code type}; ECONNREFUSED when none is. */
    static synchronized UnixSocketFile atAbstract(byte[] name, int type) {
        UnixSocketFile s = BOUND.get(new AbstractKey(new String(name, java.nio.charset.StandardCharsets.ISO_8859_1)));
        if (s == null || s.type != type) throw new LinuxError(Errno.ECONNREFUSED);
        return s;
    }

    /** The socket holding {@code n} closed: the name is free (a path's file stays, as on Linux). */
    static synchronized void unbind(UnixName n, UnixSocketFile s) {
        BOUND.remove(n.key(), s);
    }
}
