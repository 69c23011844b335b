package org.kasou.conformance.sst;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;

/**
 * Every SingleStepTests case is one instruction followed by the HLT that ends it, so the
 * captured bytes give the instruction's length on the 286: the decoder must agree, in 16-bit
 * code, for every test of the shipped subset (and of the full vectors when they are there).
 */
class SstDecodeLengthTest {
    static Path subsetDir() throws URISyntaxException {
        return Path.of(SstDecodeLengthTest.class.getResource("/sst-80286-subset").toURI());
    }

    /** Every case whose instruction the 286 executed (did not reject with #UD). */
    static List<String> lengthMismatches(Path dir) throws IOException {
        Decoder decoder = new Decoder();
        DecodedInsn d = new DecodedInsn();
        List<String> bad = new ArrayList<>();
        for (Path f : SstSuite.testFiles(dir)) {
            for (SstTest t : SstTestReader.read(f)) {
                if (t.exceptionVector == 6) {
                    continue; // #UD on the 286: the bytes after the opcode are filler, no length
                }
                decoder.decode(d, Decoder.ofArray(t.bytes, 0), 0, false);
                int expected = t.bytes.length - 1;
                if (d.len != expected || d.status == DecodedInsn.TRUNCATED) {
                    bad.add(String.format("%s #%d %s: length %d, decoded %d (status %d)",
                            f.getFileName(), t.index, t.name, expected, d.len, d.status));
                }
            }
        }
        return bad;
    }

    @Test
    void decodedLengthsMatchTheSubset() throws Exception {
        List<String> bad = lengthMismatches(subsetDir());
        assertTrue(bad.isEmpty(), bad.size() + " mismatches, first: " + bad.subList(0, Math.min(20, bad.size())));
    }

    @Test
    void decodedLengthsMatchTheFullVectors() throws Exception {
        Path dir = SstVectors.locate().orElse(null);
        org.junit.jupiter.api.Assumptions.assumeTrue(dir != null, "full vectors not present");
        List<String> bad = lengthMismatches(dir);
        assertTrue(bad.isEmpty(), bad.size() + " mismatches, first: " + bad.subList(0, Math.min(20, bad.size())));
    }
}
