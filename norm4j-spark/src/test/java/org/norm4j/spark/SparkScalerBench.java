package org.norm4j.spark;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Arrays;
import java.util.Locale;
import java.util.function.Supplier;
import org.apache.spark.ml.feature.MaxAbsScalerModel;
import org.apache.spark.ml.feature.MinMaxScalerModel;
import org.apache.spark.ml.feature.RobustScalerModel;
import org.apache.spark.ml.feature.StandardScalerModel;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.norm4j.stats.io.StatsFile;

/**
 * Side by side with MLlib, run by hand (not part of {@code mvn test}): fit time of each norm4j scaler against
 * MLlib's on the same cached DataFrame (local[2]), and the accuracy of the fitted statistics against exact truth
 * (BigDecimal sums, a full sort) on offset data {@code 1e9 + N(0, 1)}, with 1 and 16 partitions.
 *
 * <pre>
 * mvn -o -q test-compile dependency:build-classpath -pl norm4j-spark -am -Dmdep.outputFile=/tmp/cp.txt \
 *     -Dmdep.includeScope=test
 * java $SPARK_OPENS -cp norm4j-spark/target/test-classes:norm4j-spark/target/classes:norm4j-nn/target/classes:\
 * norm4j-core/target/classes:$(cat /tmp/cp.txt) org.norm4j.spark.SparkScalerBench [rows] [features] [reps]
 * </pre>
 */
public final class SparkScalerBench {
    private SparkScalerBench() {
    }

    public static void main(String[] args) {
        int rows = args.length > 0 ? Integer.parseInt(args[0]) : 400_000;
        int features = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        int reps = args.length > 2 ? Integer.parseInt(args[2]) : 5;
        SparkSession spark = SparkSessions.start();
        spark.sparkContext().setLogLevel("WARN");
        java.util.Random r = new java.util.Random(7);
        double[][] cols = new double[features][rows];
        java.util.List<Row> list = new java.util.ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            double[] v = new double[features];
            for (int j = 0; j < features; j++) {
                v[j] = 1e9 + r.nextGaussian();
                cols[j][i] = v[j];
            }
            list.add(RowFactory.create(Vectors.dense(v)));
        }
        StructType schema = new StructType().add("v", SQLDataTypes.VectorType());
        Dataset<Row> df = spark.createDataFrame(list, schema).repartition(2).cache();
        df.count();

        // exact truth for feature 0
        double[] x = cols[0];
        BigDecimal s1 = BigDecimal.ZERO;
        for (double d : x) {
            s1 = s1.add(new BigDecimal(d));
        }
        MathContext mc = new MathContext(60);
        BigDecimal n = BigDecimal.valueOf(rows);
        BigDecimal mean = s1.divide(n, mc);
        BigDecimal m2 = BigDecimal.ZERO;
        for (double d : x) {
            BigDecimal e = new BigDecimal(d).subtract(mean);
            m2 = m2.add(e.multiply(e));
        }
        double trueStd = Math.sqrt(m2.divide(BigDecimal.valueOf(rows - 1), mc).doubleValue());
        double[] sorted = x.clone();
        Arrays.sort(sorted);
        double trueMedian = rows % 2 == 1 ? sorted[rows / 2] : (sorted[rows / 2 - 1] + sorted[rows / 2]) / 2;

        System.out.printf(Locale.ROOT, "rows %d, features %d (vector column), local[2], %d timed fits each "
                + "after 2 warm-up fits, median ms%n", rows, features, reps);
        System.out.println("| scaler | MLlib fit (ms) | norm4j fit (ms) | ratio |");
        System.out.println("| --- | ---: | ---: | ---: |");
        row("StandardScaler", reps,
                () -> new org.apache.spark.ml.feature.StandardScaler().setInputCol("v").setOutputCol("o")
                        .setWithMean(true).fit(df),
                () -> new StandardScaler().setConvention("spark").setInputCol("v").setOutputCol("o").fit(df));
        row("MinMaxScaler", reps,
                () -> new org.apache.spark.ml.feature.MinMaxScaler().setInputCol("v").setOutputCol("o").fit(df),
                () -> new MinMaxScaler().setInputCol("v").setOutputCol("o").fit(df));
        row("MaxAbsScaler", reps,
                () -> new org.apache.spark.ml.feature.MaxAbsScaler().setInputCol("v").setOutputCol("o").fit(df),
                () -> new MaxAbsScaler().setInputCol("v").setOutputCol("o").fit(df));
        row("RobustScaler", reps,
                () -> new org.apache.spark.ml.feature.RobustScaler().setInputCol("v").setOutputCol("o").fit(df),
                () -> new RobustScaler().setInputCol("v").setOutputCol("o").fit(df));

        System.out.printf(Locale.ROOT, "%nAccuracy on feature 0 = 1e9 + N(0,1) (exact: BigDecimal, rounded once "
                + "to double; sorted median): std (n-1) %.14g, median %.14g%n", trueStd, trueMedian);
        System.out.println("| statistic | partitions | MLlib | norm4j | exact |");
        System.out.println("| --- | ---: | ---: | ---: | ---: |");
        for (int p : new int[] {1, 2, 16}) {
            Dataset<Row> d = df.repartition(p).cache();
            d.count();
            StandardScalerModel ms = new org.apache.spark.ml.feature.StandardScaler().setInputCol("v")
                    .setOutputCol("o").fit(d);
            StatsFile ns = new StandardScaler().setConvention("spark").setInputCol("v").setOutputCol("o").fit(d)
                    .stats();
            System.out.printf(Locale.ROOT, "| std (n-1) | %d | %.14g | %.14g | %.14g |%n", p, ms.std().apply(0),
                    Math.sqrt(ns.variance()[0]), trueStd);
            System.out.printf(Locale.ROOT, "| mean - 1e9 | %d | %.10g | %.10g | %.10g |%n", p,
                    ms.mean().apply(0) - 1e9, ns.mean()[0] - 1e9, mean.doubleValue() - 1e9);
            RobustScalerModel mr = new org.apache.spark.ml.feature.RobustScaler().setInputCol("v").setOutputCol("o")
                    .setWithCentering(true).fit(d);
            StatsFile nr = new RobustScaler().setInputCol("v").setOutputCol("o").fit(d).stats();
            System.out.printf(Locale.ROOT, "| median - 1e9 | %d | %.6g | %.6g | %.6g |%n", p,
                    mr.median().apply(0) - 1e9, nr.quantiles().median()[0] - 1e9, trueMedian - 1e9);
            d.unpersist();
        }
        MinMaxScalerModel mm = new org.apache.spark.ml.feature.MinMaxScaler().setInputCol("v").setOutputCol("o")
                .fit(df);
        MaxAbsScalerModel ma = new org.apache.spark.ml.feature.MaxAbsScaler().setInputCol("v").setOutputCol("o")
                .fit(df);
        System.out.printf(Locale.ROOT, "min/max/maxabs exact in both: MLlib min %s max %s maxAbs %s; truth %s %s%n",
                mm.originalMin().apply(0), mm.originalMax().apply(0), ma.maxAbs().apply(0), sorted[0],
                sorted[rows - 1]);
        spark.stop();
    }

    private static void row(String name, int reps, Supplier<Object> mllib, Supplier<Object> norm4j) {
        long a = median(reps, mllib);
        long b = median(reps, norm4j);
        System.out.printf(Locale.ROOT, "| %s | %d | %d | %.2f |%n", name, a, b, (double) b / a);
    }

    private static long median(int reps, Supplier<Object> fit) {
        fit.get();
        fit.get();
        long[] t = new long[reps];
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            fit.get();
            t[i] = (System.nanoTime() - t0) / 1_000_000;
        }
        Arrays.sort(t);
        return t[reps / 2];
    }
}
