package org.kasou.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Debian 12's dynamically linked i386 programs (coreutils, gzip, xz, bzip2, lua5.4, perl, sqlite3,
 * gawk, python3.11, tar with dash as /bin/sh, from scripts/fetch-linux-user-sysroot.sh) run
 * natively, through the sysroot's loader and libraries, and under kasou with -L (interpreter and
 * JIT): same output, same exit status.
 */
class DebianProgramsTest {
    private static final List<String> ENV = GuestPrograms.env("PATH=/usr/bin:/bin", "LANG=C", "LC_ALL=C", "TZ=UTC", "HOME=/nonexistent");

    @TempDir(factory = GuestTempDirs.class)
    Path dir;
    private Path root;

    @BeforeEach
    void inputs() throws Exception {
        root = GuestPrograms.sysroot();
        StringBuilder sb = new StringBuilder();
        Random r = new Random(7);
        for (int i = 0; i < 2000; i++) sb.append("word").append(r.nextInt(500)).append(' ').append(r.nextInt(1000)).append('\n');
        Files.writeString(dir.resolve("input.txt"), sb.toString());
    }

    private GuestPrograms.Outcome agree(String program, byte[] stdin, String... args) throws Exception {
        Path exe = root.resolve(program);
        assumeTrue(Files.isRegularFile(exe), "no " + exe + ": run scripts/fetch-linux-user-sysroot.sh");
        return GuestPrograms.agreeThroughSysroot(new GuestPrograms.Run(exe, List.of(args), ENV, stdin, dir, root));
    }

    private GuestPrograms.Outcome agree(String program, String... args) throws Exception {
        return agree(program, new byte[0], args);
    }

    @Test
    void coreutils() throws Exception {
        agree("usr/bin/sort", "-k2,2n", "-k1,1", "input.txt");
        agree("usr/bin/sha256sum", "input.txt");
        agree("bin/ls", "-la", ".");
        agree("usr/bin/wc", "input.txt");
        agree("bin/cat", "input.txt", "no-such-file");
        assertEquals("3\n", agree("usr/bin/expr", "1", "+", "2").stdout());
    }

    @Test
    void compressors() throws Exception {
        for (String[] tool : new String[][] {{"bin/gzip", "-9"}, {"usr/bin/xz", "-6"}, {"bin/bzip2", "-9"}}) {
            GuestPrograms.Outcome packed = agree(tool[0], tool[1], "-c", "input.txt");
            byte[] data = packed.stdout().getBytes(StandardCharsets.ISO_8859_1);
            GuestPrograms.Outcome unpacked = agree(tool[0], data, "-dc");
            assertEquals(Files.readString(dir.resolve("input.txt")), unpacked.stdout(), tool[0]);
        }
    }

    /** tar runs its compressor through /bin/sh -c (dash from the sysroot): forks, execs of a shell and of gzip, a pipe. */
    @Test
    void tarCompressesThroughTheShell() throws Exception {
        agree("usr/bin/tar", "czf", "input.tgz", "input.txt");
        assertEquals(Files.readString(dir.resolve("input.txt")), agree("usr/bin/tar", "xzOf", "input.tgz").stdout());
    }

    @Test
    void lua() throws Exception {
        String script = "local t = {} for i = 1, 20000 do t[i] = (i * 7919) % 10007 end table.sort(t)"
                + " local s = 0 for i, v in ipairs(t) do s = s + v * i end"
                + " print(s, #t, string.format('%.6f', math.sin(1.5) * s), ('x'):rep(3), string.upper('ok'))"
                + " for w in io.lines('input.txt') do s = s + #w end print(s)";
        assertTrue(agree("usr/bin/lua5.4", "-e", script).stdout().contains("xxx"));
    }

    @Test
    void perl() throws Exception {
        String script = "my %h; open(my $f, '<', 'input.txt') or die; while (<$f>) { my ($w, $n) = split; $h{$w} += $n }"
                + " my @k = sort { $h{$b} <=> $h{$a} || $a cmp $b } keys %h; printf(\"%s %d %.3f\\n\", $k[0], scalar(@k), sqrt($h{$k[0]}));"
                + " print join(',', map { $_ * $_ } grep { $_ % 3 == 0 } 1..30), \"\\n\"; print 'match' if 'abc123' =~ /(\\d+)/; print \" $1\\n\";";
        assertTrue(agree("usr/bin/perl", "-e", script).stdout().contains("match 123"));
    }

    @Test
    void sqlite() throws Exception {
        String sql = "create table t(k integer primary key, v text, n real);"
                + " with recursive c(x) as (select 1 union all select x + 1 from c where x < 5000)"
                + " insert into t select x, printf('v%04d', x % 997), x * 0.5 from c;"
                + " create index iv on t(v); select count(*), sum(n), min(v), max(v) from t;"
                + " select v, count(*) from t group by v order by 2 desc, 1 limit 3;";
        assertTrue(agree("usr/bin/sqlite3", ":memory:", sql).stdout().startsWith("5000|"));
    }

    /**
     * sqlite3 with a write-ahead log in a file: its -shm file is a shared mapping, tested for other
     * holders with F_GETLK (before, kasou left l_type as asked, which said another process held
     * the lock, and sqlite3 gave up with "locking protocol").
     */
    @Test
    void sqliteWriteAheadLog() throws Exception {
        String sql = "pragma journal_mode=wal; drop table if exists t; create table t(a, b);" // each run its own table
                + " with recursive c(x) as (select 1 union all select x + 1 from c where x < 3000)"
                + " insert into t select x, x * x from c; select count(*), sum(b) from t;";
        String out = agree("usr/bin/sqlite3", dir.resolve("wal.db").toString(), sql).stdout();
        assertTrue(out.equals("wal\n3000|9004500500\n"), out);
    }

    @Test
    void python() throws Exception {
        String script = "import sys\nd = {}\nfor line in open('input.txt'):\n    w, n = line.split()\n    d[w] = d.get(w, 0) + int(n)\n"
                + "top = sorted(d.items(), key=lambda kv: (-kv[1], kv[0]))[:3]\n"
                + "print(top, len(d), sum(i * i for i in range(20000)), '%.9f' % (2.0 ** 0.5), 7 ** 77 % 1000003)\n"
                + "print(' '.join(str(x) for x in sorted({i % 17 for i in range(100)})), 'ok'.upper(), sys.maxsize)";
        assertTrue(agree("usr/bin/python3.11", "-S", "-c", script).stdout().contains("OK 2147483647"));
    }

    @Test
    void gawk() throws Exception {
        String prog = "{ c[$1]++; s += $2 } END { n = asorti(c, k); printf \"%d %d %s %.4f\\n\", n, s, k[1], s / NR;"
                + " print toupper(substr(\"kasou\", 2, 3)), length(\"abc\"), index(\"hello\", \"ll\") }";
        assertTrue(agree("usr/bin/gawk", prog, "input.txt").stdout().contains("ASO 3 3"));
    }
}
