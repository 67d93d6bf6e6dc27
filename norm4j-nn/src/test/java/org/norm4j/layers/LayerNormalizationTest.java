package org.norm4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.initializers.Constant;
import org.norm4j.kernel.Parallel;
import org.norm4j.ops.LayerNorms;
import org.norm4j.regularizers.L2;

/**
 * LayerNormalization: the layer contract, Keras's test vectors, statistics, gradients for every combination of
 * center/scale/rms_scaling, errors. Also holds the float64 finite-difference check the other per-sample
 * normalization tests use.
 */
class LayerNormalizationTest {

    @Test
    void contract() {
        LayerContract.check(LayerNormalization::new, new int[] {3, 4}, new int[] {3, 4}, 2, 0);
        LayerContract.check(() -> new LayerNormalization(1, 2), new int[] {3, 4}, new int[] {3, 4}, 2, 0);
        LayerContract.check(() -> LayerNormalization.builder().rmsScaling(true).build(), new int[] {5},
                new int[] {5}, 1, 0);
        LayerContract.check(() -> LayerNormalization.builder().center(false).scale(false).axis(-2).build(),
                new int[] {3, 4}, new int[] {3, 4}, 0, 0);
        LayerContract.check(() -> LayerNormalization.builder().axis(-3, -1).epsilon(1e-5)
                .gammaRegularizer(new L2(1e-3)).build(), new int[] {2, 3, 4}, new int[] {2, 3, 4}, 2, 0);
    }

    @Test
    void configHasKerasKeysAndDefaults() {
        Map<String, Object> c = new LayerNormalization().getConfig();
        assertEquals(List.of("name", "trainable", "dtype", "axis", "epsilon", "center", "scale", "beta_initializer",
                "gamma_initializer", "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint",
                "rms_scaling"), List.copyOf(c.keySet()));
        assertEquals(-1, c.get("axis"));
        assertEquals(1e-3, c.get("epsilon"));
        assertEquals(List.of(1, 2), new LayerNormalization(1, 2).getConfig().get("axis"));
        LayerNormalization l = LayerNormalization.fromConfig(Map.of("axis", List.of(-1), "epsilon", 1e-5,
                "rms_scaling", true, "gamma_initializer", "zeros"));
        assertEquals(List.of(-1), l.getConfig().get("axis"));
        assertEquals(true, l.getConfig().get("rms_scaling"));
    }

    /** Keras 3 layer_normalization_test: test_output, test_output_with_rms_scaling; ops test on arange(5). */
    @Test
    void kerasTestVectors() {
        Tensor x = Tensor.of(new float[] {0, 1, 2, 3, 4}, 1, 5);
        LayerNormalization ln = LayerNormalization.builder().betaInitializer(new Constant(1))
                .gammaInitializer(new Constant(1)).build();
        assertClose(new double[] {-0.41386, 0.29307, 1.0, 1.70693, 2.41386}, ln.apply(x), 1e-5);
        LayerNormalization rms = LayerNormalization.builder().rmsScaling(true).build();
        assertClose(new double[] {0.0, 0.70693, 1.41386, 2.12079, 2.82772}, rms.apply(x), 1e-5);
        assertEquals(1, rms.weights().size());
        assertNull(rms.beta());
        assertClose(new double[] {-1.4142135, -0.70710677, 0, 0.7071067, 1.4142135},
                LayerNorms.layerNormalization(x), 1e-6);
    }

    /** The hand-worked example of the reference (section 3.9): forward and every gradient. */
    @Test
    void referenceGradientExample() {
        Tensor x = Tensor.of(new double[] {1, 2, 4}, 1, 3);
        Tensor gamma = Tensor.of(new double[] {1, 2, 3});
        Tensor beta = Tensor.zeros(DType.FLOAT64, 3);
        Tensor dy = Tensor.of(new double[] {1, -1, 2}, 1, 3);
        Tensor[] g;
        Tensor y;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x, gamma, beta);
            y = LayerNorms.layerNormalization(x, new int[] {-1}, gamma, beta, 1e-3, false);
            g = tape.gradient(y, new Tensor[] {x, gamma, beta}, dy);
        }
        assertClose(new double[] {-1.0687015, -0.5343508, 4.0076307}, y, 1e-7);
        assertClose(new double[] {1.6016791, -2.4049217, 0.8032426}, g[0], 1e-7);
        assertClose(new double[] {-1.0687015, 0.2671754, 2.6717538}, g[1], 1e-7);
        assertClose(new double[] {1, -1, 2}, g[2], 1e-12);
    }

    /** Keras test_correctness: N(5, 10) data; every sample comes out with mean 0 and std 1. */
    @Test
    void outputHasZeroMeanAndUnitStdPerSample() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 5, 10, 3, 1000, 2, 2, 2);
        Tensor y = new LayerNormalization(1, 2, 3).apply(x);
        Tensor mean = y.mean(1, 2, 3);
        Tensor std = y.std(1, 2, 3);
        for (int i = 0; i < 1000; i++) {
            assertEquals(0, mean.getDouble(i), 1e-6);
            assertEquals(1, std.getDouble(i), 1e-4); // sqrt(var / (var + 1e-3)), var ~ 100
        }
        // a large offset (mean 1e4 times the spread) keeps float32 accuracy: two-pass statistics in double
        Tensor off = Tensor.randomNormal(DType.FLOAT32, 1e4, 1, 4, 64, 256);
        Tensor z = new LayerNormalization().apply(off);
        assertEquals(0, z.mean(1).abs().max().item(), 1e-3);
        assertEquals(1, z.std(1).min().item(), 2e-3);
    }

    @Test
    void axesMayBeUnsortedNegativeOrNonTrailingAndDtypeIsKept() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 1, 5, 2, 3, 4);
        assertArrayEquals(new LayerNormalization(1, 2).apply(x).toFloatArray(),
                new LayerNormalization(-1, -2).apply(x).toFloatArray());
        // axis 1 of (2, 3, 4) equals axis -1 of the transposed input
        Tensor a = new LayerNormalization(1).apply(x);
        Tensor b = new LayerNormalization(-1).apply(x.transpose(0, 2, 1)).transpose(0, 2, 1);
        assertArrayEquals(b.toFloatArray(), a.toFloatArray(), 1e-6f);
        Tensor x64 = x.asType(DType.FLOAT64);
        Tensor y64 = new LayerNormalization().apply(x64);
        assertEquals(DType.FLOAT64, y64.dtype());
        assertArrayEquals(y64.toDoubleArray(), new LayerNormalization().apply(x).toDoubleArray(), 1e-6);
        assertEquals(0, new LayerNormalization().apply(Tensor.zeros(DType.FLOAT32, 0, 10)).size());
    }

    @Test
    void errorsNameTheProblem() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new LayerNormalization(-1, 1).apply(Tensor.zeros(DType.FLOAT32, 2, 3)));
        assertTrue(e.getMessage().contains("Duplicate axis"), e.getMessage());
        for (int bad : new int[] {2, 99, -3, -99}) {
            e = assertThrows(IllegalArgumentException.class,
                    () -> new LayerNormalization(bad).apply(Tensor.zeros(DType.FLOAT32, 2, 3)));
            assertTrue(e.getMessage().contains("out of bounds"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class, () -> LayerNormalization.builder().axis().build());
        assertThrows(IllegalArgumentException.class, () -> LayerNormalization.builder().epsilon(-1).build());
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3);
        e = assertThrows(IllegalArgumentException.class, () -> LayerNorms.layerNormalization(x, new int[] {-1},
                Tensor.ones(DType.FLOAT32, 3), Tensor.ones(DType.FLOAT32, 3), 1e-3, true));
        assertTrue(e.getMessage().contains("rmsScaling"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerNorms.layerNormalization(x, new int[] {-1},
                Tensor.ones(DType.FLOAT32, 2), null, 1e-3, false));
        assertTrue(e.getMessage().contains("gamma") && e.getMessage().contains("(3,)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LayerNorms.layerNormalization(x, new int[] {-1},
                Tensor.ones(DType.FLOAT64, 3), null, 1e-3, false));
        assertTrue(e.getMessage().contains("dtype"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerNormalization.fromConfig(Map.of("beta_regularizer", "nope")));
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
    }

    /** Float64 finite differences for every combination of center, scale and rms_scaling, on three layouts. */
    @Test
    void gradientsMatchFiniteDifferences() {
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 1, 2, 11, 3, 4, 5);
        int[][] axesCases = {{-1}, {1, 2}, {1}, {0, 2}};
        for (int[] axes : axesCases) {
            int[] pd = new int[axes.length];
            for (int i = 0; i < axes.length; i++) {
                pd[i] = x.shape().dim(axes[i]);
            }
            Tensor gamma = Tensor.randomNormal(DType.FLOAT64, 1, 0.5, 12, pd);
            Tensor beta = Tensor.randomNormal(DType.FLOAT64, 0, 0.5, 13, pd);
            for (int mask = 0; mask < 8; mask++) {
                boolean center = (mask & 1) != 0;
                boolean scale = (mask & 2) != 0;
                boolean rms = (mask & 4) != 0;
                boolean useGamma = scale || rms; // the layer creates gamma for rms_scaling even with scale=false
                boolean useBeta = center && !rms;
                String name = "axes " + java.util.Arrays.toString(axes) + " center=" + center + " scale=" + scale
                        + " rms_scaling=" + rms;
                gradCheck(name, t -> LayerNorms.layerNormalization(t[0], axes, useGamma ? t[1] : null,
                        useBeta ? t[useGamma ? 2 : 1] : null, 1e-3, rms), inputs(x, useGamma ? gamma : null,
                        useBeta ? beta : null));
            }
        }
    }

    @Test
    void layerGradientsReachTheWeightsAndHigherOrderFailsClearly() {
        LayerNormalization ln = new LayerNormalization();
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 3, 21, 4, 6);
        ln.apply(x);
        List<Tensor> g;
        try (GradientTape tape = new GradientTape()) {
            g = tape.gradient(ln.apply(x).square().sum(), ln.trainableWeights());
        }
        assertNotNull(g.get(0));
        assertNotNull(g.get(1));
        // d sum(y^2) / d beta = 2 * sum over the batch of y
        assertArrayEquals(ln.apply(x).sum(0).mul(2).toFloatArray(), g.get(1).toFloatArray(), 1e-4f);
        try (GradientTape outer = new GradientTape(); GradientTape inner = new GradientTape()) {
            outer.watch(x);
            inner.watch(x);
            Tensor y = LayerNorms.layerNormalization(x, -1).square().sum();
            Tensor dx = inner.gradient(y, x)[0];
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> outer.gradient(dx.sum(), x));
            assertTrue(e.getMessage().contains("LayerNormalizationGrad"), e.getMessage());
        }
    }

    @Test
    void resultsDoNotDependOnTheThreadCount() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 2, 3, 31, 64, 48, 64);
        Tensor g = Tensor.randomNormal(DType.FLOAT32, 1, 1, 32, 64);
        Function<Tensor, float[][]> all = t -> {
            float[][] out = new float[6][];
            out[0] = LayerNorms.layerNormalization(t, new int[] {-1}, g, g, 1e-3, false).toFloatArray();
            out[1] = LayerNorms.layerNormalization(t, new int[] {1}, null, null, 1e-3, false).toFloatArray();
            out[2] = LayerNorms.groupNormalization(t, 8, -1, g, g, 1e-3).toFloatArray();
            out[3] = LayerNorms.rmsNormalization(t, new int[] {1, 2}, null, 1e-6).toFloatArray();
            out[4] = LayerNorms.unitNormalization(t, 0, 1).toFloatArray();
            try (GradientTape tape = new GradientTape()) {
                tape.watch(t);
                out[5] = tape.gradient(LayerNorms.groupNormalization(t, 4, 1, null, null, 1e-3).square().sum(), t)[0]
                        .toFloatArray();
            }
            return out;
        };
        int before = Parallel.threads();
        try {
            Parallel.setThreads(1);
            float[][] one = all.apply(x);
            Parallel.setThreads(4);
            float[][] four = all.apply(x);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], four[i], "result " + i);
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    // ---- shared helpers ------------------------------------------------------------------------------------

    static Tensor[] inputs(Tensor... maybeNull) {
        return java.util.Arrays.stream(maybeNull).filter(java.util.Objects::nonNull).toArray(Tensor[]::new);
    }

    static void assertClose(double[] expected, Tensor actual, double atol) {
        assertArrayEquals(expected, actual.toDoubleArray(), atol, "values " + java.util.Arrays.toString(
                actual.toDoubleArray()));
    }

    /**
     * Central differences in float64 ({@code h = 1e-6}) of {@code sum(w * f(inputs))} for a random {@code w},
     * against the tape's gradient: {@code |analytic - numeric| <= 1e-7 + 1e-5 |numeric|} for every element.
     */
    static void gradCheck(String name, Function<Tensor[], Tensor> f, Tensor... in) {
        Tensor w;
        Tensor[] grads;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(in);
            Tensor y = f.apply(in);
            w = Tensor.randomNormal(DType.FLOAT64, 0, 1, name.hashCode(), y.shape().dims());
            grads = tape.gradient(y, in, w);
        }
        double[] wv = w.toDoubleArray();
        double h = 1e-6;
        for (int k = 0; k < in.length; k++) {
            assertNotNull(grads[k], name + ": no gradient for input " + k);
            assertEquals(in[k].shape(), grads[k].shape(), name + ": gradient shape of input " + k);
            double[] base = in[k].toDoubleArray();
            double[] analytic = grads[k].toDoubleArray();
            for (int j = 0; j < base.length; j++) {
                double[] fp = f.apply(with(in, k, base, j, h)).toDoubleArray();
                double[] fm = f.apply(with(in, k, base, j, -h)).toDoubleArray();
                double numeric = 0;
                for (int i = 0; i < fp.length; i++) {
                    numeric += wv[i] * (fp[i] - fm[i]) / (2 * h);
                }
                double err = Math.abs(analytic[j] - numeric);
                assertTrue(err <= 1e-7 + 1e-5 * Math.abs(numeric), name + ": d/d input " + k + "[" + j
                        + "] analytic " + analytic[j] + " numeric " + numeric);
            }
        }
    }

    private static Tensor[] with(Tensor[] in, int k, double[] base, int j, double delta) {
        Tensor[] out = in.clone();
        double[] v = base.clone();
        v[j] += delta;
        out[k] = Tensor.of(v, in[k].shape().dims());
        return out;
    }
}
