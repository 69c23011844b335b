package org.kasou.pc;

import java.io.OutputStream;
import org.kasou.cpu.Cpu;
import org.kasou.cpu.StopReason;
import org.kasou.io.IoPortBus;
import org.kasou.mem.PhysicalMemory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal PC for running bare-metal guests: RAM, one CPU, the port bus with the debug console
 * (0xE9), the exit device (0xF4), system control port A (0x92, fast A20 and reset) and COM1
 * (0x3F8, output only).
 */
public final class Machine {
    private static final Logger log = LoggerFactory.getLogger(Machine.class);

    public static final int DEFAULT_RAM_BYTES = 128 << 20;
    /** Instructions per call to {@link Cpu#run(long)}; between slices the run loop checks limits. */
    static final long SLICE = 50_000_000L;

    public final PhysicalMemory physical;
    public final IoPortBus io = new IoPortBus();
    public final Cpu cpu;
    public final DebugConsole console;
    public final ExitDevice exitDevice;
    public final SystemControlPortA controlPortA;
    public final Uart16550 com1;
    /** COM2, with nothing attached: what the guest sends there is dropped. */
    public final Uart16550 com2;
    public final org.kasou.pc.chips.VirtualClock clock;
    public final org.kasou.pc.chips.PicPair pic = new org.kasou.pc.chips.PicPair();
    public final org.kasou.pc.chips.Pit8254 pit;
    public final org.kasou.pc.chips.TimedInterrupts interrupts;
    public final org.kasou.pc.chips.CmosRtc rtc;
    public final org.kasou.pc.chips.KeyboardController keyboardController;
    private boolean resetRequested;
    /**
     * Whether a reset request or a triple fault restarts the CPU at the reset vector (a PC's
     * chipset answers the CPU's shutdown cycle with a reset) instead of ending the run. Only a
     * machine with a BIOS ROM has anything to restart into.
     */
    private boolean rebootOnReset;
    /** Restarts so far (resets and triple faults answered with a reset). */
    private int reboots;

    /**
     * @param ramBytes RAM size, a positive multiple of 4 KiB
     * @param consoleOut where the bytes the guest writes to port 0xE9 and to COM1 go
     */
    public Machine(int ramBytes, OutputStream consoleOut) {
        this(ramBytes, consoleOut, consoleOut);
    }

    /**
     * @param consoleOut where the bytes the guest writes to port 0xE9 go
     * @param serialOut where the bytes the guest sends on COM1 go
     */
    public Machine(int ramBytes, OutputStream consoleOut, OutputStream serialOut) {
        this(ramBytes, consoleOut, serialOut, false);
    }

    /**
     * @param deterministic whether the machine's clock counts the guest's instructions instead of
     *     following the host's (runs then repeat exactly, timer interrupts included)
     */
    public Machine(int ramBytes, OutputStream consoleOut, OutputStream serialOut, boolean deterministic) {
        this.physical = new PhysicalMemory(ramBytes);
        this.cpu = new Cpu(physical, io);
        this.console = new DebugConsole(consoleOut);
        this.exitDevice = new ExitDevice(cpu);
        this.controlPortA = new SystemControlPortA(new SystemControlPortA.Listener() {
            @Override
            public void a20(boolean enabled) {
                setA20(enabled);
            }

            @Override
            public void resetRequested() {
                requestReset();
            }
        }, true);
        io.register(DebugConsole.PORT, 1, console);
        io.register(ExitDevice.PORT, ExitDevice.PORT_COUNT, exitDevice);
        io.register(SystemControlPortA.PORT, 1, controlPortA);
        this.com1 = new Uart16550(Uart16550.COM1, serialOut);
        io.register(Uart16550.COM1, Uart16550.PORT_COUNT, com1);
        this.com2 = new Uart16550(Uart16550.COM2, java.io.OutputStream.nullOutputStream());
        io.register(Uart16550.COM2, Uart16550.PORT_COUNT, com2);
        this.clock = new org.kasou.pc.chips.VirtualClock(() -> cpu.instructions, deterministic);
        cpu.clock = clock;
        cpu.spinWaitHint = clock::spin;
        io.register(org.kasou.pc.chips.PicPair.MASTER, 2, pic);
        io.register(org.kasou.pc.chips.PicPair.SLAVE, 2, pic);
        io.register(org.kasou.pc.chips.PicPair.ELCR, 2, pic);
        this.pit = new org.kasou.pc.chips.Pit8254(clock);
        pit.irq = () -> pic.pulseIrq(0);
        io.register(org.kasou.pc.chips.Pit8254.BASE, org.kasou.pc.chips.Pit8254.PORT_COUNT, pit);
        io.register(org.kasou.pc.chips.SystemControlPortB.PORT, 1, new org.kasou.pc.chips.SystemControlPortB(pit, clock));
        this.interrupts = new org.kasou.pc.chips.TimedInterrupts(pic, pit, clock, cpu.state, () -> cpu.instructions, cpu::requestStop);
        cpu.interrupts = interrupts;
        com1.setIrqLine(high -> pic.setIrq(4, high));
        com2.setIrqLine(high -> pic.setIrq(3, high));
        org.kasou.pc.chips.CoprocessorError coprocessorError = new org.kasou.pc.chips.CoprocessorError(pic);
        io.register(org.kasou.pc.chips.CoprocessorError.PORT, 1, coprocessorError);
        cpu.fpuError = coprocessorError::signal;
        this.rtc = deterministic
                ? new org.kasou.pc.chips.CmosRtc(clock, ramBytes, org.kasou.pc.chips.CmosRtc.DETERMINISTIC_EPOCH)
                : new org.kasou.pc.chips.CmosRtc(clock, ramBytes);
        rtc.irq8 = () -> pic.pulseIrq(8);
        io.register(org.kasou.pc.chips.CmosRtc.PORT, 2, rtc);
        this.keyboardController = new org.kasou.pc.chips.KeyboardController(new org.kasou.pc.chips.KeyboardController.Board() {
            @Override
            public void a20(boolean enabled) {
                setA20(enabled);
            }

            @Override
            public void reset() {
                requestReset();
            }

            @Override
            public void irq(int line) {
                pic.pulseIrq(line);
            }
        });
        io.register(org.kasou.pc.chips.KeyboardController.DATA, 1, keyboardController);
        io.register(org.kasou.pc.chips.KeyboardController.STATUS, 1, keyboardController);
        org.kasou.pc.chips.PciBus pci = new org.kasou.pc.chips.PciBus();
        io.register(org.kasou.pc.chips.PciBus.ADDRESS, 4, pci);
        io.register(org.kasou.pc.chips.PciBus.DATA, 4, pci);
        io.register(org.kasou.pc.chips.ResetControl.PORT, 1, new org.kasou.pc.chips.ResetControl(this::requestReset));
        interrupts.setDevices(() -> {
            com1.pollInput();
            rtc.poll();
        }, () -> {
            console.flush();
            com1.flush();
        });
    }

    /** A reset asked for by the guest (port 0x92, 0xCF9, the keyboard controller): the CPU stops at the next boundary. */
    private void requestReset() {
        resetRequested = true;
        cpu.requestStop();
    }

    /** Gates address line 20 (the guest's fast A20 port and loaders use this). */
    public void setA20(boolean enabled) {
        log.debug("A20 {}", enabled ? "enabled" : "disabled");
        cpu.memory.setA20(enabled);
    }

    public boolean a20() {
        return cpu.memory.a20();
    }

    /**
     * Puts the CPU in its state after RESET, to start at F000:FFF0 (the BIOS ROM's reset vector),
     * with the A20 gate open again (a reset through port 0x92 may have closed it, and the first
     * fetch at FFFFFFF0 must reach the ROM).
     */
    public void resetCpu() {
        controlPortA.reset(true);
        cpu.state.reset();
        cpu.memory.flushTlb();
        cpu.interpreter().flushCodeCache();
    }

    /** See {@link #rebootOnReset}: on for a machine booted from a BIOS ROM, unless the user asked otherwise. */
    public void setRebootOnReset(boolean on) {
        this.rebootOnReset = on;
    }

    /** How many times the machine restarted the CPU after a reset or a triple fault. */
    public int reboots() {
        return reboots;
    }

    /**
     * Runs the guest until it exits, halts, shuts down or retires {@code maxInstructions}
     * instructions ({@code <= 0}: no limit).
     */
    public RunResult run(long maxInstructions) {
        long start = System.nanoTime();
        long first = cpu.instructions;
        RunResult.Outcome outcome;
        try {
            outcome = runSlices(maxInstructions, first);
        } finally {
            console.flush();
            com1.flush();
        }
        long nanos = System.nanoTime() - start;
        RunResult r = new RunResult(outcome, exitDevice.exited() ? exitDevice.status() : 0,
                cpu.instructions - first, nanos);
        log.debug("guest stopped: {} after {} instructions", outcome, r.instructions());
        return r;
    }

    private boolean reboot(String why) {
        if (!rebootOnReset) return false;
        reboots++;
        log.info("{}: restarting at the reset vector (restart {})", why, reboots);
        resetCpu();
        return true;
    }

    private RunResult.Outcome runSlices(long maxInstructions, long first) {
        while (true) {
            long done = cpu.instructions - first;
            long slice = SLICE;
            if (maxInstructions > 0) {
                if (done >= maxInstructions) {
                    return RunResult.Outcome.INSTRUCTION_LIMIT;
                }
                slice = Math.min(slice, maxInstructions - done);
            }
            StopReason reason = cpu.run(slice);
            // The devices first: a stop they requested on a slice's last instruction comes back
            // as BUDGET_EXHAUSTED, and the next cpu.run() would forget it.
            if (exitDevice.exited()) {
                return RunResult.Outcome.EXITED;
            }
            if (resetRequested) {
                resetRequested = false;
                if (!reboot("reset requested")) return RunResult.Outcome.RESET;
                continue;
            }
            switch (reason) {
                case HALTED:
                    return RunResult.Outcome.HALTED;
                case SHUTDOWN:
                    if (!reboot("triple fault")) return RunResult.Outcome.SHUTDOWN;
                    break;
                case STOP_REQUESTED:
                    // A halt with IF set and no timer that could end it: as a halt with interrupts off.
                    if (interrupts.haltedForever()) return RunResult.Outcome.HALTED;
                    return RunResult.Outcome.STOPPED;
                default:
                    break;
            }
        }
    }
}
