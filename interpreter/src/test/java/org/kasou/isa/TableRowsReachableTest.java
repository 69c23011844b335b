package org.kasou.isa;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Every row of the instruction table is reachable: an encoding built from the row (its mandatory
 * prefix, map, opcode and a ModRM byte meeting its constraints, for each allowed mod) decodes to
 * that very row, in 16- and 32-bit code. A row shadowed by another, or one the decoder cannot
 * select, fails here without needing objdump.
 */
class TableRowsReachableTest {

    @Test
    void everyRowDecodesToItself() {
        Decoder decoder = new Decoder();
        DecodedInsn d = new DecodedInsn();
        List<String> failures = new ArrayList<>();
        for (InsnForm f : InstructionTable.get().forms()) {
            for (boolean code32 : new boolean[] {true, false}) {
                for (int mod = 0; mod < 4; mod++) {
                    if (!f.modrm && mod > 0) break;
                    if (f.mod == InsnForm.MOD_MEM && mod == 3) continue;
                    if ((f.mod == InsnForm.MOD_REG || f.rm >= 0) && mod != 3) continue;
                    boolean reached = false;
                    // a row for any ModRM.reg is reachable if some reg value selects it (others may
                    // belong to more specific rows of the same opcode)
                    for (int reg = 0; reg < 8 && !reached; reg++) {
                        if (f.reg >= 0 && reg != f.reg) continue;
                        decoder.decode(d, Decoder.ofArray(encode(f, mod, reg), 0), 0, code32);
                        reached = d.status == DecodedInsn.OK && d.form == f;
                    }
                    if (!reached) {
                        failures.add(f + " (" + (code32 ? 32 : 16) + "-bit, mod " + mod + ") decodes as "
                                + (d.form == null ? "status " + d.status : d.form.toString()));
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), () -> failures.size() + " rows unreachable: " + failures.subList(0, Math.min(20, failures.size())));
    }

    private static byte[] encode(InsnForm f, int mod, int reg) {
        byte[] b = new byte[32];
        int p = 0;
        switch (f.prefix) {
            case InsnForm.PFX_66: b[p++] = 0x66; break;
            case InsnForm.PFX_F3: b[p++] = (byte) 0xF3; break;
            case InsnForm.PFX_F2: b[p++] = (byte) 0xF2; break;
            default: break;
        }
        if (f.map >= 1) b[p++] = 0x0F;
        if (f.map == 2) b[p++] = 0x38;
        if (f.map == 3) b[p++] = 0x3A;
        b[p++] = (byte) f.opcode;
        if (f.modrm) {
            int rm = f.rm >= 0 ? f.rm : 3; // no SIB, no bare displacement
            b[p] = (byte) (mod << 6 | reg << 3 | rm);
        }
        return b; // zero displacement and immediate bytes follow
    }
}
