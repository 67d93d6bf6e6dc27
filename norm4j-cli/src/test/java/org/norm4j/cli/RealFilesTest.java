package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Files as people have them: headerless with a label, metadata lines, comments, Latin-1, gzip, CRLF, NA. */
class RealFilesTest {
    @TempDir
    Path dir;

    Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    Path write(String name, String text) throws IOException {
        return write(name, text.getBytes(StandardCharsets.UTF_8));
    }

    JsonNode feature(Path stats, int k) throws IOException {
        return FitTransformTest.json(stats).get("features").get(k);
    }

    @Test
    void headerlessFileWithATextLabelIsData() throws IOException {
        Path iris = write("iris.data", "5.1,3.5,1.4,0.2,Iris-setosa\n4.9,3.0,1.4,0.2,Iris-setosa\n"
                + "7.0,3.2,4.7,1.4,Iris-versicolor\n");
        Cli fit = Cli.run("fit", iris, "-c", "1-4", "-o", dir.resolve("s.json"));
        assertEquals(0, fit.code, fit::toString);
        assertTrue(fit.err.contains("iris.data: line 1 read as data"), fit.err);
        assertEquals(3, FitTransformTest.json(dir.resolve("s.json")).get("rows").asInt());
        assertEquals((5.1 + 4.9 + 7.0) / 3, feature(dir.resolve("s.json"), 0).get("mean").asDouble(), 1e-15);
        // a header above the same data is still found, and the guess names the column that decided it
        Path withHeader = write("h.csv", "sl,sw,pl,pw,species\n" + Files.readString(iris));
        Cli h = Cli.run("fit", withHeader, "-c", "sl", "-o", dir.resolve("h.json"));
        assertEquals(0, h.code, h::toString);
        assertTrue(h.err.contains("line 1 taken as the header: column 1 is 'sl' above numbers"), h.err);
        // given explicitly: nothing is guessed or reported
        Cli given = Cli.run("fit", iris, "--no-header", "-c", "1-4", "-o", dir.resolve("g.json"));
        assertEquals(0, given.code, given::toString);
        assertFalse(given.err.contains("guess") || given.err.contains("read as data"), given.err);
    }

    @Test
    void metadataLineIsSkippedWithSkipRows() throws IOException {
        // scikit-learn's bundled iris.csv starts with "150,4,setosa,versicolor,virginica"
        Path f = write("iris.csv", "3,4,setosa,versicolor,virginica\n5.1,3.5,1.4,0.2,0\n4.9,3.0,1.4,0.2,0\n"
                + "7.0,3.2,4.7,1.4,1\n");
        Cli fit = Cli.run("fit", f, "--skip-rows", "1", "--no-header", "-c", "4", "-o", dir.resolve("s.json"));
        assertEquals(0, fit.code, fit::toString);
        JsonNode pw = feature(dir.resolve("s.json"), 0);
        assertEquals(3, pw.get("count").asInt());
        assertEquals(1.4, pw.get("max").asDouble(), 0.0);
        Cli tr = Cli.run("transform", f, "--skip-rows", "1", "-s", dir.resolve("s.json"), "-o", dir.resolve("o.csv"));
        assertEquals(0, tr.code, tr::toString);
        List<String> out = Files.readAllLines(dir.resolve("o.csv"));
        assertEquals(3, out.size(), "the skipped line is not written");
        assertTrue(out.get(0).startsWith("5.1,3.5,1.4,"), out.get(0));
    }

    @Test
    void transformReadsWithTheOptionsFitRecorded() throws IOException {
        // a metadata line, a comment, Latin-1 text and a missing token of its own: fit once with the options
        byte[] bytes = ("meta 2 rows\n# note\nx;name\n1;K\u00f6ln\n-999;Z\u00fcrich\n3;Wien\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        Path f = dir.resolve("l.csv");
        Files.write(f, bytes);
        Path s = dir.resolve("s.json");
        Cli fit = Cli.run("fit", f, "--skip-rows", "1", "--comment", "#", "-d", ";", "--encoding", "ISO-8859-1",
                "--na-values", "-999", "-c", "x", "-o", s);
        assertEquals(0, fit.code, fit::toString);
        JsonNode in = FitTransformTest.json(s).get("input");
        assertEquals(1, in.get("skip_rows").asInt());
        assertEquals("#", in.get("comment").asText());
        assertEquals("ISO-8859-1", in.get("encoding").asText());
        assertEquals("[\"-999\"]", in.get("na_values").toString());
        assertTrue(in.get("header_guessed").asBoolean(), "the header was guessed");
        JsonNode x = feature(s, 0);
        assertEquals(2, x.get("count").asInt());
        assertEquals(2.0, x.get("mean").asDouble(), 0.0);
        // transform without any reading option: the recorded ones are used
        Path o = dir.resolve("o.csv");
        Cli tr = Cli.run("transform", f, "-s", s, "-o", o);
        assertEquals(0, tr.code, tr::toString);
        assertEquals("", tr.err.strip(), "no note when the options are the fit's");
        assertEquals("x;name\n-1.0;K\u00f6ln\n-999;Z\u00fcrich\n1.0;Wien\n",
                new String(Files.readAllBytes(o), StandardCharsets.ISO_8859_1));
        // an option given with another value is used, and noted
        Cli other = Cli.run("transform", f, "-s", s, "--skip-rows", "0", "--header", "-o", dir.resolve("p.csv"));
        assertTrue(other.err.contains("note: --skip-rows 0 differs from the 1 that fit used"), other.err);
    }

    @Test
    void mergeKeepsTheReadingOptionsOnlyWhenThePartsAgree() throws IOException {
        Path a = write("a.csv", "meta\nx\n1\n2\n");
        Path b = write("b.csv", "x\n3\n");
        Path c = write("c.csv", "meta\nx\n5\n");
        Path sa = dir.resolve("sa.json");
        Path sb = dir.resolve("sb.json");
        Path sc = dir.resolve("sc.json");
        assertEquals(0, Cli.run("fit", a, "--skip-rows", "1", "-o", sa).code);
        assertEquals(0, Cli.run("fit", b, "-o", sb).code);
        assertEquals(0, Cli.run("fit", c, "--skip-rows", "1", "-o", sc).code);
        Path ac = dir.resolve("ac.json");
        Path ab = dir.resolve("ab.json");
        assertEquals(0, Cli.run("merge", sa, sc, "-o", ac).code);
        assertEquals(0, Cli.run("merge", sa, sb, "-o", ab).code);
        assertEquals(1, FitTransformTest.json(ac).get("input").get("skip_rows").asInt());
        assertFalse(FitTransformTest.json(ab).get("input").has("skip_rows"), "parts read differently: unknown");
        assertEquals(3, FitTransformTest.json(ab).get("rows").asInt());
    }

    @Test
    void commentLinesAreSkipped() throws IOException {
        Path f = write("c.csv", "# exported 2024-01-01\nx,y\n1,2\n  # a note\n3,4\n");
        Cli fit = Cli.run("fit", f, "--comment", "#", "-o", dir.resolve("s.json"));
        assertEquals(0, fit.code, fit::toString);
        assertEquals("y", feature(dir.resolve("s.json"), 1).get("name").asText());
        assertEquals(2, FitTransformTest.json(dir.resolve("s.json")).get("rows").asInt());
        Cli usage = Cli.run("fit", f, "--comment", ",", "-o", dir.resolve("t.json"));
        assertEquals(2, usage.code, usage::toString);
        assertTrue(usage.err.contains("--comment ',': expected one character, not a space, a quote or the delimiter"),
                usage.err);
    }

    @Test
    void invalidBytesAreAnErrorNamingTheLine() throws IOException {
        byte[] bytes = "a,b\n1,2\n3,caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        Path f = write("l1.csv", bytes);
        BadInputTest.fails(Cli.run("fit", f, "-c", "a", "-o", dir.resolve("s.json")), "l1.csv, line 3: byte 6 (0xE9) "
                + "is not valid UTF-8");
        Cli unknown = Cli.run("fit", f, "--encoding", "nope", "-o", dir.resolve("s.json"));
        assertEquals(2, unknown.code, unknown::toString);
        assertTrue(unknown.err.contains("--encoding 'nope': unknown encoding"), unknown.err);
        Cli wide = Cli.run("fit", f, "--encoding", "UTF-16", "-o", dir.resolve("s.json"));
        assertEquals(2, wide.code, wide::toString);
        assertTrue(wide.err.contains("--encoding UTF-16: expected an encoding that writes ASCII as single bytes"),
                wide.err);
    }

    @Test
    void latin1PassThroughColumnsStayByteExact() throws IOException {
        byte[] bytes = "name;x\r\nZo\u00eb;1\r\nRen\u00e9e;3\r\n\u00c5sa;\r\n".getBytes(StandardCharsets.ISO_8859_1);
        Path f = write("l1.csv", bytes);
        Path fitted = write("fit.csv", "name;x\nA;1\nB;3\n");
        Cli fit = Cli.run("fit", fitted, "-d", ";", "--encoding", "ISO-8859-1", "-c", "x", "--method", "minmax", "-o",
                dir.resolve("s.json"));
        assertEquals(0, fit.code, fit::toString);
        Cli tr = Cli.run("transform", f, "--encoding", "ISO-8859-1", "-s", dir.resolve("s.json"), "-o",
                dir.resolve("o.csv"));
        assertEquals(0, tr.code, tr::toString);
        byte[] expected = "name;x\r\nZo\u00eb;0.0\r\nRen\u00e9e;1.0\r\n\u00c5sa;\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("o.csv")),
                "Latin-1 bytes, CRLF line endings and the missing cell are kept");
    }

    @Test
    void gzipIsReadByContentAndWrittenByExtension() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write("a,b\n1,x\n3,y\n".getBytes(StandardCharsets.US_ASCII));
        }
        Path f = write("d.csv.gz", gz.toByteArray());
        Cli fit = Cli.run("fit", f, "-c", "a", "-o", dir.resolve("s.json"));
        assertEquals(0, fit.code, fit::toString);
        assertEquals(2.0, feature(dir.resolve("s.json"), 0).get("mean").asDouble(), 0.0);
        Cli tr = Cli.run("transform", f, "-s", dir.resolve("s.json"), "-o", dir.resolve("o.csv.gz"));
        assertEquals(0, tr.code, tr::toString);
        try (InputStream in = new GZIPInputStream(Files.newInputStream(dir.resolve("o.csv.gz")))) {
            assertEquals("a,b\n-1.0,x\n1.0,y\n", new String(in.readAllBytes(), StandardCharsets.US_ASCII));
        }
        Cli plain = Cli.run("transform", f, "-s", dir.resolve("s.json"), "-o", dir.resolve("o.csv"));
        assertEquals(0, plain.code, plain::toString);
        assertEquals("a,b\n-1.0,x\n1.0,y\n", Files.readString(dir.resolve("o.csv")));
    }

    @Test
    void missingTokensAreNaNAndStayAsWrittenInTransform() throws IOException {
        Path f = write("m.csv", "a,b,label\n1,10,NA\n3,N/A,null\n5,30,x\n");
        Cli fit = Cli.run("fit", f, "-c", "a", "-o", dir.resolve("s.json"));
        assertEquals(0, fit.code, fit::toString);
        Path g = write("g.csv", "a,b,label\n1,10,NA\nNA,N/A,null\n,30,x\nnan,1,y\n");
        Cli tr = Cli.run("transform", g, "-s", dir.resolve("s.json"), "-o", dir.resolve("o.csv"));
        assertEquals(0, tr.code, tr::toString);
        List<String> out = Files.readAllLines(dir.resolve("o.csv"));
        assertEquals(List.of("a,b,label", "-1.224744871391589,10,NA", "NA,N/A,null", ",30,x", "nan,1,y"), out);
        // a token of the user's own: -999 is missing, NA is now an error
        Path h = write("h.csv", "a\n-999\n2\n4\n");
        Cli own = Cli.run("fit", h, "--na-values", "-999", "-o", dir.resolve("h.json"));
        assertEquals(0, own.code, own::toString);
        BadInputTest.fails(Cli.run("fit", write("i.csv", "a\nNA\n2\n"), "--header", "--na-values", "-999", "-o",
                dir.resolve("i.json")), "i.csv, line 2, column 1 (a): 'NA' is not a number");
    }

    @Test
    void floatFormatAndPrecision() throws IOException {
        Path f = write("p.csv", "x,n\n1,2\n2,3\n4,4\n");
        assertEquals(0, Cli.run("fit", f, "-c", "x", "-o", dir.resolve("s.json")).code);
        Cli repr = Cli.run("transform", f, "-s", dir.resolve("s.json"), "-o", dir.resolve("r.csv"));
        assertEquals(0, repr.code, repr::toString);
        // mean 7/3, std sqrt(14/9); NumPy: -1.0690449676496978, -0.2672612419124245, 1.3363062095621219
        List<String> lines = Files.readAllLines(dir.resolve("r.csv"));
        double[] numpy = {-1.0690449676496978, -0.2672612419124245, 1.3363062095621219};
        for (int i = 0; i < 3; i++) {
            String cell = lines.get(i + 1).split(",")[0];
            assertTrue(cell.matches("-?[01]\\.\\d{15,16}"), cell);
            assertEquals(numpy[i], Double.parseDouble(cell), 2e-15);
        }
        Cli p3 = Cli.run("transform", f, "-s", dir.resolve("s.json"), "--precision", "3", "-o", dir.resolve("p.out"));
        assertEquals(0, p3.code, p3::toString);
        assertEquals(List.of("x,n", "-1.07,2", "-0.267,3", "1.34,4"), Files.readAllLines(dir.resolve("p.out")));
        Cli f2 = Cli.run("transform", f, "-s", dir.resolve("s.json"), "--float-format", "%.2e", "-o",
                dir.resolve("f.out"));
        assertEquals(0, f2.code, f2::toString);
        assertEquals(List.of("x,n", "-1.07e+00,2", "-2.67e-01,3", "1.34e+00,4"), Files.readAllLines(dir.resolve("f.out")));
        Cli both = Cli.run("transform", f, "-s", dir.resolve("s.json"), "--precision", "3", "--float-format", "%.2f",
                "-o", dir.resolve("b.out"));
        assertEquals(2, both.code, both::toString);
        assertTrue(both.err.contains("--float-format and --precision both given"), both.err);
        Cli bad = Cli.run("transform", f, "-s", dir.resolve("s.json"), "--float-format", "%d", "-o",
                dir.resolve("b.out"));
        assertEquals(2, bad.code, bad::toString);
        assertTrue(bad.err.contains("--float-format '%d': expected repr, %.Nf"), bad.err);
    }
}
