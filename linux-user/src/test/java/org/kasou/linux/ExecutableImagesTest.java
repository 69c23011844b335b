package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExecutableImagesTest {
    @TempDir
    Path dir;

    @Test
    void aProgramReadAgainComesFromTheCacheUntilItsFileChanges() throws Exception {
        Path p = dir.resolve("prog");
        Files.write(p, new byte[] {1, 2, 3});
        byte[] first = ExecutableImages.read(p);
        assertSame(first, ExecutableImages.read(dir.resolve(".").resolve("prog")), "the same file by another path");

        Files.write(p, new byte[] {4, 5, 6}); // same size: the modification time tells
        Files.setLastModifiedTime(p, FileTime.fromMillis(Files.getLastModifiedTime(p).toMillis() + 5000));
        assertArrayEquals(new byte[] {4, 5, 6}, ExecutableImages.read(p));

        Files.write(p, new byte[] {7, 8, 9, 10});
        assertArrayEquals(new byte[] {7, 8, 9, 10}, ExecutableImages.read(p));
        assertArrayEquals(new byte[] {1, 2, 3}, first, "an image handed out is never changed");
    }
}
