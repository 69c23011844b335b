package org.kasou.linux;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Standard input, output or error: a host stream, which the guest sees as a pipe, or as the
 * terminal when the host's standard stream is one.
 */
final class StreamFile extends OpenFile {
    private final InputStream in;
    private final OutputStream out;
    private final FileStat stat;
    private final Terminal terminal;

    StreamFile(InputStream in, OutputStream out, FileStat stat) {
        this(in, out, stat, null);
    }

    StreamFile(InputStream in, OutputStream out, FileStat stat, Terminal terminal) {
        this.in = in;
        this.out = out;
        this.stat = stat;
        this.terminal = terminal;
        this.statusFlags = in != null ? 0 : 1;
    }

    @Override
    Terminal terminal() {
        return terminal;
    }

    @Override
    boolean pollable() {
        return true;
    }

    @Override
    int read(byte[] buf, int off, int len) throws IOException {
        if (in == null) throw new LinuxError(Errno.EBADF);
        if (len == 0) return 0;
        int n = in.read(buf, off, len);
        return Math.max(n, 0);
    }

    @Override
    int write(byte[] buf, int off, int len) throws IOException {
        if (out == null) throw new LinuxError(Errno.EBADF);
        out.write(buf, off, len);
        out.flush();
        return len;
    }

    /**
     * Output is always ready; input when bytes are buffered. A host stream cannot say that it is
     * at its end without blocking, so poll treats input as ready when it would otherwise wait for ever.
     */
    @Override
    int poll(int events) throws IOException {
        if (in == null) return events & POLLOUT;
        return in.available() > 0 ? events & POLLIN : 0;
    }

    @Override
    int available() throws IOException {
        return in == null ? 0 : in.available();
    }

    @Override
    FileStat stat() {
        return stat;
    }

    @Override
    void close() throws IOException {
        if (out != null) out.flush();
    }
}
