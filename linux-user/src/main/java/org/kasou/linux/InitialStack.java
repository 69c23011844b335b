package org.kasou.linux;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The stack a new process starts with (System V ABI, i386 supplement, 3-31): argc, the argv and
 * envp pointer arrays, the auxiliary vector, and above them the strings and the 16 random bytes
 * of AT_RANDOM. ESP points at argc and is 16-byte aligned.
 */
final class InitialStack {
    static final int AT_NULL = 0, AT_PHDR = 3, AT_PHENT = 4, AT_PHNUM = 5, AT_PAGESZ = 6, AT_BASE = 7, AT_FLAGS = 8,
            AT_ENTRY = 9, AT_UID = 11, AT_EUID = 12, AT_GID = 13, AT_EGID = 14, AT_PLATFORM = 15, AT_HWCAP = 16,
            AT_CLKTCK = 17, AT_SECURE = 23, AT_RANDOM = 25, AT_HWCAP2 = 26, AT_EXECFN = 31;

    /** What the auxiliary vector describes. */
    record Image(int phdr, int phnum, int entry, int interpreterBase) {
    }

    private InitialStack() {
    }

    /** Writes the stack below {@code top} and returns the initial ESP. */
    static int build(AddressSpace as, int top, List<String> argv, List<String> envp, String execfn, Image image,
            byte[] random, int uid, int gid) {
        ByteArrayOutputStream strings = new ByteArrayOutputStream();
        // Strings are laid out from the low end of the area upwards; addresses are fixed once the size is known.
        int[] argvAt = new int[argv.size()];
        int[] envAt = new int[envp.size()];
        for (int i = 0; i < argv.size(); i++) argvAt[i] = add(strings, argv.get(i));
        for (int i = 0; i < envp.size(); i++) envAt[i] = add(strings, envp.get(i));
        int execfnAt = add(strings, execfn);
        int platformAt = add(strings, "i686");
        int randomAt = strings.size();
        strings.write(random, 0, 16);
        byte[] area = strings.toByteArray();
        int areaBase = (top - 16 - area.length) & ~0xF;
        as.argStart = areaBase;
        as.argEnd = as.envStart = areaBase + (envp.isEmpty() ? execfnAt : envAt[0]);
        as.envEnd = areaBase + execfnAt;

        int[][] aux = {
            {AT_PHDR, image.phdr()}, {AT_PHENT, 32}, {AT_PHNUM, image.phnum()}, {AT_PAGESZ, AddressSpace.PAGE},
            {AT_BASE, image.interpreterBase()}, {AT_FLAGS, 0}, {AT_ENTRY, image.entry()},
            {AT_UID, uid}, {AT_EUID, uid}, {AT_GID, gid}, {AT_EGID, gid},
            {AT_HWCAP, CpuCore.HWCAP}, {AT_CLKTCK, 100}, {AT_SECURE, 0},
            {AT_RANDOM, areaBase + randomAt}, {AT_HWCAP2, 0}, {AT_EXECFN, areaBase + execfnAt},
            {AT_PLATFORM, areaBase + platformAt}, {AT_NULL, 0},
        };
        int words = 1 + argv.size() + 1 + envp.size() + 1 + aux.length * 2;
        int esp = (areaBase - words * 4) & ~0xF;
        ByteBuffer b = ByteBuffer.allocate(words * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(argv.size());
        for (int a : argvAt) b.putInt(areaBase + a);
        b.putInt(0);
        for (int e : envAt) b.putInt(areaBase + e);
        b.putInt(0);
        ByteBuffer saved = ByteBuffer.allocate(aux.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int[] pair : aux) {
            b.putInt(pair[0]);
            b.putInt(pair[1]);
            saved.putInt(pair[0]).putInt(pair[1]);
        }
        as.auxv = saved.array();
        as.write(areaBase, area);
        as.write(esp, b.array());
        return esp;
    }

    private static int add(ByteArrayOutputStream out, String s) {
        int at = out.size();
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        out.write(bytes, 0, bytes.length);
        out.write(0);
        return at;
    }
}
