package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.cli.io.NpyWriterAccess;

/** The command's output policy and input checks (docs/cli.md, "Files and safety"). */
class FilesAndSafetyTest {
    @TempDir
    Path dir;
    Path csv;

    @BeforeEach
    void data() throws IOException {
        csv = Files.writeString(dir.resolve("d.csv"), "a,b\n1,2\n3,5\n6,9\n");
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private Path stats() {
        Path s = dir.resolve("s.json");
        assertEquals(0, Cli.run("fit", csv, "-o", s).code);
        return s;
    }

    @Test
    void anOutputThatIsAnInputIsRefusedBeforeAnyWork() throws IOException {
        String data = Files.readString(csv);
        BadInputTest.fails(Cli.run("fit", csv, "-o", csv), "d.csv", "same file as the input");
        assertEquals(data, Files.readString(csv));
        Path s = stats();
        String json = Files.readString(s);
        BadInputTest.fails(Cli.run("transform", csv, "-s", s, "-o", s), "s.json", "same file as the input");
        BadInputTest.fails(Cli.run("transform", csv, "-s", s, "-o", csv), "same file as the input");
        Path alias = Files.createSymbolicLink(dir.resolve("alias.csv"), csv.getFileName());
        BadInputTest.fails(Cli.run("transform", csv, "-s", s, "-o", alias), "alias.csv", "same file as the input");
        BadInputTest.fails(Cli.run("merge", s, s, "-o", s), "same file as the input");
        assertEquals(json, Files.readString(s));
        assertEquals(data, Files.readString(csv));
    }

    @Test
    void theOutputDirectoryIsCheckedBeforeTheInputIsRead() throws IOException {
        Path bad = Files.writeString(dir.resolve("bad.csv"), "a,b\n1,\"2\n");
        BadInputTest.fails(Cli.run("fit", bad, "-o", dir.resolve("nodir/s.json")), "nodir", "does not exist");
        BadInputTest.fails(Cli.run("transform", bad, "-s", dir.resolve("none.json"), "-o",
                dir.resolve("nodir/o.csv")), "nodir", "does not exist");
    }

    @Test
    void permissionBitsOfAReplacedOutputAreKeptAndANewOneGetsTheUmasks() throws IOException {
        assumeTrue(Files.getFileAttributeView(dir, java.nio.file.attribute.PosixFileAttributeView.class) != null);
        Path s = stats();
        Path plain = Files.createFile(dir.resolve("plain"));
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(s), "a new output");
        Files.setPosixFilePermissions(s, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(0, Cli.run("fit", csv, "-o", s).code);
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(s)));
        Path o = dir.resolve("o.csv");
        Files.writeString(o, "old");
        Files.setPosixFilePermissions(o, PosixFilePermissions.fromString("rw-rw-r--"));
        assertEquals(0, Cli.run("transform", csv, "-s", s, "-o", o).code);
        assertEquals("rw-rw-r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(o)));
    }

    @Test
    void aSymlinkOutputIsFollowedAndADeviceWrittenDirectly() throws IOException {
        Path real = Files.writeString(dir.resolve("real.json"), "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), real.getFileName());
        assertEquals(0, Cli.run("fit", csv, "-o", link).code);
        assertTrue(Files.isSymbolicLink(link));
        assertTrue(Files.readString(real).contains("norm4j-stats"));
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull), "/dev/null");
        // through a link of our own: code that replaced its output would replace the link, never /dev/null
        Path toNull = Files.createSymbolicLink(dir.resolve("null.json"), devNull);
        Cli r = Cli.run("fit", csv, "-o", toNull);
        assertEquals(0, r.code, r::toString);
        assertTrue(Files.isSymbolicLink(toNull), "the link to the device is still a link");
        assertFalse(Files.isRegularFile(devNull));
    }

    @Test
    void dashIsStandardOutputAndStandardInput() throws IOException {
        PrintStream oldOut = System.out;
        InputStream oldIn = System.in;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        Cli fit;
        Cli tr;
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            System.setIn(new ByteArrayInputStream(Files.readAllBytes(csv)));
            fit = Cli.run("fit", "-", "-o", "-");
        } finally {
            System.setOut(oldOut);
            System.setIn(oldIn);
        }
        assertEquals(0, fit.code, fit::toString);
        String json = captured.toString(StandardCharsets.UTF_8);
        assertTrue(json.contains("\"format\" : \"norm4j-stats\"") && json.contains("\"rows\" : 3"), json);
        assertTrue(fit.err.contains("fit standard: 3 rows"), "the summary goes to stderr: " + fit);
        assertEquals("", fit.out);
        Path s = Files.writeString(dir.resolve("s.json"), json);
        captured.reset();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            tr = Cli.run("transform", csv, "-s", s, "-o", "-");
        } finally {
            System.setOut(oldOut);
        }
        assertEquals(0, tr.code, tr::toString);
        assertTrue(captured.toString(StandardCharsets.UTF_8).startsWith("a,b\n"), captured::toString);
        assertEquals(4, captured.toString(StandardCharsets.UTF_8).split("\n").length);
    }

    @Test
    void controlBytesFromTheInputAreEscapedInMessages() throws IOException {
        Path esc = Files.writeString(dir.resolve("esc.csv"), "a,b\n1,\u001b[31mred\n");
        Cli r = Cli.run("fit", esc, "-o", dir.resolve("s.json"));
        BadInputTest.fails(r, "esc.csv", "'\\x1b[31mred' is not a number");
        Path gz = dir.resolve("data.csv");
        try (GZIPOutputStream z = new GZIPOutputStream(Files.newOutputStream(gz))) {
            z.write("a,b\n1,2\n3,4\n".repeat(50).getBytes(StandardCharsets.UTF_8));
        }
        Cli g = Cli.run("fit", gz, "-o", dir.resolve("s.json"));
        assertEquals(1, g.code, g::toString);
        for (char c : g.err.strip().toCharArray()) {
            assertTrue(c >= 0x20 && (c < 0x7f || c > 0x9f), () -> "raw control character in: " + g.err);
        }
    }

    @Test
    void npyHeadersAreCheckedBeforeAnythingIsAllocated() throws IOException {
        String[][] cases = {
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (2305843009213693952, 4), }", "truncated"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999999999999, 4), }", "below 2^63"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (-1, 2), }", "non-negative integer"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), 'extra': 1}", "unknown header key 'extra'"},
            {"{'descr': '<f4', 'descr': '<f8', 'fortran_order': False, 'shape': (2, 2), }", "appears twice"},
            {"{'descr': '<f4', 'shape': (2, 2), }", "'fortran_order' missing"},
            {"{'descr': '<f4', 'fortran_order': False, 'shape': (2, 2), } junk", "after the dictionary"},
        };
        int n = 0;
        for (String[] c : cases) {
            Path p = dir.resolve("bad" + n++ + ".npy");
            Files.write(p, npy(c[0], 16));
            Cli r = Cli.run("fit", p, "-o", dir.resolve("s.json"));
            BadInputTest.fails(r, p.getFileName().toString(), c[1]);
        }
        assertEquals(7, n);
        byte[] ok = NpyWriterAccess.header(true, 2, 2);
        assertTrue(ok.length > 0);
    }

    /** A version 1.0 .npy file with the given header dictionary and {@code dataBytes} zero bytes of data. */
    static byte[] npy(String dict, int dataBytes) {
        int unpadded = 10 + dict.length() + 1;
        String h = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] b = new byte[10 + h.length() + dataBytes];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length(), (byte) (h.length() >> 8)};
        System.arraycopy(magic, 0, b, 0, 10);
        System.arraycopy(h.getBytes(StandardCharsets.ISO_8859_1), 0, b, 10, h.length());
        return b;
    }

    @Test
    void staleTemporaryFilesOfKilledRunsAreRemovedByTheNextRun() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Path stale = Files.writeString(dir.resolve(".s.json.norm4j-" + gone.pid() + "-9a.tmp"), "partial");
        Path older = Files.writeString(dir.resolve(".s.json.8071624385719285612.tmp"), "an older norm4j's");
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Cli r;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            r = Cli.run("fit", csv, "-o", dir.resolve("s.json"));
        } finally {
            System.setErr(oldErr);
        }
        assertEquals(0, r.code, r::toString);
        assertFalse(Files.exists(stale));
        assertTrue(Files.exists(older), "a file without a process id is reported, not deleted");
        String note = err.toString(StandardCharsets.UTF_8);
        assertTrue(note.contains("norm4j: note: " + older) && note.contains("older norm4j"), note);
        assertEquals(List.of(".s.json.8071624385719285612.tmp", "d.csv", "s.json"), names());
    }

    @Test
    void aLineWithoutEndIsBounded() throws IOException {
        Path one = dir.resolve("one.csv");
        Files.writeString(one, "1," + "9".repeat((1 << 24) + 10));
        BadInputTest.fails(Cli.run("fit", one, "-o", dir.resolve("s.json")), "one.csv, line 1",
                "longer than 16777216 bytes");
    }
}
