package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A unit's class is named after the guest code it holds, so that profilers name what they sample. */
class UnitNameTest {
    @Test
    void aUnitsClassNameEndsInItsFirstEntrysEip() {
        // mov ecx, 1000; loop: add eax, ecx; dec ecx; jnz loop; hlt
        byte[] code = {(byte) 0xB9, (byte) 0xE8, 0x03, 0x00, 0x00, 0x01, (byte) 0xC8, 0x49, 0x75, (byte) 0xFB, (byte) 0xF4};
        Guest g = Guest.haltsAlike(code, 20, 100_000); // the same end state on the interpreter and the JIT
        List<JitEngine.Body> bodies = JitEngine.of(g.cpu).bodiesInPage(Guest.CODE >>> 12);
        assertFalse(bodies.isEmpty(), "no unit was compiled");
        for (JitEngine.Body b : bodies) {
            String name = b.code.getClass().getName();
            String expected = "org.kasou.jit.GuestCode_" + Integer.toHexString(b.units.get(0).eip);
            // A hidden class: the JVM adds "/" and a suffix of its own.
            assertEquals(expected, name.substring(0, name.indexOf('/')), name);
        }
    }
}
