package org.kasou.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.kasou.pc.Machine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * Boots the Debian guest that scripts/fetch-debian-guest.sh prepares (Debian 12's i386 kernel and a
 * busybox initramfs) to its shell on the terminal: {@code boot} with that kernel, initrd and
 * {@code console=ttyS0}. The {@code kasou} launcher fetches the guest on first use.
 */
@Command(name = "linux", mixinStandardHelpOptions = true,
        description = {"Boots Debian 12's i386 Linux (linux-image-686 and a busybox initramfs) to a shell on the terminal.",
            "The guest comes from scripts/fetch-debian-guest.sh (apt-get download), which the ./kasou launcher runs on first use.",
            "The console is COM1 on the terminal; Ctrl-A x quits. Same as: boot --kernel DIR/vmlinuz --initrd DIR/initrd.gz --append console=ttyS0"})
final class LinuxCommand implements Callable<Integer> {
    /** Where the guest is by default, under kasou's home (the repository the launcher runs from). */
    static final String DEFAULT_GUEST = "target/debian-guest";

    @ParentCommand
    Kasou kasou;

    @Option(names = "--guest", paramLabel = "DIR",
            description = "the directory holding vmlinuz and initrd.gz (default: " + DEFAULT_GUEST + " under kasou's home)")
    Path guest;

    @Option(names = "--append", paramLabel = "TEXT",
            description = "more kernel command line after console=ttyS0 (kasou.poweroff, kasou.run=uname+-a,ls+/ ...)")
    String append;

    @Option(names = "--memory", paramLabel = "SIZE", converter = MemorySizeConverter.class, defaultValue = "128M",
            description = "guest RAM, e.g. 64M or 1G (default: ${DEFAULT-VALUE})")
    int memory = Machine.DEFAULT_RAM_BYTES;

    @Option(names = "--deterministic", description = "run on a clock that counts guest instructions (see boot --help)")
    boolean deterministic;

    @Option(names = "--max-instructions", paramLabel = "N", description = "stop after N guest instructions (default: no limit)")
    long maxInstructions;

    @Option(names = "--stats", description = "print instructions executed, wall time and MIPS on stderr at exit")
    boolean stats;

    @Option(names = "--timeline", paramLabel = "SECONDS", description = Timeline.OPTION_DESCRIPTION)
    double timeline;

    @Mixin
    EngineOptions engine = new EngineOptions();

    @Override
    public Integer call() {
        Path dir = guest != null ? guest : home().resolve(DEFAULT_GUEST);
        Path kernel = dir.resolve("vmlinuz"), initrd = dir.resolve("initrd.gz");
        if (!Files.isRegularFile(kernel) || !Files.isRegularFile(initrd)) {
            kasou.err.println("kasou linux: no Debian guest in " + dir.toAbsolutePath().normalize()
                    + " (scripts/fetch-debian-guest.sh fetches it; the ./kasou launcher does so on first use)");
            return ExitCodes.BAD_FILE;
        }
        BootCommand boot = new BootCommand();
        boot.kasou = kasou;
        boot.kernel = kernel;
        boot.initrd = initrd;
        boot.cmdline = append == null || append.isBlank() ? "console=ttyS0" : "console=ttyS0 " + append.strip();
        boot.memory = memory;
        boot.deterministic = deterministic;
        boot.maxInstructions = maxInstructions;
        boot.stats = stats;
        boot.timeline = timeline;
        boot.engine = engine;
        return boot.call();
    }

    /** kasou's home: the kasou.home property the launcher sets, else the working directory. */
    private static Path home() {
        String h = System.getProperty("kasou.home");
        return Path.of(h != null ? h : "");
    }
}
