package org.kasou.conformance.oracle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;
import org.kasou.isa.InsnForm;
import org.kasou.isa.Op;

class CaseGeneratorTest {
    @Test
    void sameSeedSameCases() {
        CaseGenerator a = new CaseGenerator(99), b = new CaseGenerator(99);
        for (int i = 0; i < 500; i++) {
            TestCase x = a.next(i), y = b.next(i);
            assertArrayEquals(x.code, y.code);
            assertArrayEquals(x.gpr, y.gpr);
            assertArrayEquals(x.initialData(), y.initialData());
        }
    }

    @Test
    void coversTheUserLevelIntegerInstructions() {
        Set<Op> ops = EnumSet.noneOf(Op.class);
        for (InsnForm f : new CaseGenerator(1).forms()) ops.add(f.op);
        for (Op op : new Op[] {Op.ADD, Op.ADC, Op.SBB, Op.NEG, Op.RCL, Op.SHRD, Op.MUL, Op.IDIV, Op.DAA, Op.AAM,
                Op.BSF, Op.BTC, Op.CMPXCHG8B, Op.XADD, Op.CMOV, Op.SETCC, Op.MOVS, Op.CMPS, Op.SCAS, Op.ENTER,
                Op.LEAVE, Op.PUSHA, Op.POPF, Op.JCC, Op.LOOPNE, Op.JCXZ, Op.CALL_IND, Op.RET, Op.BOUND, Op.INTO,
                Op.INT3, Op.XLAT, Op.BSWAP, Op.LAHF, Op.SALC, Op.UD2, Op.MOV_FROM_SREG, Op.MOV_TO_SREG, Op.POP_SREG,
                Op.LSS, Op.LFS, Op.LAR, Op.LSL, Op.VERR, Op.VERW}) {
            assertTrue(ops.contains(op), op + " missing from the generated forms");
        }
        for (Op op : new Op[] {Op.HLT, Op.IN, Op.CPUID, Op.INT, Op.LGDT, Op.SGDT, Op.X87}) {
            assertTrue(!ops.contains(op), op + " must not be generated");
        }
    }

    /** Every instruction boundary the generator records is one for kasou's decoder too. */
    @Test
    void recordedBoundariesDecode() {
        CaseGenerator g = new CaseGenerator(5);
        Decoder dec = new Decoder();
        DecodedInsn d = new DecodedInsn();
        for (int i = 0; i < 3000; i++) {
            TestCase tc = g.next(i);
            for (int k = 0; k < tc.insnOffsets.length; k++) {
                int end = k + 1 < tc.insnOffsets.length ? tc.insnOffsets[k + 1] : tc.code.length;
                dec.decode(d, Decoder.ofArray(tc.code, 0), tc.insnOffsets[k], (tc.mode & OracleLayout.MODE_CODE16) == 0);
                assertEquals(end - tc.insnOffsets[k], d.len, () -> "case " + tc.id + " " + String.join(" ; ", tc.insnText));
            }
        }
    }

    /** On the host, generated memory operands land in the data region: most single cases complete. */
    @Test
    void singleInstructionsMostlyCompleteOnTheHost() throws IOException {
        Optional<NativeOracle> o = NativeOracle.start(Path.of("target", "oracle"), 20);
        assumeTrue(o.isPresent(), "gcc -m32 or 32-bit execution unavailable");
        try (NativeOracle host = o.get()) {
            CaseGenerator g = new CaseGenerator(7);
            List<TestCase> cases = new ArrayList<>();
            for (InsnForm f : g.forms()) {
                for (int k = 0; k < 3; k++) cases.add(g.single(cases.size(), f));
            }
            List<CaseResult> r = host.run(cases);
            long completed = r.stream().filter(x -> x.status == CaseResult.Status.COMPLETED).count();
            assertTrue(completed > cases.size() * 0.85, completed + " of " + cases.size() + " completed");
        }
    }
}
