package org.kasou.pc.chips;

import java.util.ArrayDeque;
import org.kasou.io.PortDevice;

/**
 * The 8042 keyboard controller at ports 0x60 (data) and 0x64 (status/command), as much as a BIOS
 * and Linux's i8042 driver use (IBM PC/AT technical reference): the controller self-test and
 * interface tests, the command byte, enabling and disabling the keyboard and aux ports, the output
 * port (A20 gate, and the CPU reset through command 0xFE or output-port bit 0), and a keyboard that
 * answers reset, identify and the usual setting commands (no keys are ever pressed). Replies go
 * through the output buffer and raise IRQ 1 (keyboard) or IRQ 12 (aux) when the command byte
 * enables them.
 */
public final class KeyboardController implements PortDevice {
    public static final int DATA = 0x60, STATUS = 0x64;
    private static final int ST_OUTPUT_FULL = 0x01, ST_SYSTEM = 0x04, ST_COMMAND = 0x08, ST_UNLOCKED = 0x10, ST_AUX_DATA = 0x20;

    /** What the controller does to the rest of the machine. */
    public interface Board {
        void a20(boolean enabled);

        void reset();

        void irq(int line);
    }

    private final Board board;
    /** Bytes waiting for the output buffer: value, or value | 0x100 for aux data. */
    private final ArrayDeque<Integer> output = new ArrayDeque<>();
    private int commandByte = 0x45; // keyboard interrupt, system flag, translation
    private int outputPort = 0x03; // A20 on, not in reset
    /** A controller command waiting for its data byte (0x60, 0xD1, 0xD2, 0xD3, 0xD4), or 0. */
    private int pendingCommand;
    /** A keyboard command waiting for its argument (0xED, 0xF3, 0xF0), or 0. */
    private int keyboardArgument;
    private boolean lastWasCommand;

    public KeyboardController(Board board) {
        this.board = board;
    }

    @Override
    public int in(int port, int size) {
        if (port == STATUS) {
            int st = ST_SYSTEM | ST_UNLOCKED | (lastWasCommand ? ST_COMMAND : 0); // the keylock switch is open
            Integer head = output.peek();
            if (head != null) st |= ST_OUTPUT_FULL | ((head & 0x100) != 0 ? ST_AUX_DATA : 0);
            return st;
        }
        Integer v = output.poll();
        raiseForHead();
        return v == null ? 0 : v & 0xFF;
    }

    @Override
    public void out(int port, int size, int value) {
        int v = value & 0xFF;
        if (port == STATUS) {
            lastWasCommand = true;
            command(v);
        } else {
            lastWasCommand = false;
            data(v);
        }
    }

    private void command(int c) {
        switch (c) {
            case 0x20: reply(commandByte); break;
            case 0x60: case 0xD1: case 0xD2: case 0xD3: case 0xD4: pendingCommand = c; break;
            case 0xA7: commandByte |= 0x20; break; // disable aux
            case 0xA8: commandByte &= ~0x20; break; // enable aux
            case 0xA9: reply(0x00); break; // aux interface test: passed
            case 0xAA: reply(0x55); break; // self-test passed
            case 0xAB: reply(0x00); break; // keyboard interface test: passed
            case 0xAD: commandByte |= 0x10; break; // disable keyboard
            case 0xAE: commandByte &= ~0x10; break; // enable keyboard
            case 0xC0: reply(0x80); break; // input port: keyboard not inhibited
            case 0xD0: reply(outputPort); break;
            default:
                if ((c & 0xF0) == 0xF0) { // pulse output lines: bit 0 low resets the CPU
                    if ((c & 1) == 0) board.reset();
                }
        }
    }

    private void data(int v) {
        int c = pendingCommand;
        pendingCommand = 0;
        switch (c) {
            case 0x60: commandByte = v; return;
            case 0xD1:
                outputPort = v;
                board.a20((v & 2) != 0);
                if ((v & 1) == 0) board.reset();
                return;
            case 0xD2: reply(v); return; // as if from the keyboard
            case 0xD3: replyAux(v); return;
            case 0xD4: replyAux(0xFE); return; // no mouse: resend
            default: keyboard(v);
        }
    }

    /** A byte for the keyboard itself. */
    private void keyboard(int v) {
        if (keyboardArgument != 0) {
            int cmd = keyboardArgument;
            keyboardArgument = 0;
            reply(0xFA);
            if (cmd == 0xF0 && v == 0) reply(0x02); // the current scan code set
            return;
        }
        switch (v) {
            case 0xED: case 0xF3: case 0xF0: keyboardArgument = v; reply(0xFA); break;
            case 0xF2: reply(0xFA); reply(0xAB); reply(0x83); break; // identify: an MF2 keyboard
            case 0xFF: reply(0xFA); reply(0xAA); break; // reset and self-test passed
            case 0xEE: reply(0xEE); break; // echo
            default: reply(0xFA);
        }
    }

    private void reply(int v) {
        output.add(v);
        if (output.size() == 1) raiseForHead();
    }

    private void replyAux(int v) {
        output.add(v | 0x100);
        if (output.size() == 1) raiseForHead();
    }

    private void raiseForHead() {
        Integer head = output.peek();
        if (head == null) return;
        if ((head & 0x100) != 0) {
            if ((commandByte & 0x02) != 0) board.irq(12);
        } else if ((commandByte & 0x01) != 0) {
            board.irq(1);
        }
    }
}
