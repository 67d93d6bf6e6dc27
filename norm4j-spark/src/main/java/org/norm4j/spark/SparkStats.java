package org.norm4j.spark;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.norm4j.stats.ExactMoments;
import org.norm4j.stats.ExactQuantiles;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.io.StatsFile;

/**
 * The distributed fitting behind the norm4j Spark scalers: exactly rounded moments and exact quantiles of the
 * features of a DataFrame, identical bit for bit for any partitioning and row order.
 *
 * <p>Moments: each partition folds its rows into an {@link ExactMoments} (exact sums of {@code x} and
 * {@code x^2} in long accumulators, no rounding), the partial states are merged in whatever tree Spark picks
 * (merging is exact integer addition, so the tree does not matter), and the mean and variance are rounded once
 * on the driver. Quantiles: every non-missing value is brought to the driver and sorted where the values fit
 * the memory budget, or else found by exact radix selection ({@link RadixQuantiles}); either way the result is
 * independent of the partitioning.
 *
 * <p>Missing values: NaN and SQL null are both missing. They are skipped in fitting (scikit-learn's rule,
 * {@link NanPolicy#IGNORE}) or make the feature's statistics NaN ({@link NanPolicy#PROPAGATE}).
 */
public final class SparkStats {
    private SparkStats() {
    }

    /**
     * The features of a fit: one vector column, or numeric columns selected as doubles.
     *
     * @param frame the input reduced to the feature column(s), numeric columns cast to double
     * @param vector whether the single column is a vector
     * @param names the input column names
     */
    record Features(Dataset<Row> frame, boolean vector, String[] names) {
    }

    /**
     * Checks the input columns against the schema and selects them.
     *
     * @throws IllegalArgumentException naming the column: missing, not numeric (not a vector for inputCol), or
     *     both or neither of inputCol and inputCols set
     */
    static Features select(Dataset<?> df, String inputCol, String[] inputCols) {
        checkInput(df.schema(), inputCol, inputCols);
        if (inputCol != null) {
            return new Features(df.select(functions.col(quote(inputCol))), true, new String[] {inputCol});
        }
        Column[] cols = new Column[inputCols.length];
        for (int j = 0; j < cols.length; j++) {
            cols[j] = functions.col(quote(inputCols[j])).cast(DataTypes.DoubleType);
        }
        return new Features(df.select(cols), false, inputCols.clone());
    }

    /** A column name as a reference that takes dots and other characters literally. */
    static String quote(String name) {
        return "`" + name.replace("`", "``") + "`";
    }

    /** Checks inputCol (a vector column) or inputCols (numeric columns) against a schema. */
    static void checkInput(StructType schema, String inputCol, String[] inputCols) {
        if ((inputCol == null) == (inputCols == null || inputCols.length == 0)) {
            throw new IllegalArgumentException("inputCol = " + inputCol + ", inputCols = "
                    + (inputCols == null ? "null" : Arrays.toString(inputCols))
                    + ": expected exactly one of them set (a vector column, or numeric columns)");
        }
        if (inputCol != null) {
            DataType t = field(schema, inputCol).dataType();
            if (!t.equals(SQLDataTypes.VectorType())) {
                throw new IllegalArgumentException("Column " + inputCol + " must be of type vector (ml.linalg.VectorUDT)"
                        + " but was actually " + t.catalogString()
                        + " (use inputCols for numeric columns)");
            }
            return;
        }
        for (String c : inputCols) {
            DataType t = field(schema, c).dataType();
            if (!(t instanceof NumericType)) {
                throw new IllegalArgumentException("Column " + c + " must be of a numeric type but was actually "
                        + t.catalogString());
            }
        }
    }

    static StructField field(StructType schema, String name) {
        if (name == null) {
            throw new IllegalArgumentException("column name null: expected a column name");
        }
        for (StructField f : schema.fields()) {
            if (f.name().equals(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException("Column " + name + " does not exist. Available: "
                + String.join(", ", schema.fieldNames()));
    }

    /**
     * Exactly rounded moments of the features.
     *
     * @throws IllegalArgumentException naming the column for an empty DataFrame, a vector column without
     *     vectors or with vectors of different sizes
     */
    static ExactMoments moments(Features features, NanPolicy nanPolicy) {
        String name = features.names()[0];
        int f = features.vector() ? vectorSize(features) : features.names().length;
        boolean vector = features.vector();
        List<ExactMoments> parts = features.frame().javaRDD().mapPartitions((Iterator<Row> rows) -> {
            ExactMoments m = new ExactMoments(f, nanPolicy);
            while (rows.hasNext()) {
                Row r = rows.next();
                if (vector) {
                    if (r.isNullAt(0)) {
                        continue;
                    }
                    Vector v = (Vector) r.get(0);
                    if (v.size() != f) {
                        throw new IllegalArgumentException("Column " + name + " has vectors of size " + v.size()
                                + " and " + f + ": expected one size");
                    }
                    double[] a = v.toArray(); // a dense vector's own values, no copy
                    for (int j = 0; j < f; j++) {
                        m.add(j, a[j]);
                    }
                } else {
                    for (int j = 0; j < f; j++) {
                        m.add(j, r.isNullAt(j) ? Double.NaN : r.getDouble(j));
                    }
                }
            }
            return Collections.singletonList(m).iterator();
        }).collect();
        ExactMoments total = new ExactMoments(f, nanPolicy);
        for (ExactMoments p : parts) {
            total.merge(p);
        }
        long[] counts = total.counts();
        for (int j = 0; j < f; j++) {
            if (counts[j] == 0 && !total.sawNaN(j)) {
                throw new IllegalArgumentException("Column " + (features.vector() ? name + " (feature " + j + ")"
                        : features.names()[j]) + " has no rows: expected a non-empty DataFrame to fit on");
            }
        }
        return total;
    }

    private static int vectorSize(Features features) {
        Dataset<Row> nonNull = features.frame().where(functions.col(quote(features.names()[0])).isNotNull());
        List<Row> first = nonNull.limit(1).collectAsList();
        if (first.isEmpty()) {
            throw new IllegalArgumentException("Column " + features.names()[0] + " has no rows: expected a "
                    + "non-empty DataFrame to fit on");
        }
        return ((Vector) first.get(0).get(0)).size();
    }

    /**
     * Exact median and {@code lo}-th / {@code hi}-th percentiles of the features (NumPy's linear interpolation
     * over the sorted values). Where all non-missing values fit in {@code budgetBytes} at 8 bytes each they are
     * collected and sorted ({@link ExactQuantiles}); otherwise {@link RadixQuantiles} selects the needed order
     * statistics exactly in 4 more passes. Both give the same bits, for any partitioning.
     */
    static StatsFile.Quantiles quantiles(Features features, ExactMoments moments, NanPolicy nanPolicy,
            long budgetBytes, double lo, double hi) {
        int f = moments.features();
        long[] counts = moments.counts();
        long values = 0;
        for (long c : counts) {
            values += c;
        }
        if (values > budgetBytes / 8) {
            boolean[] nan = new boolean[f];
            for (int j = 0; j < f; j++) {
                nan[j] = moments.sawNaN(j);
            }
            double[][] q = RadixQuantiles.quantiles(features, f, counts, nan, nanPolicy, lo, hi);
            return new StatsFile.Quantiles(q[0], q[1], q[2]);
        }
        ExactQuantiles q = collect(features, f, nanPolicy);
        return new StatsFile.Quantiles(q.median(), q.percentile(lo), q.percentile(hi));
    }

    private static ExactQuantiles collect(Features features, int f, NanPolicy nanPolicy) {
        boolean vector = features.vector();
        List<double[]> parts = features.frame().javaRDD().mapPartitions((Iterator<Row> rows) -> {
            List<Double> buf = new ArrayList<>();
            while (rows.hasNext()) {
                Row r = rows.next();
                if (vector && r.isNullAt(0)) {
                    continue;
                }
                for (int j = 0; j < f; j++) {
                    buf.add(vector ? ((Vector) r.get(0)).apply(j) : r.isNullAt(j) ? Double.NaN : r.getDouble(j));
                }
            }
            double[] a = new double[buf.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = buf.get(i);
            }
            return Collections.singletonList(a).iterator();
        }).collect();
        ExactQuantiles q = new ExactQuantiles(f, nanPolicy);
        for (double[] p : parts) {
            q.update(p, p.length / f);
        }
        return q;
    }
}
