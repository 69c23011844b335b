package org.kasou.linux;

/**
 * The name of an AF_UNIX socket: sun_path as the program gave it (a path without its 0 byte, or an
 * abstract name with its leading 0 byte), and the key {@link UnixNames} holds it under.
 */
record UnixName(byte[] path, Object key) {
    static final int AF_UNIX = 1;
    /** sizeof(struct sockaddr_un): the family and 108 bytes of sun_path. */
    static final int MAX_ADDRESS = 110;

    boolean isAbstract() {
        return path.length > 0 && path[0] == 0;
    }

    /** The struct sockaddr_un that getsockname reports: the family, the name, and a 0 byte after a path. */
    byte[] address() {
        byte[] a = new byte[2 + path.length + (isAbstract() ? 0 : 1)];
        a[0] = AF_UNIX;
        System.arraycopy(path, 0, a, 2, path.length);
        return a;
    }

    /** The address of an unnamed socket: the family alone. */
    static byte[] unnamed() {
        return new byte[] {AF_UNIX, 0};
    }

    /**
     * sun_path of a guest's struct sockaddr_un of {@code len} bytes: EINVAL for a length out of
     * range or another family; a path name ends at its first 0 byte; empty means the family alone.
     */
    static byte[] sunPath(byte[] raw, int len) {
        if (len < 2 || len > MAX_ADDRESS) throw new LinuxError(Errno.EINVAL);
        if ((raw[0] & 0xFF | (raw[1] & 0xFF) << 8) != AF_UNIX) throw new LinuxError(Errno.EINVAL);
        byte[] p = java.util.Arrays.copyOfRange(raw, 2, len);
        if (p.length == 0 || p[0] == 0) return p;
        int end = 0;
        while (end < p.length && p[end] != 0) end++;
        return java.util.Arrays.copyOf(p, end);
    }
}
