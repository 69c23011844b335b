package org.kasou.jit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The reducibility check on graphs built by hand: what a computed JMP may lead to (its table's
 * targets, the heads and the entries), and loops entered in their middle.
 */
class ControlFlowTest {
    private static Node node(int eip, int kind) {
        Node n = new Node(eip);
        n.kind = kind;
        return n;
    }

    /**
     * n0: mov; n1: jmp [table] (an empty table); n2: mov; n3: jmp n1. The computed jump compares
     * with the heads and entries only, so n1 leads back to n0 and n1 and on to n2 (a head: it
     * follows a jump), which makes n1 -> n2 -> n3 -> n1 a loop. Entered through n1 alone it is
     * reducible; an entry at n2 as well is a second way into it. (Without the heads among its
     * guesses the computed jump would lead nowhere, and there would be no loop.)
     */
    @Test
    void aComputedJumpLeadsToTheHeadsAndEntries() {
        Node n0 = node(0x10, Kinds.MOV_RR), n1 = node(0x12, Kinds.JMP_IND), n2 = node(0x18, Kinds.MOV_RR),
                n3 = node(0x1A, Kinds.JMP);
        n0.fall = n1;
        n1.tableTargets = new ArrayList<>();
        n2.fall = n3;
        n3.target = n1;
        ControlFlow cfg = new ControlFlow(List.of(n0, n1, n2, n3));
        assertEquals(0, cfg.irreducibleEdges(List.of(n0)));
        assertTrue(cfg.irreducibleEdges(List.of(n0, n2)) > 0, "n2 is entered from outside the loop n1 heads");
    }

    /**
     * n0: jmp n2; n1: mov; n2: mov; n3: jnz n1; n4: ret. The loop n1 -> n2 -> n3 -> n1 is entered
     * at n2 (from n0), its head: an entry at n1 is a second way in, one at n2 is not.
     */
    @Test
    void aLoopEnteredInItsMiddleIsIrreducible() {
        Node n0 = node(0x10, Kinds.JMP), n1 = node(0x12, Kinds.MOV_RR), n2 = node(0x14, Kinds.MOV_RR),
                n3 = node(0x16, Kinds.JCC), n4 = node(0x18, Kinds.RET);
        n0.target = n2;
        n1.fall = n2;
        n2.fall = n3;
        n3.target = n1;
        n3.fall = n4;
        ControlFlow cfg = new ControlFlow(List.of(n0, n1, n2, n3, n4));
        assertEquals(0, cfg.irreducibleEdges(List.of(n0)));
        assertEquals(0, cfg.irreducibleEdges(List.of(n0, n2)));
        assertTrue(cfg.irreducibleEdges(List.of(n0, n1)) > 0);
    }

    /** A table target inside a loop that the computed jump is not part of makes a second way into it. */
    @Test
    void aTableTargetInsideALoopIsASecondWayIn() {
        // n0: jmp [table] -> {n2}; n1: mov; n2: mov; n3: jnz n1; n4: ret. The loop's head is n1
        // (reached by falling in from nowhere: n0 is a branch), and the table leads into n2.
        Node n0 = node(0x10, Kinds.JMP_IND), n1 = node(0x12, Kinds.MOV_RR), n2 = node(0x14, Kinds.MOV_RR),
                n3 = node(0x16, Kinds.JCC), n4 = node(0x18, Kinds.RET);
        n0.tableTargets = new ArrayList<>(List.of(n2));
        n1.fall = n2;
        n2.fall = n3;
        n3.target = n1;
        n3.fall = n4;
        ControlFlow cfg = new ControlFlow(List.of(n0, n1, n2, n3, n4));
        // The guesses after the table are the heads (n0, n1, n2 follow no fall-through that
        // reaches only them): the computed jump reaches n1 and n2 both, so the loop has two ways in.
        assertTrue(cfg.irreducibleEdges(List.of(n0)) > 0);
    }
}
