package org.kasou.linux;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The i386 rt_sigframe the kernel pushes when it runs a signal handler, and its undoing by
 * rt_sigreturn (arch/x86/kernel/signal_32.c, the layout glibc and musl expect): return address,
 * signal number, pointers to siginfo and ucontext, siginfo (128 bytes), ucontext with the
 * interrupted registers in struct sigcontext and the blocked mask, and a sigreturn trampoline.
 */
final class SignalFrames {
    private static final int INFO = 16, UC = 144, MCONTEXT = UC + 20, SIGMASK = MCONTEXT + 88, RETCODE = SIGMASK + 8;
    private static final int FRAME_SIZE = RETCODE + 8;
    static final int SS_ONSTACK = 1, SS_DISABLE = 2;

    private SignalFrames() {
    }

    /**
     * Redirects the interrupted user context to the handler of {@code sig} with {@code info} in
     * its siginfo; {@code trapno} and {@code cr2} describe a fault (0 otherwise). Returns false
     * when the frame cannot be written (the stack is unusable): the caller then ends the process.
     */
    static boolean deliver(CpuCore core, AddressSpace as, SignalState signals, int sig, SignalState.Action a, SignalState.Info info,
            int trapno, int cr2) {
        int esp = core.userEsp();
        int top = esp;
        long mask = signals.maskForFrame();
        boolean onAlt = signals.onAltStack(esp);
        if ((a.flags() & SignalState.SA_ONSTACK) != 0 && signals.altStackSize != 0 && !onAlt) {
            top = signals.altStackBase + signals.altStackSize; // the handler runs on the alternate stack
        }
        int frame = ((top - FRAME_SIZE) & ~15) - 4; // at the handler, (ESP + 4) is 16-byte aligned
        ByteBuffer b = ByteBuffer.allocate(FRAME_SIZE).order(ByteOrder.LITTLE_ENDIAN);
        boolean restorer = (a.flags() & SignalState.SA_RESTORER) != 0;
        b.putInt(0, restorer ? a.restorer() : frame + RETCODE);
        b.putInt(4, sig).putInt(8, frame + INFO).putInt(12, frame + UC);
        b.putInt(INFO, sig).putInt(INFO + 8, info.code()).putInt(INFO + 12, info.w0()).putInt(INFO + 16, info.w1()).putInt(INFO + 20, info.w2());
        // uc_stack: the alternate stack as sigaltstack would report it at the interruption
        b.putInt(UC + 8, signals.altStackBase).putInt(UC + 12, signals.altStackSize == 0 ? SS_DISABLE : onAlt ? SS_ONSTACK : 0)
                .putInt(UC + 16, signals.altStackSize);
        int m = MCONTEXT;
        b.putInt(m, core.selector(5)).putInt(m + 4, core.selector(4)).putInt(m + 8, core.selector(0)).putInt(m + 12, core.selector(3));
        int[] order = {7, 6, 5, 4, 3, 2, 1, 0}; // EDI, ESI, EBP, ESP, EBX, EDX, ECX, EAX
        for (int i = 0; i < 8; i++) b.putInt(m + 16 + i * 4, order[i] == 4 ? esp : core.reg(order[i]));
        b.putInt(m + 48, trapno).putInt(m + 52, 0).putInt(m + 56, core.userEip()).putInt(m + 60, core.userCs())
                .putInt(m + 64, core.userEflags()).putInt(m + 68, esp).putInt(m + 72, core.userSs()).putInt(m + 76, 0)
                .putInt(m + 80, (int) mask).putInt(m + 84, cr2);
        b.putLong(SIGMASK, mask);
        b.put(RETCODE, (byte) 0xB8).putInt(RETCODE + 1, 173).put(RETCODE + 5, (byte) 0xCD).put(RETCODE + 6, (byte) 0x80);
        try {
            as.write(frame, b.array());
        } catch (LinuxError e) {
            return false;
        }
        // As Linux: the handler runs with the mask in force (sigsuspend's) plus its own; sigreturn restores the saved one.
        signals.blocked |= a.mask() | ((a.flags() & SignalState.SA_NODEFER) != 0 ? 0 : 1L << (sig - 1));
        signals.blocked &= ~SignalState.UNBLOCKABLE;
        if ((a.flags() & SignalState.SA_RESETHAND) != 0) signals.setAction(sig, SignalState.Action.DEFAULT);
        core.setUserEntryFromTrap(a.handler(), frame, core.userEflags() & ~(0x100 | 0x400)); // TF and DF clear
        core.setReg(0, sig);
        core.setReg(2, frame + INFO);
        core.setReg(1, frame + UC);
        return true;
    }

    /**
     * rt_sigreturn ({@code popped} 4: the handler's RET popped the return address) and sigreturn
     * (8: glibc's restorer for a handler without SA_SIGINFO pops the signal number too): restores
     * the context saved by {@link #deliver}; returns the EAX to resume with.
     */
    static int sigreturn(CpuCore core, AddressSpace as, SignalState signals, int popped) {
        int frame = core.userEsp() - popped;
        byte[] raw = as.read(frame, FRAME_SIZE);
        ByteBuffer b = ByteBuffer.wrap(raw).order(ByteOrder.LITTLE_ENDIAN);
        int m = MCONTEXT;
        int[] order = {7, 6, 5, 4, 3, 2, 1, 0};
        for (int i = 0; i < 8; i++) {
            if (order[i] != 4) core.setReg(order[i], b.getInt(m + 16 + i * 4));
        }
        signals.blocked = b.getLong(SIGMASK) & ~SignalState.UNBLOCKABLE;
        // Arithmetic flags, TF, DF, OF, AC and the like come back; IF, IOPL and VM stay as they are.
        int flags = (core.userEflags() & ~0x40DD5) | (b.getInt(m + 64) & 0x40DD5);
        core.setUserEntryFromTrap(b.getInt(m + 56), b.getInt(m + 28), flags);
        return b.getInt(m + 44);
    }
}
