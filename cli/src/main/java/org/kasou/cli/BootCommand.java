package org.kasou.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kasou.pc.BiosRom;
import org.kasou.pc.KernelLoadException;
import org.kasou.pc.LinuxLoader;
import org.kasou.pc.Machine;
import org.kasou.pc.MultibootLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "boot", mixinStandardHelpOptions = true,
        description = {"Boots a Linux bzImage or a multiboot v1 kernel, or a PC from a BIOS ROM image.",
            "A bzImage is loaded by the Linux boot protocol and started at its 32-bit entry, with --initrd and --append.",
            "The kernel is an ELF32 file or a flat image with the multiboot address fields, loaded as QEMU's -kernel does.",
            "A BIOS ROM (64 to 256 KiB) is mapped below 4 GiB and below 1 MiB, and the CPU starts at F000:FFF0 as after RESET.",
            "Port 0xE9 is the debug console (standard output); writing v to port 0xF4 exits with status (v << 1) | 1."})
final class BootCommand implements Callable<Integer> {
    @ParentCommand
    Kasou kasou;

    @Option(names = "--kernel", paramLabel = "FILE", description = "the kernel to boot: a Linux bzImage or a multiboot kernel")
    Path kernel;

    @Option(names = "--initrd", paramLabel = "FILE", description = "the initial RAM disk of a Linux kernel")
    Path initrd;

    @Option(names = "--bios", paramLabel = "FILE", description = "start from this ROM image at the reset vector instead of a kernel")
    Path bios;

    @Option(names = "--port-log", paramLabel = "PORT", split = ",", converter = PortConverter.class,
            description = "print each write to these I/O ports on stderr as 'port 0x190 <- 0x12' (e.g. --port-log 0x190,0x80)")
    java.util.List<Integer> portLog = new java.util.ArrayList<>();

    @Option(names = "--deterministic",
            description = "run on a clock that counts guest instructions instead of the host's: every run is the same, timer interrupts included")
    boolean deterministic;

    @Option(names = "--no-reboot", description = "end when the guest resets or triple-faults, instead of restarting it at the reset vector (always so without --bios)")
    boolean noReboot;

    @Option(names = "--memory", paramLabel = "SIZE", converter = MemorySizeConverter.class, defaultValue = "128M",
            description = "guest RAM, e.g. 64M or 1G (default: ${DEFAULT-VALUE})")
    int memory = Machine.DEFAULT_RAM_BYTES;

    @Option(names = {"--append", "--cmdline"}, paramLabel = "TEXT",
            description = "the kernel's command line (a multiboot kernel gets 'FILE TEXT', as from QEMU's -append)")
    String cmdline;

    @Option(names = "--max-instructions", paramLabel = "N",
            description = "stop after N guest instructions (default: no limit)")
    long maxInstructions;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Option(names = "--stats", description = "print instructions executed, wall time and MIPS on stderr at exit")
    boolean stats;

    @Option(names = "--timeline", paramLabel = "SECONDS", description = Timeline.OPTION_DESCRIPTION)
    double timeline;

    @Override
    public Integer call() {
        if (!Timeline.validPeriod(timeline)) {
            kasou.err.println(Timeline.periodError("boot"));
            return ExitCodes.USAGE;
        }
        if ((kernel == null) == (bios == null)) {
            kasou.err.println("kasou boot: give either --kernel FILE or --bios FILE (see 'kasou boot --help')");
            return ExitCodes.USAGE;
        }
        if (maxInstructions < 0) {
            kasou.err.println("kasou boot: --max-instructions must be positive (see 'kasou boot --help')");
            return ExitCodes.USAGE;
        }
        if (bios != null && (cmdline != null || initrd != null)) {
            kasou.err.println("kasou boot: --append and --initrd are for a --kernel (see 'kasou boot --help')");
            return ExitCodes.USAGE;
        }
        return new GuestSession(kasou, memory, maxInstructions, stats, engine.jitThreshold()).withSerialInput()
                .deterministic(deterministic)
                .timeline(timeline)
                .run(m -> {
                    if (!portLog.isEmpty()) watchPorts(m);
                    if (bios != null) {
                        BiosRom.install(m, BiosRom.read(bios));
                        m.setRebootOnReset(!noReboot);
                    } else if (LinuxLoader.isBzImage(MultibootLoader.readKernel(kernel))) {
                        LinuxLoader.load(m, kernel, initrd, cmdline);
                    } else if (initrd != null) {
                        throw new KernelLoadException(kernel + ": --initrd is for a Linux bzImage, and this is not one");
                    } else {
                        MultibootLoader.load(m, kernel, cmdline);
                    }
                });
    }

    private void watchPorts(Machine m) {
        java.util.BitSet ports = new java.util.BitSet(0x10000);
        for (int p : portLog) ports.set(p);
        java.io.PrintStream err = kasou.err;
        m.io.watchWrites(ports, (port, size, value) -> {
            long v = value & (size == 4 ? 0xFFFFFFFFL : (1L << (8 * size)) - 1);
            err.printf("port 0x%x <- 0x%0" + (2 * size) + "x%n", port, v);
        });
    }

    /** An I/O port number, decimal or 0x-prefixed hexadecimal, 0 to 0xFFFF. */
    static final class PortConverter implements picocli.CommandLine.ITypeConverter<Integer> {
        @Override
        public Integer convert(String s) {
            String t = s.trim().toLowerCase(java.util.Locale.ROOT);
            int v;
            try {
                v = t.startsWith("0x") ? Integer.parseInt(t.substring(2), 16) : Integer.parseInt(t);
            } catch (NumberFormatException e) {
                throw new picocli.CommandLine.TypeConversionException("'" + s + "' is not a port number (e.g. 0x190 or 400)");
            }
            if (v < 0 || v > 0xFFFF) throw new picocli.CommandLine.TypeConversionException("port " + s + " is beyond 0xFFFF");
            return v;
        }
    }
}
