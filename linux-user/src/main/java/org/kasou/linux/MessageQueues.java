package org.kasou.linux;

import java.util.ArrayList;
import java.util.List;

/**
 * The SysV message queues of a run (msgget, msgsnd, msgrcv, msgctl), which all its processes see.
 * One lock (this object's monitor) guards every queue; a sender that finds its queue full and a
 * receiver that finds no message of its type sleep on it, and every change wakes them to look again.
 */
final class MessageQueues {
    /** Linux's defaults: the largest message, and the bytes a queue holds at first. */
    static final int MSGMAX = 8192, MSGMNB = 16384;
    static final int MSG_NOERROR = 010000, MSG_EXCEPT = 020000, MSG_COPY = 040000;

    /** One message: its type and text. */
    record Message(int type, byte[] text) {
    }

    /** One queue. Its fields change under the registry's lock. */
    static final class Queue extends IpcObject {
        final List<Message> messages = new ArrayList<>();
        int bytes, limit = MSGMNB, lastSender, lastReceiver;
        long stime, rtime;

        Queue(int id, int key, int mode, int uid, int gid) {
            super(id, key, mode, uid, gid);
        }
    }

    private final IpcRegistry<Queue> registry = new IpcRegistry<>();

    /** msgget: the id of the queue of {@code key}, made when IPC_CREAT asks (or the key is IPC_PRIVATE). */
    synchronized int get(int key, int flags, Credentials who) {
        Queue q = registry.existing(key, flags, who);
        if (q != null) return q.id;
        q = new Queue(registry.newId(), key, flags & 0777, who.uids()[1], who.gids()[1]);
        registry.add(q);
        return q.id;
    }

    synchronized Queue lookup(int id, int access, Credentials who) {
        return registry.lookup(id, access, who);
    }

    /** msgsnd: appends the message, waiting while the queue is full (EAGAIN with IPC_NOWAIT, EINTR at a signal, EIDRM). */
    synchronized void send(int id, Message m, int flags, Credentials who, int pid) throws java.io.IOException {
        Queue q = registry.lookup(id, 2, who);
        while (q.bytes + m.text().length > q.limit || q.messages.size() + 1 > q.limit) {
            if ((flags & IpcRegistry.IPC_NOWAIT) != 0) throw new LinuxError(Errno.EAGAIN);
            IpcRegistry.sleep(this, Long.MAX_VALUE);
            if (q.removed) throw new LinuxError(Errno.EIDRM);
        }
        q.messages.add(m);
        q.bytes += m.text().length;
        q.lastSender = pid;
        q.stime = IpcObject.now();
        notifyAll();
    }

    /**
     * msgrcv: takes the first message that {@code type} asks for (0 any, above 0 that type or, with
     * MSG_EXCEPT, any other, below 0 the lowest type up to -type), waiting while there is none
     * (ENOMSG with IPC_NOWAIT, EINTR at a signal, EIDRM). A longer text than {@code max} is E2BIG,
     * the message staying, unless MSG_NOERROR cuts it.
     */
    synchronized Message receive(int id, int max, int type, int flags, Credentials who, int pid) throws java.io.IOException {
        Queue q = registry.lookup(id, 4, who);
        while (true) {
            int at = find(q, type, flags);
            if (at >= 0) {
                Message m = q.messages.get(at);
                if (m.text().length > max && (flags & MSG_NOERROR) == 0) throw new LinuxError(Errno.E2BIG);
                q.messages.remove(at);
                q.bytes -= m.text().length;
                q.lastReceiver = pid;
                q.rtime = IpcObject.now();
                notifyAll();
                return m.text().length > max ? new Message(m.type(), java.util.Arrays.copyOf(m.text(), max)) : m;
            }
            if ((flags & IpcRegistry.IPC_NOWAIT) != 0) throw new LinuxError(Errno.ENOMSG);
            IpcRegistry.sleep(this, Long.MAX_VALUE);
            if (q.removed) throw new LinuxError(Errno.EIDRM);
        }
    }

    private static int find(Queue q, int type, int flags) {
        int best = -1;
        for (int i = 0; i < q.messages.size(); i++) {
            int t = q.messages.get(i).type();
            if (type == 0) return i;
            if (type > 0) {
                if ((t == type) != ((flags & MSG_EXCEPT) != 0)) return i;
            } else if (t <= -(long) type && (best < 0 || t < q.messages.get(best).type())) {
                best = i;
            }
        }
        return best;
    }

    /** IPC_SET: owner, mode and the queue's byte limit (raising it past MSGMNB takes root). */
    synchronized void set(int id, int uid, int gid, int mode, int limit, Credentials who) {
        Queue q = registry.owned(id, who);
        if (Integer.toUnsignedLong(limit) > MSGMNB && !who.privileged()) throw new LinuxError(Errno.EPERM);
        registry.set(id, uid, gid, mode, who);
        q.limit = limit;
        notifyAll();
    }

    /** IPC_RMID: gone at once, its messages with it; its waiters get EIDRM. */
    synchronized void remove(int id, Credentials who) {
        Queue q = registry.owned(id, who);
        registry.markRemoved(q);
        registry.forget(q);
        q.messages.clear();
        q.bytes = 0;
        notifyAll();
    }
}
