package org.kasou.embed;

import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Memory hooks over code see each instruction fetched, with its length and bytes. */
class FetchHookTest {
    @ParameterizedTest(name = "jit={0}")
    @ValueSource(booleans = {false, true})
    void eachInstructionFetchedFromTheRangeIsAnEvent(boolean jit) {
        // mov eax, 0x11223344; inc eax; mov [DATA], eax; ret
        byte[] code = Guests.bytes(0xB8, 0x44, 0x33, 0x22, 0x11, 0x40, 0xA3, 0x00, 0x20, 0x00, 0x00, 0xC3);
        Engine e = Guests.engine(jit, code);
        List<String> events = new ArrayList<>();
        e.hookMemory(Guests.CODE, Guests.CODE + 5, (en, access, address, size, value) ->
                events.add(access + "@" + Long.toHexString(address) + "/" + size + "=" + Long.toHexString(value)));
        List<String> data = new ArrayList<>();
        e.hookMemory(Guests.DATA, Guests.DATA + 3, (en, access, address, size, value) -> data.add(access + "/" + size));
        for (int pass = 0; pass < 2; pass++) {
            events.clear();
            data.clear();
            e.writeU32(Guests.STACK - 0x100, Guests.RETURN);
            e.setReg(Register.ESP, Guests.STACK - 0x100);
            assertEquals(StopCause.UNTIL_REACHED, e.run(Guests.CODE, Guests.RETURN).cause());
            // The hooked range [CODE, CODE+5] holds the MOV (5 bytes) and the INC (its first byte at CODE+5).
            assertEquals(List.of("FETCH@1000/5=11223344b8", "FETCH@1005/1=40"), events);
            assertEquals(List.of("WRITE/4"), data, "a fetch is not a data access");
            assertEquals(0x11223345L, e.readU32(Guests.DATA));
        }
    }
}
