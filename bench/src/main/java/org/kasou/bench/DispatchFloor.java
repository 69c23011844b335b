package org.kasou.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under the interpreter's way of running instructions, without any guest: eight ops of
 * eight classes, each a register operation on an int array that records lazy flags as the
 * interpreter's ALU forms do, run by the loop that {@code BlockRunner.pass} is (one virtual call an
 * op, the op returning the next index), in a perfectly predictable order. One operation is one op:
 * the score in operations per microsecond is the MIPS that dispatch plus the smallest op allows.
 *
 * <p>{@code nested} runs the same ops with each calling the next itself (a call site per class
 * instead of one for all), the shape that threaded-code interpreters give their dispatch.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchFloor {
    static final int TURNS = 100_000;
    static final int OPS = 8;
    /** What the last op returns while the loop goes on. */
    static final int AGAIN = -1000;

    /** The registers and lazy flags the ops work on, and the ops for the nested shape. */
    static final class Machine {
        final int[] r = new int[8];
        int op, res, dst, src;
        Op[] ops;

        int next(int i) {
            return i < OPS ? ops[i].run(this, true) : i;
        }
    }

    abstract static class Op {
        final int idx;

        Op(int idx) {
            this.idx = idx;
        }

        /** Does the op's work; returns the next index, or with {@code nested} runs the next op itself. */
        abstract int run(Machine m, boolean nested);

        final int then(Machine m, boolean nested) {
            return nested ? m.next(idx + 1) : idx + 1;
        }
    }

    static final class Add extends Op {
        Add(int i) { super(i); }
        @Override int run(Machine m, boolean nested) {
            int[] r = m.r;
            int d = r[0], s = r[1], v = d + s;
            m.op = 1; m.res = v; m.dst = d; m.src = s;
            r[0] = v;
            return then(m, nested);
        }
    }

    static final class Xor extends Op {
        Xor(int i) { super(i); }
        @Override int run(Machine m, boolean nested) {
            int[] r = m.r;
            int v = r[2] ^ r[1];
            m.op = 2; m.res = v;
            r[2] = v;
            return then(m, nested);
        }
    }

    static final class Sub extends Op {
        Sub(int i) { super(i); }
        @Override int run(Machine m, boolean nested) {
            int[] r = m.r;
            int d = r[3], s = r[2], v = d - s;
            m.op = 3; m.res = v; m.dst = d; m.src = s;
            r[3] = v;
            return then(m, nested);
        }
    }

    static final class Mov extends Op {
        Mov(int i) { super(i); }
        @Override int run(Machine m, boolean nested) {
            m.r[4] = m.r[3];
            return then(m, nested);
        }
    }

    static final class AddImm extends Op {
        AddImm(int i) { super(i); }
        @Override int run(Machine m, boolean nested) {
            int[] r = m.r;
            int d = r[4], v = d + 7;
            m.op = 1; m.res = v; m.dst = d; m.src = 7;
            r[4] = v;
            return then(m, nested);
        }
    }

    static final class Or extends Op {
        Or(int i) { super(i); }
        @Override int run(Machine m, boolean nested) {
            int[] r = m.r;
            int v = r[5] | r[0];
            m.op = 4; m.res = v;
            r[5] = v;
            return then(m, nested);
        }
    }

    static final class Shl extends Op {
        Shl(int i) { super(i); }
        @Override int run(Machine m, boolean nested) {
            m.r[6] = m.r[5] << 3;
            return then(m, nested);
        }
    }

    /** DEC and JNZ: back to the start while the counter is not zero. */
    static final class DecJnz extends Op {
        DecJnz(int i) { super(i); }
        @Override int run(Machine m, boolean nested) {
            int v = m.r[7] - 1;
            m.op = 5; m.res = v;
            m.r[7] = v;
            return v != 0 ? AGAIN : ~(idx + 1);
        }
    }

    private Machine machine;
    private Op[] ops;

    @Setup
    public void setUp() {
        ops = new Op[] {new Add(0), new Xor(1), new Sub(2), new Mov(3), new AddImm(4), new Or(5), new Shl(6), new DecJnz(7)};
        machine = new Machine();
        machine.ops = ops;
    }

    /** The interpreter's loop: returns the op's answer when it leaves the block. */
    private static int pass(Op[] ops, Machine m) {
        int i = 0;
        while (true) {
            int nx = ops[i].run(m, false);
            if (nx < 0 || nx >= OPS) return nx;
            i = nx;
        }
    }

    @Benchmark
    @OperationsPerInvocation(TURNS * OPS)
    public int loop() {
        Machine m = machine;
        m.r[7] = TURNS;
        int nx;
        do {
            nx = pass(ops, m);
        } while (nx == AGAIN);
        return m.r[0] + m.r[6];
    }

    @Benchmark
    @OperationsPerInvocation(TURNS * OPS)
    public int nested() {
        Machine m = machine;
        m.r[7] = TURNS;
        int nx;
        do {
            nx = m.next(0);
        } while (nx == AGAIN);
        return m.r[0] + m.r[6];
    }
}
