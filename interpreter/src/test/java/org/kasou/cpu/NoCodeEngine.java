package org.kasou.cpu;

/** A base for the tests' engines: it holds no translated code, so code writes and flushes concern it not. */
public abstract class NoCodeEngine implements ExecutionEngine {
    @Override
    public void codeWritten(int physAddr, int size) {
    }

    @Override
    public boolean holdsCode(int physPage) {
        return false;
    }

    @Override
    public void flush() {
    }
}
