package org.kasou.cli;

import java.util.concurrent.Callable;
import org.kasou.pc.DemoGuest;
import org.kasou.pc.Machine;
import org.kasou.pc.MultibootLoader;
import org.kasou.pc.RunResult;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Runs the built-in demo guest and prints its results.",
            "The guest enables paging, finds the primes below 1,000,000, computes a CRC-32 and a Collatz record.",
            "Exits 0 when the guest reports success."})
final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    Kasou kasou;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--stats", description = "print instructions executed, wall time and MIPS on stderr at exit")
    boolean stats;

    @Override
    public Integer call() {
        GuestSession session = new GuestSession(kasou, Machine.DEFAULT_RAM_BYTES, 0, stats, engine.jitThreshold());
        int status = session.run(m -> MultibootLoader.load(m, DemoGuest.image(), "demo.bin", null));
        // The guest reports success as QEMU's exit device does (status 1); a newcomer expects 0.
        boolean succeeded = session.result() != null && session.result().outcome() == RunResult.Outcome.EXITED
                && status == DemoGuest.SUCCESS_STATUS;
        return succeeded ? ExitCodes.OK : status;
    }
}
