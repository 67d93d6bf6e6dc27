package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.cli.io.NpyReader;
import org.norm4j.cli.io.NpyWriter;

class FitTransformTest {
    @TempDir
    Path dir;

    static JsonNode json(Path p) throws IOException {
        return new ObjectMapper().readTree(p.toFile());
    }

    Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    static double[] column(List<String> lines, int col, String delim) {
        return lines.stream().skip(1).mapToDouble(l -> Double.parseDouble(l.split(delim)[col])).toArray();
    }

    @Test
    void standardMatchesTheFormulaAndPassesOtherColumnsThrough() throws IOException {
        Path in = write("d.csv", "a,b,label\n1,10,\"x, y\"\n4,20,p\n7,60,q\n10,10,r\n");
        Cli fit = Cli.run("fit", in, "--columns", "a,b", "--out", dir.resolve("s.json"));
        assertEquals(0, fit.code, fit::toString);
        JsonNode s = json(dir.resolve("s.json"));
        assertEquals("norm4j-stats", s.get("format").asText());
        assertEquals(3, s.get("version").asInt());
        assertEquals("standard", s.get("method").asText());
        assertEquals("population", s.get("variance_estimator").asText());
        assertEquals("keras", s.get("zero_variance_policy").asText());
        assertEquals(4, s.get("rows").asLong());
        JsonNode a = s.get("features").get(0);
        assertEquals("a", a.get("name").asText());
        assertEquals(1, a.get("column").asInt());
        assertEquals(5.5, a.get("mean").asDouble());
        assertEquals(11.25, a.get("variance").asDouble());
        assertEquals(1.0, a.get("min").asDouble());
        assertEquals(10.0, a.get("max").asDouble());
        assertEquals(4, a.get("count").asLong());

        Cli tr = Cli.run("transform", in, "--stats", dir.resolve("s.json"), "--out", dir.resolve("n.csv"));
        assertEquals(0, tr.code, tr::toString);
        List<String> lines = Files.readAllLines(dir.resolve("n.csv"));
        assertEquals("a,b,label", lines.get(0));
        assertTrue(lines.get(1).endsWith(",\"x, y\""), lines.get(1));
        double sd = Math.sqrt(11.25);
        assertEquals(String.valueOf((1 - 5.5) / sd), lines.get(1).split(",")[0]);
        assertArrayEquals(new double[] {(1 - 5.5) / sd, (4 - 5.5) / sd, (7 - 5.5) / sd, (10 - 5.5) / sd},
                column(lines, 0, ","));

        Cli inv = Cli.run("transform", dir.resolve("n.csv"), "--stats", dir.resolve("s.json"), "--invert", "--out",
                dir.resolve("back.csv"));
        assertEquals(0, inv.code, inv::toString);
        List<String> back = Files.readAllLines(dir.resolve("back.csv"));
        double[] orig = {1, 4, 7, 10};
        double[] got = column(back, 0, ",");
        for (int i = 0; i < 4; i++) {
            assertEquals(orig[i], got[i], 1e-12);
        }
        assertTrue(back.get(2).endsWith(",p"));
    }

    @Test
    void sampleVarianceWithDdofOne() throws IOException {
        Path in = write("d.csv", "1\n2\n3\n4\n");
        assertEquals(0, Cli.run("fit", in, "--ddof", "1", "--out", dir.resolve("s.json")).code);
        JsonNode f = json(dir.resolve("s.json")).get("features").get(0);
        assertEquals(5.0 / 3, f.get("variance").asDouble(), 1e-15);
        assertEquals("sample", json(dir.resolve("s.json")).get("variance_estimator").asText());
        assertTrue(f.get("name").isNull(), "no header, no name");
    }

    @Test
    void headerDetectionDelimitersAndColumnNumbers() throws IOException {
        Path tsv = write("d.tsv", "x\ty\tz\n1\t2\t3\n3\t4\t5\n");
        Cli r = Cli.run("fit", tsv, "--columns", "2-3", "--out", dir.resolve("s.json"));
        assertEquals(0, r.code, r::toString);
        JsonNode fs = json(dir.resolve("s.json")).get("features");
        assertEquals("y", fs.get(0).get("name").asText());
        assertEquals(3, fs.get(1).get("column").asInt());
        assertEquals(4.0, fs.get(1).get("mean").asDouble());

        Path semi = write("d.txt", "1;2\n3;4\n");
        assertEquals(0, Cli.run("fit", semi, "-d", ";", "--out", dir.resolve("s2.json")).code);
        assertEquals(2, json(dir.resolve("s2.json")).get("features").size());
        // a numeric first line read as a header when asked
        assertEquals(0, Cli.run("fit", semi, "-d", ";", "--header", "--out", dir.resolve("s3.json")).code);
        JsonNode s3 = json(dir.resolve("s3.json"));
        assertEquals(1, s3.get("rows").asInt());
        assertEquals("1", s3.get("features").get(0).get("name").asText());
    }

    @Test
    void minmaxAndMaxabs() throws IOException {
        Path in = write("d.csv", "a,b\n-2,1\n0,3\n6,5\n");
        assertEquals(0, Cli.run("fit", in, "-m", "minmax", "--out", dir.resolve("mm.json")).code);
        assertEquals(0, Cli.run("transform", in, "-s", dir.resolve("mm.json"), "-o", dir.resolve("mm.csv")).code);
        List<String> mm = Files.readAllLines(dir.resolve("mm.csv"));
        assertArrayEquals(new double[] {0, 0.25, 1}, column(mm, 0, ","));
        assertArrayEquals(new double[] {0, 0.5, 1}, column(mm, 1, ","));
        assertEquals(0, Cli.run("fit", in, "-m", "maxabs", "--out", dir.resolve("ma.json")).code);
        assertEquals(0, Cli.run("transform", in, "-s", dir.resolve("ma.json"), "-o", dir.resolve("ma.csv")).code);
        assertArrayEquals(new double[] {-2.0 / 6, 0, 1}, column(Files.readAllLines(dir.resolve("ma.csv")), 0, ","));
    }

    @Test
    void zeroVariancePolicies() throws IOException {
        Path in = write("d.csv", "c\n3\n3\n");
        Path other = write("o.csv", "c\n4\n3\n");
        double[][] expected = {{1e7, 0}, {1, 0}, {0, 0}};
        String[] policies = {"keras", "sklearn", "spark"};
        for (int k = 0; k < 3; k++) {
            Path s = dir.resolve(policies[k] + ".json");
            assertEquals(0, Cli.run("fit", in, "--zero-variance", policies[k], "-o", s).code);
            Path o = dir.resolve(policies[k] + ".csv");
            assertEquals(0, Cli.run("transform", other, "-s", s, "-o", o).code);
            double[] got = column(Files.readAllLines(o), 0, ",");
            assertEquals(expected[k][0], got[0], 1e-6, policies[k]);
            assertEquals(expected[k][1], got[1], 0, policies[k]);
        }
        Path s = dir.resolve("mm.json");
        assertEquals(0, Cli.run("fit", in, "-m", "minmax", "--zero-variance", "spark", "-o", s).code);
        assertEquals(0, Cli.run("transform", other, "-s", s, "-o", dir.resolve("mm.csv")).code);
        assertArrayEquals(new double[] {0.5, 0.5}, column(Files.readAllLines(dir.resolve("mm.csv")), 0, ","));
    }

    @Test
    void npyFloat32AndFloat64MatchCsv() throws IOException {
        Random rnd = new Random(7);
        int rows = 1000;
        int cols = 3;
        double[] data = new double[rows * cols];
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                float v = (float) (rnd.nextGaussian() * (j + 1) + 100 * j);
                data[i * cols + j] = v;
                csv.append(j > 0 ? "," : "").append((double) v);
            }
            csv.append('\n');
        }
        Path c = write("d.csv", csv.toString());
        for (boolean f32 : new boolean[] {true, false}) {
            Path npy = dir.resolve("d" + f32 + ".npy");
            try (NpyWriter w = new NpyWriter(npy, Files.newOutputStream(npy), f32, rows, cols, 2)) {
                w.write(data, rows);
                w.finish();
            }
            Path sj = dir.resolve("n" + f32 + ".json");
            Cli fit = Cli.run("fit", npy, "--columns", "1,3", "-o", sj);
            assertEquals(0, fit.code, fit::toString);
            assertEquals(0, Cli.run("fit", c, "--columns", "1,3", "-o", dir.resolve("c.json")).code);
            assertEquals(json(dir.resolve("c.json")).get("features"), json(sj).get("features"));
            Path out = dir.resolve("o" + f32 + ".npy");
            Cli tr = Cli.run("transform", npy, "-s", sj, "-o", out, "--dtype", "float64");
            assertEquals(0, tr.code, tr::toString);
            JsonNode f0 = json(sj).get("features").get(0);
            try (NpyReader r = NpyReader.open(out)) {
                assertEquals(rows, r.rows());
                assertTrue(!r.float32());
                double[] got = new double[rows * cols];
                assertEquals(rows, r.read(got, rows));
                double mean = f0.get("mean").asDouble();
                double sd = Math.sqrt(f0.get("variance").asDouble());
                for (int i = 0; i < rows; i++) {
                    assertEquals((data[i * cols] - mean) / sd, got[i * cols]);
                    assertEquals(data[i * cols + 1], got[i * cols + 1], "column 2 passes through");
                }
            }
        }
    }

    @Test
    void mergeOfTwoHalvesEqualsFitOnTheWhole() throws IOException {
        Random rnd = new Random(11);
        StringBuilder all = new StringBuilder("u,v,w\n");
        StringBuilder first = new StringBuilder("u,v,w\n");
        StringBuilder second = new StringBuilder("u,v,w\n");
        for (int i = 0; i < 5000; i++) {
            String row = (1e3 + rnd.nextGaussian()) + "," + rnd.nextDouble() * 1e-3 + "," + (rnd.nextInt(100) - 50)
                    + "\n";
            all.append(row);
            (i < 1700 ? first : second).append(row);
        }
        Path whole = write("all.csv", all.toString());
        for (String ddof : new String[] {"0", "1"}) {
            assertEquals(0, Cli.run("fit", write("a.csv", first.toString()), "--ddof", ddof, "-o",
                    dir.resolve("a.json")).code);
            assertEquals(0, Cli.run("fit", write("b.csv", second.toString()), "--ddof", ddof, "-o",
                    dir.resolve("b.json")).code);
            assertEquals(0, Cli.run("fit", whole, "--ddof", ddof, "-o", dir.resolve("w.json")).code);
            Cli m = Cli.run("merge", dir.resolve("a.json"), dir.resolve("b.json"), "-o", dir.resolve("m.json"));
            assertEquals(0, m.code, m::toString);
            JsonNode merged = json(dir.resolve("m.json"));
            JsonNode w = json(dir.resolve("w.json"));
            assertEquals(5000, merged.get("rows").asLong());
            assertEquals(2, merged.get("sources").size());
            for (int j = 0; j < 3; j++) {
                for (String k : new String[] {"mean", "variance", "std", "min", "max", "m2"}) {
                    double x = w.get("features").get(j).get(k).asDouble();
                    double y = merged.get("features").get(j).get(k).asDouble();
                    assertEquals(x, y, 1e-12 * Math.abs(x), k + " of feature " + j + " (ddof " + ddof + ")");
                }
            }
        }
    }
}
