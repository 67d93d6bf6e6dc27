package org.norm4j.stats.io;

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
import org.norm4j.files.InputFile;
import org.norm4j.files.OutputFile;
import org.norm4j.files.Text;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.RowNorm;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.StreamingMoments;
import org.norm4j.stats.ZeroVariancePolicy;

/**
 * Reads a stats file and checks it against its schema (docs/cli.md, "Files and safety") before anything uses
 * it: no unknown or duplicated keys, no trailing content, every field of its type and in its range, integers
 * within {@code long} (or {@code int} for columns), {@code rows > 0}, {@code 0 <= ddof < rows} with ddof 0 or 1,
 * only the options of the method, per feature a unique {@code column} in {@code 1..input.columns},
 * {@code count == rows} (or, ignoring NaN, {@code 0 <= count <= rows}), {@code m2 >= 0}, {@code min <= max},
 * {@code variance} and {@code std} consistent with {@code m2}, and for robust {@code q_low <= median <= q_high}.
 * Every failure is a {@link StatsFileException} naming the file, the field, the value and what was expected.
 */
final class StatsReader {
    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private static final Set<String> ROOT_KEYS = Set.of("format", "version", "created_by", "method", "options",
            "ddof", "variance_estimator", "zero_variance_policy", "nan_policy", "epsilon", "input", "rows",
            "skipped_rows", "sources", "features");
    private static final Set<String> ROOT_KEYS_V1 = Set.of("format", "version", "created_by", "method", "ddof",
            "variance_estimator", "zero_variance_policy", "epsilon", "input", "rows", "skipped_rows", "sources",
            "features");
    private static final Set<String> INPUT_KEYS_V2 = Set.of("kind", "columns", "header", "delimiter");
    /** Version 3 adds the CSV reading options (only for a csv input). */
    private static final Set<String> INPUT_KEYS = Set.of("kind", "columns", "header", "delimiter", "skip_rows",
            "comment", "encoding", "na_values", "header_guessed");
    private static final Set<String> CSV_OPTION_KEYS = Set.of("skip_rows", "comment", "encoding", "na_values",
            "header_guessed");
    private static final Set<String> FEATURE_KEYS = Set.of("column", "name", "count", "mean", "variance", "std",
            "min", "max", "m2");
    private static final Set<String> ROBUST_FEATURE_KEYS = Set.of("column", "name", "count", "mean", "variance",
            "std", "min", "max", "m2", "median", "q_low", "q_high");
    private static final Set<String> KINDS = StatsFile.KINDS;

    private final String file;
    /** The robust method's quantile kind, KLL k and rank error, read with the options. */
    private String quantileKind = "exact";
    private int kllK;
    private double rankError;

    private StatsReader(String name) {
        this.file = name;
    }

    static StatsFile read(Path path) throws IOException {
        try (InputStream in = InputFile.open(path)) {
            return read(in, OutputFile.isStdio(path) ? "(standard input)" : Text.escape(path.toString()));
        }
    }

    static StatsFile read(InputStream in, String name) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(in);
        } catch (JsonProcessingException e) {
            String at = e.getLocation() == null ? "" : ", line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr();
            throw new StatsFileException(name + at + ": invalid JSON (" + Text.printable(e.getOriginalMessage())
                    + ")", e);
        } catch (NumberFormatException e) { // a number beyond what the parser represents, e.g. 1e-4611686018427387904
            throw new StatsFileException(name + ": invalid JSON (a number out of range: "
                    + Text.printable(e.getMessage()) + ")", e);
        }
        return new StatsReader(name).parse(root);
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
        if (version < 1 || version > StatsFile.VERSION) {
            throw fail(StatsFile.FORMAT + " version " + version + ": expected version 1 to " + StatsFile.VERSION
                    + " (this is norm4j's stats format " + StatsFile.VERSION + "; refit with this version)");
        }
        keys(root, version == 1 ? ROOT_KEYS_V1 : ROOT_KEYS, "");
        ScalingMethod method;
        ZeroVariancePolicy policy;
        String m = text(root, "method", "method");
        try {
            method = ScalingMethod.parse(m);
        } catch (IllegalArgumentException e) {
            method = null;
        }
        if (method == null || version == 1 && method.ordinal() > ScalingMethod.MAXABS.ordinal()) {
            throw fail("field 'method' is '" + Text.printable(m) + "': expected " + (version == 1
                    ? "standard, minmax or maxabs" : "standard, minmax, maxabs, robust or normalize"));
        }
        StatsFile.Options options = version == 1 ? StatsFile.Options.DEFAULTS : options(root, method);
        NanPolicy nanPolicy = NanPolicy.PROPAGATE;
        if (version > 1) {
            String np = text(root, "nan_policy", "nan_policy");
            try {
                nanPolicy = NanPolicy.parse(np);
            } catch (IllegalArgumentException e) {
                throw fail("field 'nan_policy' is '" + Text.printable(np) + "': expected propagate or ignore");
            }
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
            if (eps != ZeroVariancePolicy.EPSILON) {
                throw fail("field 'epsilon' is " + eps + ": expected " + ZeroVariancePolicy.EPSILON
                        + " (Keras's epsilon; not "
                        + "configurable)");
            }
        }
        if (root.has("created_by")) {
            text(root, "created_by", "created_by");
        }
        StatsFile.Input input = input(root, version);
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
        long[] counts = new long[f];
        boolean robust = method == ScalingMethod.ROBUST;
        double[][] q = robust ? new double[3][f] : null;
        Set<Integer> seen = new HashSet<>();
        for (int j = 0; j < f; j++) {
            String at = "features[" + j + "].";
            JsonNode fj = fs.get(j);
            if (!fj.isObject()) {
                throw fail("field 'features[" + j + "]' is " + kind(fj) + ": expected an object");
            }
            keys(fj, robust ? ROBUST_FEATURE_KEYS : FEATURE_KEYS, at);
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
            if (nanPolicy == NanPolicy.PROPAGATE ? count != rows : count > rows) {
                throw fail("field '" + at + "count' is " + count + ": expected " + (nanPolicy == NanPolicy.PROPAGATE
                        ? rows + " (as 'rows')" : "at most 'rows' " + rows + " (non-missing values)"));
            }
            counts[j] = count;
            double mean = number(fj, "mean", at + "mean");
            double m2 = number(fj, "m2", at + "m2");
            double min = number(fj, "min", at + "min");
            double max = number(fj, "max", at + "max");
            if (m2 < 0) {
                throw fail("field '" + at + "m2' is " + m2 + ": expected >= 0 (a sum of squares)");
            }
            if (count == 0) {
                if (!Double.isNaN(mean) || m2 != 0 || min != Double.POSITIVE_INFINITY
                        || max != Double.NEGATIVE_INFINITY) {
                    throw fail("field '" + at + "count' is 0 with mean " + mean + ", m2 " + m2 + ", min " + min
                            + ", max " + max + ": expected NaN, 0, Infinity, -Infinity (no values)");
                }
            } else if (min > max) {
                throw fail("field '" + at + "min' is " + min + " and 'max' is " + max + ": expected min <= max");
            }
            if (mean < min && !near(mean, min) || mean > max && !near(mean, max)) {
                throw fail("field '" + at + "mean' is " + mean + ": expected between min " + min + " and max " + max);
            }
            double variance = number(fj, "variance", at + "variance");
            double expect = count > ddof ? m2 / (count - ddof) : Double.NaN;
            if (!near(variance, expect)) {
                throw fail("field '" + at + "variance' is " + variance + ": expected m2 / (count - ddof) = " + expect
                        + " (edit m2, not variance)");
            }
            double std = number(fj, "std", at + "std");
            if (!near(std, Math.sqrt(expect))) {
                throw fail("field '" + at + "std' is " + std + ": expected sqrt(variance) = " + Math.sqrt(expect));
            }
            if (robust) {
                q[0][j] = number(fj, "median", at + "median");
                q[1][j] = number(fj, "q_low", at + "q_low");
                q[2][j] = number(fj, "q_high", at + "q_high");
                if (q[1][j] > q[0][j] || q[0][j] > q[2][j] || count > 0 && (q[1][j] < min || q[2][j] > max)) {
                    throw fail("field '" + at + "median' is " + q[0][j] + " with q_low " + q[1][j] + " and q_high "
                            + q[2][j] + ": expected min <= q_low <= median <= q_high <= max");
                }
            }
            a[0][j] = count == 0 ? 0 : mean;
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
        StreamingMoments sm = StreamingMoments.fromState(new StreamingMoments.State(rows, counts, a[0], a[1], a[2],
                a[3], nanPolicy));
        StatsFile.Quantiles quantiles = robust ? new StatsFile.Quantiles(q[0], q[1], q[2], quantileKind, kllK,
                rankError) : null;
        return new StatsFile(method, options, ddof, policy, input, cols, names, sm, quantiles, skipped, sources);
    }

    private StatsFile.Options options(JsonNode root, ScalingMethod method) {
        JsonNode o = root.get("options");
        if (o == null || !o.isObject()) {
            throw fail("field 'options' is " + kind(o) + ": expected an object");
        }
        StatsFile.Options d = StatsFile.Options.DEFAULTS;
        try {
            switch (method) {
                case STANDARD:
                    keys(o, Set.of("with_mean", "with_std"), "options.");
                    return new StatsFile.Options(bool(o, "with_mean"), bool(o, "with_std"), d.featureRange(), false,
                            true, true, d.quantileRange(), false, d.norm());
                case MINMAX:
                    keys(o, Set.of("feature_range", "clip"), "options.");
                    return new StatsFile.Options(true, true, pair(o, "feature_range"), bool(o, "clip"), true, true,
                            d.quantileRange(), false, d.norm());
                case ROBUST:
                    keys(o, Set.of("with_centering", "with_scaling", "quantile_range", "unit_variance", "quantiles",
                            "kll_k", "normalized_rank_error"), "options.");
                    String qs = text(o, "quantiles", "options.quantiles");
                    if (qs.equals("exact")) {
                        if (o.has("kll_k") || o.has("normalized_rank_error")) {
                            throw fail("field 'options.kll_k' or 'options.normalized_rank_error' with exact "
                                    + "quantiles: expected them only with 'kll'");
                        }
                        quantileKind = "exact";
                    } else if (qs.equals("kll")) {
                        int k = (int) integer(o, "kll_k", "options.kll_k", 8, 65535);
                        double err = number(o, "normalized_rank_error", "options.normalized_rank_error");
                        if (!(err > 0 && err < 1)) {
                            throw fail("field 'options.normalized_rank_error' is " + err + ": expected a fraction "
                                    + "in (0, 1)");
                        }
                        quantileKind = "kll";
                        kllK = k;
                        rankError = err;
                    } else {
                        throw fail("field 'options.quantiles' is '" + Text.printable(qs) + "': expected exact or kll");
                    }
                    return new StatsFile.Options(true, true, d.featureRange(), false, bool(o, "with_centering"),
                            bool(o, "with_scaling"), pair(o, "quantile_range"), bool(o, "unit_variance"), d.norm());
                case NORMALIZE:
                    keys(o, Set.of("norm"), "options.");
                    String n = text(o, "norm", "options.norm");
                    RowNorm norm;
                    try {
                        norm = RowNorm.parse(n);
                    } catch (IllegalArgumentException e) {
                        throw fail("field 'options.norm' is '" + Text.printable(n) + "': expected l1, l2 or max");
                    }
                    return new StatsFile.Options(true, true, d.featureRange(), false, true, true, d.quantileRange(),
                            false, norm);
                default:
                    keys(o, Set.of(), "options.");
                    return d;
            }
        } catch (IllegalArgumentException e) {
            if (e instanceof StatsFileException) {
                throw e;
            }
            throw fail("field 'options' of method " + method.configName() + ": " + e.getMessage());
        }
    }

    private boolean bool(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isBoolean()) {
            throw fail("field 'options." + key + "' is " + kind(v) + ": expected true or false");
        }
        return v.asBoolean();
    }

    private double[] pair(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v == null || !v.isArray() || v.size() != 2 || !v.get(0).isNumber() || !v.get(1).isNumber()) {
            throw fail("field 'options." + key + "' is " + kind(v) + ": expected an array of two numbers");
        }
        return new double[] {v.get(0).asDouble(), v.get(1).asDouble()};
    }

    private StatsFile.Input input(JsonNode root, long version) {
        JsonNode in = root.get("input");
        if (in == null || !in.isObject()) {
            throw fail("field 'input' is " + kind(in) + ": expected an object");
        }
        keys(in, version >= 3 ? INPUT_KEYS : INPUT_KEYS_V2, "input.");
        String kind = text(in, "kind", "input.kind");
        if (!KINDS.contains(kind) || version < 3 && kind.equals("parquet")) {
            throw fail("field 'input.kind' is '" + Text.printable(kind) + "': expected one of " + sorted(KINDS)
                    + (version < 3 ? " (parquet from version 3 on)" : ""));
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
                throw fail("field 'input.delimiter' is " + kind(d) + " for a " + kind + " input: expected none");
            }
            boolean named = kind.equals("parquet"); // Parquet columns always have names
            if (h.asBoolean() != named) {
                throw fail("field 'input.header' is " + h.asBoolean() + " for a " + kind + " input: expected "
                        + named);
            }
        }
        StatsFile.CsvOptions csv = null;
        if (kind.equals("csv") && in.has("encoding")) {
            csv = csvOptions(in);
        } else {
            for (String k : CSV_OPTION_KEYS) {
                if (in.has(k)) {
                    throw fail("field 'input." + k + "' for " + (kind.equals("csv") ? "a csv input without "
                            + "'input.encoding'" : "a " + kind + " input") + ": expected "
                            + (kind.equals("csv") ? "all of " + sorted(CSV_OPTION_KEYS) + " or none" : "none"));
                }
            }
        }
        return new StatsFile.Input(kind, columns, h.asBoolean(), delimiter, csv);
    }

    /** The CSV reading options of a version 3 input: all five keys. */
    private StatsFile.CsvOptions csvOptions(JsonNode in) {
        int skip = (int) integer(in, "skip_rows", "input.skip_rows", 0, Integer.MAX_VALUE);
        JsonNode c = in.get("comment");
        String comment = null;
        if (c == null || !c.isNull()) {
            comment = text(in, "comment", "input.comment");
            if (comment.length() != 1) {
                throw fail("field 'input.comment' is '" + Text.printable(comment) + "': expected one character or "
                        + "null");
            }
        }
        String encoding = text(in, "encoding", "input.encoding");
        if (encoding.isEmpty() || encoding.length() > 64) {
            throw fail("field 'input.encoding' is '" + Text.printable(encoding) + "': expected an encoding name");
        }
        JsonNode na = in.get("na_values");
        if (na == null || !na.isArray()) {
            throw fail("field 'input.na_values' is " + kind(na) + ": expected an array of strings");
        }
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < na.size(); i++) {
            if (!na.get(i).isTextual()) {
                throw fail("field 'input.na_values[" + i + "]' is " + kind(na.get(i)) + ": expected a string");
            }
            tokens.add(na.get(i).asText());
        }
        JsonNode g = in.get("header_guessed");
        if (g == null || !g.isBoolean()) {
            throw fail("field 'input.header_guessed' is " + kind(g) + ": expected true or false");
        }
        return new StatsFile.CsvOptions(skip, comment, encoding, tokens, g.asBoolean());
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

    static String sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        java.util.Collections.sort(l);
        return String.join(", ", l);
    }

    private StatsFileException fail(String message) {
        return new StatsFileException(file + ": " + message);
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
