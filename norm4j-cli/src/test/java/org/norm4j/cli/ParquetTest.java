package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnReader;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.cli.io.ParquetReader;

/**
 * Parquet in {@code fit} and {@code transform}: files written by pyarrow and polars (every codec, data pages v1
 * and v2, dictionary and plain encodings, nulls) against the statistics NumPy and scikit-learn computed when they
 * were written ({@code parquet/make.py}, {@code expected.json}); round trips with nulls and pass-through columns
 * kept; errors that name the column and its type.
 */
class ParquetTest {
    private static final String[] NUMERIC = {"a", "b", "c", "d", "e", "u8"};

    @TempDir
    Path dir;

    Path fixture(String name) throws IOException {
        try (InputStream in = ParquetTest.class.getResourceAsStream("parquet/" + name)) {
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }

    static JsonNode expected() throws IOException {
        try (InputStream in = ParquetTest.class.getResourceAsStream("parquet/expected.json")) {
            return new ObjectMapper().readTree(in);
        }
    }

    @Test
    void pyarrowAndPolarsFilesMatchScikitLearn() throws IOException {
        JsonNode expected = expected();
        int files = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = expected.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> file = it.next();
            Path in = fixture(file.getKey());
            Path s = dir.resolve(file.getKey() + ".json");
            Cli fit = Cli.run("fit", in, "-c", String.join(",", NUMERIC), "-o", s);
            assertEquals(0, fit.code, fit::toString);
            JsonNode stats = FitTransformTest.json(s);
            assertEquals("parquet", stats.get("input").get("kind").asText());
            assertEquals(7, stats.get("input").get("columns").asInt());
            assertEquals(500, stats.get("rows").asLong());
            JsonNode features = stats.get("features");
            for (int j = 0; j < NUMERIC.length; j++) {
                JsonNode f = features.get(j);
                JsonNode e = file.getValue().get(NUMERIC[j]);
                String at = file.getKey() + " " + NUMERIC[j];
                assertEquals(NUMERIC[j], f.get("name").asText(), at);
                assertEquals(e.get("count").asLong(), f.get("count").asLong(), at);
                assertEquals(e.get("min").asDouble(), f.get("min").asDouble(), 0.0, at);
                assertEquals(e.get("max").asDouble(), f.get("max").asDouble(), 0.0, at);
                assertEquals(e.get("mean").asDouble(), f.get("mean").asDouble(),
                        1e-13 * Math.abs(e.get("mean").asDouble()) + 1e-300, at);
                assertEquals(e.get("var").asDouble(), f.get("variance").asDouble(),
                        1e-12 * e.get("var").asDouble(), at);
            }
            files++;
        }
        assertEquals(10, files);
    }

    /** Every value of column {@code c} as a double (null: NaN), with whether it was null. */
    record Column(double[] values, boolean[] nulls) {
    }

    static Column read(Path file, String name) {
        try (ParquetReader r = ParquetReader.open(file)) {
            int c = List.of(r.names()).indexOf(name);
            double[] v = new double[(int) r.rows()];
            boolean[] nulls = new boolean[v.length];
            int at = 0;
            while (r.nextGroup()) {
                int n = (int) r.groupRows();
                double[] part = new double[n];
                boolean[] pn = new boolean[n];
                r.read(c, r.numbers(c), part, 0, 1, n, pn);
                System.arraycopy(part, 0, v, at, n);
                System.arraycopy(pn, 0, nulls, at, n);
                at += n;
            }
            return new Column(v, nulls);
        }
    }

    static List<String> strings(Path file, String name) {
        List<String> out = new ArrayList<>();
        try (ParquetReader r = ParquetReader.open(file)) {
            int c = List.of(r.names()).indexOf(name);
            while (r.nextGroup()) {
                ColumnReader cr = r.column(c);
                for (long i = 0; i < r.groupRows(); i++) {
                    out.add(cr.getCurrentDefinitionLevel() == 0 ? null : cr.getBinary().toStringUsingUTF8());
                    cr.consume();
                }
            }
        }
        return out;
    }

    @Test
    void transformScalesKeepsNullsAndPassThroughAndInverts() throws IOException {
        JsonNode e = expected().get("pyarrow-snappy.parquet");
        Path in = fixture("pyarrow-snappy.parquet");
        Path s = dir.resolve("s.json");
        assertEquals(0, Cli.run("fit", in, "-c", "a,c,d", "-o", s).code);
        Path out = dir.resolve("out.parquet");
        Cli t = Cli.run("transform", in, "-s", s, "-o", out);
        assertEquals(0, t.code, t::toString);
        for (String col : new String[] {"a", "c", "d"}) {
            Column x = read(in, col);
            Column y = read(out, col);
            double mean = e.get(col).get("mean").asDouble();
            double std = Math.sqrt(e.get(col).get("var").asDouble());
            assertArrayEquals(x.nulls, y.nulls, col + ": nulls stay null");
            for (int i = 0; i < x.values.length; i++) {
                if (!x.nulls[i]) {
                    assertEquals((x.values[i] - mean) / std, y.values[i], 1e-12 * (1 + Math.abs(y.values[i])), col);
                }
            }
        }
        for (String col : new String[] {"b", "e", "u8"}) { // not fitted: the same values, same type
            assertArrayEquals(read(in, col).values, read(out, col).values, col);
        }
        assertEquals(strings(in, "label"), strings(out, "label"));
        try (ParquetReader r = ParquetReader.open(out)) {
            assertEquals(ParquetReader.Kind.FLOAT, r.kind(1)); // b, passed through as float
            assertEquals(ParquetReader.Kind.DOUBLE, r.kind(2)); // c, fitted: double
        }
        Path back = dir.resolve("back.parquet");
        assertEquals(0, Cli.run("transform", out, "-s", s, "--invert", "-o", back).code);
        for (String col : new String[] {"a", "c", "d"}) {
            Column x = read(in, col);
            Column z = read(back, col);
            assertArrayEquals(x.nulls, z.nulls);
            for (int i = 0; i < x.values.length; i++) {
                if (!x.nulls[i]) {
                    assertEquals(x.values[i], z.values[i], 1e-9 * (1 + Math.abs(x.values[i])), col);
                }
            }
        }
    }

    @Test
    void everyOutputCodecGivesTheSameValues() throws IOException {
        Path in = fixture("polars-zstd.parquet");
        Path s = dir.resolve("s.json");
        assertEquals(0, Cli.run("fit", in, "-c", "1-6", "-m", "minmax", "-o", s).code);
        Column first = null;
        for (String codec : new String[] {"uncompressed", "snappy", "gzip", "zstd"}) {
            Path out = dir.resolve(codec + ".parquet");
            Cli t = Cli.run("transform", in, "-s", s, "--compression", codec, "-o", out);
            assertEquals(0, t.code, t::toString);
            Column a = read(out, "a");
            if (first == null) {
                first = a;
                for (int i = 0; i < a.values.length; i++) {
                    assertTrue(a.nulls[i] || a.values[i] >= 0 && a.values[i] <= 1, "minmax in [0, 1]");
                }
            } else {
                assertArrayEquals(first.values, a.values, codec);
            }
        }
        Cli bad = Cli.run("transform", in, "-s", s, "--compression", "lzo", "-o", dir.resolve("x.parquet"));
        assertEquals(2, bad.code, bad::toString);
        assertTrue(bad.err.contains("--compression 'lzo': expected one of uncompressed, snappy, gzip, zstd"), bad.err);
    }

    @Test
    void fitIsTheSameOnOneAndTwoThreadsAndAsTheSameDataInCsv() throws IOException {
        Path in = fixture("pyarrow-v2-plain.parquet");
        Path s1 = dir.resolve("s1.json");
        Path s2 = dir.resolve("s2.json");
        assertEquals(0, Cli.run("fit", in, "-c", "a,b,d", "-m", "robust", "--threads", "1", "-o", s1).code);
        assertEquals(0, Cli.run("fit", in, "-c", "a,b,d", "-m", "robust", "--threads", "2", "-o", s2).code);
        assertEquals(Files.readString(s1), Files.readString(s2));
        // the same values as CSV text (shortest round-trip digits; nulls as empty cells): the same moments
        StringBuilder csv = new StringBuilder("a,b,d\n");
        Column a = read(in, "a");
        Column b = read(in, "b");
        Column d = read(in, "d");
        for (int i = 0; i < a.values.length; i++) {
            csv.append(a.nulls[i] ? "" : Double.toString(a.values[i])).append(',').append(b.values[i]).append(',')
                    .append((long) d.values[i]).append('\n');
        }
        Path text = Files.writeString(dir.resolve("same.csv"), csv);
        Path s3 = dir.resolve("s3.json");
        assertEquals(0, Cli.run("fit", text, "-m", "robust", "-o", s3).code);
        JsonNode p = FitTransformTest.json(s1).get("features");
        JsonNode c = FitTransformTest.json(s3).get("features");
        for (int j = 0; j < 3; j++) {
            for (String k : new String[] {"count", "mean", "m2", "min", "max", "median", "q_low", "q_high"}) {
                assertEquals(c.get(j).get(k).asText(), p.get(j).get(k).asText(), j + " " + k);
            }
        }
    }

    @Test
    void aTextColumnIsRefusedWithItsNameAndType() throws IOException {
        Path in = fixture("pyarrow-gzip.parquet");
        Cli fit = Cli.run("fit", in, "-o", dir.resolve("s.json"));
        assertEquals(1, fit.code, fit::toString);
        assertTrue(fit.err.contains("column 'label' is binary (STRING): expected a numeric column: double, float, "
                + "int32, int64"), fit.err);
        assertFalse(Files.exists(dir.resolve("s.json")));
    }

    @Test
    void outputNameAndInputChecks() throws IOException {
        Path in = fixture("pyarrow-none.parquet");
        Path s = dir.resolve("s.json");
        assertEquals(0, Cli.run("fit", in, "-c", "a", "-o", s).code);
        Cli csv = Cli.run("transform", in, "-s", s, "-o", dir.resolve("out.csv"));
        assertEquals(2, csv.code, csv::toString);
        assertTrue(csv.err.contains("expected a name ending in .parquet"), csv.err);
        byte[] bytes = Files.readAllBytes(in);
        Path cut = dir.resolve("cut.parquet");
        Files.write(cut, java.util.Arrays.copyOf(bytes, bytes.length - 100));
        Cli t = Cli.run("fit", cut, "-o", dir.resolve("t.json"));
        assertEquals(1, t.code, t::toString);
        assertTrue(t.err.contains("cut.parquet: not a Parquet file, or truncated (it does not end with PAR1)"), t.err);
        Path other = dir.resolve("other.parquet");
        Files.copy(fixture("polars-gzip.parquet"), other);
        Cli renamed = Cli.run("transform", other, "-s", s, "-o", dir.resolve("o.parquet"));
        assertEquals(0, renamed.code, renamed::toString); // same names and column count: accepted
        Path csvIn = dir.resolve("x.csv");
        Files.writeString(csvIn, "a\n1\n2\n");
        Cli wrong = Cli.run("transform", csvIn, "-s", s, "-o", dir.resolve("y.parquet"));
        assertEquals(2, wrong.code, wrong::toString);
    }

    @Test
    void aCorruptedPageFailsItsChecksumAndStandardOutputWorks() throws IOException {
        Path in = fixture("pyarrow-none.parquet");
        Path s = dir.resolve("s.json");
        assertEquals(0, Cli.run("fit", in, "-c", "a,d", "-o", s).code);
        Path out = dir.resolve("out.parquet");
        assertEquals(0, Cli.run("transform", in, "-s", s, "--compression", "uncompressed", "-o", out).code);
        byte[] bytes = Files.readAllBytes(out);
        bytes[200] ^= 0x10; // inside the first column chunk's data page (written with a CRC-32)
        Path bad = Files.write(dir.resolve("bad.parquet"), bytes);
        Cli fit = Cli.run("fit", bad, "-c", "a", "-o", dir.resolve("b.json"));
        assertEquals(1, fit.code, fit::toString);
        assertTrue(fit.err.contains("bad.parquet: row group 1, column 'a'") && fit.err.contains("fails its checksum"),
                fit.err);
        assertEquals(1, fit.err.strip().lines().count(), fit.err);
        // '-' writes the Parquet file to standard output (front to back); the summary goes to stderr
        java.io.PrintStream oldOut = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        Cli t;
        try {
            System.setOut(new java.io.PrintStream(captured, true));
            t = Cli.run("transform", in, "-s", s, "-o", "-");
        } finally {
            System.setOut(oldOut);
        }
        assertEquals(0, t.code, t::toString);
        assertTrue(t.err.contains("transformed standard"), t.err);
        Path piped = Files.write(dir.resolve("piped.parquet"), captured.toByteArray());
        assertArrayEquals(read(out, "a").values, read(piped, "a").values); // the same file as written by name
    }

    @Test
    void writtenFilesReadInPyarrow() throws Exception {
        Path python = Path.of(System.getProperty("norm4j.python", "/work/venv-tab/bin/python"));
        Assumptions.assumeTrue(Files.isExecutable(python), "no Python with pyarrow at " + python
                + " (-Dnorm4j.python=...): pyarrow's reading of norm4j's Parquet output not checked");
        Path in = fixture("pyarrow-snappy.parquet");
        Path s = dir.resolve("s.json");
        assertEquals(0, Cli.run("fit", in, "-c", "a,b", "-o", s).code);
        Path out = dir.resolve("out.parquet");
        assertEquals(0, Cli.run("transform", in, "-s", s, "--compression", "zstd", "-o", out).code);
        Process p = new ProcessBuilder(python.toString(), "-c", "import sys, pyarrow.parquet as pq; "
                + "t = pq.read_table(sys.argv[1]); print(t.num_rows, t.column('a').null_count, "
                + "abs(float(t.column('b').to_numpy().mean())) < 1e-6, t.column('label')[3])", out.toString())
                .redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).strip();
        Assumptions.assumeTrue(p.waitFor() == 0 || !text.contains("No module named"), "pyarrow missing: " + text);
        assertEquals(0, p.exitValue(), text);
        int nullsA = expected().get("pyarrow-snappy.parquet").get("a").get("count").asInt();
        assertEquals("500 " + (500 - nullsA) + " True row 3 é", text);
    }
}
