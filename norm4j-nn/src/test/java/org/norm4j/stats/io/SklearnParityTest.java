package org.norm4j.stats.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.norm4j.stats.ExactQuantiles;
import org.norm4j.stats.FeatureScaler;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.RowNorm;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.StreamingMoments;
import org.norm4j.stats.ZeroVariancePolicy;

/**
 * Parity with scikit-learn 1.9.1 on the CSV files it ships (iris, wine, breast cancer, read with their metadata
 * first line) and a synthetic set with constant and tiny-spread features, each as is and with NaN injected:
 * every method and option of {@code norm4j fit} is fitted here through the library (StreamingMoments ignoring
 * NaN, ExactQuantiles, a stats file written and read back) and its parameters, transform and inverse compared
 * with the values scikit-learn computed (resources/parity/sklearn-parity.json, made by
 * generate_sklearn_parity.py). The worst errors per method are printed.
 */
class SklearnParityTest {
    /**
     * Tolerance: {@code |actual - expected| <= TOLERANCE * max(1, |expected|, |input|)}, the input being the
     * value transformed (a difference of a value and a mean carries the rounding of both, which scikit-learn's
     * sums and norm4j's more accurate ones do not share to the bit).
     */
    static final double TOLERANCE = 1e-14;

    static final ObjectMapper JSON = new ObjectMapper();

    /** The fixture. */
    static JsonNode fixture() throws IOException {
        try (InputStream in = SklearnParityTest.class.getResourceAsStream("/parity/sklearn-parity.json")) {
            return JSON.readTree(in);
        }
    }

    /** A dataset as scikit-learn loads it: metadata line 'n,p,...', then rows of p features and a target. */
    static double[][] dataset(String name) throws IOException {
        if (name.equals("synthetic")) {
            double[][] x = new double[10][];
            for (int i = 0; i < 10; i++) {
                x[i] = new double[] {3.0, 5e-8 * (i % 2), 1e9 + 1e-7 * (i % 3), 0.1 * i};
            }
            return x;
        }
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                SklearnParityTest.class.getResourceAsStream("/parity/" + name), StandardCharsets.US_ASCII))) {
            String[] meta = r.readLine().split(",");
            int n = Integer.parseInt(meta[0]);
            int p = Integer.parseInt(meta[1]);
            double[][] x = new double[n][p];
            for (int i = 0; i < n; i++) {
                String[] f = r.readLine().split(",");
                assertEquals(p + 1, f.length, name + " row " + i);
                for (int j = 0; j < p; j++) {
                    x[i][j] = Double.parseDouble(f[j]);
                }
            }
            return x;
        }
    }

    /** The NaN rule of the fixture, (i * 31 + j * 17) % 13 == 0. */
    static double[][] withNaN(double[][] x) {
        double[][] y = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i].clone();
            for (int j = 0; j < y[i].length; j++) {
                if ((i * 31 + j * 17) % 13 == 0) {
                    y[i][j] = Double.NaN;
                }
            }
        }
        return y;
    }

    static double[] flat(double[][] x) {
        int p = x[0].length;
        double[] d = new double[x.length * p];
        for (int i = 0; i < x.length; i++) {
            System.arraycopy(x[i], 0, d, i * p, p);
        }
        return d;
    }

    /** The options of a case, with scikit-learn's defaults for those not given. */
    static StatsFile.Options options(JsonNode o) {
        StatsFile.Options d = StatsFile.Options.DEFAULTS;
        return new StatsFile.Options(o.path("with_mean").asBoolean(true), o.path("with_std").asBoolean(true),
                o.has("feature_range") ? pair(o.get("feature_range")) : d.featureRange(), o.path("clip").asBoolean(),
                o.path("with_centering").asBoolean(true), o.path("with_scaling").asBoolean(true),
                o.has("quantile_range") ? pair(o.get("quantile_range")) : d.quantileRange(),
                o.path("unit_variance").asBoolean(), o.has("norm") ? RowNorm.parse(o.get("norm").asText()) : d.norm());
    }

    static double[] pair(JsonNode a) {
        return new double[] {a.get(0).asDouble(), a.get(1).asDouble()};
    }

    /** Worst absolute and relative errors, per method. */
    static final class Errors {
        final Map<String, double[]> worst = new TreeMap<>();
        final Map<String, String> where = new TreeMap<>();
        final Map<String, String> whereRel = new TreeMap<>();
        int compared;

        void check(String method, String what, double expected, double actual) {
            check(method, what, expected, actual, 0);
        }

        void check(String method, String what, double expected, double actual, double input) {
            compared++;
            if (Double.isNaN(expected) || Double.isNaN(actual)) {
                assertTrue(Double.isNaN(expected) && Double.isNaN(actual), what + ": expected " + expected + ", got "
                        + actual);
                return;
            }
            double abs = Math.abs(expected - actual);
            double rel = Math.abs(expected) >= 1e-3 ? abs / Math.abs(expected) : 0; // where relative error means something
            double[] w = worst.computeIfAbsent(method, k -> new double[2]);
            if (abs > w[0]) {
                where.put(method, what + ": expected " + expected + ", got " + actual);
            }
            if (rel > w[1]) {
                whereRel.put(method, what + ": expected " + expected + ", got " + actual);
            }
            w[0] = Math.max(w[0], abs);
            w[1] = Math.max(w[1], rel);
            assertTrue(abs <= TOLERANCE * Math.max(Math.max(1.0, Math.abs(expected)), Math.abs(input)), what
                    + ": expected " + expected + ", got " + actual + " (input " + input + ")");
        }

        void check(String method, String what, JsonNode expected, double[] actual) {
            check(method, what, expected, actual, new double[actual.length]);
        }

        void check(String method, String what, JsonNode expected, double[] actual, double[] input) {
            assertEquals(expected.size(), actual.length, what);
            for (int j = 0; j < actual.length; j++) {
                check(method, what + "[" + j + "]", expected.get(j).isNull() ? Double.NaN
                        : expected.get(j).asDouble(), actual[j], input[j]);
            }
        }

        String report() {
            StringBuilder sb = new StringBuilder("scikit-learn parity, " + compared + " values; worst per method:");
            worst.forEach((m, w) -> sb.append(String.format(java.util.Locale.ROOT, "%n  %-9s worst abs %.3g, worst rel (|expected| >= 1e-3) %.3g; worst abs",
                    m, w[0], w[1]) + " at " + where.get(m) + "; worst rel at " + whereRel.get(m)));
            return sb.toString();
        }
    }

    /** Fits a case through the library and a stats file written and read back. */
    static StatsFile fit(double[][] x, ScalingMethod method, StatsFile.Options options) throws IOException {
        int p = x[0].length;
        StreamingMoments sm = new StreamingMoments(p, NanPolicy.IGNORE);
        ExactQuantiles q = method == ScalingMethod.ROBUST ? new ExactQuantiles(p, NanPolicy.IGNORE) : null;
        double[] d = flat(x);
        for (int start = 0; start < x.length; start += 37) { // in chunks, as the command reads
            int n = Math.min(37, x.length - start);
            double[] chunk = java.util.Arrays.copyOfRange(d, start * p, (start + n) * p);
            sm.update(chunk, n);
            if (q != null) {
                q.update(chunk, n);
            }
        }
        StatsFile.Quantiles qs = q == null ? null : new StatsFile.Quantiles(q.median(),
                q.percentile(options.quantileRange()[0]), q.percentile(options.quantileRange()[1]));
        int[] cols = new int[p];
        java.util.Arrays.setAll(cols, j -> j);
        StatsFile s = new StatsFile(method, options, 0, ZeroVariancePolicy.SKLEARN,
                new StatsFile.Input("csv", p, false, ","), cols, new String[p], sm, qs, 0, List.of("parity"));
        return StatsFile.read(new ByteArrayInputStream(s.toJson("test").getBytes(StandardCharsets.UTF_8)), "parity");
    }

    @Test
    void everyMethodAndOptionMatchesScikitLearnOnItsOwnFiles() throws IOException {
        JsonNode fx = fixture();
        assertEquals("1.9.1", fx.get("sklearn").asText());
        Errors err = new Errors();
        Map<String, Integer> perMethod = new TreeMap<>();
        for (JsonNode c : fx.get("cases")) {
            double[][] x = dataset(c.get("dataset").asText());
            if (c.get("nan").asBoolean()) {
                x = withNaN(x);
            }
            ScalingMethod method = ScalingMethod.parse(c.get("method").asText());
            StatsFile.Options options = options(c.get("options"));
            String id = c.get("dataset").asText() + (c.get("nan").asBoolean() ? "+nan " : " ") + method.configName()
                    + c.get("options");
            StatsFile s = fit(x, method, options);
            String m = method.configName();
            perMethod.merge(m, 1, Integer::sum);
            JsonNode pr = c.get("params");
            switch (method) {
                case STANDARD:
                    err.check(m, id + " mean", pr.get("mean"), s.mean());
                    if (!pr.get("var").isNull()) { // None without with_std
                        err.check(m, id + " var", pr.get("var"), s.variance());
                    }
                    long[] counts = s.moments().counts();
                    for (int j = 0; j < counts.length; j++) {
                        assertEquals(pr.get("n_samples_seen").get(j).asLong(), counts[j], id + " count " + j);
                    }
                    if (options.withStd()) {
                        err.check(m, id + " scale", pr.get("scale"), s.scaler().scale());
                    }
                    break;
                case MINMAX:
                    err.check(m, id + " data_min", pr.get("data_min"), s.min());
                    err.check(m, id + " data_max", pr.get("data_max"), s.max());
                    err.check(m, id + " scale", pr.get("scale"), s.scaler().scale());
                    err.check(m, id + " min", pr.get("min"), s.scaler().center());
                    break;
                case MAXABS:
                    err.check(m, id + " scale", pr.get("scale"), s.scaler().scale());
                    break;
                case ROBUST:
                    if (options.withCentering()) {
                        err.check(m, id + " center", pr.get("center"), s.scaler().center());
                    }
                    if (options.withScaling()) {
                        err.check(m, id + " scale", pr.get("scale"), s.scaler().scale());
                    }
                    break;
                default:
                    break;
            }
            double factor = c.get("input_scale").asDouble();
            int p = x[0].length;
            JsonNode rows = c.get("rows");
            for (int r = 0; r < rows.size(); r++) {
                double[] in = x[rows.get(r).asInt()].clone();
                for (int j = 0; j < p; j++) {
                    in[j] *= factor;
                }
                double[] y = in.clone();
                int[] cols = new int[p];
                java.util.Arrays.setAll(cols, j -> j);
                if (method == ScalingMethod.NORMALIZE) {
                    s.rowNorm().apply(y, 1, p, cols);
                } else {
                    s.scaler().apply(y, 1, p, cols, false);
                }
                err.check(m, id + " transform row " + rows.get(r), c.get("transform").get(r), y, in);
                if (c.has("inverse")) {
                    double[] back = y.clone();
                    s.scaler().apply(back, 1, p, cols, true);
                    err.check(m, id + " inverse row " + rows.get(r), c.get("inverse").get(r), back, in);
                }
            }
        }
        System.out.println(err.report());
        assertEquals(Map.of("standard", 24, "minmax", 24, "maxabs", 8, "robust", 40, "normalize", 12), perMethod);
    }

    /** Regenerates the fixture with scikit-learn where a venv has it, and checks it equals the committed one. */
    @Test
    void theFixtureIsWhatScikitLearnComputes() throws Exception {
        String py = System.getenv().getOrDefault("NORM4J_SKLEARN_PYTHON", "/work/venv-sk/bin/python");
        Assumptions.assumeTrue(Files.isExecutable(Path.of(py)), "skipped: no Python with scikit-learn at " + py
                + " (set NORM4J_SKLEARN_PYTHON; the committed fixture is checked by the other test)");
        Path dir = Path.of(SklearnParityTest.class.getResource("/parity/generate_sklearn_parity.py").toURI())
                .getParent();
        Process proc = new ProcessBuilder(py, dir.resolve("generate_sklearn_parity.py").toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        byte[] out = proc.getInputStream().readAllBytes();
        assertTrue(proc.waitFor(120, TimeUnit.SECONDS));
        Assumptions.assumeTrue(proc.exitValue() == 0, "skipped: " + py + " could not run the generator (exit "
                + proc.exitValue() + "; is scikit-learn 1.9.1 installed there?)");
        JsonNode now = JSON.readTree(out);
        Assumptions.assumeTrue(now.get("sklearn").asText().equals("1.9.1"), "skipped: scikit-learn "
                + now.get("sklearn").asText() + " at " + py + ", the fixture is for 1.9.1");
        assertEquals(fixture(), now, "the committed fixture differs from what scikit-learn computes now: "
                + "regenerate it with generate_sklearn_parity.py");
    }

}
