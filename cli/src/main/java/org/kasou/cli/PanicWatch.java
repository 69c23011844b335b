package org.kasou.cli;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Watches what the guest prints for the end of a Linux kernel panic ("---[ end Kernel panic"): a
 * panicked kernel then spins forever with interrupts off, so kasou ends the run itself once that
 * line is complete, instead of spinning with it.
 */
final class PanicWatch extends FilterOutputStream {
    private static final byte[] MARK = "---[ end Kernel panic".getBytes(StandardCharsets.US_ASCII);
    private Runnable stop = () -> { };
    private int matched;
    private boolean inPanicLine, panicked;

    PanicWatch(OutputStream out) {
        super(out);
    }

    /** What ends the run once the panic line is complete. */
    void onPanic(Runnable stop) {
        this.stop = stop;
    }

    @Override
    public void write(int b) throws IOException {
        out.write(b);
        if (inPanicLine) {
            if (b == '\n') {
                panicked = true;
                inPanicLine = false;
                out.flush();
                stop.run();
            }
            return;
        }
        if (b == MARK[matched]) {
            if (++matched == MARK.length) {
                inPanicLine = true;
                matched = 0;
            }
        } else {
            matched = b == MARK[0] ? 1 : 0;
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        for (int i = 0; i < len; i++) write(b[off + i]);
    }

    /** Whether the guest printed the end of a kernel panic. */
    boolean panicked() {
        return panicked;
    }
}
