package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * The SysV segment registry's rules that the compiled test program, which runs as root, cannot
 * show: permissions for other users, and the bound on the pages all segments hold.
 */
class SharedSegmentsTest {
    private final SharedSegments segments = new SharedSegments();
    private final Credentials owner = new Credentials(1000, 1000);
    private final Credentials sameGroup = new Credentials(1001, 1000);
    private final Credentials other = new Credentials(1002, 1002);
    private final Credentials root = new Credentials(0, 0);

    private static int errno(Runnable r) {
        return assertThrows(LinuxError.class, r::run).errno;
    }

    @Test
    void accessFollowsTheModeForOwnerGroupAndOthers() {
        int id = segments.get(0x1234, 4096, IpcRegistry.IPC_CREAT | 0640, owner, 1);
        assertEquals(id, segments.lookup(id, 6, owner).id);
        assertEquals(id, segments.lookup(id, 4, sameGroup).id);
        assertEquals(Errno.EACCES, errno(() -> segments.lookup(id, 6, sameGroup)));
        assertEquals(Errno.EACCES, errno(() -> segments.lookup(id, 4, other)));
        assertEquals(id, segments.lookup(id, 6, root).id);
        // shmget of an existing key checks the bits it asks for
        assertEquals(Errno.EACCES, errno(() -> segments.get(0x1234, 4096, 0444, other, 2)));
        assertEquals(id, segments.get(0x1234, 4096, 0, other, 2), "no bits asked: no check");
    }

    @Test
    void onlyTheOwnerCreatorOrRootMaySetOrRemove() {
        int id = segments.get(0, 4096, 0600, owner, 1);
        assertEquals(Errno.EPERM, errno(() -> segments.set(id, 1002, 1002, 0666, other)));
        assertEquals(Errno.EPERM, errno(() -> segments.remove(id, other)));
        segments.set(id, 1002, 1002, 0666, owner); // given away: the creator keeps the right
        SharedSegments.Segment s = segments.lookup(id, 6, other);
        assertEquals(0666, s.mode);
        segments.remove(id, owner);
        assertEquals(Errno.EINVAL, errno(() -> segments.lookup(id, 0, root)), "no attachment: gone at once");
    }

    @Test
    void aRemovedSegmentLivesUntilItsLastDetach() {
        int id = segments.get(0x77, 8192, IpcRegistry.IPC_CREAT | 0600, owner, 1);
        SharedSegments.Segment s = segments.lookup(id, 6, owner);
        segments.attached(s, 1);
        segments.attached(s, 2);
        segments.remove(id, owner);
        assertEquals(Errno.ENOENT, errno(() -> segments.get(0x77, 4096, 0, owner, 1)), "its key is free at once");
        assertSame(s, segments.lookup(id, 4, owner));
        assertEquals(SharedSegments.SHM_DEST, s.mode & SharedSegments.SHM_DEST);
        segments.detached(s, 1);
        assertSame(s, segments.lookup(id, 4, owner));
        segments.detached(s, 2);
        assertEquals(Errno.EINVAL, errno(() -> segments.lookup(id, 4, owner)));
    }

    @Test
    void allSegmentsTogetherStayWithinTheirBound() {
        long bytes = SharedSegments.MAX_PAGES * AddressSpace.PAGE;
        int big = segments.get(0, Math.min(bytes, SharedSegments.MAX_SIZE), 0600, owner, 1);
        assertEquals(Errno.ENOSPC, errno(() -> segments.get(0, 4096, 0600, owner, 1)));
        segments.remove(big, owner);
        segments.get(0, 4096, 0600, owner, 1); // its pages given back
        assertEquals(Errno.EINVAL, errno(() -> segments.get(0, 0, 0600, owner, 1)));
    }
}
