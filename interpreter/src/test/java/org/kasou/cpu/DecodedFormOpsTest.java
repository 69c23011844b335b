package org.kasou.cpu;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;
import org.kasou.isa.HandlerSelector;

/**
 * The instructions that {@link DecodedFormOps} gives fast forms to get them, and the neighbours it
 * leaves alone stay generic (what they compute is checked against the generic path by
 * FastFormDifferentialTest).
 */
class DecodedFormOpsTest {
    private static FastOp op(String hex) {
        String[] parts = hex.trim().split("\\s+");
        byte[] b = new byte[parts.length + 16];
        for (int i = 0; i < parts.length; i++) b[i] = (byte) Integer.parseInt(parts[i], 16);
        DecodedInsn d = new DecodedInsn();
        new Decoder().decode(d, Decoder.ofArray(b, 0), 0, true);
        HandlerSelector.select(d);
        return OpFactory.create(0, d, 0);
    }

    @Test
    void compiledCodesCommonGenericFormsAreFast() {
        String[] fast = {
            "66 85 C0",       // test ax, ax
            "66 F7 D8",       // neg ax
            "66 C1 E8 08",    // shr ax, 8
            "66 83 FB 10",    // cmp bx, 16
            "66 01 C8",       // add ax, cx
            "66 41",          // inc cx
            "FE C8",          // dec al
            "F6 D4",          // not ah
            "0A 44 24 08",    // or al, [esp+8]
            "66 03 06",       // add ax, [esi]
            "FF 74 24 04",    // push dword [esp+4]
            "F7 F3",          // div ebx
            "F7 3E",          // idiv dword [esi]
            "FC", "FD",       // cld, std
        };
        for (String h : fast) assertFalse(op(h) instanceof GenericOp, h + " takes the generic path");
    }

    @Test
    void formsLeftToTheGenericPathStayThere() {
        String[] generic = {
            "66 C1 E8 00",    // shr ax, 0: flags untouched, nothing to do fast
            "08 06",          // or [esi], al: a write after the flags
            "67 FF 34",       // push dword [si]: 16-bit addressing
            "66 F7 F3",       // div bx
        };
        for (String h : generic) assertInstanceOf(GenericOp.class, op(h), h);
    }
}
