package org.kasou.fpu;

/** One operation for the oracle: ST(0) = a, ST(1) = b, a memory operand and the control word. */
record X87Case(X87TestOp op, int control, int aSe, long aSig, int bSe, long bSig, byte[] memory) {
    long memoryLong() {
        long v = 0;
        for (int i = 7; i >= 0; i--) v = (v << 8) | (memory[i] & 0xFF);
        return v;
    }

    int memoryHigh() {
        return (memory[8] & 0xFF) | (memory[9] & 0xFF) << 8;
    }

    @Override
    public String toString() {
        StringBuilder m = new StringBuilder();
        for (int i = 9; i >= 0; i--) m.append(String.format("%02x", memory[i] & 0xFF));
        return String.format("%s cw=%04x a=%s b=%s mem=%s", op, control, Ext80.toString(aSe, aSig),
                Ext80.toString(bSe, bSig), m);
    }
}
