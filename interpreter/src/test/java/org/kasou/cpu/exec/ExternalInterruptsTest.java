package org.kasou.cpu.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kasou.cpu.CpuState.EAX;
import static org.kasou.cpu.CpuState.EBX;

import org.junit.jupiter.api.Test;
import org.kasou.cpu.Flags;
import org.kasou.cpu.InterruptSource;
import org.kasou.cpu.StopReason;
import org.kasou.io.PortDevice;

/**
 * The INTR line with its vector acknowledge, driven by a fake interrupt controller, and NMI:
 * masking by IF (INTR only), NMI blocked from its delivery to the next IRET, the interrupt
 * shadow of STI, MOV SS and POP SS, priority of NMI over INTR, and HLT woken by either.
 */
class ExternalInterruptsTest {
    static final int CODE = GuestHarness.CODE;

    /** An interrupt controller with one request line: raised until acknowledged. */
    static final class FakeController implements InterruptSource {
        int vector = 0x20;
        boolean raised;
        int acknowledges;

        @Override
        public boolean pending() {
            return raised;
        }

        @Override
        public int acknowledge() {
            acknowledges++;
            raised = false;
            return vector;
        }
    }

    private static int pushedEip(GuestHarness h) {
        return h.read32(h.r[org.kasou.cpu.CpuState.ESP]);
    }

    private static void setIf(GuestHarness h) {
        h.s.setEflags(h.s.eflags() | Flags.IF);
    }

    @Test
    void intrWaitsForIfAndIsAcknowledgedOnceWhenTaken() {
        GuestHarness h = GuestHarness.flat32();
        FakeController pic = new FakeController();
        pic.raised = true;
        h.cpu.interrupts = pic;
        h.code("B8 01 00 00 00 F4" /* mov eax,1; hlt */);
        assertEquals(StopReason.HALTED, h.cpu.run(100), "IF=0: the request stays pending");
        assertEquals(0, pic.acknowledges);
        assertTrue(pic.raised);
        assertEquals(1, h.r[EAX]);
    }

    @Test
    void nmiIsTakenWithInterruptsDisabledAndWakesHlt() {
        GuestHarness h = GuestHarness.flat32();
        h.code("FA F4 B8 05 00 00 00 F4" /* cli; hlt; mov eax,5; hlt */);
        assertEquals(StopReason.HALTED, h.cpu.run(100));
        assertEquals(CODE + 2, h.s.eip);
        h.cpu.nmi();
        h.cpu.run(100);
        assertEquals(2, h.deliveredVector());
        assertEquals(CODE + 2, pushedEip(h), "returns after the HLT");
        assertEquals(0, h.r[EAX]);
    }

    @Test
    void nmiComesBeforeAPendingIntr() {
        GuestHarness h = GuestHarness.flat32();
        FakeController pic = new FakeController();
        pic.raised = true;
        h.cpu.interrupts = pic;
        setIf(h);
        h.cpu.nmi();
        h.code("90 F4");
        h.cpu.run(100);
        assertEquals(2, h.deliveredVector(), "NMI first; its interrupt gate cleared IF, so INTR waits");
        assertEquals(0, pic.acknowledges);
    }

    /**
     * An NMI handler whose OUT signals a second NMI: it must wait for the handler's IRET, then be
     * taken once. The handler counts its entries and the deepest nesting it saw.
     */
    @Test
    void nmiIsBlockedUntilTheNextIret() {
        GuestHarness h = GuestHarness.flat32();
        int handler = 0x20000;
        h.phys.write32(GuestHarness.IDT + 8 * 2, (0x08 << 16) | (handler & 0xFFFF));
        h.phys.write32(GuestHarness.IDT + 8 * 2 + 4, (handler & 0xFFFF0000) | 0x8E00);
        byte[] code = GuestHarness.hex(
                "FF 05 00 30 00 00"     // inc dword [0x3000]    ; depth
                + " A1 00 30 00 00"     // mov eax,[0x3000]
                + " 39 05 04 30 00 00"  // cmp [0x3004],eax
                + " 73 05"              // jae +5
                + " A3 04 30 00 00"     // mov [0x3004],eax      ; deepest
                + " E6 80"              // out 0x80,al           ; the first one signals NMI again
                + " 90 90 90"
                + " FF 0D 00 30 00 00"  // dec dword [0x3000]
                + " FF 05 08 30 00 00"  // inc dword [0x3008]    ; entries
                + " CF");               // iretd
        h.phys.load(handler, code, 0, code.length);
        int[] outs = {0};
        h.io.register(0x80, 1, new PortDevice() {
            @Override
            public int in(int port, int size) {
                return 0xFF;
            }

            @Override
            public void out(int port, int size, int value) {
                if (outs[0]++ == 0) h.cpu.nmi();
            }
        });
        h.cpu.nmi();
        h.code("FA 90 90 90 BB 07 00 00 00 F4" /* cli; nop x3; mov ebx,7; hlt */);
        assertEquals(StopReason.HALTED, h.cpu.run(1000));
        assertEquals(2, h.read32(0x3008), "two NMIs taken");
        assertEquals(1, h.read32(0x3004), "never nested");
        assertEquals(7, h.r[EBX]);
        assertFalse(h.s.nmiBlocked);
    }

    /** One instruction that sets the shadow, then a request: it waits for one more instruction. */
    private static void shadowDelaysBy(String setsShadow, int shadowLength, boolean nmi) {
        GuestHarness h = GuestHarness.flat32();
        FakeController pic = new FakeController();
        h.cpu.interrupts = pic;
        setIf(h);
        h.r[EAX] = 0x10;
        h.r[org.kasou.cpu.CpuState.ESP] -= 4;
        h.phys.write32(h.r[org.kasou.cpu.CpuState.ESP], 0x10);
        h.code(setsShadow + " BB 01 00 00 00 B9 02 00 00 00 F4" /* ...; mov ebx,1; mov ecx,2; hlt */);
        assertEquals(StopReason.BUDGET_EXHAUSTED, h.cpu.run(1));
        if (nmi) h.cpu.nmi();
        else pic.raised = true;
        h.cpu.run(100);
        assertEquals(nmi ? 2 : 0x20, h.deliveredVector());
        assertEquals(1, h.r[EBX], "the instruction in the shadow ran");
        assertEquals(CODE + shadowLength + 5, pushedEip(h), "taken right after it");
    }

    @Test
    void movSsDelaysIntrAndNmi() {
        shadowDelaysBy("8E D0" /* mov ss,ax */, 2, false);
        shadowDelaysBy("8E D0", 2, true);
    }

    @Test
    void popSsDelaysIntrAndNmi() {
        shadowDelaysBy("17" /* pop ss */, 1, false);
        shadowDelaysBy("17", 1, true);
    }

    @Test
    void withoutAShadowTheRequestIsTakenAtOnce() {
        GuestHarness h = GuestHarness.flat32();
        FakeController pic = new FakeController();
        h.cpu.interrupts = pic;
        setIf(h);
        h.code("90 BB 01 00 00 00 F4" /* nop; mov ebx,1; hlt */);
        assertEquals(StopReason.BUDGET_EXHAUSTED, h.cpu.run(1));
        pic.raised = true;
        h.cpu.run(100);
        assertEquals(0x20, h.deliveredVector());
        assertEquals(0, h.r[EBX]);
        assertEquals(CODE + 1, pushedEip(h));
    }

    @Test
    void resetForgetsNmiState() {
        GuestHarness h = GuestHarness.flat32();
        h.cpu.nmi();
        h.s.nmiBlocked = true;
        h.s.reset();
        assertFalse(h.s.nmiPending);
        assertFalse(h.s.nmiBlocked);
    }
}
