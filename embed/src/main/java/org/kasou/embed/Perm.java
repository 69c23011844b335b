package org.kasou.embed;

/**
 * Memory permissions, combined with {@code |}. 32-bit paging has no way to deny reads of a page
 * that is writable or executable: guest code may read any page mapped with some permission.
 */
public final class Perm {
    public static final int NONE = 0;
    public static final int READ = 1;
    public static final int WRITE = 2;
    public static final int EXEC = 4;
    public static final int ALL = READ | WRITE | EXEC;

    private Perm() {}

    /** {@code "rwx"} style text, with '-' for a missing permission. */
    public static String toString(int perms) {
        return ((perms & READ) != 0 ? "r" : "-") + ((perms & WRITE) != 0 ? "w" : "-") + ((perms & EXEC) != 0 ? "x" : "-");
    }

    static void check(int perms) {
        if ((perms & ~ALL) != 0) {
            throw new IllegalArgumentException("permissions must combine Perm.READ, WRITE and EXEC, not 0x" + Integer.toHexString(perms));
        }
    }
}
