package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.kasou.isa.DecodedInsn;
import org.kasou.isa.Decoder;
import org.kasou.isa.HandlerSelector;

/** TOP's offsets through a region built by hand, for units that keep the x87 stack in locals. */
class X87StackLayoutTest {
    private static Node node(int order, int eip, int... bytes) {
        byte[] code = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) code[i] = (byte) bytes[i];
        DecodedInsn d = new DecodedInsn();
        new Decoder().decode(d, Decoder.ofArray(code, 0), 0, true);
        HandlerSelector.select(d);
        Node n = new Node(eip);
        n.d = d;
        n.kind = Kinds.classify(d, n);
        n.order = order;
        return n;
    }

    /**
     * A case of a switch that loads a float and goes on to the code all cases share, where a block
     * also begins (an entry of its own, after the load): that entry takes its offset from the path
     * through the load (one below the first entry's) whatever the order the entries come in. Taken
     * at 0 first, the path from the other entry contradicted it and the unit kept no stack in locals.
     */
    @Test
    void anEntryInsideAnotherEntrysPathTakesItsOffsetFromThatPath() {
        Node load = node(0, 0x100, 0xD9, 0x46, 0x0C);     // fld dword [esi+12]
        Node move = node(1, 0x103, 0x8B, 0x68, 0x08);     // mov ebp, [eax+8]
        Node pop = node(2, 0x106, 0xDD, 0xD8);            // fstp st(0)
        load.fall = move;
        move.fall = pop;
        List<Node> nodes = List.of(load, move, pop);
        X87StackLayout layout = X87StackLayout.of(nodes, List.of(move, load));
        assertNotNull(layout, "a layout exists");
        assertEquals(0, layout.delta[load.order]);
        assertEquals(-1, layout.delta[move.order]);
        assertEquals(-1, layout.delta[pop.order]);
        assertEquals("" + (char) 63 + (char) 64, layout.entryDeltas, "the entries' offsets in their order");
    }
}
