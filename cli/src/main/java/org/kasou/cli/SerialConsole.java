package org.kasou.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.kasou.pc.Machine;

/**
 * The host side of COM1's input: standard input goes to the guest's serial port. On a terminal the
 * terminal is put in raw mode for the run (so that keys reach the guest as typed, Ctrl-C included)
 * and Ctrl-A x ends kasou, as in QEMU; piped input is passed as it comes.
 */
final class SerialConsole implements AutoCloseable {
    private static final int CTRL_A = 0x01;
    private final boolean raw;
    private volatile boolean quitRequested;
    /** The machine while it runs; cleared by {@link #close} so that the reader thread does not keep its RAM alive. */
    private volatile Machine machine;

    private SerialConsole(boolean raw, Machine machine) {
        this.raw = raw;
        this.machine = machine;
    }

    /** Starts feeding standard input to the machine's COM1. */
    static SerialConsole attach(Machine machine, InputStream in) {
        boolean terminal = in == System.in && System.console() != null && stty("-g") != null;
        String saved = terminal ? stty("-g") : null;
        boolean raw = saved != null && stty("raw", "-echo") != null;
        SerialConsole c = new SerialConsole(raw, machine);
        if (raw) Runtime.getRuntime().addShutdownHook(new Thread(() -> stty(saved.trim())));
        Thread t = new Thread(() -> c.pump(in), "kasou-serial-input");
        t.setDaemon(true);
        t.start();
        return c;
    }

    private void pump(InputStream in) {
        try {
            boolean escape = false;
            int b;
            while ((b = in.read()) >= 0) {
                Machine machine = this.machine;
                if (machine == null) return;
                if (raw && escape) {
                    escape = false;
                    if (b == 'x' || b == 'X') {
                        quitRequested = true;
                        machine.cpu.requestStop();
                        return;
                    }
                    if (b != CTRL_A) machine.com1.hostInput((byte) CTRL_A);
                } else if (raw && b == CTRL_A) {
                    escape = true;
                    continue;
                }
                machine.com1.hostInput((byte) b);
            }
        } catch (IOException e) {
            // standard input closed or failed: the guest just gets no more input
        }
    }

    /** Whether the user typed Ctrl-A x. */
    boolean quitRequested() {
        return quitRequested;
    }

    @Override
    public void close() {
        machine = null; // the raw mode is undone by the shutdown hook, which also runs when kasou is interrupted
    }

    /** Runs stty on the controlling terminal; its output, or null when it failed. */
    private static String stty(String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "stty";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).redirectInput(ProcessBuilder.Redirect.INHERIT).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return out;
        } catch (IOException | InterruptedException e) {
            return null;
        }
    }
}
