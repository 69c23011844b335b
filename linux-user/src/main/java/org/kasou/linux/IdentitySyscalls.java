package org.kasou.linux;

/**
 * The user and group id calls, in their 32-bit forms (getuid32 and the like) and the old 16-bit
 * ones, whose -1 is 0xFFFF and which report ids above 65535 as the overflow id 65534, as Linux
 * does. The rules are {@link Credentials}'.
 */
final class IdentitySyscalls {
    private static final int OVERFLOW_ID = 65534;

    private final Credentials ids;
    private AddressSpace as;

    IdentitySyscalls(Credentials ids) {
        this.ids = ids;
    }

    void setAddressSpace(AddressSpace as) {
        this.as = as;
    }

    /** The call {@code nr} if it is one of these, else null. */
    Integer call(int nr, int a, int b, int c) {
        return switch (nr) {
            case 199, 24 -> narrow(nr, ids.uids()[0]);              // getuid32, getuid
            case 201, 49 -> narrow(nr, ids.uids()[1]);              // geteuid32, geteuid
            case 200, 47 -> narrow(nr, ids.gids()[0]);              // getgid32, getgid
            case 202, 50 -> narrow(nr, ids.gids()[1]);              // getegid32, getegid
            case 213 -> done(() -> ids.setuid(a));
            case 23 -> done(() -> ids.setuid(wide(a)));
            case 214 -> done(() -> ids.setgid(a));
            case 46 -> done(() -> ids.setgid(wide(a)));
            case 203 -> done(() -> ids.setreuid(a, b));
            case 70 -> done(() -> ids.setreuid(wide(a), wide(b)));
            case 204 -> done(() -> ids.setregid(a, b));
            case 71 -> done(() -> ids.setregid(wide(a), wide(b)));
            case 208 -> done(() -> ids.setresuid(a, b, c));
            case 164 -> done(() -> ids.setresuid(wide(a), wide(b), wide(c)));
            case 210 -> done(() -> ids.setresgid(a, b, c));
            case 170 -> done(() -> ids.setresgid(wide(a), wide(b), wide(c)));
            case 209 -> getres(ids.uids(), a, b, c, 4);
            case 165 -> getres(ids.uids(), a, b, c, 2);
            case 211 -> getres(ids.gids(), a, b, c, 4);
            case 171 -> getres(ids.gids(), a, b, c, 2);
            // setfsuid and setfsgid: the file system ids follow the effective ones here; the call reports them and changes nothing.
            case 215, 138 -> narrow(nr, ids.uids()[1]);
            case 216, 139 -> narrow(nr, ids.gids()[1]);
            default -> null;
        };
    }

    private static int done(Runnable r) {
        r.run();
        return 0;
    }

    /** A 16-bit id as the kernel widens it: 0xFFFF is -1. */
    private static int wide(int id16) {
        int id = id16 & 0xFFFF;
        return id == 0xFFFF ? -1 : id;
    }

    /** An id as the call {@code nr} reports it: the 16-bit calls (below 199) give the overflow id for ids that do not fit. */
    private static int narrow(int nr, int id) {
        return nr >= 199 || Integer.compareUnsigned(id, 0xFFFF) < 0 ? id : OVERFLOW_ID;
    }

    private int getres(int[] three, int r, int e, int s, int width) {
        int[] at = {r, e, s};
        for (int i = 0; i < 3; i++) {
            if (width == 4) {
                as.write32(at[i], three[i]);
            } else {
                int v = Integer.compareUnsigned(three[i], 0xFFFF) < 0 ? three[i] : OVERFLOW_ID;
                as.write(at[i], new byte[] {(byte) v, (byte) (v >>> 8)});
            }
        }
        return 0;
    }
}
