package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.kasou.cpu.FpuState;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;

/** X87Frame's tables and bit arithmetic against their plain definitions. */
class X87FrameTest {
    private static DecodedInsn decode(int... bytes) {
        byte[] code = new byte[bytes.length + 8];
        for (int i = 0; i < bytes.length; i++) code[i] = (byte) bytes[i];
        DecodedInsn d = new DecodedInsn();
        new Decoder().decode(d, Decoder.ofArray(code, 0), 0, true);
        return d;
    }

    @Test
    void emptySlotsFollowsTheTagWordFromTop0() {
        Random rnd = new Random(7);
        FpuState f = new FpuState();
        for (int n = 0; n < 20_000; n++) {
            f.tags = n < 256 ? spread(n) : rnd.nextInt(0x10000);
            for (int top0 = 0; top0 < 8; top0++) {
                int expected = 0;
                for (int k = 0; k < 8; k++) if (f.tag((top0 + k) & 7) == FpuState.TAG_EMPTY) expected |= 1 << k;
                assertEquals(expected, X87Frame.emptySlots(f, top0), "tags " + Integer.toHexString(f.tags) + " top0 " + top0);
            }
        }
    }

    /** A tag word with register p empty where bit p of m is set, the others tagged 0, 1 or 2 by p. */
    private static int spread(int m) {
        int t = 0;
        for (int p = 0; p < 8; p++) t |= ((m >>> p & 1) != 0 ? 3 : p % 3) << 2 * p;
        return t;
    }

    /** A compiled form moves TOP as the instruction does when run the usual way, for every register form and ModRM.reg. */
    @Test
    void compiledFormsMoveTopAsTheInstructionsDo() {
        int forms = 0;
        for (int escape = 0xD8; escape <= 0xDF; escape++) {
            for (int modrm = 0; modrm < 256; modrm++) {
                DecodedInsn d = modrm >= 0xC0 ? decode(escape, modrm) : decode(escape, modrm & 0x38 | 0x05, 0, 0x10, 0, 0);
                if (d.status != DecodedInsn.OK) continue;
                int form = X87Forms.fastForm(d);
                if (form == 0) continue;
                forms++;
                int effect = X87Forms.stackEffect(d);
                assertNotEquals(X87Forms.UNKNOWN, effect, String.format("%02x %02x", escape, modrm));
                assertEquals(effect, X87Forms.fastEffect(form, d), String.format("%02x %02x", escape, modrm));
            }
        }
        assertTrue(forms > 300, forms + " compiled forms");
    }
}
