package org.norm4j.spark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamPair;
import org.apache.spark.ml.param.Params;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.norm4j.stats.FeatureScaler;
import org.norm4j.stats.io.StatsFile;

/** Helpers shared by the norm4j Spark stages: schemas, stats-file building, and ML persistence. */
final class SparkModels {
    private static final ObjectMapper JSON = new ObjectMapper();

    private SparkModels() {
    }

    /** The output schema: the input checked, the output column(s) appended. */
    static StructType outputSchema(StructType schema, String inputCol, String[] inputCols, String outputCol,
            String[] outputCols) {
        SparkStats.checkInput(schema, inputCol, inputCols);
        Set<String> existing = new HashSet<>(Arrays.asList(schema.fieldNames()));
        if (inputCol != null) {
            if (outputCol == null) {
                throw new IllegalArgumentException("outputCol is not set: expected an output column name for "
                        + "inputCol " + inputCol);
            }
            if (existing.contains(outputCol)) {
                throw new IllegalArgumentException("Output column " + outputCol + " already exists.");
            }
            return schema.add(new StructField(outputCol, SQLDataTypes.VectorType(), true,
                    org.apache.spark.sql.types.Metadata.empty()));
        }
        if (outputCols == null || outputCols.length != inputCols.length) {
            throw new IllegalArgumentException("outputCols = " + (outputCols == null ? "null"
                    : Arrays.toString(outputCols)) + ": expected one output column per input column "
                    + Arrays.toString(inputCols));
        }
        StructType out = schema;
        for (String c : outputCols) {
            if (!existing.add(c)) {
                throw new IllegalArgumentException("Output column " + c + " already exists.");
            }
            out = out.add(c, DataTypes.DoubleType, true);
        }
        return out;
    }

    static StatsFile.Input input(SparkStats.Features features, int f) {
        return features.vector() ? new StatsFile.Input("npy", f, false, null)
                : new StatsFile.Input("csv", f, true, ",");
    }

    static int[] columns(int features) {
        int[] c = new int[features];
        Arrays.setAll(c, j -> j);
        return c;
    }

    static String[] names(SparkStats.Features features, int f) {
        return features.vector() ? new String[f] : features.names().clone();
    }

    /** A stats file's scaling, shipped to executors as its JSON text and rebuilt there once per task. */
    static final class ScalerFunction implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String json;
        private transient FeatureScaler scaler;

        ScalerFunction(String json) {
            this.json = json;
        }

        FeatureScaler scaler() {
            if (scaler == null) {
                scaler = parse(json).scaler();
            }
            return scaler;
        }
    }

    static StatsFile parse(String json) {
        try {
            return StatsFile.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "stats");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes a stage as Spark's own ML persistence does: {@code path/metadata} holds one JSON line with the
     * class, uid, Spark version and the explicitly set parameters (so Pipeline.load finds the class), and a model
     * adds its stats file as {@code path/data}.
     */
    static final class ParamsWriter extends MLWriter {
        private final Params stage;
        private final String stats;

        ParamsWriter(Params stage, String stats) {
            this.stage = stage;
            this.stats = stats;
        }

        @Override
        public void saveImpl(String path) {
            ObjectNode meta = JSON.createObjectNode();
            meta.put("class", stage.getClass().getName());
            meta.put("timestamp", System.currentTimeMillis());
            meta.put("sparkVersion", sparkSession().version());
            meta.put("uid", stage.uid());
            ObjectNode params = meta.putObject("paramMap");
            ObjectNode defaults = meta.putObject("defaultParamMap");
            for (Param<?> p : stage.params()) {
                if (stage.isSet(p)) {
                    params.set(p.name(), json(encode(p, stage.getOrDefault(p))));
                } else if (stage.hasDefault(p)) {
                    defaults.set(p.name(), json(encode(p, stage.getDefault(p).get())));
                }
            }
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(sparkSession().sparkContext());
            sc.parallelize(List.of(meta.toString()), 1).saveAsTextFile(path + "/metadata");
            if (stats != null) {
                sc.parallelize(List.of(stats), 1).saveAsTextFile(path + "/data");
            }
        }

        @SuppressWarnings("unchecked")
        private static String encode(Param<?> p, Object value) {
            return ((Param<Object>) p).jsonEncode(value);
        }
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What {@link ParamsWriter} wrote: the metadata and the stats file text (null for an estimator). */
    record Saved(String className, String uid, Map<String, String> params, String stats) {
    }

    /**
     * Reads what {@link ParamsWriter} wrote.
     *
     * @throws IllegalArgumentException if the metadata is not of {@code expected} (naming the class found)
     */
    static Saved read(SparkSession spark, String path, Class<?> expected) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        JsonNode meta = json(sc.textFile(path + "/metadata", 1).first());
        String cls = meta.path("class").asText();
        if (!cls.equals(expected.getName())) {
            throw new IllegalArgumentException("stage at " + path + " is a " + cls + ": expected "
                    + expected.getName());
        }
        Map<String, String> params = new java.util.LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = meta.path("paramMap").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            params.put(e.getKey(), e.getValue().toString());
        }
        String stats = null;
        if (exists(spark, path + "/data")) {
            stats = String.join("\n", sc.textFile(path + "/data", 1).collect());
        }
        return new Saved(cls, meta.path("uid").asText(), params, stats);
    }

    private static boolean exists(SparkSession spark, String path) {
        try {
            org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
            return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads an estimator saved by {@link ParamsWriter}: the class checked, the uid and parameters restored. */
    static final class EstimatorReader<T extends Params> extends MLReader<T> {
        private final Class<T> type;
        private final java.util.function.Function<String, T> make;

        EstimatorReader(Class<T> type, java.util.function.Function<String, T> make) {
            this.type = type;
            this.make = make;
        }

        @Override
        public T load(String path) {
            Saved saved = read(sparkSession(), path, type);
            T stage = make.apply(saved.uid());
            setParams(stage, saved.params());
            return stage;
        }
    }

    /** Sets the saved parameters on a stage. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static void setParams(Params stage, Map<String, String> params) {
        for (Map.Entry<String, String> e : params.entrySet()) {
            Param p = stage.getParam(e.getKey());
            stage.set(new ParamPair(p, p.jsonDecode(e.getValue())));
        }
    }
}
