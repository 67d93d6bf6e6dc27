package org.norm4j.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.ServiceLoader;
import java.util.Set;
import org.apache.spark.ml.Estimator;
import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.stats.ExactMoments;
import org.norm4j.stats.ExactQuantiles;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.StreamingMoments;
import org.norm4j.stats.io.StatsFile;

/** The norm4j Spark scalers on one shared local[2] session. */
class SparkScalersTest {
    private static final int ROWS = 20_000;
    private static SparkSession spark;
    /** Column a: 1e9 + N(0,1) with some NaN; column b: N(5, 3) as integers-ish doubles; v: [a, b] as a vector. */
    private static double[][] values;
    private static Dataset<Row> data;

    @BeforeAll
    static void start() {
        spark = SparkSessions.start();
        Random r = new Random(42);
        values = new double[ROWS][2];
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < ROWS; i++) {
            double a = i % 101 == 0 ? Double.NaN : 1e9 + r.nextGaussian();
            double b = Math.rint(5 + 3 * r.nextGaussian());
            values[i][0] = a;
            values[i][1] = b;
            rows.add(RowFactory.create(i, a, b, Vectors.dense(a, b)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType).add("a", DataTypes.DoubleType)
                .add("b", DataTypes.DoubleType).add("v", SQLDataTypes.VectorType());
        data = spark.createDataFrame(rows, schema).cache();
        data.count();
    }

    @AfterAll
    static void stop() {
        if (spark != null) {
            spark.stop();
        }
    }

    private static double[] flat() {
        double[] d = new double[ROWS * 2];
        for (int i = 0; i < ROWS; i++) {
            d[2 * i] = values[i][0];
            d[2 * i + 1] = values[i][1];
        }
        return d;
    }

    /** The same rows in a different partitioning and order. */
    private static Dataset<Row> layout(int partitions, long seed) {
        Dataset<Row> d = seed < 0 ? data.repartition(partitions)
                : data.orderBy(functions.rand(seed)).repartition(partitions);
        return d;
    }

    private static long[] bits(double[] a) {
        long[] b = new long[a.length];
        for (int i = 0; i < a.length; i++) {
            b[i] = Double.doubleToRawLongBits(a[i]);
        }
        return b;
    }

    @Test
    void statisticsAreBitIdenticalOverPartitionsAndRowOrdersAndEqualTheSingleMachineOnes() {
        ExactMoments single = new ExactMoments(2, NanPolicy.IGNORE).update(flat(), ROWS);
        StandardScaler scaler = new StandardScaler().setInputCols(new String[] {"a", "b"})
                .setOutputCols(new String[] {"a_s", "b_s"});
        StandardScaler vectorScaler = new StandardScaler().setInputCol("v").setOutputCol("v_s");
        int[][] layouts = {{1, -1}, {2, -1}, {7, -1}, {16, -1}, {7, 3}, {16, 8}};
        for (int[] l : layouts) {
            StatsFile s = scaler.fit(layout(l[0], l[1])).stats();
            StatsFile v = l[0] % 2 == 0 ? vectorScaler.fit(layout(l[0], l[1])).stats() : s;
            String where = l[0] + " partitions, order seed " + l[1];
            assertArrayEquals(bits(single.mean()), bits(s.mean()), "mean, " + where);
            assertArrayEquals(bits(single.m2()), bits(s.moments().m2()), "M2, " + where);
            assertArrayEquals(single.counts(), s.moments().counts(), "counts, " + where);
            assertArrayEquals(bits(single.min()), bits(s.min()), "min, " + where);
            assertArrayEquals(bits(single.max()), bits(s.max()), "max, " + where);
            assertArrayEquals(bits(s.mean()), bits(v.mean()), "vector column = numeric columns, " + where);
            assertArrayEquals(bits(s.variance()), bits(v.variance()), "vector column variance, " + where);
        }
        // the same bits as Normalization.adapt on one machine (in batches of 3 000 rows: any split)
        org.norm4j.layers.Normalization layer = org.norm4j.layers.Normalization.builder().nanPolicy(NanPolicy.IGNORE)
                .build();
        double[] all = flat();
        List<org.norm4j.Tensor> batches = new ArrayList<>();
        for (int r = 0; r < ROWS; r += 3000) {
            int n = Math.min(3000, ROWS - r);
            batches.add(org.norm4j.Tensor.of(java.util.Arrays.copyOfRange(all, r * 2, (r + n) * 2), n, 2));
        }
        layer.adapt(batches);
        StatsFile fitted = scaler.fit(data).stats();
        assertArrayEquals(bits(layer.adaptedMoments().mean()), bits(fitted.mean()), "mean vs Normalization.adapt");
        assertArrayEquals(bits(layer.adaptedMoments().m2()), bits(fitted.moments().m2()), "M2 vs adapt");
        // and within float64 rounding of norm4j's streaming (Chan) moments, used to merge stats files
        StreamingMoments chan = new StreamingMoments(2, NanPolicy.IGNORE);
        chan.update(flat(), ROWS);
        StatsFile s = scaler.fit(data).stats();
        for (int j = 0; j < 2; j++) {
            assertEquals(chan.mean()[j], s.mean()[j], 1e-13 * Math.abs(s.mean()[j]), "mean vs streaming");
            assertEquals(chan.variance(0)[j], s.variance()[j], 1e-9 * s.variance()[j], "variance vs streaming");
        }
        assertEquals(ROWS - (ROWS + 100) / 101, s.moments().counts()[0], "NaN ignored in fit");
    }

    @Test
    void robustQuantilesAreExactAndPartitionIndependent() {
        ExactQuantiles single = new ExactQuantiles(2, NanPolicy.IGNORE).update(flat(), ROWS);
        RobustScaler robust = new RobustScaler().setInputCols(new String[] {"a", "b"})
                .setOutputCols(new String[] {"a_r", "b_r"});
        for (int p : new int[] {1, 2, 7, 16}) {
            StatsFile.Quantiles q = robust.fit(layout(p, p)).stats().quantiles();
            assertArrayEquals(bits(single.median()), bits(q.median()), "median, " + p + " partitions");
            assertArrayEquals(bits(single.percentile(25)), bits(q.low()), "q25, " + p + " partitions");
            assertArrayEquals(bits(single.percentile(75)), bits(q.high()), "q75, " + p + " partitions");
        }
        // over the memory budget: exact radix selection, the same bits
        for (int p : new int[] {7}) {
            RobustScaler small = robust.copy(new org.apache.spark.ml.param.ParamMap()).setMemoryBudget(1000)
                    .setLower(0.1).setUpper(0.9);
            StatsFile.Quantiles q = small.fit(layout(p, p)).stats().quantiles();
            assertArrayEquals(bits(single.median()), bits(q.median()), "radix median, " + p + " partitions");
            assertArrayEquals(bits(single.percentile(10)), bits(q.low()), "radix q10, " + p + " partitions");
            assertArrayEquals(bits(single.percentile(90)), bits(q.high()), "radix q90, " + p + " partitions");
        }
    }

    @Test
    void transformMatchesHandComputedValuesKeepsNaNAndNull() {
        List<Row> rows = List.of(RowFactory.create(1.0, 10), RowFactory.create(2.0, 10),
                RowFactory.create(3.0, 10), RowFactory.create(6.0, null), RowFactory.create(Double.NaN, 10));
        StructType schema = new StructType().add("x", DataTypes.DoubleType).add("c", DataTypes.IntegerType);
        Dataset<Row> df = spark.createDataFrame(rows, schema).repartition(3);
        // x: mean 3, population variance (4 + 1 + 0 + 9) / 4 = 3.5; c: constant 10
        List<Row> out = new StandardScaler().setInputCols(new String[] {"x", "c"})
                .setOutputCols(new String[] {"xs", "cs"}).fit(df).transform(df).orderBy("x").collectAsList();
        assertEquals((1 - 3) / Math.sqrt(3.5), out.get(0).getDouble(2), 0.0);
        assertEquals((6 - 3) / Math.sqrt(3.5), out.get(3).getDouble(2), 0.0);
        assertTrue(Double.isNaN(out.get(4).getDouble(2)), "NaN kept in transform");
        assertEquals(0.0, out.get(0).getDouble(3), 0.0, "constant feature, sklearn: (10 - 10) / 1");
        assertTrue(out.get(3).isNullAt(3), "null kept in transform");
        // spark convention: sample std (ddof 1), no centering by default, constant feature multiplied by 0
        List<Row> sp = new StandardScaler().setConvention("spark").setInputCols(new String[] {"x", "c"})
                .setOutputCols(new String[] {"xs", "cs"}).fit(df).transform(df).orderBy("x").collectAsList();
        assertEquals(1 / Math.sqrt(14.0 / 3), sp.get(0).getDouble(2), 0.0);
        assertEquals(0.0, sp.get(0).getDouble(3), 0.0);
        // min-max to [0, 1]: (x - 1) / 5; max-abs: x / 6; robust: (x - 2.5) / (3.75 - 1.75)
        List<Row> mm = new MinMaxScaler().setInputCols(new String[] {"x"}).setOutputCols(new String[] {"xm"})
                .fit(df).transform(df).orderBy("x").collectAsList();
        assertEquals(0.4, mm.get(2).getDouble(2), 1e-15);
        List<Row> ma = new MaxAbsScaler().setInputCols(new String[] {"x"}).setOutputCols(new String[] {"xa"})
                .fit(df).transform(df).orderBy("x").collectAsList();
        assertEquals(0.5, ma.get(2).getDouble(2), 0.0);
        List<Row> ro = new RobustScaler().setInputCols(new String[] {"x"}).setOutputCols(new String[] {"xr"})
                .fit(df).transform(df).orderBy("x").collectAsList();
        assertEquals((3 - 2.5) / 2.0, ro.get(2).getDouble(2), 0.0);
    }

    @Test
    void pipelinesSaveAndLoad(@TempDir Path dir) throws Exception {
        StandardScaler std = new StandardScaler().setInputCol("v").setOutputCol("v_std").setDdof(1);
        RobustScaler robust = new RobustScaler().setInputCols(new String[] {"a", "b"})
                .setOutputCols(new String[] {"a_r", "b_r"}).setLower(0.1).setUpper(0.9);
        MinMaxScaler minMax = new MinMaxScaler().setInputCol("v").setOutputCol("v_mm").setMin(-1);
        MaxAbsScaler maxAbs = new MaxAbsScaler().setInputCols(new String[] {"b"}).setOutputCols(new String[] {"b_a"});
        Pipeline pipeline = new Pipeline().setStages(new PipelineStage[] {std, robust, minMax, maxAbs});
        String pPath = dir.resolve("pipeline").toString();
        pipeline.write().overwrite().save(pPath);
        Pipeline loaded = Pipeline.load(pPath);
        StandardScaler std2 = (StandardScaler) loaded.getStages()[0];
        assertEquals(std.uid(), std2.uid());
        assertEquals(1, std2.getDdof());
        assertEquals(0.1, ((RobustScaler) loaded.getStages()[1]).getLower(), 0.0);
        assertEquals(-1.0, ((MinMaxScaler) loaded.getStages()[2]).getMin(), 0.0);

        Dataset<Row> small = data.limit(2000).cache();
        PipelineModel model = loaded.fit(small);
        String mPath = dir.resolve("model").toString();
        model.write().overwrite().save(mPath);
        PipelineModel back = PipelineModel.load(mPath);
        List<Row> a = model.transform(small).orderBy("id").collectAsList();
        List<Row> b = back.transform(small).orderBy("id").collectAsList();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            for (String c : new String[] {"v_std", "v_mm"}) {
                Vector x = a.get(i).getAs(c);
                Vector y = b.get(i).getAs(c);
                assertArrayEquals(bits(x.toArray()), bits(y.toArray()), c + " row " + i);
            }
            for (String c : new String[] {"a_r", "b_r", "b_a"}) {
                assertEquals(Double.doubleToRawLongBits(a.get(i).<Double>getAs(c)),
                        Double.doubleToRawLongBits(b.get(i).<Double>getAs(c)), c + " row " + i);
            }
        }
        Norm4jScalerModel m0 = (Norm4jScalerModel) back.stages()[0];
        assertEquals("v", m0.getInputCol());
        assertEquals(1, m0.stats().ddof());
    }

    @Test
    void statsFileExportsAndBuildsAModel(@TempDir Path dir) throws Exception {
        Norm4jScalerModel m = new StandardScaler().setInputCols(new String[] {"a", "b"})
                .setOutputCols(new String[] {"a_s", "b_s"}).fit(data);
        Path file = dir.resolve("stats.json");
        m.writeStats(file);
        assertTrue(Files.readString(file).contains("\"method\" : \"standard\""), "a norm4j stats file");
        StatsFile read = StatsFile.read(file);
        assertArrayEquals(bits(m.stats().mean()), bits(read.mean()));
        assertArrayEquals(bits(m.stats().variance()), bits(read.variance()));
        Norm4jScalerModel fromFile = Norm4jScalerModel.fromStats(file).setInputCols(new String[] {"a", "b"})
                .setOutputCols(new String[] {"a_s", "b_s"});
        List<Row> x = m.transform(data.limit(50)).orderBy("id").collectAsList();
        List<Row> y = fromFile.transform(data.limit(50)).orderBy("id").collectAsList();
        for (int i = 0; i < x.size(); i++) {
            assertEquals(Double.doubleToRawLongBits(x.get(i).<Double>getAs("b_s")),
                    Double.doubleToRawLongBits(y.get(i).<Double>getAs("b_s")));
        }
        // the Keras layer gets the same mean and variance
        assertArrayEquals(bits(m.stats().mean()), bits(read.toNormalization().adaptedMoments().mean()));
    }

    @Test
    void badInputNamesTheColumn() {
        Dataset<Row> strings = spark.createDataFrame(List.of(RowFactory.create("x", 1.0)),
                new StructType().add("s", DataTypes.StringType).add("d", DataTypes.DoubleType));
        assertMessage("Column nope does not exist", () -> new StandardScaler()
                .setInputCols(new String[] {"nope"}).setOutputCols(new String[] {"o"}).fit(data));
        assertMessage("Column s must be of a numeric type", () -> new MinMaxScaler()
                .setInputCols(new String[] {"d", "s"}).setOutputCols(new String[] {"o1", "o2"}).fit(strings));
        assertMessage("Column d must be of type vector", () -> new MaxAbsScaler().setInputCol("d")
                .setOutputCol("o").fit(strings));
        assertMessage("Column a has no rows", () -> new StandardScaler().setInputCols(new String[] {"a"})
                .setOutputCols(new String[] {"o"}).fit(data.limit(0)));
        assertMessage("Column v has no rows", () -> new RobustScaler().setInputCol("v").setOutputCol("o")
                .fit(data.limit(0)));
        assertMessage("Output column a already exists", () -> new StandardScaler()
                .setInputCols(new String[] {"b"}).setOutputCols(new String[] {"a"}).fit(data));
        assertMessage("expected exactly one of them", () -> new StandardScaler().fit(data));
        // NaN policies: ignore skips NaN, propagate makes the feature's statistics NaN
        StatsFile ignore = new StandardScaler().setInputCols(new String[] {"a"}).setOutputCols(new String[] {"o"})
                .fit(data).stats();
        StatsFile propagate = new StandardScaler().setNanPolicy("propagate").setInputCols(new String[] {"a"})
                .setOutputCols(new String[] {"o"}).fit(data).stats();
        assertTrue(Math.abs(ignore.mean()[0] - 1e9) < 1, "ignore: mean of the values");
        assertTrue(Double.isNaN(propagate.mean()[0]), "propagate: NaN mean");
        assertThrows(IllegalArgumentException.class, () -> new StandardScaler().setNanPolicy("drop"));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable run) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, run);
        assertTrue(e.getMessage().contains(expected), "message '" + e.getMessage() + "' should contain '"
                + expected + "'");
    }

    @Test
    void connectMlFindsTheEstimatorsThroughServiceLoader() {
        Set<String> found = new HashSet<>();
        for (Estimator<?> e : ServiceLoader.load(Estimator.class)) {
            found.add(e.getClass().getName());
        }
        for (String c : new String[] {"StandardScaler", "MinMaxScaler", "MaxAbsScaler", "RobustScaler"}) {
            assertTrue(found.contains("org.norm4j.spark." + c), c + " registered: " + found);
        }
        assertNull(new StandardScaler().getInputCol());
    }
}
