package org.kasou.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kasou.pc.Machine;
import org.kasou.pc.MultibootLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Boots a multiboot v1 kernel.",
            "The kernel is an ELF32 file or a flat image with the multiboot address fields, loaded as QEMU's -kernel does.",
            "Port 0xE9 is the debug console (standard output); writing v to port 0xF4 exits with status (v << 1) | 1."})
final class BootCommand implements Callable<Integer> {
    @ParentCommand
    Kasou kasou;

    @Option(names = "--kernel", required = true, paramLabel = "FILE", description = "the multiboot kernel to boot")
    Path kernel;

    @Option(names = "--memory", paramLabel = "SIZE", converter = MemorySizeConverter.class, defaultValue = "128M",
            description = "guest RAM, e.g. 64M or 1G (default: ${DEFAULT-VALUE})")
    int memory = Machine.DEFAULT_RAM_BYTES;

    @Option(names = "--cmdline", paramLabel = "TEXT", description = "arguments for the kernel: it gets the command line 'FILE TEXT', as from QEMU's -append")
    String cmdline;

    @Option(names = "--max-instructions", paramLabel = "N",
            description = "stop after N guest instructions (default: no limit)")
    long maxInstructions;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--stats", description = "print instructions executed, wall time and MIPS on stderr at exit")
    boolean stats;

    @Override
    public Integer call() {
        if (maxInstructions < 0) {
            kasou.err.println("kasou boot: --max-instructions must be positive (see 'kasou boot --help')");
            return ExitCodes.USAGE;
        }
        return new GuestSession(kasou, memory, maxInstructions, stats, engine.jitThreshold())
                .run(m -> MultibootLoader.load(m, kernel, cmdline));
    }
}
