package org.norm4j.stats.io;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.norm4j.files.OutputFile;
import org.norm4j.layers.Normalization;
import org.norm4j.stats.FeatureScaler;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.RowNorm;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.StreamingMoments;
import org.norm4j.stats.ZeroVariancePolicy;

/**
 * A versioned statistics file, {@code "format": "norm4j-stats"}, {@code "version": 2}: what {@code norm4j fit}
 * writes, {@code norm4j merge} combines and {@code norm4j transform} applies, and what Java programs read and
 * write with this class. It holds, per fitted feature, the input column (1-based) and its name, the count of
 * non-missing values, mean, variance (with its estimator: population for {@code ddof = 0}, sample for
 * {@code ddof = 1}), standard deviation, min, max and the centred sum of squares {@code m2} (kept so that merges
 * are exact), for the robust method the median and the two quantiles, all in float64; and the method with its
 * options, the zero-variance and NaN policies and the layout of the input. Version 1 files (no options, no NaN
 * policy, no per-feature counts) are still read. See docs/cli.md for the full layout.
 *
 * <pre>{@code
 * StatsFile stats = StatsFile.read(Path.of("stats.json"));
 * FeatureScaler scaler = stats.scaler();            // the fitted scaling, apply(j, x) / invert(j, y)
 * Normalization layer = stats.toNormalization();    // a Keras-style layer with these statistics
 * StatsFile.fromNormalization(layer).write(Path.of("layer-stats.json"), "my-app");
 * }</pre>
 */
public final class StatsFile {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "norm4j-stats";
    /**
     * The version this build writes (it reads 1, 2 and this one). 3 added the CSV reading options of the input
     * ({@link CsvOptions}) and the {@code parquet} input kind.
     */
    public static final int VERSION = 3;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    /** The input kinds a stats file may name; the header is false for npy, true for parquet (named columns). */
    static final java.util.Set<String> KINDS = java.util.Set.of("csv", "npy", "parquet");

    /**
     * Where the statistics came from: the file kind ({@code csv}, {@code npy}, {@code parquet}), its column layout,
     * and for a CSV file the options it was read with (null when unknown: files before version 3, or merged parts
     * read differently).
     */
    public record Input(String kind, int columns, boolean header, String delimiter, CsvOptions csv) {
        /** Checks the kind and the number of columns. */
        public Input {
            Objects.requireNonNull(kind, "kind must not be null");
            if (!KINDS.contains(kind)) {
                throw new IllegalArgumentException("input kind '" + kind + "': expected one of "
                        + String.join(", ", new java.util.TreeSet<>(KINDS)));
            }
            if (columns < 1) {
                throw new IllegalArgumentException("input columns = " + columns + ": expected >= 1");
            }
            if (csv != null && !kind.equals("csv")) {
                throw new IllegalArgumentException("CSV reading options for a " + kind + " input: expected none");
            }
        }

        /** An input without recorded reading options. */
        public Input(String kind, int columns, boolean header, String delimiter) {
            this(kind, columns, header, delimiter, null);
        }
    }

    /**
     * The options a CSV file was read with, which shape what was read: the lines skipped at its start
     * ({@code --skip-rows}), the comment character ({@code --comment}, null for none), the text encoding, the
     * missing-value tokens ({@code --na-values}), and whether the header was guessed rather than given.
     */
    public record CsvOptions(int skipRows, String comment, String encoding, List<String> naValues,
            boolean headerGuessed) {
        /** Checks the values. */
        public CsvOptions {
            if (skipRows < 0) {
                throw new IllegalArgumentException("skip_rows " + skipRows + ": expected >= 0");
            }
            if (comment != null && comment.length() != 1) {
                throw new IllegalArgumentException("comment '" + comment + "': expected one character or none");
            }
            Objects.requireNonNull(encoding, "encoding must not be null");
            naValues = List.copyOf(naValues);
        }
    }

    /**
     * The options of the method, with scikit-learn's names and defaults: {@code with_mean}, {@code with_std}
     * (standard); {@code feature_range}, {@code clip} (minmax); {@code with_centering}, {@code with_scaling},
     * {@code quantile_range}, {@code unit_variance} (robust); {@code norm} (normalize).
     */
    public record Options(boolean withMean, boolean withStd, double[] featureRange, boolean clip,
            boolean withCentering, boolean withScaling, double[] quantileRange, boolean unitVariance,
            RowNorm norm) {
        /** scikit-learn's defaults: with_mean, with_std, (0, 1), no clip, centering, scaling, (25, 75), l2. */
        public static final Options DEFAULTS = new Options(true, true, new double[] {0, 1}, false, true, true,
                new double[] {25, 75}, false, RowNorm.L2);

        /** Checks the ranges. */
        public Options {
            Objects.requireNonNull(featureRange, "featureRange must not be null");
            Objects.requireNonNull(norm, "norm must not be null");
            if (featureRange.length != 2 || !(featureRange[0] < featureRange[1])
                    || Double.isInfinite(featureRange[0]) || Double.isInfinite(featureRange[1])) {
                throw new IllegalArgumentException("feature_range = " + Arrays.toString(featureRange)
                        + ": expected (min, max) with finite min < max");
            }
            FeatureScaler.checkQuantileRange(quantileRange);
            featureRange = featureRange.clone();
            quantileRange = quantileRange.clone();
        }

        @Override
        public double[] featureRange() {
            return featureRange.clone();
        }

        @Override
        public double[] quantileRange() {
            return quantileRange.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Options p && withMean == p.withMean && withStd == p.withStd
                    && Arrays.equals(featureRange, p.featureRange) && clip == p.clip
                    && withCentering == p.withCentering && withScaling == p.withScaling
                    && Arrays.equals(quantileRange, p.quantileRange) && unitVariance == p.unitVariance
                    && norm == p.norm;
        }

        @Override
        public int hashCode() {
            return Objects.hash(withMean, withStd, Arrays.hashCode(featureRange), clip, withCentering,
                    withScaling, Arrays.hashCode(quantileRange), unitVariance, norm);
        }
    }

    /**
     * The robust method's per-feature median and lower and upper quantiles (of {@code quantile_range}), and how
     * they were computed: {@code "exact"} (NumPy's) or {@code "kll"} (an Apache DataSketches KLL sketch with
     * accuracy parameter {@code k} and the normalized rank error {@code rankError} at 99% confidence; 0 and 0
     * for exact).
     */
    public record Quantiles(double[] median, double[] low, double[] high, String kind, int k, double rankError) {
        /** Exact quantiles. */
        public Quantiles(double[] median, double[] low, double[] high) {
            this(median, low, high, "exact", 0, 0);
        }

        /** Checks the lengths and the kind. */
        public Quantiles {
            if (median.length != low.length || low.length != high.length) {
                throw new IllegalArgumentException("median, low and high have " + median.length + ", "
                        + low.length + " and " + high.length + " entries: expected one length");
            }
            boolean exact = "exact".equals(kind);
            if (!exact && !"kll".equals(kind) || exact && (k != 0 || rankError != 0)
                    || !exact && (k < 8 || k > 65535 || !(rankError > 0 && rankError < 1))) {
                throw new IllegalArgumentException("quantiles '" + kind + "' with k " + k + " and rank error "
                        + rankError + ": expected 'exact' (k 0, error 0) or 'kll' (k in [8, 65535], error in (0, 1))");
            }
            median = median.clone();
            low = low.clone();
            high = high.clone();
        }

        @Override
        public double[] median() {
            return median.clone();
        }

        @Override
        public double[] low() {
            return low.clone();
        }

        @Override
        public double[] high() {
            return high.clone();
        }
    }

    private final ScalingMethod method;
    private final Options options;
    private final int ddof;
    private final ZeroVariancePolicy policy;
    private final Input input;
    private final int[] columns;
    private final String[] names;
    private final StreamingMoments moments;
    private final Quantiles quantiles;
    private final long skippedRows;
    private final List<String> sources;

    /**
     * Statistics ready to save.
     *
     * @param columns the 0-based input column of each feature
     * @param names the name of each feature (header names; null entries where the input had no header)
     * @param moments the moments (their NaN policy is the file's)
     * @param quantiles the robust method's quantiles, null for the other methods
     * @throws IllegalArgumentException if the lengths disagree, or quantiles are missing for robust
     */
    public StatsFile(ScalingMethod method, Options options, int ddof, ZeroVariancePolicy policy, Input input,
            int[] columns, String[] names, StreamingMoments moments, Quantiles quantiles, long skippedRows,
            List<String> sources) {
        this.method = Objects.requireNonNull(method, "method must not be null");
        this.options = Objects.requireNonNull(options, "options must not be null");
        this.ddof = ddof;
        this.policy = Objects.requireNonNull(policy, "policy must not be null");
        this.input = Objects.requireNonNull(input, "input must not be null");
        this.columns = columns.clone();
        this.names = names.clone();
        this.moments = StreamingMoments.fromState(moments.state());
        this.quantiles = quantiles;
        this.skippedRows = skippedRows;
        this.sources = List.copyOf(sources);
        if (ddof != 0 && ddof != 1) {
            throw new IllegalArgumentException("ddof = " + ddof + ": expected 0 or 1");
        }
        if (columns.length != moments.features() || names.length != columns.length) {
            throw new IllegalArgumentException(columns.length + " columns, " + names.length + " names, "
                    + moments.features() + " features: expected one of each per feature");
        }
        if ((method == ScalingMethod.ROBUST) != (quantiles != null)
                || quantiles != null && quantiles.median.length != columns.length) {
            throw new IllegalArgumentException("quantiles " + (quantiles == null ? "missing" : "of "
                    + quantiles.median.length + " features") + " for method " + method.configName()
                    + ": expected them exactly for robust, one per feature");
        }
    }

    /** The method. */
    public ScalingMethod method() {
        return method;
    }

    /** The method's options. */
    public Options options() {
        return options;
    }

    /** The variance's delta degrees of freedom: 0 population (Keras, scikit-learn), 1 sample (Spark). */
    public int ddof() {
        return ddof;
    }

    /** The zero-variance policy. */
    public ZeroVariancePolicy policy() {
        return policy;
    }

    /** What fitting did with NaN. */
    public NanPolicy nanPolicy() {
        return moments.nanPolicy();
    }

    /** The input layout the statistics were fitted on. */
    public Input input() {
        return input;
    }

    /** The 0-based input column of each feature. */
    public int[] columns() {
        return columns.clone();
    }

    /** The name of each feature (null entries without a header). */
    public String[] names() {
        return names.clone();
    }

    /** The number of fitted features. */
    public int features() {
        return columns.length;
    }

    /** The accumulated moments (counts, mean, m2, min, max), a copy. */
    public StreamingMoments moments() {
        return StreamingMoments.fromState(moments.state());
    }

    /** The robust method's quantiles, null for the other methods. */
    public Quantiles quantiles() {
        return quantiles;
    }

    /** Rows skipped as bad while fitting. */
    public long skippedRows() {
        return skippedRows;
    }

    /** The files the statistics were fitted on. */
    public List<String> sources() {
        return sources;
    }

    /** Per-feature means. */
    public double[] mean() {
        return moments.mean();
    }

    /** Per-feature variances with this file's {@code ddof}. */
    public double[] variance() {
        return moments.variance(ddof);
    }

    /** Per-feature minima. */
    public double[] min() {
        return moments.min();
    }

    /** Per-feature maxima. */
    public double[] max() {
        return moments.max();
    }

    /** The estimator's name for a ddof: {@code population} (0) or {@code sample} (1). */
    public static String estimator(int ddof) {
        return ddof == 0 ? "population" : ddof == 1 ? "sample" : "ddof=" + ddof;
    }

    /**
     * The fitted scaling of the features, to apply or invert.
     *
     * @throws IllegalStateException for the row-wise {@code normalize} method (see {@link #rowNorm()})
     */
    public FeatureScaler scaler() {
        switch (method) {
            case STANDARD:
                return FeatureScaler.standard(mean(), variance(), moments.counts(), options.withMean(),
                        options.withStd(), policy);
            case MINMAX:
                return FeatureScaler.minMax(min(), max(), options.featureRange[0], options.featureRange[1],
                        options.clip(), policy);
            case MAXABS:
                return FeatureScaler.maxAbs(min(), max(), policy);
            case ROBUST:
                return FeatureScaler.robust(quantiles.median, quantiles.low, quantiles.high, options.quantileRange,
                        options.withCentering(), options.withScaling(), options.unitVariance(), policy);
            default:
                throw new IllegalStateException("method normalize scales rows, not features: use rowNorm()");
        }
    }

    /** The row norm of the {@code normalize} method ({@code options().norm()} otherwise unused). */
    public RowNorm rowNorm() {
        return options.norm();
    }

    /**
     * Merges another partial result of the same fit (same method, options, policies, layout and columns) into
     * a new file: moments by Chan et al.'s exact pairwise update, counts and skipped rows added, sources
     * concatenated.
     *
     * @throws IllegalArgumentException naming the first difference, for robust statistics (quantiles of parts
     *     do not give the quantiles of the whole; refit on all the data) or a total beyond a long
     */
    public StatsFile merge(StatsFile other) {
        Objects.requireNonNull(other, "other must not be null");
        if (method == ScalingMethod.ROBUST) {
            throw new IllegalArgumentException("method robust: medians and quantiles of parts do not give those "
                    + "of the whole; expected standard, minmax, maxabs or normalize (refit robust on all the data)");
        }
        same("method", method.configName(), other.method.configName());
        same("options", options, other.options);
        same("ddof", ddof, other.ddof);
        same("zero_variance_policy", policy.configName(), other.policy.configName());
        same("nan_policy", nanPolicy().configName(), other.nanPolicy().configName());
        same("input kind", input.kind(), other.input.kind());
        same("number of input columns", input.columns(), other.input.columns());
        same("input header", input.header(), other.input.header());
        same("input delimiter", input.delimiter(), other.input.delimiter());
        // parts read with other CSV options (a metadata line in one part only) merge; the options are then unknown
        Input mergedInput = Objects.equals(input.csv(), other.input.csv()) ? input
                : new Input(input.kind(), input.columns(), input.header(), input.delimiter(), null);
        same("number of features", columns.length, other.columns.length);
        same("columns", Arrays.toString(columns), Arrays.toString(other.columns));
        same("feature names", Arrays.toString(names), Arrays.toString(other.names));
        long skipped;
        try {
            Math.addExact(moments.count(), other.moments.count());
            skipped = Math.addExact(skippedRows, other.skippedRows);
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("merging makes more than " + Long.MAX_VALUE + " rows: expected a "
                    + "total that fits in a long", e);
        }
        StreamingMoments m = moments().merge(other.moments);
        List<String> src = new ArrayList<>(sources);
        src.addAll(other.sources);
        return new StatsFile(method, options, ddof, policy, mergedInput, columns, names, m, null, skipped, src);
    }

    private static void same(String what, Object a, Object b) {
        if (!Objects.equals(a, b)) {
            throw new IllegalArgumentException(what + " " + b + ", but the part merged into has " + a
                    + ": expected the same " + what + " in every part");
        }
    }

    // ---- Normalization layer -----------------------------------------------------------------------

    /**
     * A {@link Normalization} layer (axis -1, built for {@code (batch, features)}) holding these statistics,
     * with this file's zero-variance policy, ddof and NaN policy; its output equals {@link #scaler()}'s to
     * float32 rounding.
     *
     * @throws IllegalStateException unless the method is standard with {@code with_mean} and {@code with_std}
     */
    public Normalization toNormalization() {
        if (method != ScalingMethod.STANDARD || !options.withMean() || !options.withStd()) {
            throw new IllegalStateException("method " + method.configName() + (method == ScalingMethod.STANDARD
                    ? " without with_mean or with_std" : "") + ": expected standard with with_mean and with_std "
                    + "(what the Normalization layer computes)");
        }
        Normalization layer = Normalization.builder().zeroVariancePolicy(policy).ddof(ddof)
                .nanPolicy(nanPolicy()).build();
        layer.buildFor(new int[] {-1, features()});
        layer.adapt(moments());
        return layer;
    }

    /**
     * The statistics of an adapted {@link Normalization} layer with one kept axis, as a standard stats file of
     * kind {@code npy}: the float64 moments of its last {@code adapt} in this JVM where there are some,
     * otherwise its float32 mean and variance with its count ({@code m2 = variance * (count - ddof)}, min and
     * max unknown, written as NaN).
     *
     * @throws IllegalArgumentException if the layer is not built, keeps other than one axis, or has no count
     */
    public static StatsFile fromNormalization(Normalization layer) {
        Objects.requireNonNull(layer, "layer must not be null");
        if (!layer.built()) {
            throw new IllegalArgumentException("Normalization layer '" + layer.name() + "' is not built: expected "
                    + "an adapted layer");
        }
        if (layer.meanTensor().rank() != 1) {
            throw new IllegalArgumentException("Normalization layer '" + layer.name() + "' keeps statistics of "
                    + "shape " + layer.meanTensor().shape() + ": expected one kept axis (features)");
        }
        StreamingMoments m = layer.adaptedMoments();
        if (m == null) {
            float[] mean = layer.meanTensor().rawFloats();
            float[] var = layer.varianceTensor().rawFloats();
            long n = layer.weights().stream().filter(w -> w.name().endsWith("count")).findFirst()
                    .map(w -> (long) w.value().item()).orElse(0L);
            if (n <= layer.ddof()) {
                throw new IllegalArgumentException("Normalization layer '" + layer.name() + "' has count " + n
                        + ": expected an adapted layer (count > ddof)");
            }
            int f = mean.length;
            double[][] a = new double[4][f];
            for (int j = 0; j < f; j++) {
                a[0][j] = mean[j];
                a[1][j] = var[j] * (double) (n - layer.ddof());
                a[2][j] = Double.NaN;
                a[3][j] = Double.NaN;
            }
            m = StreamingMoments.fromState(new StreamingMoments.State(n, a[0], a[1], a[2], a[3]));
        }
        int f = m.features();
        int[] cols = new int[f];
        Arrays.setAll(cols, j -> j);
        return new StatsFile(ScalingMethod.STANDARD, Options.DEFAULTS, layer.ddof(), layer.zeroVariancePolicy(),
                new Input("npy", f, false, null), cols, new String[f], m, null, 0, List.of());
    }

    // ---- JSON ---------------------------------------------------------------------------------------

    /** The JSON text of this file. */
    public String toJson(String createdBy) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("created_by", createdBy);
        root.put("method", method.configName());
        ObjectNode o = root.putObject("options");
        switch (method) {
            case STANDARD:
                o.put("with_mean", options.withMean());
                o.put("with_std", options.withStd());
                break;
            case MINMAX:
                o.putArray("feature_range").add(options.featureRange[0]).add(options.featureRange[1]);
                o.put("clip", options.clip());
                break;
            case ROBUST:
                o.put("with_centering", options.withCentering());
                o.put("with_scaling", options.withScaling());
                o.putArray("quantile_range").add(options.quantileRange[0]).add(options.quantileRange[1]);
                o.put("unit_variance", options.unitVariance());
                o.put("quantiles", quantiles.kind());
                if (quantiles.k() > 0) {
                    o.put("kll_k", quantiles.k());
                    o.put("normalized_rank_error", quantiles.rankError());
                }
                break;
            case NORMALIZE:
                o.put("norm", options.norm().configName());
                break;
            default:
                break;
        }
        root.put("ddof", ddof);
        root.put("variance_estimator", estimator(ddof));
        root.put("zero_variance_policy", policy.configName());
        root.put("nan_policy", nanPolicy().configName());
        root.put("epsilon", ZeroVariancePolicy.EPSILON);
        ObjectNode in = root.putObject("input");
        in.put("kind", input.kind());
        in.put("columns", input.columns());
        in.put("header", input.header());
        if (input.delimiter() != null) {
            in.put("delimiter", input.delimiter());
        }
        if (input.csv() != null) {
            CsvOptions c = input.csv();
            in.put("skip_rows", c.skipRows());
            in.put("comment", c.comment());
            in.put("encoding", c.encoding());
            ArrayNode na = in.putArray("na_values");
            c.naValues().forEach(na::add);
            in.put("header_guessed", c.headerGuessed());
        }
        root.put("rows", moments.count());
        root.put("skipped_rows", skippedRows);
        ArrayNode src = root.putArray("sources");
        sources.forEach(src::add);
        double[] mean = mean();
        double[] var = variance();
        double[] m2 = moments.m2();
        double[] min = min();
        double[] max = max();
        long[] counts = moments.counts();
        ArrayNode fs = root.putArray("features");
        for (int j = 0; j < columns.length; j++) {
            ObjectNode f = fs.addObject();
            f.put("column", columns[j] + 1);
            if (names[j] == null) {
                f.putNull("name");
            } else {
                f.put("name", names[j]);
            }
            f.put("count", counts[j]);
            f.put("mean", mean[j]);
            f.put("variance", var[j]);
            f.put("std", Math.sqrt(var[j]));
            f.put("min", min[j]);
            f.put("max", max[j]);
            f.put("m2", m2[j]);
            if (quantiles != null) {
                f.put("median", quantiles.median[j]);
                f.put("q_low", quantiles.low[j]);
                f.put("q_high", quantiles.high[j]);
            }
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize stats", e);
        }
    }

    /**
     * Writes the file by the one output policy ({@link OutputFile}: a temporary file renamed on success,
     * {@code -} for standard output).
     */
    public void write(Path target, String createdBy) throws IOException {
        byte[] bytes = toJson(createdBy).getBytes(StandardCharsets.UTF_8);
        OutputFile.write(target, out -> out.write(bytes));
    }

    /**
     * Reads and checks a stats file ({@code -} is standard input).
     *
     * @throws StatsFileException naming the file, the field, the value and the expectation for invalid JSON,
     *     another format or version, an unknown, missing, ill-typed or out-of-range field (the schema is in
     *     docs/cli.md)
     * @throws IOException if the file cannot be read
     */
    public static StatsFile read(Path file) throws IOException {
        return StatsReader.read(file);
    }

    /**
     * Reads and checks a stats file from a stream (not closed), {@code name} naming it in messages.
     *
     * @throws StatsFileException as {@link #read(Path)}
     * @throws IOException if the stream cannot be read
     */
    public static StatsFile read(InputStream in, String name) throws IOException {
        return StatsReader.read(in, name);
    }
}
