package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input: exit code 1, one line naming the file (line, column), and no output left behind. */
class BadInputTest {
    @TempDir
    Path dir;

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    /** Asserts a failure with exit code 1 and a single-line message containing every fragment. */
    static void fails(Cli r, String... fragments) {
        assertEquals(1, r.code, r::toString);
        String msg = r.err.strip();
        assertFalse(msg.contains("\n"), () -> "expected one line, got:\n" + msg);
        assertTrue(msg.startsWith("norm4j "), msg);
        for (String f : fragments) {
            assertTrue(msg.contains(f), () -> "'" + f + "' missing from: " + msg);
        }
    }

    /** The files in the temp dir, to check that no partial or temporary output is left. */
    List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void nonNumericCellNamesFileLineAndColumn() throws IOException {
        Path in = write("d.csv", "a,b,c\n1,2,3\n4,five,6\n");
        fails(Cli.run("fit", in, "-o", dir.resolve("s.json")), "d.csv, line 3, column 2 (b): 'five' is not a number");
        assertFalse(Files.exists(dir.resolve("s.json")));
        // an empty cell is a missing value by default; without it among --na-values it is an error
        fails(Cli.run("fit", write("e.csv", "a,b\n1,\n"), "--na-values", "NA", "-o", dir.resolve("s.json")),
                "e.csv, line 2, column 2", "empty cell");
    }

    @Test
    void wrongColumnCount() throws IOException {
        Path in = write("d.csv", "a,b,c\n1,2,3\n4,5\n");
        fails(Cli.run("fit", in, "-o", dir.resolve("s.json")), "d.csv, line 3: 2 columns: expected 3");
    }

    @Test
    void malformedRow() throws IOException {
        Path in = write("d.csv", "a,b\n1,2\n\"3,4\n");
        fails(Cli.run("fit", in, "-o", dir.resolve("s.json")), "d.csv, line 3: malformed row",
                "unterminated quoted field");
    }

    @Test
    void unknownColumnName() throws IOException {
        Path in = write("d.csv", "a,b\n1,2\n");
        fails(Cli.run("fit", in, "--columns", "a,zz", "-o", dir.resolve("s.json")), "d.csv", "unknown column 'zz'",
                "a, b");
        fails(Cli.run("fit", in, "--columns", "3", "-o", dir.resolve("s.json")), "column 3", "out of range");
    }

    @Test
    void missingFiles() throws IOException {
        fails(Cli.run("fit", dir.resolve("nope.csv"), "-o", dir.resolve("s.json")), "nope.csv: no such file");
        Path in = write("d.csv", "1\n2\n");
        fails(Cli.run("transform", in, "-s", dir.resolve("nope.json"), "-o", dir.resolve("o.csv")),
                "nope.json: no such file");
        fails(Cli.run("merge", dir.resolve("nope.json"), "-o", dir.resolve("m.json")), "nope.json: no such file");
        fails(Cli.run("fit", in, "-o", dir.resolve("no-dir/s.json")), "does not exist");
    }

    @Test
    void statsFileOfAnotherVersionOrFormat() throws IOException {
        Path in = write("d.csv", "1\n2\n");
        assertEquals(0, Cli.run("fit", in, "-o", dir.resolve("s.json")).code);
        String json = Files.readString(dir.resolve("s.json"));
        Path v4 = write("v4.json", json.replace("\"version\" : 3", "\"version\" : 4"));
        fails(Cli.run("transform", in, "-s", v4, "-o", dir.resolve("o.csv")), "v4.json", "version 4",
                "expected version 1 to 3");
        // version 2 had no CSV reading options: a version 2 file with them is refused, one without is read
        Path v2 = write("v2.json", json.replace("\"version\" : 3", "\"version\" : 2"));
        fails(Cli.run("transform", in, "-s", v2, "-o", dir.resolve("o.csv")), "v2.json", "unknown field",
                "'input.skip_rows'");
        JsonNode tree = new ObjectMapper().readTree(json.replace("\"version\" : 3", "\"version\" : 2"));
        for (String k : new String[] {"skip_rows", "comment", "encoding", "na_values", "header_guessed"}) {
            ((ObjectNode) tree.get("input")).remove(k);
        }
        Path old = write("old.json", tree.toString());
        Cli t = Cli.run("transform", in, "-s", old, "-o", dir.resolve("old.csv"));
        assertEquals(0, t.code, t::toString);
        Files.delete(dir.resolve("old.csv"));
        Path other = write("other.json", json.replace("norm4j-stats", "sklearn-pickle"));
        fails(Cli.run("transform", in, "-s", other, "-o", dir.resolve("o.csv")), "other.json", "'sklearn-pickle'");
        Path broken = write("broken.json", json.substring(0, json.length() / 2));
        fails(Cli.run("merge", broken, "-o", dir.resolve("m.json")), "broken.json", "invalid JSON");
        assertFalse(Files.exists(dir.resolve("o.csv")));
        assertFalse(Files.exists(dir.resolve("m.json")));
    }

    @Test
    void statsWithAnotherFeatureCount() throws IOException {
        assertEquals(0, Cli.run("fit", write("three.csv", "1,2,3\n4,5,6\n"), "-o", dir.resolve("s3.json")).code);
        Path two = write("two.csv", "1,2\n3,4\n");
        fails(Cli.run("transform", two, "-s", dir.resolve("s3.json"), "-o", dir.resolve("o.csv")), "two.csv",
                "2 columns", "s3.json", "fitted on 3");
        assertEquals(0, Cli.run("fit", two, "-o", dir.resolve("s2.json")).code);
        fails(Cli.run("merge", dir.resolve("s3.json"), dir.resolve("s2.json"), "-o", dir.resolve("m.json")),
                "s2.json", "number of input columns 2", "has 3");
        assertEquals(0, Cli.run("fit", two, "-m", "minmax", "-o", dir.resolve("mm.json")).code);
        fails(Cli.run("merge", dir.resolve("s2.json"), dir.resolve("mm.json"), "-o", dir.resolve("m.json")),
                "mm.json: method minmax, but");
        assertFalse(Files.exists(dir.resolve("o.csv")));
        assertFalse(Files.exists(dir.resolve("m.json")));
    }

    @Test
    void renamedHeaderColumnIsRejected() throws IOException {
        assertEquals(0, Cli.run("fit", write("a.csv", "x,y\n1,2\n3,5\n"), "-o", dir.resolve("s.json")).code);
        fails(Cli.run("transform", write("b.csv", "x,z\n1,2\n"), "-s", dir.resolve("s.json"), "-o",
                dir.resolve("o.csv")), "b.csv: column 2 is 'z'", "'y'");
    }

    @Test
    void skipBadRowsCountsAndReports() throws IOException {
        Path in = write("d.csv", "a,b\n1,2\n3,x\n5\n\"7,8\n9,10\n");
        Cli r = Cli.run("fit", in, "--skip-bad-rows", "-o", dir.resolve("s.json"));
        assertEquals(0, r.code, r::toString);
        assertTrue(r.err.contains("skipped 3 bad rows (first: "), r.err);
        assertTrue(r.err.contains("d.csv, line 3, column 2 (b): 'x' is not a number)"), r.err);
        String json = Files.readString(dir.resolve("s.json"));
        assertTrue(json.contains("\"rows\" : 2") && json.contains("\"skipped_rows\" : 3"), json);
        // transform never drops a row: a row of another width or with broken quotes is an error even so
        fails(Cli.run("transform", in, "--skip-bad-rows", "-s", dir.resolve("s.json"), "-o", dir.resolve("o.csv")),
                "d.csv, line 4: 1 column: expected 2");
        assertFalse(Files.exists(dir.resolve("o.csv")));
        // and a bad cell is written as nan (counted, reported), a missing token stays as written
        Path cells = write("e.csv", "a,b\n1,2\n3,x\nNA,4\n5,\n");
        Cli t = Cli.run("transform", cells, "--skip-bad-rows", "-s", dir.resolve("s.json"), "-o",
                dir.resolve("o.csv"));
        assertEquals(0, t.code, t::toString);
        assertTrue(t.err.contains("wrote 1 bad cell as nan (rows are never dropped) (first: "), t.err);
        assertTrue(t.err.contains("e.csv, line 3, column 2 (b): 'x' is not a number"), t.err);
        List<String> lines = Files.readAllLines(dir.resolve("o.csv"));
        assertEquals(5, lines.size(), "the header and all four rows");
        assertTrue(lines.get(2).endsWith(",nan"), lines.get(2));
        assertTrue(lines.get(3).startsWith("NA,"), lines.get(3));
        assertTrue(lines.get(4).endsWith(","), lines.get(4));
        fails(Cli.run("transform", cells, "-s", dir.resolve("s.json"), "-o", dir.resolve("o2.csv")),
                "e.csv, line 3, column 2 (b): 'x' is not a number");
    }

    @Test
    void failedTransformLeavesNoPartialOutput() throws IOException {
        StringBuilder sb = new StringBuilder("a,b\n");
        for (int i = 0; i < 100_000; i++) {
            sb.append(i).append(',').append(i % 7).append('\n');
        }
        Path good = write("good.csv", sb.toString());
        assertEquals(0, Cli.run("fit", good, "-o", dir.resolve("s.json")).code);
        Path bad = write("bad.csv", sb + "1,oops\n");
        Path existing = write("o.csv", "keep me\n");
        List<String> before = files();
        fails(Cli.run("transform", bad, "-s", dir.resolve("s.json"), "-o", existing), "bad.csv, line 100002",
                "'oops'");
        assertEquals(before, files(), "no temporary file left behind");
        assertEquals("keep me\n", Files.readString(existing), "an existing output is untouched on failure");
        fails(Cli.run("transform", bad, "-s", dir.resolve("s.json"), "-o", dir.resolve("new.csv")), "bad.csv");
        assertEquals(before, files());
    }

    @Test
    void badNpyFiles() throws IOException {
        Path notNpy = write("x.npy", "hello");
        fails(Cli.run("fit", notNpy, "-o", dir.resolve("s.json")), "x.npy: not a .npy file");
        byte[] header = org.norm4j.cli.io.NpyWriterAccess.header(false, 4, 2);
        Path truncated = dir.resolve("t.npy");
        Files.write(truncated, concat(header, new byte[8 * 7]));
        fails(Cli.run("fit", truncated, "-o", dir.resolve("s.json")), "t.npy: truncated", "needs 64 data bytes");
        String dict = "{'descr': '<c16', 'fortran_order': False, 'shape': (2, 2), }";
        Path complex = dir.resolve("c.npy");
        Files.write(complex, concat(npyHeader(dict), new byte[64]));
        fails(Cli.run("fit", complex, "-o", dir.resolve("s.json")), "c.npy: dtype '<c16': expected float32");
        Path noOrder = dir.resolve("n.npy");
        Files.write(noOrder, concat(npyHeader(dict.replace("<c16", "|i2")), new byte[8]));
        fails(Cli.run("fit", noOrder, "-o", dir.resolve("s.json")), "n.npy: dtype '|i2'");
        assertFalse(Files.exists(dir.resolve("s.json")));
    }

    @Test
    void transformOutputMustKeepTheInputFormat() throws IOException {
        Path in = write("d.csv", "1\n2\n");
        assertEquals(0, Cli.run("fit", in, "-o", dir.resolve("s.json")).code);
        Cli r = Cli.run("transform", in, "-s", dir.resolve("s.json"), "-o", dir.resolve("o.npy"));
        assertEquals(2, r.code, r::toString);
        assertTrue(r.err.contains("not ending in .npy"), r.err);
    }

    static byte[] npyHeader(String dict) {
        String h = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        byte[] b = new byte[10 + h.length()];
        byte[] magic = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0, (byte) h.length(), 0};
        System.arraycopy(magic, 0, b, 0, 10);
        System.arraycopy(h.getBytes(StandardCharsets.US_ASCII), 0, b, 10, h.length());
        return b;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = new byte[a.length + b.length];
        System.arraycopy(a, 0, c, 0, a.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
