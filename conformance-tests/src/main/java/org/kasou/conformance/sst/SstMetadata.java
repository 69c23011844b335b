package org.kasou.conformance.sst;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The suite's {@code metadata.json}: per opcode (and per ModRM reg for group opcodes) its status
 * and, where the 286 leaves flags undefined, the {@code flags-mask} to AND both FLAGS values with
 * before comparing. A copy of the 80286 real-mode metadata ships as a resource and serves
 * directories that lack their own.
 */
public final class SstMetadata {
    /** Mask for opcodes whose flags are all defined. */
    public static final int ALL_FLAGS = 0xFFFF;
    private static final String BUNDLED = "/org/kasou/conformance/sst/metadata-80286-real.json";

    private final Map<String, Entry> entries = new TreeMap<>();

    /** Status (normal, alias, undocumented, undefined, prefix, fpu...) and flags mask of one form. */
    public record Entry(String status, int flagsMask) {}

    private SstMetadata() {}

    public static SstMetadata load(Path file) throws IOException {
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return parse(r, file.toString());
        }
    }

    /** The metadata of the 80286 real-mode suite, bundled with the runner. */
    public static SstMetadata bundled() {
        try (InputStream in = SstMetadata.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BUNDLED);
            }
            return parse(new InputStreamReader(in, StandardCharsets.UTF_8), BUNDLED);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read resource " + BUNDLED, e);
        }
    }

    /** The directory's own metadata.json when present, otherwise the bundled one. */
    public static SstMetadata forDirectory(Path dir) throws IOException {
        Path file = dir.resolve("metadata.json");
        return Files.isRegularFile(file) ? load(file) : bundled();
    }

    private static SstMetadata parse(Reader reader, String source) throws IOException {
        SstMetadata m = new SstMetadata();
        try {
            JsonObject opcodes = JsonParser.parseReader(reader).getAsJsonObject().getAsJsonObject("opcodes");
            if (opcodes == null) {
                throw new SstFormatException(source + ": no \"opcodes\" object");
            }
            for (Map.Entry<String, JsonElement> op : opcodes.entrySet()) {
                JsonObject o = op.getValue().getAsJsonObject();
                if (o.has("reg")) {
                    for (Map.Entry<String, JsonElement> reg : o.getAsJsonObject("reg").entrySet()) {
                        m.entries.put(op.getKey().toUpperCase() + "." + reg.getKey(), entry(reg.getValue().getAsJsonObject()));
                    }
                } else {
                    m.entries.put(op.getKey().toUpperCase(), entry(o));
                }
            }
        } catch (JsonParseException | IllegalStateException | ClassCastException e) {
            throw new SstFormatException(source + ": not SingleStepTests metadata (" + e.getMessage() + ")", e);
        }
        return m;
    }

    private static Entry entry(JsonObject o) {
        String status = o.has("status") ? o.get("status").getAsString() : "normal";
        int mask = o.has("flags-mask") ? o.get("flags-mask").getAsInt() & 0xFFFF : ALL_FLAGS;
        return new Entry(status, mask);
    }

    /**
     * The entry for a file key: the file name without {@code .json.gz}, {@code "80.3"} for a group
     * member or {@code "D8"} for a plain opcode. Unknown keys compare every flag.
     */
    public Entry entry(String fileKey) {
        Entry e = entries.get(fileKey.toUpperCase());
        return e != null ? e : new Entry("unknown", ALL_FLAGS);
    }

    public int flagsMask(String fileKey) {
        return entry(fileKey).flagsMask();
    }
}
