package org.kasou.embed;

/** An installed hook; {@link #remove()} takes it out (at once, also from inside a hook). */
public final class HookHandle {
    private final Runnable remover;
    private boolean removed;

    HookHandle(Runnable remover) {
        this.remover = remover;
    }

    /** Removes the hook; removing twice does nothing. */
    public void remove() {
        if (removed) return;
        removed = true;
        remover.run();
    }
}
