package org.kasou.linux;

/**
 * One direction of a pipe or of a socket pair: written at one end, read at the other. Bytes
 * ({@link PipeFile.Buffer}) or whole messages ({@link Datagrams}).
 */
interface OneWay {
    /**
     * Takes what waits to be read into buf, at most len bytes, waiting for it while more may come
     * (EAGAIN when {@code nonBlocking}); with {@code peek} it stays. Returns the bytes taken (0 at
     * the end), or for messages the whole message's length, which may exceed len.
     */
    int read(byte[] buf, int off, int len, boolean nonBlocking, boolean peek) throws InterruptedException;

    /**
     * Adds len bytes (one message), waiting for room as Linux does (EAGAIN when
     * {@code nonBlocking}); fails once the reading end is closed. Returns what went, less than
     * len when a stream's non-blocking or interrupted write stops short.
     */
    int write(byte[] buf, int off, int len, boolean nonBlocking) throws InterruptedException;

    /** Whether a writer finds room (POLLOUT). */
    boolean writable();

    /** The writing socket's SO_SNDBUF, which bounds what waits for the reader (pipes have their own bound). */
    void setSendBuffer(int bytes);

    /** FIONREAD: the bytes waiting, or the length of the next message. */
    int available();

    boolean hasData();

    /** Whether no more will come to the reader beyond what waits: its end or the writer's closed (Linux's RCV_SHUTDOWN). */
    boolean readShut();

    boolean readerOpen();

    /** Closes the reading ({@code readEnd}) or the writing end. */
    void close(boolean readEnd);

    /** A count that moves when the reader may read anew (POLLIN) or the writer write anew (POLLOUT). */
    long edges(int events);
}
