package org.norm4j.initializers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/** Statistics, fans, seeding and name/config handling of the Keras initializers. */
class InitializersTest {
    /** Standard deviation of a unit normal truncated at +-2 (Keras's constant). */
    private static final double TRUNC = 0.87962566103423978;

    private static double mean(double[] v) {
        double s = 0;
        for (double x : v) {
            s += x;
        }
        return s / v.length;
    }

    private static double std(double[] v) {
        double m = mean(v);
        double s = 0;
        for (double x : v) {
            s += (x - m) * (x - m);
        }
        return Math.sqrt(s / v.length);
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @Test
    void constantInitializers() {
        Tensor z = new Zeros().apply(Shape.of(2, 3), DType.FLOAT32);
        assertEquals(DType.FLOAT32, z.dtype());
        assertEquals(Shape.of(2, 3), z.shape());
        assertArrayEquals(new double[6], z.toDoubleArray());
        assertArrayEquals(new double[] {1, 1, 1}, new Ones().apply(Shape.of(3), DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new float[] {0.1f, 0.1f}, new Constant(0.1).apply(2).toFloatArray());
        assertEquals(0.0, new Constant().value());
        assertEquals(Map.of("value", 0.1), new Constant(0.1).getConfig());
        assertTrue(new Zeros().getConfig().isEmpty());
        assertEquals(Shape.scalar(), new Ones().apply(Shape.scalar(), DType.FLOAT32).shape());
    }

    @Test
    void randomNormalStatistics() {
        double[] v = new RandomNormal(1.0, 2.0, 7L).apply(Shape.of(400, 500), DType.FLOAT64).toDoubleArray();
        assertEquals(1.0, mean(v), 0.02);
        assertEquals(2.0, std(v), 0.02);
        double[] d = new RandomNormal().apply(Shape.of(400, 500), DType.FLOAT32).toDoubleArray();
        assertEquals(0.0, mean(d), 0.001);
        assertEquals(0.05, std(d), 0.001);
    }

    @Test
    void randomUniformStatistics() {
        double[] v = new RandomUniform(-1, 3, 9L).apply(Shape.of(200_000), DType.FLOAT64).toDoubleArray();
        assertTrue(Arrays.stream(v).allMatch(x -> x >= -1 && x < 3));
        assertEquals(1.0, mean(v), 0.02);
        assertEquals(4 / Math.sqrt(12), std(v), 0.01);
        double[] d = new RandomUniform().apply(Shape.of(10_000), DType.FLOAT32).toDoubleArray();
        assertTrue(Arrays.stream(d).allMatch(x -> x >= -0.05 && x <= 0.05));
        assertEquals(Map.of("minval", -1.0, "maxval", 3.0, "seed", 9L), new RandomUniform(-1, 3, 9L).getConfig());
    }

    @Test
    void truncatedNormalStatistics() {
        double[] v = new TruncatedNormal(0.5, 2.0, 3L).apply(Shape.of(200_000), DType.FLOAT64).toDoubleArray();
        assertTrue(Arrays.stream(v).allMatch(x -> Math.abs(x - 0.5) <= 4.0), "all within 2 stddev");
        assertEquals(0.5, mean(v), 0.02);
        assertEquals(2.0 * TRUNC, std(v), 0.02);
    }

    @Test
    void kerasFans() {
        assertArrayEquals(new long[] {1, 1}, VarianceScaling.computeFans(Shape.scalar()));
        assertArrayEquals(new long[] {5, 5}, VarianceScaling.computeFans(Shape.of(5)));
        assertArrayEquals(new long[] {3, 4}, VarianceScaling.computeFans(Shape.of(3, 4)));
        // Conv2D kernel (kh, kw, in, out): receptive field 3*3
        assertArrayEquals(new long[] {144, 288}, VarianceScaling.computeFans(Shape.of(3, 3, 16, 32)));
        // Conv1D kernel (k, in, out)
        assertArrayEquals(new long[] {15, 40}, VarianceScaling.computeFans(Shape.of(5, 3, 8)));
        VarianceScaling vs = new VarianceScaling(2.0, "fan_avg", "uniform", 1L);
        assertEquals(2.0 / 216, vs.targetVariance(Shape.of(3, 3, 16, 32)), 1e-15);
        // max(1, n): an empty dimension does not divide by zero
        assertEquals(2.0, new VarianceScaling(2.0, "fan_in", "uniform", 1L).targetVariance(Shape.of(0, 4)));
    }

    @Test
    void glorotUniform() {
        Shape s = Shape.of(400, 600);
        double[] v = new GlorotUniform(1L).apply(s, DType.FLOAT64).toDoubleArray();
        double limit = Math.sqrt(6.0 / 1000);
        assertTrue(maxAbs(v) <= limit);
        assertTrue(maxAbs(v) > 0.99 * limit);
        assertEquals(0.0, mean(v), 0.001);
        assertEquals(Math.sqrt(2.0 / 1000), std(v), 0.01 * Math.sqrt(2.0 / 1000));
    }

    @Test
    void normalVarianceScalingVariants() {
        Shape dense = Shape.of(400, 600);
        Shape conv = Shape.of(3, 3, 64, 128); // fan_in 576, fan_out 1152
        checkTruncated(new GlorotNormal(2L), dense, Math.sqrt(2.0 / 1000));
        checkTruncated(new HeNormal(3L), conv, Math.sqrt(2.0 / 576));
        checkTruncated(new LecunNormal(4L), conv, Math.sqrt(1.0 / 576));
        checkTruncated(new VarianceScaling(), dense, Math.sqrt(1.0 / 400));
        checkTruncated(new VarianceScaling(3.0, "fan_out", "normal", 5L), conv, Math.sqrt(3.0 / 1152));
        double[] u = new VarianceScaling(1.0, "fan_in", "untruncated_normal", 6L).apply(dense, DType.FLOAT64)
                .toDoubleArray();
        assertEquals(Math.sqrt(1.0 / 400), std(u), 0.01 * Math.sqrt(1.0 / 400));
        assertTrue(maxAbs(u) > 2.5 * Math.sqrt(1.0 / 400), "an untruncated normal has tails beyond 2 stddev");
    }

    /** Std after truncation equals the target, and nothing lies beyond 2 * target / 0.8796. */
    private static void checkTruncated(Initializer init, Shape s, double target) {
        double[] v = init.apply(s, DType.FLOAT64).toDoubleArray();
        assertEquals(target, std(v), 0.015 * target, init.className());
        assertEquals(0.0, mean(v), 0.01 * target, init.className());
        assertTrue(maxAbs(v) <= 2 * target / TRUNC + 1e-12, init.className() + " is truncated at 2 stddev");
    }

    @Test
    void uniformVarianceScalingVariants() {
        Shape conv = Shape.of(3, 3, 64, 128);
        checkUniform(new HeUniform(1L), conv, Math.sqrt(6.0 / 576));
        checkUniform(new LecunUniform(2L), conv, Math.sqrt(3.0 / 576));
        checkUniform(new GlorotUniform(3L), conv, Math.sqrt(6.0 / (576 + 1152)));
        checkUniform(new VarianceScaling(1.0, "fan_avg", "uniform", 4L), Shape.of(100, 300),
                Math.sqrt(3.0 / 200));
    }

    private static void checkUniform(Initializer init, Shape s, double limit) {
        double[] v = init.apply(s, DType.FLOAT64).toDoubleArray();
        assertTrue(maxAbs(v) <= limit, init.className());
        assertTrue(maxAbs(v) > 0.99 * limit, init.className());
        assertEquals(limit / Math.sqrt(3), std(v), 0.015 * limit, init.className());
    }

    @Test
    void float32OutputMatchesFloat64Rounded() {
        Tensor d = new HeNormal(11L).apply(Shape.of(7, 5), DType.FLOAT64);
        Tensor f = new HeNormal(11L).apply(Shape.of(7, 5), DType.FLOAT32);
        assertEquals(DType.FLOAT32, f.dtype());
        assertArrayEquals(d.toFloatArray(), f.toFloatArray());
    }

    @Test
    void explicitSeedIsDeterministic() {
        Initializer a = new GlorotUniform(42L);
        Tensor x = a.apply(Shape.of(10, 10), DType.FLOAT32);
        assertArrayEquals(x.toFloatArray(), a.apply(Shape.of(10, 10), DType.FLOAT32).toFloatArray());
        assertArrayEquals(x.toFloatArray(), new GlorotUniform(42L).apply(10, 10).toFloatArray());
        assertFalse(Arrays.equals(x.toFloatArray(), new GlorotUniform(43L).apply(10, 10).toFloatArray()));
        assertArrayEquals(new TruncatedNormal(0, 1, 5L).apply(50).toFloatArray(),
                new TruncatedNormal(0, 1, 5L).apply(50).toFloatArray());
    }

    @Test
    void globalSeedReproducesConstructionOrder() {
        Seeds.setGlobalSeed(1234);
        float[] a1 = new GlorotUniform().apply(8, 4).toFloatArray();
        float[] b1 = new HeNormal().apply(4, 2).toFloatArray();
        Initializer shared = Initializers.get("random_normal");
        float[] c1 = shared.apply(6).toFloatArray();
        float[] c2 = shared.apply(6).toFloatArray();
        assertFalse(Arrays.equals(c1, c2), "an unseeded initializer draws a fresh seed at each call");
        assertFalse(Arrays.equals(a1, new GlorotUniform().apply(8, 4).toFloatArray()));

        Seeds.setGlobalSeed(1234);
        assertArrayEquals(a1, new GlorotUniform().apply(8, 4).toFloatArray());
        assertArrayEquals(b1, new HeNormal().apply(4, 2).toFloatArray());
        Initializer again = Initializers.get("random_normal");
        assertArrayEquals(c1, again.apply(6).toFloatArray());
        assertArrayEquals(c2, again.apply(6).toFloatArray());

        Seeds.setGlobalSeed(99);
        assertFalse(Arrays.equals(a1, new GlorotUniform().apply(8, 4).toFloatArray()));
    }

    @Test
    void getAcceptsKerasNamesAndClassNames() {
        String[][] cases = {{"zeros", "Zeros"}, {"zero", "Zeros"}, {"ones", "Ones"}, {"one", "Ones"},
            {"constant", "Constant"}, {"random_normal", "RandomNormal"}, {"normal", "RandomNormal"},
            {"random_uniform", "RandomUniform"}, {"uniform", "RandomUniform"},
            {"truncated_normal", "TruncatedNormal"}, {"variance_scaling", "VarianceScaling"},
            {"glorot_uniform", "GlorotUniform"}, {"glorot_normal", "GlorotNormal"}, {"he_uniform", "HeUniform"},
            {"he_normal", "HeNormal"}, {"lecun_uniform", "LecunUniform"}, {"lecun_normal", "LecunNormal"}};
        for (String[] c : cases) {
            assertEquals(c[1], Initializers.get(c[0]).className(), c[0]);
            assertEquals(c[1], Initializers.get(c[1]).className(), c[1]);
        }
        assertInstanceOf(GlorotUniform.class, Initializers.get("glorot_uniform"));
        assertNull(((RandomInitializer) Initializers.get("he_normal")).seed());
    }

    @Test
    void unknownNameListsAcceptedOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Initializers.get("glorot"));
        assertTrue(e.getMessage().contains("'glorot'"), e.getMessage());
        assertTrue(e.getMessage().contains("glorot_uniform") && e.getMessage().contains("he_normal")
                && e.getMessage().contains("zeros"), e.getMessage());
    }

    @Test
    void configsUseKerasKeysAndRoundTrip() {
        assertEquals(keys("mean", 0.0, "stddev", 0.05, "seed", null), new RandomNormal().getConfig());
        assertEquals(keys("seed", 7L), new GlorotUniform(7L).getConfig());
        assertEquals(keys("scale", 2.0, "mode", "fan_out", "distribution", "truncated_normal", "seed", null),
                new VarianceScaling(2.0, "fan_out", "normal", null).getConfig());
        List<Initializer> all = List.of(new Zeros(), new Ones(), new Constant(0.5), new RandomNormal(1, 2, 3L),
                new RandomUniform(-2, 2, 4L), new TruncatedNormal(0, 0.1, 5L),
                new VarianceScaling(0.5, "fan_avg", "uniform", 6L), new GlorotUniform(7L), new GlorotNormal(8L),
                new HeUniform(9L), new HeNormal(10L), new LecunUniform(11L), new LecunNormal(12L));
        for (Initializer init : all) {
            Map<String, Object> ser = Initializers.serialize(init);
            assertEquals("keras.initializers", ser.get("module"));
            assertEquals(init.className(), ser.get("class_name"));
            Initializer back = Initializers.fromConfig(ser);
            assertEquals(init.getClass(), back.getClass());
            assertEquals(init.getConfig(), back.getConfig());
            assertArrayEquals(init.apply(3, 4).toFloatArray(), back.apply(3, 4).toFloatArray(), init.className());
        }
        // JSON gives integers for seeds and whole-number floats
        Initializer fromJson = Initializers.fromConfig("RandomUniform", keys("minval", -1, "maxval", 1, "seed", 5));
        assertEquals(keys("minval", -1.0, "maxval", 1.0, "seed", 5L), fromJson.getConfig());
        assertEquals(Map.of(), Initializers.fromConfig("Zeros", null).getConfig());
    }

    @Test
    void invalidConfigsAndArguments() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Initializers.fromConfig("GlorotUniform", keys("seed", 1, "scale", 2.0)));
        assertTrue(e.getMessage().contains("[scale]") && e.getMessage().contains("GlorotUniform"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Initializers.fromConfig("RandomNormal",
                keys("stddev", "big")));
        assertThrows(IllegalArgumentException.class, () -> Initializers.fromConfig(keys("config", Map.of())));
        assertThrows(IllegalArgumentException.class, () -> new VarianceScaling(0.0, "fan_in", "uniform", null));
        e = assertThrows(IllegalArgumentException.class, () -> new VarianceScaling(1.0, "fan", "uniform", null));
        assertTrue(e.getMessage().contains("fan_avg"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VarianceScaling(1.0, "fan_in", "gamma", null));
        assertThrows(IllegalArgumentException.class, () -> new RandomNormal(0, -1, null));
        assertThrows(IllegalArgumentException.class, () -> new RandomUniform(1, 0, null));
    }

    private static Map<String, Object> keys(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
