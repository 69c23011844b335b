package org.kasou.conformance.sst;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class SstTestReaderTest {
    static InputStream subsetFile(String name) {
        InputStream in = SstTestReaderTest.class.getResourceAsStream("/sst-80286-subset/" + name);
        if (in == null) {
            throw new IllegalStateException("missing subset file " + name);
        }
        return in;
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    @Test
    void readsTheFirstAddTest() throws IOException {
        List<SstTest> tests = SstTestReader.read(subsetFile("00.json.gz"), "00.json.gz");
        assertEquals(25, tests.size());
        SstTest t = tests.get(0);
        assertEquals(0, t.index);
        assertEquals("add [bx+0Eh],bl", t.name);
        assertArrayEquals(new byte[] {0x00, 0x5F, 0x0E, (byte) 0xF4}, t.bytes);
        assertEquals(715, t.initialRegs[SstTest.AX]);
        assertEquals(65535, t.initialRegs[SstTest.CS]);
        assertEquals(38072, t.initialRegs[SstTest.IP]);
        assertEquals(1086632, t.initialRam[0]);
        assertEquals(11 * 2, t.initialRam.length);
        assertEquals(38076, t.expectedReg(SstTest.IP));
        assertEquals(19, t.expectedReg(SstTest.FLAGS));
        assertEquals(715, t.expectedReg(SstTest.AX), "registers absent from final keep their value");
        assertArrayEquals(new int[] {1075233, 1}, t.finalRam);
        assertEquals(SstTest.NO_EXCEPTION, t.exceptionVector);
        assertEquals("626be5084b331080eb08256c12a62d24afdf2a03", t.hash);
        assertEquals(0x00, t.opcode());
        assertEquals(0x5F, t.modrm());
    }

    @Test
    void readsExceptionAndPrefixes() throws IOException {
        String json = "[{\"idx\":7,\"name\":\"lock leave\",\"bytes\":[240,201,244],"
                + "\"initial\":{\"regs\":{\"ax\":1,\"bx\":2,\"cx\":3,\"dx\":4,\"cs\":5,\"ss\":6,\"ds\":7,\"es\":8,"
                + "\"sp\":9,\"bp\":10,\"si\":11,\"di\":12,\"ip\":13,\"flags\":2},\"ram\":[[5,6]],\"queue\":[]},"
                + "\"final\":{\"regs\":{\"sp\":3},\"ram\":[],\"queue\":[]},"
                + "\"exception\":{\"number\":13,\"flag_address\":4660},\"hash\":\"ab\"}]";
        SstTest t = SstTestReader.read(new ByteArrayInputStream(gzip(json)), "x").get(0);
        assertEquals(7, t.index);
        assertEquals(13, t.exceptionVector);
        assertEquals(4660, t.flagAddress);
        assertEquals(1, t.prefixCount());
        assertTrue(t.hasPrefix(0xF0));
        assertEquals(0xC9, t.opcode());
        assertEquals(3, t.expectedReg(SstTest.SP));
        assertEquals(10, t.expectedReg(SstTest.BP));
    }

    @Test
    void rejectsATruncatedFile() throws IOException {
        byte[] whole = subsetFile("01.json.gz").readAllBytes();
        byte[] half = Arrays.copyOf(whole, whole.length / 2);
        SstFormatException e = assertThrows(SstFormatException.class,
                () -> SstTestReader.read(new ByteArrayInputStream(half), "01.json.gz"));
        assertTrue(e.getMessage().startsWith("01.json.gz: "), e.getMessage());
    }

    @Test
    void rejectsSomethingThatIsNotGzip() {
        byte[] text = "[{\"name\":\"x\"}]".getBytes(StandardCharsets.UTF_8);
        assertThrows(SstFormatException.class, () -> SstTestReader.read(new ByteArrayInputStream(text), "plain"));
    }

    @Test
    void rejectsJsonOfAnotherShape() throws IOException {
        assertThrows(SstFormatException.class,
                () -> SstTestReader.read(new ByteArrayInputStream(gzip("{\"tests\":1}")), "obj"));
        assertThrows(SstFormatException.class,
                () -> SstTestReader.read(new ByteArrayInputStream(gzip("[{\"name\":\"x\",\"bytes\":[1]}]")), "short"));
        assertThrows(SstFormatException.class,
                () -> SstTestReader.read(new ByteArrayInputStream(gzip("[{\"name\":\"x\",\"bytes\":[1],"
                        + "\"initial\":{\"regs\":{\"ax\":1}},\"final\":{}}]")), "regs"));
    }
}
