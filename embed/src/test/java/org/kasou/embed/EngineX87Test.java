package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** The x87 registers through the register API: read, written, and seen by guest code on both engines. */
class EngineX87Test {
    @ParameterizedTest(name = "jit={0}")
    @ValueSource(booleans = {false, true})
    void guestCodeComputesWithStackRegistersSetFromJava(boolean jit) {
        // fld st0; fmulp st1, st0; fld1; faddp st1, st0; fstp qword [DATA]; ret
        Engine e = Guests.engine(jit, Guests.bytes(0xD9, 0xC0, 0xDE, 0xC9, 0xD9, 0xE8, 0xDE, 0xC1, 0xDD, 0x1D,
                (int) Guests.DATA, (int) (Guests.DATA >>> 8), 0, 0, 0xC3));
        e.setReg(Register.FPSW, 7 << 11); // TOP = 7: ST(0) is physical register 7
        e.setSt(0, X87Value.of(1.5));
        assertEquals(0x3FFF, e.reg(Register.FPTW), "physical register 7 valid, the others empty");
        for (int pass = 0; pass < 3; pass++) { // the JIT compiles at first sight: later passes run compiled code
            e.setReg(Register.FPSW, 7 << 11);
            e.setReg(Register.FPTW, 0xFFFF);
            e.setSt(0, X87Value.of(1.5));
            e.writeU32(Guests.STACK - 0x100, Guests.RETURN);
            e.setReg(Register.ESP, Guests.STACK - 0x100);
            e.run(Guests.CODE, Guests.RETURN);
            assertEquals(Double.doubleToLongBits(1.5 * 1.5 + 1), e.readU64(Guests.DATA));
            assertEquals(0, (e.reg(Register.FPSW) >>> 11) & 7, "two pushes and two pops from 7 leave TOP at 0");
            assertEquals(0xFFFF, e.reg(Register.FPTW), "everything popped: all empty");
            assertEquals(0xDD, (e.reg(Register.FOP) >>> 8) | 0xD8, "the last instruction was FSTP m64");
        }
    }

    @ParameterizedTest(name = "jit={0}")
    @ValueSource(booleans = {false, true})
    void controlWordRoundingReachesGuestCode(boolean jit) {
        // fistp dword [DATA]; ret
        Engine e = Guests.engine(jit, Guests.bytes(0xDB, 0x1D, (int) Guests.DATA, (int) (Guests.DATA >>> 8), 0, 0, 0xC3));
        int[] rc = {0, 1, 2, 3};
        int[] expected = {2, 2, 3, 2}; // 2.5: nearest even, down, up, toward zero
        for (int k = 0; k < rc.length; k++) {
            e.setReg(Register.FPCW, 0x037F | rc[k] << 10);
            assertEquals(0x037F | rc[k] << 10, e.reg(Register.FPCW));
            e.setReg(Register.FPSW, 7 << 11);
            e.setReg(Register.FPTW, 0xFFFF);
            e.setSt(0, X87Value.of(2.5));
            e.writeU32(Guests.STACK - 0x100, Guests.RETURN);
            e.setReg(Register.ESP, Guests.STACK - 0x100);
            e.run(Guests.CODE, Guests.RETURN);
            assertEquals(expected[k], e.readU32(Guests.DATA), "rounding control " + rc[k]);
        }
    }

    @Test
    void valuesKeepEveryEightyBitEncoding() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        X87Value pi = new X87Value(0x4000, 0xC90FDAA22168C235L); // pi to 64 bits, more than a double holds
        e.setSt(3, pi);
        assertEquals(pi, e.st(3));
        assertEquals(Math.PI, pi.toDouble());
        X87Value unnormal = new X87Value(0x4000, 0x4000000000000000L); // no integer bit
        e.setSt(1, unnormal);
        assertEquals(unnormal, e.st(1));
        assertEquals(new X87Value(0x8000, 0), X87Value.of(-0.0));
        assertTrue(X87Value.of(-0.0).negative());
        assertEquals(new X87Value(0x7FFF, 0x8000000000000000L), X87Value.of(Double.POSITIVE_INFINITY));
        assertEquals(0.1, X87Value.of(0.1).toDouble());
        assertThrows(IllegalArgumentException.class, () -> e.st(8));
        assertThrows(IllegalArgumentException.class, () -> new X87Value(0x10000, 0));
    }

    @Test
    void contextsCarryWhatTheApiWrote() {
        Engine e = Engine.create(Mode.PROTECTED_32);
        e.setSt(0, X87Value.of(42.0));
        e.setReg(Register.FPCW, 0x0C7F);
        CpuContext c = e.saveContext();
        e.setSt(0, X87Value.of(-1.0));
        e.setReg(Register.FPCW, 0x037F);
        e.restoreContext(c);
        assertEquals(42.0, e.st(0).toDouble());
        assertEquals(0x0C7F, e.reg(Register.FPCW));
    }
}
