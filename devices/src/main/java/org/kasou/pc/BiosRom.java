package org.kasou.pc;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.kasou.mem.MmioHandler;

/**
 * A system ROM (BIOS) image mapped as a PC maps it: the whole image at the top of the 4 GiB space,
 * where the CPU fetches its first instruction after reset (F000:FFF0, linear FFFFFFF0), and its
 * last 128 KiB (or all of a smaller image) at the top of the first megabyte, where real-mode code
 * reaches it as segment F000 (and E000). The high copy is read-only; the low one is RAM loaded with
 * the image, as the shadow RAM of a PC chipset, so that code there runs at the speed of any RAM.
 */
public final class BiosRom {
    public static final int MIN_BYTES = 64 << 10, MAX_BYTES = 256 << 10;
    /** How much of the image appears below 1 MiB. */
    static final int LOW_BYTES = 128 << 10;

    private BiosRom() {
    }

    /** Reads and checks a ROM image file: a multiple of 64 KiB from 64 KiB to 256 KiB. */
    public static byte[] read(Path file) throws KernelLoadException {
        byte[] image;
        try {
            if (Files.isDirectory(file)) throw new KernelLoadException("the BIOS ROM " + file + " is a directory");
            if (Files.size(file) > MAX_BYTES) {
                throw new KernelLoadException("the BIOS ROM " + file + " is larger than 256 KiB (" + Files.size(file) + " bytes)");
            }
            image = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new KernelLoadException("cannot read the BIOS ROM " + file + ": no such file");
        } catch (IOException e) {
            throw new KernelLoadException("cannot read the BIOS ROM " + file + ": " + e.getMessage());
        }
        if (image.length < MIN_BYTES || image.length % MIN_BYTES != 0) {
            throw new KernelLoadException("the BIOS ROM " + file + " is " + image.length
                    + " bytes: a ROM image is 64, 128, 192 or 256 KiB");
        }
        return image;
    }

    /** Maps the image into the machine (which needs at least 1 MiB of RAM) and resets its CPU to start there. */
    public static void install(Machine machine, byte[] image) throws KernelLoadException {
        if (machine.physical.ramSize() < 1 << 20) {
            throw new KernelLoadException("booting from a BIOS ROM needs at least 1 MiB of RAM");
        }
        int low = Math.min(image.length, LOW_BYTES);
        machine.physical.load((1 << 20) - low, image, image.length - low, low);
        int highBase = (int) (0x1_0000_0000L - image.length);
        machine.physical.mapMmio(highBase, image.length, new ReadOnly(image));
        machine.resetCpu();
    }

    /** The image at the top of the address space: reads come from it, writes are ignored. */
    private record ReadOnly(byte[] image) implements MmioHandler {
        @Override
        public int read(int off, int size) {
            int v = 0;
            for (int i = 0; i < size; i++) {
                int at = off + i;
                v |= (at >= 0 && at < image.length ? image[at] & 0xFF : 0xFF) << (8 * i);
            }
            return v;
        }

        @Override
        public void write(int off, int size, int value) {
            // ROM: writes do nothing
        }
    }
}
