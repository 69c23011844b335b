package org.kasou.linux;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Futex wait queues by key: a process's own table keys its futexes by guest address (its threads
 * share one address space), and the run's table for shared memory by the page's run-wide number
 * and the offset ({@link AddressSpace#sharedFutexKey}), the same in every process that maps it.
 *
 * <p>One lock guards every queue. A waiter reads the futex word under it and only then queues
 * itself, and a waker takes it after the guest changed the word, so a wake cannot fall between
 * the check and the wait. Each waiter has a condition of its own: requeue moves it, and wakes
 * reach exactly the waiters they choose.
 */
final class Futexes {
    static final int ETIMEDOUT = 110;
    /** FUTEX_BITSET_MATCH_ANY: what FUTEX_WAIT and FUTEX_WAKE use. */
    static final int MATCH_ANY = -1;

    private static final class Waiter {
        final Condition woken;
        final int bitset;
        boolean done;

        Waiter(Condition woken, int bitset) {
            this.woken = woken;
            this.bitset = bitset;
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Map<Long, ArrayDeque<Waiter>> queues = new HashMap<>();

    /**
     * FUTEX_WAIT(_BITSET): sleeps while the word at {@code addr} holds {@code expected}, until a
     * wake, the deadline ({@link System#nanoTime()} scale; Long.MAX_VALUE: none) or an interrupt.
     * Returns 0 or -errno (EAGAIN, ETIMEDOUT, EINTR).
     */
    int await(AddressSpace as, int addr, long key, int expected, int bitset, long deadline) {
        if (bitset == 0) return -Errno.EINVAL;
        lock.lock();
        try {
            if (as.read32(addr) != expected) return -Errno.EAGAIN;
            Waiter w = new Waiter(lock.newCondition(), bitset);
            queues.computeIfAbsent(key, k -> new ArrayDeque<>()).add(w);
            try {
                while (!w.done) {
                    if (deadline == Long.MAX_VALUE) {
                        w.woken.await();
                    } else {
                        long left = deadline - System.nanoTime();
                        if (left <= 0) return -ETIMEDOUT;
                        w.woken.awaitNanos(left);
                    }
                }
                return 0;
            } catch (InterruptedException e) {
                return w.done ? 0 : -Errno.EINTR;
            } finally {
                if (!w.done) remove(key, w);
            }
        } finally {
            lock.unlock();
        }
    }

    /** FUTEX_WAKE(_BITSET): wakes up to {@code count} waiters at {@code key} whose bitset meets {@code bitset}; returns how many. */
    int wake(long key, int count, int bitset) {
        if (bitset == 0) return -Errno.EINVAL;
        lock.lock();
        try {
            return wakeLocked(key, count, bitset);
        } finally {
            lock.unlock();
        }
    }

    /**
     * FUTEX_REQUEUE / FUTEX_CMP_REQUEUE: wakes up to {@code wakeCount} waiters at {@code addr} and
     * moves up to {@code moveCount} others to {@code target}; with {@code compare}, only while the
     * word at {@code addr} still holds {@code expected} (EAGAIN otherwise). Returns woken + moved,
     * for both (Linux's man page says REQUEUE returns the woken only; its code counts both).
     */
    int requeue(AddressSpace as, int addr, long key, int wakeCount, int moveCount, long target, boolean compare, int expected) {
        if (wakeCount < 0 || moveCount < 0) return -Errno.EINVAL;
        lock.lock();
        try {
            if (compare && as.read32(addr) != expected) return -Errno.EAGAIN;
            int woken = wakeLocked(key, wakeCount, MATCH_ANY);
            int moved = 0;
            ArrayDeque<Waiter> from = queues.get(key);
            if (from != null && key == target) {
                moved = Math.min(moveCount, from.size()); // moved onto the word they wait on: counted, not moved
            } else if (from != null) {
                ArrayDeque<Waiter> to = queues.computeIfAbsent(target, k -> new ArrayDeque<>());
                while (moved < moveCount && !from.isEmpty()) {
                    to.add(from.poll());
                    moved++;
                }
                if (from.isEmpty()) queues.remove(key);
                if (to.isEmpty()) queues.remove(target);
            }
            return woken + moved;
        } finally {
            lock.unlock();
        }
    }

    /**
     * FUTEX_WAKE_OP: changes the word at {@code addr2} as {@code encoded} says (op, oparg, cmp,
     * cmparg, linux/futex.h), wakes up to {@code count} waiters at {@code addr} and, when the old
     * word meets the comparison, up to {@code count2} at {@code addr2}; returns how many woke.
     * An unknown op changes nothing (ENOSYS); an unknown comparison comes after the change (ENOSYS
     * then too, as in Linux).
     */
    int wakeOp(AddressSpace as, long key, int count, int count2, int addr2, long key2, int encoded) {
        int op = (encoded >>> 28) & 7, cmp = (encoded >>> 24) & 15;
        int oparg = (encoded << 8) >> 20, cmparg = (encoded << 20) >> 20;
        if (encoded < 0) oparg = 1 << (oparg & 31); // FUTEX_OP_OPARG_SHIFT; Linux masks a shift out of range
        final int arg = oparg;
        java.util.function.IntUnaryOperator change = switch (op) {
            case 0 -> old -> arg;          // SET
            case 1 -> old -> old + arg;    // ADD
            case 2 -> old -> old | arg;    // OR
            case 3 -> old -> old & ~arg;   // ANDN
            case 4 -> old -> old ^ arg;    // XOR
            default -> null;
        };
        if (change == null) return -Errno.ENOSYS;
        lock.lock();
        try {
            int old = as.atomicUpdate32(addr2, change);
            Boolean met = switch (cmp) {
                case 0 -> old == cmparg;
                case 1 -> old != cmparg;
                case 2 -> old < cmparg;
                case 3 -> old <= cmparg;
                case 4 -> old > cmparg;
                case 5 -> old >= cmparg;
                default -> null;
            };
            if (met == null) return -Errno.ENOSYS;
            int woken = wakeLocked(key, atLeastOne(count), MATCH_ANY);
            if (met) woken += wakeLocked(key2, atLeastOne(count2), MATCH_ANY);
            return woken;
        } finally {
            lock.unlock();
        }
    }

    /** Linux's wakes count a waiter before they compare with the limit: a count of 0 or less still wakes one. */
    static int atLeastOne(int count) {
        return Math.max(count, 1);
    }

    private int wakeLocked(long key, int count, int bitset) {
        ArrayDeque<Waiter> q = queues.get(key);
        if (q == null) return 0;
        int n = 0;
        for (Iterator<Waiter> it = q.iterator(); it.hasNext() && n < count; ) {
            Waiter w = it.next();
            if ((w.bitset & bitset) == 0) continue;
            it.remove();
            w.done = true;
            w.woken.signal();
            n++;
        }
        if (q.isEmpty()) queues.remove(key);
        return n;
    }

    /** Takes a waiter that gave up (timeout, interrupt) out of whichever queue holds it now (requeue may have moved it). */
    private void remove(long key, Waiter w) {
        ArrayDeque<Waiter> q = queues.get(key);
        if (q != null && q.remove(w)) {
            if (q.isEmpty()) queues.remove(key);
            return;
        }
        for (Iterator<Map.Entry<Long, ArrayDeque<Waiter>>> it = queues.entrySet().iterator(); it.hasNext(); ) {
            ArrayDeque<Waiter> other = it.next().getValue();
            if (other.remove(w)) {
                if (other.isEmpty()) it.remove();
                return;
            }
        }
    }

    /** Converts a wait's timeout into a deadline on the {@link System#nanoTime()} scale. */
    static long deadline(long relativeNanos) {
        long now = System.nanoTime();
        return relativeNanos >= Long.MAX_VALUE - now ? Long.MAX_VALUE - 1 : now + Math.max(0, relativeNanos);
    }

    static long toNanos(long seconds, long nanos) {
        if (seconds > TimeUnit.DAYS.toSeconds(365L * 100)) return Long.MAX_VALUE / 2;
        return seconds * 1_000_000_000L + nanos;
    }
}
