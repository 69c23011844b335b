package org.kasou.pc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The demo guest shipped with kasou: a multiboot kernel assembled from src/main/guest/demo.asm
 * that enables paging, runs a sieve, a CRC-32 and a Collatz search, prints the results on the
 * debug console and exits with status 1 (it writes 0 to the exit device).
 */
public final class DemoGuest {
    public static final String RESOURCE = "guest/demo.bin";
    /** The exit device status of a successful run: the guest writes 0, as QEMU's device reports it. */
    public static final int SUCCESS_STATUS = 1;

    private DemoGuest() {
    }

    public static byte[] image() {
        try (InputStream in = DemoGuest.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("the demo guest is missing from the class path: " + RESOURCE);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
