package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scikit-learn parity fixture (norm4j-nn/src/test/resources/parity, see SklearnParityTest there) through the
 * command: {@code norm4j fit} with each method's options and {@code --zero-variance sklearn}, then
 * {@code transform} and {@code transform --invert}, on scikit-learn's iris and wine data (written as plain CSV
 * with a header; the metadata first line is the reader's business), with and without NaN cells.
 */
class SklearnParityCliTest {
    static final Path PARITY = Path.of("../norm4j-nn/src/test/resources/parity");

    @TempDir
    Path dir;

    static double[][] load(String name) throws IOException {
        try (BufferedReader r = Files.newBufferedReader(PARITY.resolve(name), StandardCharsets.US_ASCII)) {
            String[] meta = r.readLine().split(",");
            int n = Integer.parseInt(meta[0]);
            int p = Integer.parseInt(meta[1]);
            double[][] x = new double[n][p];
            for (int i = 0; i < n; i++) {
                String[] f = r.readLine().split(",");
                for (int j = 0; j < p; j++) {
                    x[i][j] = Double.parseDouble(f[j]);
                }
            }
            return x;
        }
    }

    Path csv(String name, double[][] x) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int j = 0; j < x[0].length; j++) {
            sb.append(j > 0 ? "," : "").append("f").append(j);
        }
        sb.append('\n');
        for (double[] row : x) {
            for (int j = 0; j < row.length; j++) {
                sb.append(j > 0 ? "," : "").append(row[j]);
            }
            sb.append('\n');
        }
        return Files.writeString(dir.resolve(name), sb.toString());
    }

    static double[][] read(Path p) throws IOException {
        List<String> lines = Files.readAllLines(p);
        double[][] y = new double[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            y[i - 1] = new double[f.length];
            for (int j = 0; j < f.length; j++) {
                y[i - 1][j] = Double.parseDouble(f[j]);
            }
        }
        return y;
    }

    static List<String> fitOptions(JsonNode c) {
        List<String> a = new ArrayList<>(List.of("--method", c.get("method").asText()));
        JsonNode o = c.get("options");
        if (!c.get("method").asText().equals("normalize")) {
            a.addAll(List.of("--zero-variance", "sklearn"));
        }
        o.fields().forEachRemaining(e -> {
            String opt = "--" + e.getKey().replace('_', '-');
            JsonNode v = e.getValue();
            if (v.isBoolean()) {
                a.add(v.asBoolean() ? opt : "--no-" + opt.substring(2));
            } else if (v.isArray()) {
                a.add(opt);
                a.add(v.get(0).asDouble() + "," + v.get(1).asDouble());
            } else {
                a.add(opt);
                a.add(v.asText());
            }
        });
        return a;
    }

    static void check(String what, JsonNode expected, double[] actual, double[] input) {
        assertEquals(expected.size(), actual.length, what);
        for (int j = 0; j < actual.length; j++) {
            JsonNode e = expected.get(j);
            if (e.isNull()) {
                assertTrue(Double.isNaN(actual[j]), what + "[" + j + "]: expected NaN, got " + actual[j]);
                continue;
            }
            double d = Math.abs(e.asDouble() - actual[j]);
            assertTrue(d <= 1e-14 * Math.max(Math.max(1, Math.abs(e.asDouble())), Math.abs(input[j])), what + "["
                    + j + "]: expected " + e.asDouble() + ", got " + actual[j]);
        }
    }

    @Test
    void fitAndTransformMatchScikitLearnForEveryMethodAndOption() throws IOException {
        JsonNode fx = new ObjectMapper().readTree(PARITY.resolve("sklearn-parity.json").toFile());
        int cases = 0;
        for (JsonNode c : fx.get("cases")) {
            String ds = c.get("dataset").asText();
            if (!ds.equals("iris.csv") && !ds.equals("wine_data.csv")) {
                continue;
            }
            double[][] x = load(ds);
            if (c.get("nan").asBoolean()) {
                for (int i = 0; i < x.length; i++) {
                    for (int j = 0; j < x[i].length; j++) {
                        if ((i * 31 + j * 17) % 13 == 0) {
                            x[i][j] = Double.NaN;
                        }
                    }
                }
            }
            String id = ds + (c.get("nan").asBoolean() ? "+nan " : " ") + c.get("method").asText() + c.get("options");
            Path train = csv("train.csv", x);
            JsonNode rows = c.get("rows");
            double[][] in = new double[rows.size()][];
            double factor = c.get("input_scale").asDouble();
            for (int r = 0; r < in.length; r++) {
                in[r] = x[rows.get(r).asInt()].clone();
                for (int j = 0; j < in[r].length; j++) {
                    in[r][j] *= factor;
                }
            }
            Path test = csv("test.csv", in);
            List<Object> args = new ArrayList<>(List.of("fit", train, "-o", dir.resolve("s.json")));
            args.addAll(fitOptions(c));
            Cli fit = Cli.run(args.toArray());
            assertEquals(0, fit.code, () -> id + "\n" + fit);
            Cli tr = Cli.run("transform", test, "-s", dir.resolve("s.json"), "-o", dir.resolve("y.csv"));
            assertEquals(0, tr.code, () -> id + "\n" + tr);
            double[][] y = read(dir.resolve("y.csv"));
            for (int r = 0; r < y.length; r++) {
                check(id + " transform row " + rows.get(r), c.get("transform").get(r), y[r], in[r]);
            }
            if (c.has("inverse")) {
                Cli inv = Cli.run("transform", dir.resolve("y.csv"), "-s", dir.resolve("s.json"), "--invert", "-o",
                        dir.resolve("back.csv"));
                assertEquals(0, inv.code, () -> id + "\n" + inv);
                double[][] back = read(dir.resolve("back.csv"));
                for (int r = 0; r < back.length; r++) {
                    check(id + " inverse row " + rows.get(r), c.get("inverse").get(r), back[r], in[r]);
                }
            }
            cases++;
        }
        assertEquals(54, cases);
    }

    @Test
    void fitWarnsAboutConstantFeaturesAndTheSklearnPolicyKeepsATinySpread() throws IOException {
        Path in = Files.writeString(dir.resolve("c.csv"), "a,b,c\n0,0,1\n0,5e-8,2\n0,0,3\n0,5e-8,4\n");
        Cli fit = Cli.run("fit", in, "--zero-variance", "sklearn", "-o", dir.resolve("s.json"));
        assertEquals(0, fit.code, fit::toString);
        assertTrue(fit.err.contains("1 constant feature(s) of 3: column 1 'a'"), fit.err);
        Cli tr = Cli.run("transform", in, "-s", dir.resolve("s.json"), "-o", dir.resolve("o.csv"));
        assertEquals(0, tr.code, tr::toString);
        double[][] y = read(dir.resolve("o.csv"));
        assertEquals(0.0, y[0][0]);
        assertEquals(-1.0, y[0][1], 1e-15); // scikit-learn: (0 - 2.5e-8) / 2.5e-8; the old 1e-7 floor gave -0.25
        assertEquals(1.0, y[1][1], 1e-15);
        Cli keras = Cli.run("fit", in, "-o", dir.resolve("k.json"));
        assertTrue(keras.err.contains("divided by 1e-7"), keras.err);
    }

    @Test
    void robustBeyondTheMemoryBudgetUsesKllSketchesAndRecordsTheirError() throws IOException {
        StringBuilder sb = new StringBuilder("x\n");
        for (int i = 0; i < 20000; i++) {
            sb.append((i * 7919) % 20000).append('\n'); // a permutation of 0..19999
        }
        Path in = Files.writeString(dir.resolve("big.csv"), sb.toString());
        Cli fit = Cli.run("fit", in, "-m", "robust", "--memory-budget", "0.01", "-o", dir.resolve("s.json"));
        assertEquals(0, fit.code, fit::toString);
        assertTrue(fit.err.contains("continuing with KLL sketches (k = 200"), fit.err);
        JsonNode s = new ObjectMapper().readTree(dir.resolve("s.json").toFile());
        assertEquals("kll", s.get("options").get("quantiles").asText());
        double eps = s.get("options").get("normalized_rank_error").asDouble();
        JsonNode f = s.get("features").get(0);
        // exact: median 9999.5, 25th percentile 4999.75, 75th 14999.25; a rank error eps is eps * 20000 values
        assertEquals(9999.5, f.get("median").asDouble(), eps * 20000);
        assertEquals(4999.75, f.get("q_low").asDouble(), eps * 20000);
        assertEquals(14999.25, f.get("q_high").asDouble(), eps * 20000);
        Cli tr = Cli.run("transform", in, "-s", dir.resolve("s.json"), "-o", dir.resolve("t.csv"));
        assertEquals(0, tr.code, tr::toString); // the file with its sketch fields reads back
        String edited = Files.readString(dir.resolve("s.json")).replace("\"kll_k\" : 200", "\"kll_k\" : 4");
        Files.writeString(dir.resolve("bad.json"), edited);
        Cli bad = Cli.run("transform", in, "-s", dir.resolve("bad.json"), "-o", dir.resolve("t2.csv"));
        assertEquals(1, bad.code, bad::toString);
        assertTrue(bad.err.contains("'options.kll_k' is 4"), bad.err);
        Cli exact = Cli.run("fit", in, "-m", "robust", "-o", dir.resolve("e.json"));
        assertEquals(0, exact.code, exact::toString);
        JsonNode e = new ObjectMapper().readTree(dir.resolve("e.json").toFile());
        assertEquals("exact", e.get("options").get("quantiles").asText());
        assertEquals(9999.5, e.get("features").get(0).get("median").asDouble());
    }
}
