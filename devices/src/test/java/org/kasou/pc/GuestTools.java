package org.kasou.pc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The host tools the guest tests use when they are installed: nasm and qemu-system-i386. */
final class GuestTools {
    private GuestTools() {
    }

    static boolean available(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    record Result(int exitStatus, String stdout, String stderr) {
    }

    static Result run(List<String> command, Path workDir, long timeoutSeconds) throws IOException, InterruptedException {
        Path out = Files.createTempFile("kasou-tool", ".out");
        Path err = Files.createTempFile("kasou-tool", ".err");
        try {
            Process p = new ProcessBuilder(command).directory(workDir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(String.join(" ", command) + " did not finish in " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.ISO_8859_1),
                    Files.readString(err, StandardCharsets.ISO_8859_1));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** Assembles a flat binary with nasm. */
    static byte[] nasm(Path source, Path dir) throws IOException, InterruptedException {
        Path bin = dir.resolve(source.getFileName() + ".bin");
        Path src = source.toAbsolutePath();
        Result r = run(List.of("nasm", "-f", "bin", "-i", src.getParent() + "/", "-o", bin.toString(), src.toString()), dir, 60);
        if (r.exitStatus() != 0) {
            throw new AssertionError("nasm failed on " + source + ":\n" + r.stderr());
        }
        return Files.readAllBytes(bin);
    }

    /**
     * Boots a multiboot kernel in QEMU with the debug console on stdout and the exit device at 0xF4.
     */
    static Result qemu(byte[] kernel, Path dir, String... extra) throws IOException, InterruptedException {
        Path file = dir.resolve("kernel.bin");
        Files.write(file, kernel);
        List<String> cmd = new ArrayList<>(List.of("qemu-system-i386", "-kernel", file.toString(),
                "-debugcon", "stdio", "-device", "isa-debug-exit,iobase=0xf4,iosize=4", "-display", "none",
                "-no-reboot", "-m", "128"));
        cmd.addAll(List.of(extra));
        return run(cmd, dir, 60);
    }
}
