package org.norm4j.cli.stats;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.norm4j.cli.CliException;
import org.norm4j.files.InputFile;
import org.norm4j.files.OutputFile;
import org.norm4j.files.Text;
import org.norm4j.stats.ZeroVariancePolicy;
import org.norm4j.stats.StreamingMoments;

/**
 * Reads a stats file and checks it against its schema (docs/cli.md, "Files and safety") before anything uses
 * it: no unknown or duplicated keys, no trailing content, every field of its type and in its range, integers
 * within {@code long} (or {@code int} for columns), {@code rows > 0}, {@code 0 <= ddof < rows} with ddof 0 or 1,
 * per feature a unique {@code column} in {@code 1..input.columns}, {@code count == rows}, {@code m2 >= 0},
 * {@code min <= max}, and {@code variance} and {@code std} consistent with {@code m2}. Every failure is a
 * {@link CliException} naming the file, the field, the value and what was expected.
 */
final class StatsReader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final Set<String> ROOT_KEYS = Set.of("format", "version", "created_by", "method", "ddof",
            "variance_estimator", "zero_variance_policy", "epsilon", "input", "rows", "skipped_rows", "sources",
            "features");
    private static final Set<String> INPUT_KEYS = Set.of("kind", "columns", "header", "delimiter");
    private static final Set<String> FEATURE_KEYS = Set.of("column", "name", "count", "mean", "variance", "std",
            "min", "max", "m2");

    private final String file;

    private StatsReader(Path path) {
        this.file = OutputFile.isStdio(path) ? "(standard input)" : Text.escape(path.toString());
    }

    static StatsFile read(Path path) {
        JsonNode root;
        try (InputStream in = InputFile.open(path)) {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new CliException(new StatsReader(path).file + at + ": invalid JSON ("
                    + Text.printable(e.getOriginalMessage()) + ")", e);
        } catch (IOException e) {
            throw new CliException(InputFile.message(path, e), e);
        } catch (NumberFormatException e) { // a number beyond what the parser represents, e.g. 1e-4611686018427387904
            throw new CliException(new StatsReader(path).file + ": invalid JSON (a number out of range: "
                    + Text.printable(e.getMessage()) + ")", e);
        }
        return new StatsReader(path).parse(root);
    }

    private StatsFile parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw fail("not a norm4j stats file (expected a JSON object)");
        }
        String format = root.path("format").isTextual() ? root.get("format").asText() : null;
        if (!StatsFile.FORMAT.equals(format)) {
            throw fail("format " + (format == null ? "missing" : "'" + Text.printable(format) + "'") + ": expected '"
                    + StatsFile.FORMAT + "' (a file written by norm4j fit or merge)");
        }
        long version = integer(root, "version", "version", Long.MIN_VALUE, Long.MAX_VALUE);
        if (version != StatsFile.VERSION) {
            throw fail(StatsFile.FORMAT + " version " + version + ": expected version " + StatsFile.VERSION
                    + " (this is norm4j's stats format " + StatsFile.VERSION + "; refit with this version)");
        }
        keys(root, ROOT_KEYS, "");
        Method method;
        ZeroVariancePolicy policy;
        String m = text(root, "method", "method");
        try {
            method = Method.parse(m);
        } catch (IllegalArgumentException e) {
            throw fail("field 'method' is '" + Text.printable(m) + "': expected standard, minmax or maxabs");
        }
        String z = text(root, "zero_variance_policy", "zero_variance_policy");
        try {
            policy = ZeroVariancePolicy.parse(z);
        } catch (IllegalArgumentException e) {
            throw fail("field 'zero_variance_policy' is '" + Text.printable(z) + "': " + e.getMessage());
        }
        long rows = integer(root, "rows", "rows", 1, Long.MAX_VALUE);
        int ddof = (int) integer(root, "ddof", "ddof", 0, 1);
        if (ddof >= rows) {
            throw fail("field 'ddof' is " + ddof + " with 'rows' " + rows + ": expected ddof < rows");
        }
        if (root.has("variance_estimator")) {
            String est = text(root, "variance_estimator", "variance_estimator");
            if (!est.equals(StatsFile.estimator(ddof))) {
                throw fail("field 'variance_estimator' is '" + Text.printable(est) + "' with ddof " + ddof
                        + ": expected '" + StatsFile.estimator(ddof) + "'");
            }
        }
        if (root.has("epsilon")) {
            double eps = number(root, "epsilon", "epsilon");
            if (eps != Scaler.EPSILON) {
                throw fail("field 'epsilon' is " + eps + ": expected " + Scaler.EPSILON + " (Keras's epsilon; not "
                        + "configurable)");
            }
        }
        if (root.has("created_by")) {
            text(root, "created_by", "created_by");
        }
        StatsFile.Input input = input(root);
        long skipped = root.has("skipped_rows")
                ? integer(root, "skipped_rows", "skipped_rows", 0, Long.MAX_VALUE) : 0;
        List<String> sources = new ArrayList<>();
        JsonNode src = root.get("sources");
        if (src != null) {
            if (!src.isArray()) {
                throw fail("field 'sources' is " + kind(src) + ": expected an array of file names");
            }
            for (int i = 0; i < src.size(); i++) {
                if (!src.get(i).isTextual()) {
                    throw fail("field 'sources[" + i + "]' is " + kind(src.get(i)) + ": expected a string");
                }
                sources.add(src.get(i).asText());
            }
        }
        JsonNode fs = root.get("features");
        if (fs == null || !fs.isArray() || fs.size() == 0) {
            throw fail("field 'features' is " + kind(fs) + ": expected a non-empty array of per-feature stats");
        }
        int f = fs.size();
        if (f > input.columns()) {
            throw fail("field 'features' has " + f + " entries for " + input.columns() + " input columns: expected "
                    + "at most one per column");
        }
        int[] cols = new int[f];
        String[] names = new String[f];
        double[][] a = new double[4][f];
        Set<Integer> seen = new HashSet<>();
        for (int j = 0; j < f; j++) {
            String at = "features[" + j + "].";
            JsonNode fj = fs.get(j);
            if (!fj.isObject()) {
                throw fail("field 'features[" + j + "]' is " + kind(fj) + ": expected an object");
            }
            keys(fj, FEATURE_KEYS, at);
            cols[j] = (int) integer(fj, "column", at + "column", 1, input.columns()) - 1;
            if (!seen.add(cols[j])) {
                throw fail("field '" + at + "column' is " + (cols[j] + 1) + ", as in an earlier feature: expected "
                        + "each column once");
            }
            JsonNode name = fj.get("name");
            if (name == null || !(name.isTextual() || name.isNull())) {
                throw fail("field '" + at + "name' is " + kind(name) + ": expected a string or null");
            }
            names[j] = name.isTextual() ? name.asText() : null;
            long count = integer(fj, "count", at + "count", 0, Long.MAX_VALUE);
            if (count != rows) {
                throw fail("field '" + at + "count' is " + count + ": expected " + rows + " (as 'rows')");
            }
            double mean = number(fj, "mean", at + "mean");
            double m2 = number(fj, "m2", at + "m2");
            double min = number(fj, "min", at + "min");
            double max = number(fj, "max", at + "max");
            if (m2 < 0) {
                throw fail("field '" + at + "m2' is " + m2 + ": expected >= 0 (a sum of squares)");
            }
            if (min > max) {
                throw fail("field '" + at + "min' is " + min + " and 'max' is " + max + ": expected min <= max");
            }
            if (mean < min && !near(mean, min) || mean > max && !near(mean, max)) {
                throw fail("field '" + at + "mean' is " + mean + ": expected between min " + min + " and max " + max);
            }
            double variance = number(fj, "variance", at + "variance");
            double expect = m2 / (rows - ddof);
            if (!near(variance, expect)) {
                throw fail("field '" + at + "variance' is " + variance + ": expected m2 / (rows - ddof) = " + expect
                        + " (edit m2, not variance)");
            }
            double std = number(fj, "std", at + "std");
            if (!near(std, Math.sqrt(expect))) {
                throw fail("field '" + at + "std' is " + std + ": expected sqrt(variance) = " + Math.sqrt(expect));
            }
            a[0][j] = mean;
            a[1][j] = m2;
            a[2][j] = min;
            a[3][j] = max;
        }
        if (!input.header()) {
            for (int j = 0; j < f; j++) {
                if (names[j] != null) {
                    throw fail("field 'features[" + j + "].name' is '" + Text.printable(names[j]) + "' but "
                            + "'input.header' is false: expected null");
                }
            }
        }
        StreamingMoments sm = StreamingMoments.fromState(new StreamingMoments.State(rows, a[0], a[1], a[2], a[3]));
        return new StatsFile(method, ddof, policy, input, cols, names, sm, skipped, sources);
    }

    private StatsFile.Input input(JsonNode root) {
        JsonNode in = root.get("input");
        if (in == null || !in.isObject()) {
            throw fail("field 'input' is " + kind(in) + ": expected an object");
        }
        keys(in, INPUT_KEYS, "input.");
        String kind = text(in, "kind", "input.kind");
        if (!kind.equals("csv") && !kind.equals("npy")) {
            throw fail("field 'input.kind' is '" + Text.printable(kind) + "': expected csv or npy");
        }
        int columns = (int) integer(in, "columns", "input.columns", 1, Integer.MAX_VALUE);
        JsonNode h = in.get("header");
        if (h == null || !h.isBoolean()) {
            throw fail("field 'input.header' is " + kind(h) + ": expected true or false");
        }
        JsonNode d = in.get("delimiter");
        String delimiter = null;
        if (kind.equals("csv")) {
            delimiter = text(in, "delimiter", "input.delimiter");
            if (!delimiter.equals("tab") && (delimiter.length() != 1 || "\"\r\n".contains(delimiter))) {
                throw fail("field 'input.delimiter' is '" + Text.printable(delimiter) + "': expected one character "
                        + "(not a quote or a line break) or 'tab'");
            }
        } else {
            if (d != null && !d.isNull()) {
                throw fail("field 'input.delimiter' is " + kind(d) + " for an npy input: expected none");
            }
            if (h.asBoolean()) {
                throw fail("field 'input.header' is true for an npy input: expected false");
            }
        }
        return new StatsFile.Input(kind, columns, h.asBoolean(), delimiter);
    }

    private static boolean near(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) {
            return Double.isNaN(a) && Double.isNaN(b);
        }
        if (a == b) {
            return true;
        }
        return Math.abs(a - b) <= 1e-9 * Math.max(Math.abs(a), Math.abs(b));
    }

    private void keys(JsonNode n, Set<String> allowed, String prefix) {
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String k = it.next();
            if (!allowed.contains(k)) {
                throw fail("unknown field '" + prefix + Text.printable(k) + "': expected only " + sorted(allowed));
            }
        }
    }

    private static String sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        java.util.Collections.sort(l);
        return String.join(", ", l);
    }

    private CliException fail(String message) {
        return new CliException(file + ": " + message);
    }

    private static String kind(JsonNode v) {
        if (v == null || v.isMissingNode()) {
            return "missing";
        }
        String t = v.toString();
        return v.getNodeType().name().toLowerCase(java.util.Locale.ROOT) + " "
                + Text.printable(t.length() > 40 ? t.substring(0, 37) + "..." : t);
    }

    private String text(JsonNode n, String key, String path) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw fail("field '" + path + "' is " + kind(v) + ": expected a string");
        }
        return v.asText();
    }

    private long integer(JsonNode n, String key, String path, long lo, long hi) {
        JsonNode v = n.get(key);
        if (v == null || !v.isIntegralNumber()) {
            throw fail("field '" + path + "' is " + kind(v) + ": expected an integer");
        }
        if (!v.canConvertToLong() || v.asLong() < lo || v.asLong() > hi) {
            throw fail("field '" + path + "' is " + Text.printable(v.toString()) + ": expected an integer in ["
                    + lo + ", " + hi + "]");
        }
        return v.asLong();
    }

    private double number(JsonNode n, String key, String path) {
        JsonNode v = n.get(key);
        if (v != null && v.isNumber()) {
            double d = v.asDouble();
            if (Double.isInfinite(d)) {
                throw fail("field '" + path + "' is " + Text.printable(v.toString()) + ": expected a number within "
                        + "the double range (write \"Infinity\" for an infinity)");
            }
            return d;
        }
        if (v != null && v.isTextual()) {
            switch (v.asText()) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw fail("field '" + path + "' is " + kind(v) + ": expected a number (or \"NaN\", \"Infinity\", "
                + "\"-Infinity\")");
    }
}
