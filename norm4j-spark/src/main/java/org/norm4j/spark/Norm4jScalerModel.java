package org.norm4j.spark;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.spark.ml.Model;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.util.Identifiable;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.api.java.UDF1;
import org.apache.spark.sql.expressions.UserDefinedFunction;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.norm4j.stats.FeatureScaler;
import org.norm4j.stats.io.StatsFile;

/**
 * A fitted norm4j scaler: a norm4j stats file (method, options, exactly rounded statistics) applied to a vector
 * column ({@code inputCol} to {@code outputCol}, dense output) or to numeric columns ({@code inputCols} to
 * {@code outputCols}, doubles). Each value goes through {@link FeatureScaler}, the arithmetic of
 * {@code norm4j transform} and scikit-learn; NaN stays NaN and SQL null stays null.
 *
 * <p>The model exports its stats file ({@link #stats()}, {@link #writeStats}), which {@code norm4j transform}
 * applies and {@code StatsFile.toNormalization()} turns into a Keras {@code Normalization} layer; and one can be
 * built from a stats file ({@link #fromStats}). It saves and loads with Spark ML persistence, alone or in a
 * Pipeline ({@code path/metadata}, {@code path/data} = the stats file).
 */
public final class Norm4jScalerModel extends Model<Norm4jScalerModel>
        implements ScalerColumns, MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final ColumnParams columns;
    private final String statsJson;
    private final transient StatsFile stats;

    /** A model from fitted statistics; set the columns before transforming. */
    public Norm4jScalerModel(String uid, StatsFile stats) {
        this.uid = Objects.requireNonNull(uid, "uid must not be null");
        this.stats = Objects.requireNonNull(stats, "stats must not be null");
        this.statsJson = stats.toJson("norm4j-spark");
        columns = new ColumnParams(this);
    }

    /** A model that applies a norm4j stats file (as {@code norm4j fit} or another Spark fit wrote it). */
    public static Norm4jScalerModel fromStats(StatsFile stats) {
        return new Norm4jScalerModel(Identifiable.randomUID("norm4jScaler"), stats);
    }

    /** A model that applies the norm4j stats file at {@code file}. */
    public static Norm4jScalerModel fromStats(Path file) throws IOException {
        return fromStats(StatsFile.read(file));
    }

    @Override
    public ColumnParams columnParams() {
        return columns;
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The fitted statistics as a norm4j stats file. */
    public StatsFile stats() {
        return stats != null ? stats : SparkModels.parse(statsJson);
    }

    /** Writes the stats file (the one output policy of norm4j: atomic replace; '-' is standard output). */
    public void writeStats(Path target) throws IOException {
        stats().write(target, "norm4j-spark");
    }

    public Norm4jScalerModel setInputCol(String value) {
        set(inputCol(), value);
        return this;
    }

    public Norm4jScalerModel setInputCols(String[] value) {
        set(inputCols(), value);
        return this;
    }

    public Norm4jScalerModel setOutputCol(String value) {
        set(outputCol(), value);
        return this;
    }

    public Norm4jScalerModel setOutputCols(String[] value) {
        set(outputCols(), value);
        return this;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return SparkModels.outputSchema(schema, getInputCol(), getInputCols(), getOutputCol(), getOutputCols());
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        transformSchema(dataset.schema());
        int f = stats().features();
        SparkModels.ScalerFunction fn = new SparkModels.ScalerFunction(statsJson);
        if (getInputCol() != null) {
            String name = getInputCol();
            UserDefinedFunction udf = functions.udf((UDF1<Vector, Vector>) v -> {
                if (v == null) {
                    return null;
                }
                if (v.size() != f) {
                    throw new IllegalArgumentException("Column " + name + " has a vector of size " + v.size()
                            + ": expected " + f + " (the fitted features)");
                }
                FeatureScaler s = fn.scaler();
                double[] out = v.toArray();
                for (int j = 0; j < out.length; j++) {
                    out[j] = s.apply(j, out[j]);
                }
                return Vectors.dense(out);
            }, SQLDataTypes.VectorType());
            return dataset.withColumn(getOutputCol(), udf.apply(functions.col(SparkStats.quote(name))));
        }
        String[] in = getInputCols();
        String[] out = getOutputCols();
        if (in.length != f) {
            throw new IllegalArgumentException("inputCols = " + String.join(", ", in) + ": expected " + f
                    + " columns (the fitted features)");
        }
        Dataset<Row> result = dataset.toDF();
        for (int j = 0; j < in.length; j++) {
            int feature = j;
            UserDefinedFunction udf = functions.udf((UDF1<Double, Double>) x -> x == null ? null
                    : fn.scaler().apply(feature, x), DataTypes.DoubleType);
            Column c = functions.col(SparkStats.quote(in[j])).cast(DataTypes.DoubleType);
            result = result.withColumn(out[j], udf.apply(c));
        }
        return result;
    }

    @Override
    public Norm4jScalerModel copy(ParamMap extra) {
        Norm4jScalerModel copy = new Norm4jScalerModel(uid, stats());
        return copyValues(copy, extra).setParent(parent());
    }

    @Override
    public MLWriter write() {
        return new SparkModels.ParamsWriter(this, statsJson);
    }

    /** Spark ML persistence: {@code Norm4jScalerModel.load(path)}, and what Pipeline.load calls. */
    public static MLReader<Norm4jScalerModel> read() {
        return new MLReader<>() {
            @Override
            public Norm4jScalerModel load(String path) {
                SparkModels.Saved saved = SparkModels.read(sparkSession(), path, Norm4jScalerModel.class);
                if (saved.stats() == null) {
                    throw new IllegalArgumentException("model at " + path + " has no data (stats file): expected "
                            + path + "/data");
                }
                Norm4jScalerModel m = new Norm4jScalerModel(saved.uid(), SparkModels.parse(saved.stats()));
                SparkModels.setParams(m, saved.params());
                return m;
            }
        };
    }

    /** Loads a model saved with {@code write().save(path)}. */
    public static Norm4jScalerModel load(String path) {
        return read().load(path);
    }
}
