package org.norm4j.cli.stats;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.norm4j.cli.CliException;
import org.norm4j.cli.io.AtomicOutput;
import org.norm4j.stats.ZeroVariancePolicy;
import org.norm4j.stats.StreamingMoments;

/**
 * A versioned statistics file, {@code "format": "norm4j-stats"}, {@code "version": 1}: what {@code norm4j fit}
 * writes, {@code norm4j merge} combines and {@code norm4j transform} applies. It holds, per fitted feature,
 * the input column (1-based) and its name, the count, mean, variance (with its estimator: population for
 * {@code ddof = 0}, sample for {@code ddof = 1}), standard deviation, min, max and the centred sum of squares
 * {@code m2} (kept so that merges are exact), all in float64; and the method, the zero-variance policy and the
 * layout of the input (kind, number of columns, header, delimiter). See docs/cli.md for the full layout.
 */
public final class StatsFile {
    /** The value of the {@code format} field. */
    public static final String FORMAT = "norm4j-stats";
    /** The version this build writes and reads. */
    public static final int VERSION = 1;

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** Where the statistics came from: the file kind and its column layout. */
    public record Input(String kind, int columns, boolean header, String delimiter) {
        /** Checks the kind. */
        public Input {
            if (!kind.equals("csv") && !kind.equals("npy")) {
                throw new IllegalArgumentException("input kind '" + kind + "': expected csv or npy");
            }
        }
    }

    private final Method method;
    private final int ddof;
    private final ZeroVariancePolicy policy;
    private final Input input;
    private final int[] columns;
    private final String[] names;
    private final StreamingMoments moments;
    private final long skippedRows;
    private final List<String> sources;

    /**
     * Statistics ready to save.
     *
     * @param columns the 0-based input column of each feature
     * @param names the name of each feature (header names; null entries where the input had no header)
     */
    public StatsFile(Method method, int ddof, ZeroVariancePolicy policy, Input input, int[] columns, String[] names,
            StreamingMoments moments, long skippedRows, List<String> sources) {
        this.method = Objects.requireNonNull(method);
        this.ddof = ddof;
        this.policy = Objects.requireNonNull(policy);
        this.input = Objects.requireNonNull(input);
        this.columns = columns.clone();
        this.names = names.clone();
        this.moments = Objects.requireNonNull(moments);
        this.skippedRows = skippedRows;
        this.sources = List.copyOf(sources);
        if (columns.length != moments.features() || names.length != columns.length) {
            throw new IllegalArgumentException(columns.length + " columns, " + names.length + " names, "
                    + moments.features() + " features: expected one of each per feature");
        }
    }

    /** The method. */
    public Method method() {
        return method;
    }

    /** The variance's delta degrees of freedom: 0 population (Keras, scikit-learn), 1 sample (Spark). */
    public int ddof() {
        return ddof;
    }

    /** The zero-variance policy. */
    public ZeroVariancePolicy policy() {
        return policy;
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

    /** The accumulated moments (count, mean, m2, min, max). */
    public StreamingMoments moments() {
        return StreamingMoments.fromState(moments.state());
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

    // ---- JSON ---------------------------------------------------------------------------------------

    /** The JSON text of this file. */
    public String toJson(String createdBy) {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("created_by", createdBy);
        root.put("method", method.configName());
        root.put("ddof", ddof);
        root.put("variance_estimator", estimator(ddof));
        root.put("zero_variance_policy", policy.configName());
        root.put("epsilon", Scaler.EPSILON);
        ObjectNode in = root.putObject("input");
        in.put("kind", input.kind());
        in.put("columns", input.columns());
        in.put("header", input.header());
        if (input.delimiter() != null) {
            in.put("delimiter", input.delimiter());
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
        ArrayNode fs = root.putArray("features");
        for (int j = 0; j < columns.length; j++) {
            ObjectNode f = fs.addObject();
            f.put("column", columns[j] + 1);
            if (names[j] == null) {
                f.putNull("name");
            } else {
                f.put("name", names[j]);
            }
            f.put("count", moments.count());
            f.put("mean", mean[j]);
            f.put("variance", var[j]);
            f.put("std", Math.sqrt(var[j]));
            f.put("min", min[j]);
            f.put("max", max[j]);
            f.put("m2", m2[j]);
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize stats", e);
        }
    }

    /** Writes the file atomically (temporary file, then rename). */
    public void write(Path target, String createdBy) {
        AtomicOutput.write(target, toJson(createdBy).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /**
     * Reads and checks a stats file.
     *
     * @throws CliException naming the file, the field, the value and the expectation for a missing file, a
     *     directory, invalid JSON, another format or version, an unknown, missing, ill-typed or out-of-range
     *     field (the schema is in docs/cli.md)
     */
    public static StatsFile read(Path file) {
        return StatsReader.read(file);
    }
}
