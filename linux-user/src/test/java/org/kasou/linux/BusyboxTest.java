package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian 12's busybox-static (fetched by scripts/fetch-linux-user-sysroot.sh) runs its applets
 * natively and under kasou, interpreter and JIT, with the same output and exit status.
 */
class BusyboxTest {
    private static final List<String> ENV = GuestPrograms.env("PATH=/usr/bin:/bin", "LANG=C", "LC_ALL=C", "TZ=UTC");

    @TempDir(factory = GuestTempDirs.class)
    Path dir;
    private Path busybox;
    private byte[] text;

    @BeforeEach
    void files() throws Exception {
        busybox = GuestPrograms.busybox();
        StringBuilder sb = new StringBuilder();
        Random r = new Random(42);
        for (int i = 0; i < 3000; i++) {
            sb.append("line ").append(r.nextInt(100000)).append(' ').append(Long.toHexString(r.nextLong())).append('\n');
        }
        text = sb.toString().getBytes(StandardCharsets.US_ASCII);
        Files.write(dir.resolve("text.txt"), text);
        Files.createDirectories(dir.resolve("tree/sub"));
        Files.writeString(dir.resolve("tree/a.txt"), "alpha\n");
        Files.writeString(dir.resolve("tree/b.txt"), "beta\nbeta\n");
        Files.writeString(dir.resolve("tree/sub/c.txt"), "gamma\n");
    }

    private GuestPrograms.Outcome applet(byte[] stdin, String... args) throws Exception {
        List<String> a = new ArrayList<>(List.of(args));
        return GuestPrograms.agree(new GuestPrograms.Run(busybox, a, ENV, stdin, dir));
    }

    private GuestPrograms.Outcome applet(String... args) throws Exception {
        return applet(new byte[0], args);
    }

    @Test
    void echo() throws Exception {
        assertEquals("hello world\n", applet("echo", "hello", "world").stdout());
    }

    @Test
    void cat() throws Exception {
        assertEquals(new String(text, StandardCharsets.US_ASCII), applet("cat", "text.txt").stdout());
        assertEquals(1, applet("cat", "no-such-file").status());
    }

    @Test
    void ls() throws Exception {
        assertTrue(applet("ls", "tree").stdout().contains("a.txt"));
        applet("ls", "-la", "tree");
        applet("ls", "-R", "tree");
    }

    @Test
    void sort() throws Exception {
        applet(text, "sort");
        applet("sort", "-n", "-k", "2", "text.txt");
        applet("sort", "-u", "-r", "text.txt");
    }

    @Test
    void checksums() throws Exception {
        assertTrue(applet("sha256sum", "text.txt", "tree/a.txt").stdout().contains("text.txt"));
        applet("md5sum", "text.txt");
        applet(text, "sha1sum");
    }

    @Test
    void wc() throws Exception {
        assertTrue(applet("wc", "text.txt").stdout().contains("3000"));
        applet(text, "wc", "-l");
    }

    @Test
    void gzipRoundTrip() throws Exception {
        GuestPrograms.Outcome packed = applet("gzip", "-c", "text.txt");
        byte[] gz = packed.stdout().getBytes(StandardCharsets.ISO_8859_1);
        GuestPrograms.Outcome unpacked = applet(gz, "gzip", "-dc");
        assertEquals(new String(text, StandardCharsets.US_ASCII), unpacked.stdout());
    }

    @Test
    void shellWithPipesSubshellsAndExternalCommands() throws Exception {
        String script = "for i in 3 1 2; do echo $i; done | sort -r; x=$(echo sub | tr a-z A-Z); echo \"got $x\";"
                + " gzip -c text.txt | gzip -dc | sha256sum; echo 'a b c' | awk '{print $2, NF}';"
                + " find tree -name '*.txt' | sort; yes | head -n 2; (cd tree && ls); false || echo \"status $?\";"
                + " cat no-such-file 2>&1; sh -c 'exit 4'; echo \"child $?\"; exit 3";
        GuestPrograms.needsNativeChildren();
        GuestPrograms.Outcome o = applet("sh", "-c", script);
        assertEquals(3, o.status());
        assertTrue(o.stdout().startsWith("3\n2\n1\ngot SUB\n"), o.stdout());
        assertTrue(o.stdout().contains("b 3\n"), o.stdout());
        assertTrue(o.stdout().contains("child 4\n"), o.stdout());
    }

    @Test
    void shellReadsItsScriptFromStdin() throws Exception {
        byte[] script = "echo from stdin\nread line\necho \"read: $line\"\nwc -l < text.txt\n".getBytes(StandardCharsets.US_ASCII);
        // The script itself is stdin: `read` takes the next line of it, as natively.
        assertTrue(applet(script, "sh").stdout().startsWith("from stdin\n"));
    }

    @Test
    void fileSystemChanges() throws Exception {
        // Leaves the directory as it found it, so that the three runs start alike.
        String script = "mkdir -p a/b/c && touch a/b/f && echo hi > a/b/g && cp a/b/g a/h && cp -p a/b/g a/p && mv a/h a/i"
                + " && ln -s i a/link && ln a/i a/hard && readlink a/link && chmod 600 a/i && touch -d '2020-01-02 03:04:05' a/b/g"
                + " && ls -lR --full-time a | grep -v '^total' | awk '{print $1, $2, $5, $NF}' && ls -l --full-time a/b/g | awk '{print $6, $7}'"
                + " && rm -r a && ls";
        GuestPrograms.Outcome o = applet("sh", "-c", script);
        assertTrue(o.stdout().contains("-rw------- 2 3 hard\n"), o.stdout());
        assertTrue(o.stdout().contains("2020-01-02 03:04:05"), o.stdout());
    }

    @Test
    void moreApplets() throws Exception {
        applet("head", "-n", "5", "text.txt");
        applet("tail", "-n", "5", "text.txt");
        applet("grep", "-c", "line 1", "text.txt");
        applet("uniq", "-c", "tree/b.txt");
        applet("tr", "a-z", "A-Z").stdout();
        applet("cut", "-d", " ", "-f", "2", "text.txt");
        applet("expr", "6", "*", "7");
        applet("basename", "/a/b/c.txt", ".txt");
        applet("false");
    }
}
