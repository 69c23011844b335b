package org.kasou.embed;

/** Engines for tests: interpreted only, or with every block compiled at first sight. */
final class Guests {
    static final long CODE = 0x1000, DATA = 0x2000, STACK = 0x10000, STACK_SIZE = 0x4000, RETURN = 0xF000;

    private Guests() {}

    /** A 32-bit flat engine with code (rwx) at CODE, data at DATA..DATA+0x3000 and a stack. */
    static Engine engine(boolean jit, byte[] code) {
        Engine e = Engine.create(Mode.PROTECTED_32, EngineOptions.defaults().withJit(jit).withJitThreshold(0));
        e.map(CODE, 0x1000, Perm.ALL);
        e.map(DATA, 0x3000, Perm.READ | Perm.WRITE);
        e.map(STACK - STACK_SIZE, STACK_SIZE, Perm.READ | Perm.WRITE);
        e.write(CODE, code);
        e.setReg(Register.ESP, STACK - 0x100);
        return e;
    }

    static byte[] bytes(int... b) {
        byte[] r = new byte[b.length];
        for (int i = 0; i < b.length; i++) r[i] = (byte) b[i];
        return r;
    }
}
