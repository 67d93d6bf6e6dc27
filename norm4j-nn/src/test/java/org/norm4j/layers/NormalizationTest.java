package org.norm4j.layers;

import org.norm4j.stats.ZeroVariancePolicy;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.io.ModelIO;
import org.norm4j.models.Sequential;
import org.norm4j.stats.StreamingMoments;

/** The preprocessing Normalization layer: contract, Keras's vectors, adapt, broadcasting, policies, errors. */
class NormalizationTest {
    private static final DType F32 = DType.FLOAT32;

    // ---- contract ------------------------------------------------------------------------------------

    @Test
    void contractAdaptModeHasThreeNonTrainableWeights() {
        LayerContract.check(() -> new Normalization(), new int[] {5}, new int[] {5}, 0, 3);
        LayerContract.check(() -> new Normalization(1, 2), new int[] {4, 3}, new int[] {4, 3}, 0, 3);
        LayerContract.check(() -> new Normalization(new int[0]), new int[] {4, 3}, new int[] {4, 3}, 0, 3);
    }

    @Test
    void contractAdaptedLayerKeepsItsStatisticsThroughSaveLoad() {
        Tensor data = Tensor.randomNormal(F32, 3, 4, 5, 50, 5);
        LayerContract.check(() -> {
            Normalization n = Normalization.builder().zeroVariancePolicy(ZeroVariancePolicy.SKLEARN).ddof(1).build();
            return n.adapt(data);
        }, new int[] {5}, new int[] {5}, 0, 3);
    }

    @Test
    void contractExplicitStatisticsHaveNoWeights() {
        LayerContract.check(() -> Normalization.builder().mean(new double[] {1, 2, 3, 4, 5})
                .variance(new double[] {1, 4, 9, 0, 0.25}).build(), new int[] {5}, new int[] {5}, 0, 0);
        LayerContract.check(() -> Normalization.builder().mean(0.5).variance(4).invert(true).build(),
                new int[] {2, 3}, new int[] {2, 3}, 0, 0);
    }

    // ---- Keras's docstring vectors -------------------------------------------------------------------

    @Test
    void kerasDocstringAdaptAxisNone() {
        Normalization n = Normalization.builder().axis().build();
        n.adapt(Tensor.of(new float[] {1, 2, 3, 4, 5}));
        Tensor y = n.apply(Tensor.of(new float[] {1, 2, 3}));
        assertArrayEquals(new float[] {-1.4142135f, -0.70710677f, 0f}, y.toFloatArray());
        assertEquals(0, n.meanTensor().rank());
        assertEquals(3.0, n.meanTensor().item());
        assertEquals(2.0, n.varianceTensor().item());
    }

    @Test
    void kerasDocstringAdaptLastAxis() {
        Normalization n = new Normalization();
        n.adapt(adaptData());
        Tensor y = n.apply(Tensor.of(new float[][] {{0, 7, 4}}));
        assertArrayEquals(new float[] {-1, -1, -1}, y.toFloatArray());
        assertArrayEquals(new int[] {1, 3}, y.shape().dims());
        assertArrayEquals(new float[] {1, 8, 5}, n.meanTensor().toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, n.varianceTensor().toFloatArray());
        assertEquals(4.0, n.weights().get(2).value().item(), "count");
    }

    @Test
    void kerasDocstringExplicitMeanAndVariance() {
        Normalization n = Normalization.builder().mean(3).variance(2).build();
        Tensor y = n.apply(Tensor.of(new float[] {1, 2, 3}, 3, 1));
        assertArrayEquals(new float[] {-1.4142135f, -0.70710677f, 0f}, y.toFloatArray());
        assertTrue(n.weights().isEmpty());
    }

    @Test
    void kerasDocstringInvert() {
        Normalization n = Normalization.builder().invert(true).build();
        n.adapt(adaptData());
        assertArrayEquals(new float[] {2, 10, 8}, n.apply(Tensor.of(new float[][] {{1, 2, 3}})).toFloatArray());
        // and inverting undoes normalizing
        Normalization fwd = new Normalization().adapt(adaptData());
        Tensor x = Tensor.of(new float[][] {{0.5f, 7.25f, 3}});
        assertArrayEquals(x.toFloatArray(), n.apply(fwd.apply(x)).toFloatArray(), 1e-6f);
    }

    private static Tensor adaptData() {
        return Tensor.of(new float[][] {{0, 7, 4}, {2, 9, 6}, {0, 7, 4}, {2, 9, 6}});
    }

    // ---- adapt ----------------------------------------------------------------------------------------

    @Test
    void streamOfOddBatchesEqualsWholeTensor() {
        Tensor whole = Tensor.randomNormal(DType.FLOAT64, 1e4, 3, 11, 1000, 7);
        int[] sizes = {1, 7, 0, 13, 250, 3, 499, 227};
        List<Tensor> batches = new ArrayList<>();
        int start = 0;
        for (int s : sizes) {
            batches.add(whole.slice(start, start + s));
            start += s;
        }
        assertEquals(1000, start);
        Normalization a = new Normalization().adapt(whole);
        Normalization b = new Normalization().adapt(batches);
        StreamingMoments ma = a.adaptedMoments();
        StreamingMoments mb = b.adaptedMoments();
        assertEquals(1000, mb.count());
        double[] ref = twoPass(whole.toDoubleArray(), 1000, 7);
        for (int j = 0; j < 7; j++) {
            assertEquals(ref[j], mb.mean()[j], 1e-12 * Math.abs(ref[j]), "mean " + j);
            assertEquals(ma.mean()[j], mb.mean()[j], 1e-12 * Math.abs(ref[j]), "mean " + j);
            assertEquals(ref[7 + j], mb.variance(0)[j], 1e-12 * ref[7 + j], "variance " + j);
            assertEquals(ma.variance(0)[j], mb.variance(0)[j], 1e-12 * ref[7 + j], "variance " + j);
        }
        assertArrayEquals(a.meanTensor().toFloatArray(), b.meanTensor().toFloatArray());
        assertArrayEquals(a.varianceTensor().toFloatArray(), b.varianceTensor().toFloatArray(), 1e-6f);
        assertEquals(1000.0, b.weights().get(2).value().item());
    }

    @Test
    void lazyIteratorOfRandomSizedBatches() {
        // batches generated on demand, never all in memory; the same seed regenerates them for the reference
        Normalization n = new Normalization(1, 2).adapt(generator(5));
        StreamingMoments ref = new StreamingMoments(12);
        for (Iterator<Tensor> it = generator(5); it.hasNext(); ) {
            ref.update(it.next().reshape(-1, 12));
        }
        StreamingMoments got = n.adaptedMoments();
        assertEquals(ref.count(), got.count());
        for (int j = 0; j < 12; j++) {
            assertEquals(ref.mean()[j], got.mean()[j], 1e-12 * Math.abs(ref.mean()[j]));
            assertEquals(ref.variance(0)[j], got.variance(0)[j], 1e-12 * ref.variance(0)[j]);
        }
    }

    private static Iterator<Tensor> generator(long seed) {
        Random rnd = new Random(seed);
        return new Iterator<>() {
            private int left = 60;

            @Override
            public boolean hasNext() {
                return left > 0;
            }

            @Override
            public Tensor next() {
                if (left-- <= 0) {
                    throw new NoSuchElementException();
                }
                return Tensor.randomNormal(F32, 50, 2, rnd.nextLong(), 1 + rnd.nextInt(40), 4, 3);
            }
        };
    }

    @Test
    void axisOneTwoOnRank4GivesZeroMeanUnitVariance() {
        Tensor x = Tensor.randomNormal(F32, 5, 10, 3, 32, 4, 3, 5);
        Normalization n = new Normalization(1, 2).adapt(x);
        assertArrayEquals(new int[] {4, 3}, n.meanTensor().shape().dims());
        Tensor y = n.apply(x);
        Tensor m = y.mean(0, 3);
        Tensor v = y.variance(0, 3);
        for (int i = 0; i < 12; i++) {
            assertEquals(0, m.toFloatArray()[i], 1e-5);
            assertEquals(1, v.toFloatArray()[i], 1e-5);
        }
        // iterable of batches of 8 gives the same result (Keras checks atol 1e-5)
        List<Tensor> parts = new ArrayList<>();
        for (int s = 0; s < 32; s += 8) {
            parts.add(x.slice(s, s + 8));
        }
        assertArrayEquals(y.toFloatArray(), new Normalization(1, 2).adapt(parts).apply(x).toFloatArray(), 1e-5f);
        // axis None: one global mean and variance
        Tensor g = Normalization.builder().axis().build().adapt(x).apply(x);
        assertEquals(0, g.mean().item(), 1e-5);
        assertEquals(1, g.variance().item(), 1e-5);
    }

    @Test
    void adaptReplacesEarlierStatistics() {
        Normalization n = new Normalization();
        n.adapt(Tensor.of(new float[][] {{100, -3}, {102, 5}}));
        n.adapt(Tensor.of(new float[][] {{1, 2}, {3, 4}}));
        assertArrayEquals(new float[] {2, 3}, n.meanTensor().toFloatArray());
        assertArrayEquals(new float[] {1, 1}, n.varianceTensor().toFloatArray());
    }

    @Test
    void ddofOneGivesTheSampleVariance() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4}, 4, 1);
        assertEquals(1.25f, new Normalization().adapt(x).varianceTensor().toFloatArray()[0]);
        Normalization s = Normalization.builder().ddof(1).build().adapt(x);
        assertEquals((float) (5.0 / 3), s.varianceTensor().toFloatArray()[0]);
        assertEquals((float) ((4 - 2.5) / Math.sqrt(5.0 / 3)), s.apply(Tensor.of(new float[] {4}, 1, 1)).item(),
                1e-6);
        // one row: the sample variance is undefined, but the feature is constant, so it is stored as 0
        Normalization one = Normalization.builder().ddof(1).build().adapt(Tensor.of(new float[] {7}, 1, 1));
        assertEquals(0f, one.varianceTensor().toFloatArray()[0]);
    }

    @Test
    void constantFeatureGetsItsExactValueAndZeroVariance() {
        float c = 0.1f;
        float[] d = new float[3 * 1001];
        for (int i = 0; i < 1001; i++) {
            d[3 * i] = c;
            d[3 * i + 1] = i;
            d[3 * i + 2] = -c;
        }
        Normalization n = new Normalization().adapt(Tensor.of(d, 1001, 3));
        assertEquals(c, n.meanTensor().toFloatArray()[0]);
        assertEquals(0f, n.varianceTensor().toFloatArray()[0]);
        assertEquals(0f, n.varianceTensor().toFloatArray()[2]);
        assertArrayEquals(new float[] {0, 0}, new float[] {n.apply(Tensor.of(new float[][] {{c, 5, -c}}))
                .toFloatArray()[0], n.apply(Tensor.of(new float[][] {{c, 5, -c}})).toFloatArray()[2]});
    }

    // ---- broadcasting of explicit statistics (Keras 3 rules) -----------------------------------------

    @Test
    void explicitStatisticsBroadcastOntoTheKeptAxes() {
        Tensor x = Tensor.randomNormal(F32, 0, 1, 3, 2, 4, 5, 3);
        double[] mean5 = {1, 2, 3, 4, 5};
        double[] var5 = {1, 4, 9, 16, 25};
        // axis 2 with a (5,) mean: mean broadcast as (1, 1, 5, 1)
        Tensor a = Normalization.builder().axis(2).mean(mean5).variance(var5).build().apply(x);
        // axis (1, 2) with a (5,) mean aligns it with axis 2, the rightmost kept axis
        Normalization n12 = Normalization.builder().axis(1, 2).mean(mean5).variance(var5).build();
        Tensor b = n12.apply(x);
        assertArrayEquals(new int[] {4, 5}, n12.meanTensor().shape().dims());
        float[] xs = x.toFloatArray();
        float[] ya = a.toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            int k = (i / 3) % 5;
            float expect = (xs[i] - (float) mean5[k]) / (float) Math.sqrt(var5[k]);
            assertEquals(expect, ya[i], "element " + i);
        }
        assertArrayEquals(ya, b.toFloatArray());
        // a scalar on (3, 7) applies to all 7 features
        Normalization s = Normalization.builder().mean(5).variance(4).build();
        s.apply(Tensor.zeros(F32, 3, 7));
        assertArrayEquals(new int[] {7}, s.meanTensor().shape().dims());
        assertEquals(5f, s.meanTensor().toFloatArray()[6]);
        // a (4, 1) mean broadcasts over axis 2 of the kept (4, 5)
        Tensor m41 = Tensor.of(new double[] {1, 2, 3, 4}, 4, 1);
        Normalization c = Normalization.builder().axis(1, 2).mean(m41).variance(Tensor.ones(DType.FLOAT64, 4, 1))
                .build();
        c.apply(x);
        assertEquals(3f, c.meanTensor().getFloat(2, 4));
    }

    // ---- zero-variance policies -----------------------------------------------------------------------

    @Test
    void zeroVariancePolicies() {
        Tensor data = Tensor.of(new float[][] {{1, 3}, {3, 3}, {5, 3}});
        Tensor x = Tensor.of(new float[][] {{3, 5}, {3, 1}, {3, 3}});
        float[] keras = adapted(ZeroVariancePolicy.KERAS, false, data).apply(x).toFloatArray();
        assertArrayEquals(new float[] {0, 2f / 1e-7f, 0, -2f / 1e-7f, 0, 0}, keras);
        float[] sk = adapted(ZeroVariancePolicy.SKLEARN, false, data).apply(x).toFloatArray();
        assertArrayEquals(new float[] {0, 2, 0, -2, 0, 0}, sk);
        float[] spark = adapted(ZeroVariancePolicy.SPARK, false, data).apply(x).toFloatArray();
        assertArrayEquals(new float[] {0, 0, 0, -0f, 0, 0}, spark);
        assertEquals(Float.floatToIntBits(-0f), Float.floatToIntBits(spark[3]), "signed like (x - mean) * 0");
        // non-constant features are untouched by the policy
        assertEquals(keras[0], sk[0]);
        Tensor z = Tensor.of(new float[][] {{2, 10}});
        float std = (float) Math.sqrt(8.0 / 3);
        assertArrayEquals(new float[] {3 + 2 * std, 3 + 10 * 1e-7f},
                adapted(ZeroVariancePolicy.KERAS, true, data).apply(z).toFloatArray());
        assertArrayEquals(new float[] {3 + 2 * std, 13}, adapted(ZeroVariancePolicy.SKLEARN, true, data).apply(z)
                .toFloatArray());
        assertArrayEquals(new float[] {3 + 2 * std, 3}, adapted(ZeroVariancePolicy.SPARK, true, data).apply(z)
                .toFloatArray());
        // the policy also applies to an explicit zero variance
        Normalization e = Normalization.builder().mean(new double[] {0, 3}).variance(new double[] {1, 0})
                .zeroVariancePolicy(ZeroVariancePolicy.SPARK).build();
        assertArrayEquals(new float[] {3, 0}, e.apply(Tensor.of(new float[][] {{3, 9}})).toFloatArray());
    }

    private static Normalization adapted(ZeroVariancePolicy p, boolean invert, Tensor data) {
        return Normalization.builder().zeroVariancePolicy(p).invert(invert).build().adapt(data);
    }

    @Test
    void zeroVarianceWarningNamesTheFeatures() {
        List<LogRecord> records = new ArrayList<>();
        Logger log = Logger.getLogger(Normalization.class.getName());
        Handler h = new Handler() {
            @Override
            public void publish(LogRecord r) {
                records.add(r);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        log.addHandler(h);
        try {
            Normalization named = new Normalization();
            named.name("feat");
            named.adapt(Tensor.of(new float[][] {{1, 3, 2, 0}, {2, 3, 4, 0}}));
            assertEquals(1, records.size());
            assertEquals(Level.WARNING, records.get(0).getLevel());
            String msg = records.get(0).getMessage();
            assertTrue(msg.contains("'feat'") && msg.contains("2 of 4") && msg.contains("indices 1, 3")
                    && msg.contains("keras"), msg);
            records.clear();
            float[] d = new float[2 * 12];
            for (int i = 0; i < d.length; i++) {
                d[i] = i % 12 == 5 ? 7 : i;
            }
            Normalization.builder().axis(1, 2).zeroVariancePolicy(ZeroVariancePolicy.SPARK).build()
                    .adapt(Tensor.of(d, 2, 4, 3));
            msg = records.get(0).getMessage();
            assertTrue(msg.contains("index (1, 2)") && msg.contains("spark"), msg);
            records.clear();
            new Normalization().adapt(Tensor.of(new float[][] {{1, 3}, {2, 4}}));
            assertTrue(records.isEmpty(), "no warning without zero variance");
        } finally {
            log.removeHandler(h);
        }
    }

    // ---- config, save/load, gradient ---------------------------------------------------------------------

    @Test
    void configHasKerasKeysAndRoundTrips() {
        Normalization n = Normalization.builder().axis(1, -1).mean(Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3))
                .variance(Tensor.ones(DType.FLOAT64, 2, 3)).invert(true).zeroVariancePolicy(ZeroVariancePolicy.SPARK)
                .ddof(1).build();
        Map<String, Object> c = n.getConfig();
        assertEquals(List.of(1, -1), c.get("axis"));
        assertEquals(List.of(List.of(1.0, 2.0, 3.0), List.of(4.0, 5.0, 6.0)), c.get("mean"));
        assertEquals(true, c.get("invert"));
        assertEquals("spark", c.get("zero_variance_policy"));
        assertEquals(1, c.get("ddof"));
        Normalization back = (Normalization) LayerConfigs.fromConfig("Normalization", c);
        assertEquals(c, back.getConfig());
        Map<String, Object> none = Normalization.builder().axis().build().getConfig();
        assertEquals(List.of(), none.get("axis"));
        assertNull(none.get("mean"));
        // a Keras config (no norm4j keys, axis null) gives the Keras defaults
        Map<String, Object> keras = new java.util.HashMap<>();
        keras.put("axis", null);
        keras.put("mean", 3.0);
        keras.put("variance", 2.0);
        keras.put("invert", false);
        Normalization k = Normalization.fromConfig(keras);
        assertEquals(0, k.axis().length);
        assertEquals(ZeroVariancePolicy.KERAS, k.zeroVariancePolicy());
        assertEquals(0, k.ddof());
    }

    @Test
    void adaptedModelPredictsTheSameAfterLoad() throws Exception {
        Tensor data = Tensor.of(new float[][] {{1, 3, 10}, {3, 3, 20}, {5, 3, 60}});
        Normalization n = Normalization.builder().zeroVariancePolicy(ZeroVariancePolicy.SKLEARN).build().adapt(data);
        Sequential model = new Sequential(new Input(3), n, new Dense(2));
        Tensor x = Tensor.of(new float[][] {{2, 4, 30}, {0, 3, -1}});
        Path f = Files.createTempFile("normalization", ".n4j");
        try {
            ModelIO.save(model, f);
            Sequential loaded = ModelIO.load(f);
            assertArrayEquals(model.predict(x).toFloatArray(), loaded.predict(x).toFloatArray());
            Normalization ln = (Normalization) loaded.layers().get(1);
            assertArrayEquals(n.meanTensor().toFloatArray(), ln.meanTensor().toFloatArray());
            assertArrayEquals(n.varianceTensor().toFloatArray(), ln.varianceTensor().toFloatArray());
            assertEquals(ZeroVariancePolicy.SKLEARN, ln.zeroVariancePolicy());
            assertEquals(1f, ln.apply(Tensor.of(new float[][] {{5, 4, 30}})).toFloatArray()[1],
                    "second feature only centred");
        } finally {
            Files.deleteIfExists(f);
        }
    }

    @Test
    void gradientFlowsThroughToTheInput() {
        Normalization n = Normalization.builder().mean(new double[] {1, 2}).variance(new double[] {4, 0}).build();
        Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 4}});
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor g = tape.gradient(n.apply(x).sum(), x)[0];
            assertArrayEquals(new float[] {0.5f, 1e7f, 0.5f, 1e7f}, g.toFloatArray(), 1f);
        }
    }

    // ---- errors --------------------------------------------------------------------------------------

    @Test
    void errors() {
        assertMessage(IllegalArgumentException.class, "both `mean` and `variance`",
                () -> Normalization.builder().mean(1).build());
        assertMessage(IllegalArgumentException.class, "same shape",
                () -> Normalization.builder().mean(new double[] {1, 2}).variance(1).build());
        assertMessage(IllegalArgumentException.class, "number of axes (1)", () -> Normalization.builder()
                .mean(Tensor.zeros(DType.FLOAT64, 2, 2)).variance(Tensor.ones(DType.FLOAT64, 2, 2)).build());
        assertMessage(IllegalArgumentException.class, "ddof = 2", () -> Normalization.builder().ddof(2));
        assertMessage(IllegalArgumentException.class, "out of range",
                () -> new Normalization(2).apply(Tensor.zeros(F32, 2, 3)));
        assertMessage(IllegalArgumentException.class, "duplicate axes",
                () -> new Normalization(1, -1).apply(Tensor.zeros(F32, 2, 3)));
        assertMessage(IllegalArgumentException.class, "batch axis",
                () -> new Normalization(0).apply(Tensor.zeros(F32, 2, 3)));
        assertMessage(IllegalArgumentException.class, "cannot be broadcast", () -> Normalization.builder()
                .mean(new double[] {1, 2, 3, 4}).variance(new double[] {1, 1, 1, 1}).build()
                .apply(Tensor.zeros(F32, 2, 5)));
        assertMessage(IllegalArgumentException.class, "empty iterable",
                () -> new Normalization().adapt(List.<Tensor>of()));
        assertMessage(IllegalArgumentException.class, "holding no values",
                () -> new Normalization().adapt(Tensor.zeros(F32, 0, 3)));
        assertMessage(IllegalStateException.class, "explicit mean and variance",
                () -> Normalization.builder().mean(0).variance(1).build().adapt(Tensor.zeros(F32, 2, 3)));
        assertMessage(IllegalArgumentException.class, "\"robust\"",
                () -> Normalization.fromConfig(Map.of("axis", -1, "zero_variance_policy", "robust")));
        // adapt on data of another kept shape than the layer was built for
        Normalization built = new Normalization().adapt(Tensor.zeros(F32, 4, 3));
        assertMessage(IllegalArgumentException.class, "incompatible shape",
                () -> built.adapt(Tensor.zeros(F32, 4, 5)));
        // a bad batch in the middle of a stream: clear error, earlier statistics untouched
        Normalization n = new Normalization().adapt(Tensor.of(new float[][] {{1, 2}, {3, 4}}));
        List<Tensor> stream = List.of(Tensor.zeros(F32, 3, 2), Tensor.zeros(F32, 5, 2), Tensor.zeros(F32, 2, 3));
        assertMessage(IllegalArgumentException.class, "batch 2 has an incompatible shape [2, 3]",
                () -> n.adapt(stream));
        assertArrayEquals(new float[] {2, 3}, n.meanTensor().toFloatArray());
        assertMessage(IllegalArgumentException.class, "batch 1 has an incompatible shape",
                () -> new Normalization().adapt(List.of(Tensor.zeros(F32, 3, 2), Tensor.zeros(F32, 3, 2, 1))));
    }

    private static void assertMessage(Class<? extends Throwable> type, String part, Runnable r) {
        Throwable t = assertThrows(type, r::run);
        assertTrue(t.getMessage().contains(part), () -> "message \"" + t.getMessage() + "\" lacks \"" + part + "\"");
    }

    private static double[] twoPass(double[] v, int rows, int cols) {
        double[] out = new double[2 * cols];
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int i = 0; i < rows; i++) {
                s += v[i * cols + j];
            }
            double m = s / rows;
            double ss = 0;
            for (int i = 0; i < rows; i++) {
                double d = v[i * cols + j] - m;
                ss += d * d;
            }
            out[j] = m;
            out[cols + j] = ss / rows;
        }
        return out;
    }
}
