package org.kasou.io;

/** A device on the port-I/O bus. Sizes are 1, 2 or 4 bytes. */
public interface PortDevice {
    int in(int port, int size);

    void out(int port, int size, int value);
}
