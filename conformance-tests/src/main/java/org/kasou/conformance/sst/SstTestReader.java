package org.kasou.conformance.sst;

import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;
import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads one SingleStepTests file ({@code XX.json.gz}: a gzip-compressed JSON array of tests) with
 * Gson's streaming reader, straight into {@link SstTest}s. Fields this runner does not use (the
 * prefetch queue, bus cycles) are skipped.
 */
public final class SstTestReader {
    private SstTestReader() {}

    public static List<SstTest> read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.getFileName().toString());
        }
    }

    /** Reads a gzip-compressed test array; {@code source} names it in error messages. */
    public static List<SstTest> read(InputStream gzipped, String source) throws IOException {
        try (JsonReader json = new JsonReader(new InputStreamReader(
                new GZIPInputStream(new BufferedInputStream(gzipped, 1 << 16), 1 << 16), StandardCharsets.UTF_8))) {
            List<SstTest> tests = new ArrayList<>(512);
            json.beginArray();
            while (json.hasNext()) {
                tests.add(readTest(json, source, tests.size()));
            }
            json.endArray();
            return tests;
        } catch (ZipException e) {
            throw new SstFormatException(source + ": not a valid gzip file (" + e.getMessage() + ")", e);
        } catch (EOFException e) {
            throw new SstFormatException(source + ": truncated (the gzip data ends early)", e);
        } catch (MalformedJsonException | IllegalStateException | NumberFormatException e) {
            throw new SstFormatException(source + ": not SingleStepTests JSON (" + e.getMessage() + ")", e);
        }
    }

    private static SstTest readTest(JsonReader json, String source, int position) throws IOException {
        int index = position;
        String name = null;
        byte[] bytes = null;
        int[] initialRegs = null;
        int[] initialRam = null;
        int[] finalRegs = null;
        int[] finalRam = null;
        int vector = SstTest.NO_EXCEPTION;
        int flagAddress = -1;
        String hash = "";
        json.beginObject();
        while (json.hasNext()) {
            switch (json.nextName()) {
                case "idx" -> index = json.nextInt();
                case "name" -> name = json.nextString();
                case "bytes" -> bytes = readBytes(json);
                case "initial" -> {
                    int[][] state = readState(json, true);
                    initialRegs = state[0];
                    initialRam = state[1];
                }
                case "final" -> {
                    int[][] state = readState(json, false);
                    finalRegs = state[0];
                    finalRam = state[1];
                }
                case "exception" -> {
                    json.beginObject();
                    while (json.hasNext()) {
                        switch (json.nextName()) {
                            case "number" -> vector = json.nextInt();
                            case "flag_address" -> flagAddress = json.nextInt();
                            default -> json.skipValue();
                        }
                    }
                    json.endObject();
                }
                case "hash" -> hash = json.nextString();
                default -> json.skipValue();
            }
        }
        json.endObject();
        if (name == null || bytes == null || initialRegs == null || finalRegs == null) {
            throw new SstFormatException(source + ": test at position " + position
                    + " lacks one of name, bytes, initial, final");
        }
        return new SstTest(index, name, bytes, initialRegs, initialRam, finalRegs, finalRam, vector, flagAddress, hash);
    }

    private static byte[] readBytes(JsonReader json) throws IOException {
        byte[] out = new byte[16];
        int n = 0;
        json.beginArray();
        while (json.hasNext()) {
            if (n == out.length) {
                out = Arrays.copyOf(out, n * 2);
            }
            out[n++] = (byte) json.nextInt();
        }
        json.endArray();
        return Arrays.copyOf(out, n);
    }

    /** Returns {regs, ram}; a register missing from a final state is {@link SstTest#UNCHANGED}. */
    private static int[][] readState(JsonReader json, boolean initial) throws IOException {
        int[] regs = new int[SstTest.REG_COUNT];
        Arrays.fill(regs, SstTest.UNCHANGED);
        int[] ram = new int[0];
        json.beginObject();
        while (json.hasNext()) {
            switch (json.nextName()) {
                case "regs" -> {
                    json.beginObject();
                    while (json.hasNext()) {
                        int r = regIndex(json.nextName());
                        if (r < 0) {
                            json.skipValue();
                        } else {
                            regs[r] = json.nextInt() & 0xFFFF;
                        }
                    }
                    json.endObject();
                }
                case "ram" -> ram = readPairs(json);
                default -> json.skipValue();
            }
        }
        json.endObject();
        if (initial) {
            for (int r = 0; r < regs.length; r++) {
                if (regs[r] == SstTest.UNCHANGED) {
                    throw new IllegalStateException("initial state lacks register " + SstTest.REG_NAMES[r]);
                }
            }
        }
        return new int[][] {regs, ram};
    }

    private static int[] readPairs(JsonReader json) throws IOException {
        int[] out = new int[32];
        int n = 0;
        json.beginArray();
        while (json.hasNext()) {
            json.beginArray();
            if (n + 2 > out.length) {
                out = Arrays.copyOf(out, out.length * 2);
            }
            out[n++] = json.nextInt();
            out[n++] = json.nextInt() & 0xFF;
            if (json.peek() != JsonToken.END_ARRAY) {
                throw new IllegalStateException("a ram entry has more than two numbers");
            }
            json.endArray();
        }
        json.endArray();
        return Arrays.copyOf(out, n);
    }

    private static int regIndex(String name) {
        for (int i = 0; i < SstTest.REG_NAMES.length; i++) {
            if (SstTest.REG_NAMES[i].equals(name)) {
                return i;
            }
        }
        return -1;
    }
}
