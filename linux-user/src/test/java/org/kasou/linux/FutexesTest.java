package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The futex queues on their own: values, wakes, bitsets, requeues, timeouts and interrupts. */
class FutexesTest {
    private static final int A = 0x10000, B = 0x10004;

    private final AddressSpace as = new AddressSpace(new CpuCore(16 << 20, -1));
    private final Futexes futexes = new Futexes();

    FutexesTest() {
        as.map(A & ~0xFFF, AddressSpace.PAGE, AddressSpace.PROT_READ | AddressSpace.PROT_WRITE);
        as.write32(A, 1);
        as.write32(B, 2);
    }

    /** A thread waiting at {@code addr} (value {@code expected}); its result lands in {@code result}. */
    private Thread waiter(int addr, int expected, int bitset, AtomicInteger result) {
        Thread t = new Thread(() -> result.set(futexes.await(as, addr, addr, expected, bitset, Long.MAX_VALUE)));
        t.start();
        return t;
    }

    /** Wakes one waiter at {@code addr} matching {@code bitset} as soon as one is queued. */
    private void wakeWhenQueued(int addr, int bitset) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (futexes.wake(addr, 1, bitset) == 0) {
            assertTrue(System.nanoTime() < deadline, "no waiter was queued");
            Thread.sleep(1);
        }
    }

    @Test
    void aWaitForAValueTheWordDoesNotHoldReturnsAtOnce() {
        assertEquals(-Errno.EAGAIN, futexes.await(as, A, A, 7, Futexes.MATCH_ANY, Long.MAX_VALUE));
    }

    @Test
    void aWaitEndsAtItsDeadline() {
        long t0 = System.nanoTime();
        assertEquals(-Futexes.ETIMEDOUT, futexes.await(as, A, A, 1, Futexes.MATCH_ANY, Futexes.deadline(20_000_000L)));
        assertTrue(System.nanoTime() - t0 >= 20_000_000L);
    }

    @Test
    void aWakeReachesAWaiterAndSaysHowManyItWoke() throws Exception {
        AtomicInteger r = new AtomicInteger(99);
        Thread t = waiter(A, 1, Futexes.MATCH_ANY, r);
        wakeWhenQueued(A, Futexes.MATCH_ANY);
        t.join(10_000);
        assertFalse(t.isAlive());
        assertEquals(0, r.get());
        assertEquals(0, futexes.wake(A, 1, Futexes.MATCH_ANY));
    }

    @Test
    void aWakeReachesOnlyWaitersWhoseBitsetItMeets() throws Exception {
        AtomicInteger r = new AtomicInteger(99);
        Thread t = waiter(A, 1, 0b01, r);
        wakeWhenQueued(A, 0b11);
        t.join(10_000);
        assertEquals(0, r.get());
        AtomicInteger r2 = new AtomicInteger(99);
        Thread u = waiter(A, 1, 0b01, r2);
        while (u.getState() != Thread.State.WAITING) Thread.sleep(1);
        assertEquals(0, futexes.wake(A, 1, 0b10));
        assertTrue(u.isAlive());
        wakeWhenQueued(A, 0b01);
        u.join(10_000);
        assertEquals(0, r2.get());
    }

    @Test
    void requeueMovesWaitersToAnotherWord() throws Exception {
        AtomicInteger r1 = new AtomicInteger(99), r2 = new AtomicInteger(99);
        Thread t1 = waiter(A, 1, Futexes.MATCH_ANY, r1), t2 = waiter(A, 1, Futexes.MATCH_ANY, r2);
        long deadline = System.nanoTime() + 10_000_000_000L;
        int moved = 0;
        while (moved < 2 && System.nanoTime() < deadline) { // move them as they arrive
            int n = futexes.requeue(as, A, A, 0, 2, B, true, 1);
            assertTrue(n >= 0, "the word still holds 1");
            moved += n;
            Thread.sleep(1);
        }
        assertEquals(2, moved);
        assertEquals(-Errno.EAGAIN, futexes.requeue(as, A, A, 0, 2, B, true, 5));
        assertEquals(0, futexes.wake(A, 2, Futexes.MATCH_ANY));
        assertEquals(2, futexes.wake(B, 2, Futexes.MATCH_ANY));
        t1.join(10_000);
        t2.join(10_000);
        assertEquals(0, r1.get());
        assertEquals(0, r2.get());
    }

    @Test
    void anInterruptedWaitSaysEintr() throws Exception {
        AtomicInteger r = new AtomicInteger(99);
        Thread t = waiter(A, 1, Futexes.MATCH_ANY, r);
        while (t.getState() != Thread.State.WAITING) Thread.sleep(1);
        t.interrupt();
        t.join(10_000);
        assertEquals(-Errno.EINTR, r.get());
        assertEquals(0, futexes.wake(A, 1, Futexes.MATCH_ANY)); // it left the queue
    }
}
