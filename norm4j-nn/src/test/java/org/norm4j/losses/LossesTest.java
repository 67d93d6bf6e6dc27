package org.norm4j.losses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * Loss values against hand computations (including Keras's documented examples), gradients against central
 * finite differences in float64 through {@link GradientTape}, configs and error messages.
 */
class LossesTest {
    private static final Tensor CCE_TRUE = Tensor.of(new double[][] {{0, 1, 0}, {0, 0, 1}});
    private static final Tensor CCE_PRED = Tensor.of(new double[][] {{0.05, 0.95, 0}, {0.1, 0.8, 0.1}});
    private static final Tensor BCE_TRUE = Tensor.of(new double[][] {{0, 1}, {0, 0}});
    private static final Tensor BCE_PRED = Tensor.of(new double[][] {{0.6, 0.4}, {0.4, 0.6}});

    private static double value(Loss loss, Tensor yTrue, Tensor yPred) {
        Tensor v = loss.call(yTrue, yPred);
        assertEquals(Shape.scalar(), v.shape(), loss.name() + " returns a scalar");
        assertEquals(yPred.dtype(), v.dtype());
        return v.item();
    }

    private static Tensor f32(Tensor t) {
        return t.asType(DType.FLOAT32);
    }

    // ---- Keras's documented examples ----------------------------------------------------------------------

    @Test
    void kerasDocumentedExamples() {
        double cce = (-Math.log(0.95) - Math.log(0.1)) / 2;
        assertEquals(cce, value(new CategoricalCrossentropy(), CCE_TRUE, CCE_PRED), 1e-12);
        assertEquals(1.177, value(new CategoricalCrossentropy(), f32(CCE_TRUE), f32(CCE_PRED)), 1e-3);

        Tensor labels = Tensor.of(new double[] {1, 2});
        // clip(0) = 1e-7 enters the implicit renormalization of log_softmax(log(p))
        double scce = (-Math.log(0.95) + Math.log(1 + 1e-7) - Math.log(0.1) + Math.log(0.1 + 0.8 + 0.1)) / 2;
        assertEquals(scce, value(new SparseCategoricalCrossentropy(), labels, CCE_PRED), 1e-12);
        assertEquals(1.177, value(new SparseCategoricalCrossentropy(), f32(labels), f32(CCE_PRED)), 1e-3);

        double bce = (-(Math.log(0.4) + Math.log(0.4)) / 2 - (Math.log(0.6) + Math.log(0.4)) / 2) / 2;
        assertEquals(bce, value(new BinaryCrossentropy(), BCE_TRUE, BCE_PRED), 1e-12);
        assertEquals(0.815, value(new BinaryCrossentropy(), f32(BCE_TRUE), f32(BCE_PRED)), 1e-3);

        Tensor mseTrue = Tensor.of(new double[][] {{0, 1}, {0, 0}});
        Tensor msePred = Tensor.of(new double[][] {{1, 1}, {1, 0}});
        assertEquals(0.5, value(new MeanSquaredError(), mseTrue, msePred), 1e-15);
        assertEquals(0.5, value(new MeanSquaredError(), f32(mseTrue), f32(msePred)), 1e-7);
    }

    @Test
    void kerasDocumentedSampleWeightExamples() {
        Tensor w = Tensor.of(new double[] {0.3, 0.7});
        assertEquals(0.814, new CategoricalCrossentropy().call(CCE_TRUE, CCE_PRED, w).item(), 1e-3);
        assertEquals(0.814, new SparseCategoricalCrossentropy().call(Tensor.of(new double[] {1, 2}), CCE_PRED, w)
                .item(), 1e-3);
        assertEquals(0.458, new BinaryCrossentropy().call(BCE_TRUE, BCE_PRED, Tensor.of(new double[] {1, 0}))
                .item(), 1e-3);
        Tensor mseTrue = Tensor.of(new double[][] {{0, 1}, {0, 0}});
        Tensor msePred = Tensor.of(new double[][] {{1, 1}, {1, 0}});
        assertEquals(0.25, new MeanSquaredError().call(mseTrue, msePred, Tensor.of(new double[] {0.7, 0.3}))
                .item(), 1e-15);
        // a (n, 1) weight is accepted like (n,)
        assertEquals(0.25, new MeanSquaredError().call(mseTrue, msePred, Tensor.of(new double[][] {{0.7}, {0.3}}))
                .item(), 1e-15);
    }

    // ---- hand-computed variants ---------------------------------------------------------------------------

    private static double logSumExp(double... x) {
        double m = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            m = Math.max(m, v);
        }
        double s = 0;
        for (double v : x) {
            s += Math.exp(v - m);
        }
        return m + Math.log(s);
    }

    @Test
    void categoricalFromLogitsAndSmoothing() {
        Tensor logits = Tensor.of(new double[][] {{1, 2, 3}, {1, -1, 0}});
        Tensor t = Tensor.of(new double[][] {{0, 0, 1}, {1, 0, 0}});
        double expected = ((logSumExp(1, 2, 3) - 3) + (logSumExp(1, -1, 0) - 1)) / 2;
        assertEquals(expected, value(new CategoricalCrossentropy(true), t, logits), 1e-12);

        // label smoothing 0.3 with 3 classes: t' = 0.7 t + 0.1
        double[] p1 = {0.05, 0.95, 1e-7};
        double[] p2 = {0.1, 0.8, 0.1};
        double row1 = -(0.1 * Math.log(p1[0]) + 0.8 * Math.log(p1[1]) + 0.1 * Math.log(p1[2]));
        double row2 = -(0.1 * Math.log(p2[0]) + 0.1 * Math.log(p2[1]) + 0.8 * Math.log(p2[2]));
        assertEquals((row1 + row2) / 2, value(new CategoricalCrossentropy(false, 0.3), CCE_TRUE, CCE_PRED), 1e-12);

        // unnormalized probabilities are renormalized first: (2, 6, 2) -> (0.2, 0.6, 0.2)
        Tensor raw = Tensor.of(new double[][] {{2, 6, 2}});
        assertEquals(-Math.log(0.6), value(new CategoricalCrossentropy(), Tensor.of(new double[][] {{0, 1, 0}}),
                raw), 1e-12);
        // a zero probability for the true class is clipped to 1e-7
        assertEquals(-Math.log(1e-7), value(new CategoricalCrossentropy(), Tensor.of(new double[][] {{1, 0}}),
                Tensor.of(new double[][] {{0, 1}})), 1e-9);
        // classes on axis 0
        Tensor tt = Tensor.of(new double[][] {{0, 1}, {1, 0}});
        Tensor pt = Tensor.of(new double[][] {{0.2, 0.7}, {0.8, 0.3}});
        double axis0 = (-Math.log(0.8) - Math.log(0.7)) / 2;
        assertEquals(axis0, value(CategoricalCrossentropy.builder().axis(0).build(), tt, pt), 1e-12);
    }

    @Test
    void sparseFromLogitsAndLabelShapes() {
        Tensor logits = Tensor.of(new double[][] {{1, 2, 3}, {1, -1, 0}, {0, 0, 0}});
        double expected = ((logSumExp(1, 2, 3) - 2) + (logSumExp(1, -1, 0) + 1) + Math.log(3)) / 3;
        Loss scce = new SparseCategoricalCrossentropy(true);
        assertEquals(expected, value(scce, Tensor.of(new double[] {1, 1, 2}), logits), 1e-12);
        assertEquals(expected, value(scce, Tensor.of(new double[][] {{1}, {1}, {2}}), logits), 1e-12);
        // agrees with categorical cross-entropy on the one-hot labels
        Tensor oneHot = Tensor.of(new double[][] {{0, 1, 0}, {0, 1, 0}, {0, 0, 1}});
        assertEquals(value(new CategoricalCrossentropy(true), oneHot, logits), value(scce,
                Tensor.of(new double[] {1, 1, 2}), logits), 1e-12);
    }

    @Test
    void binaryFromLogitsAndSmoothing() {
        double[][] x = {{-2, 0.5}, {3, 0}};
        double[][] z = {{0, 1}, {1, 0}};
        double[][] zs = new double[2][2];
        double sum = 0;
        double sumSmoothed = 0;
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 2; j++) {
                double s = 1 / (1 + Math.exp(-x[i][j]));
                sum += -(z[i][j] * Math.log(s) + (1 - z[i][j]) * Math.log(1 - s));
                zs[i][j] = z[i][j] * 0.8 + 0.1;
                sumSmoothed += -(zs[i][j] * Math.log(s) + (1 - zs[i][j]) * Math.log(1 - s));
            }
        }
        Tensor logits = Tensor.of(x);
        Tensor labels = Tensor.of(z);
        assertEquals(sum / 4, value(new BinaryCrossentropy(true), labels, logits), 1e-12);
        assertEquals(sumSmoothed / 4, value(BinaryCrossentropy.builder().fromLogits(true).labelSmoothing(0.2)
                .build(), labels, logits), 1e-12);
        // huge logits stay finite
        double big = value(new BinaryCrossentropy(true), Tensor.of(new double[][] {{1, 0}}),
                Tensor.of(new double[][] {{-1000, 1000}}));
        assertEquals(1000, big, 1e-9);
        // probabilities 0 and 1 are clipped to [1e-7, 1 - 1e-7]
        double clipped = value(new BinaryCrossentropy(), Tensor.of(new double[][] {{1, 0}}),
                Tensor.of(new double[][] {{0, 1}}));
        assertEquals(-(Math.log(1e-7) + Math.log(1 - (1 - 1e-7))) / 2, clipped, 1e-6);
    }

    @Test
    void rankAdjustmentAndEmptyBatch() {
        Tensor t1 = Tensor.of(new double[] {1, 0, 1});
        Tensor p2 = Tensor.of(new double[][] {{0.9}, {0.2}, {0.6}});
        assertEquals(value(new BinaryCrossentropy(), t1.reshape(3, 1), p2), value(new BinaryCrossentropy(), t1, p2),
                1e-15);
        assertEquals(value(new MeanSquaredError(), t1.reshape(3, 1), p2), value(new MeanSquaredError(), t1, p2),
                1e-15);
        assertEquals(value(new MeanSquaredError(), t1, p2.reshape(3)), value(new MeanSquaredError(), p2, t1),
                1e-15);
        Tensor empty = Tensor.zeros(DType.FLOAT32, 0, 3);
        assertEquals(0.0, new CategoricalCrossentropy().call(empty, empty).item());
        // float64 labels with float32 predictions: the result has y_pred's dtype
        assertEquals(DType.FLOAT32, new MeanSquaredError().call(t1, f32(t1)).dtype());
    }

    // ---- gradients ----------------------------------------------------------------------------------------

    /** Tape gradient of loss(yTrue, x) w.r.t. x against central differences (h = 1e-6) in float64. */
    private static void checkGradient(String what, Loss loss, Tensor yTrue, Tensor x, Tensor sampleWeight) {
        Tensor g;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor l = loss.call(yTrue, x, sampleWeight);
            g = tape.gradient(l, x)[0];
        }
        assertNotNull(g, what + ": the loss depends on y_pred");
        assertEquals(x.shape(), g.shape(), what);
        double[] xs = x.toDoubleArray();
        double[] analytic = g.toDoubleArray();
        double h = 1e-6;
        for (int j = 0; j < xs.length; j++) {
            double[] plus = xs.clone();
            double[] minus = xs.clone();
            plus[j] += h;
            minus[j] -= h;
            double numeric = (loss.call(yTrue, Tensor.of(plus, x.shape().dims()), sampleWeight).item()
                    - loss.call(yTrue, Tensor.of(minus, x.shape().dims()), sampleWeight).item()) / (2 * h);
            assertEquals(numeric, analytic[j], 1e-8 + 1e-6 * Math.abs(numeric), what + " element " + j);
        }
    }

    private static Tensor uniform(Random rnd, double lo, double hi, int... dims) {
        double[] v = new double[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = lo + (hi - lo) * rnd.nextDouble();
        }
        return Tensor.of(v, dims);
    }

    private static Tensor normal(Random rnd, double scale, int... dims) {
        double[] v = new double[Shape.of(dims).size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = scale * rnd.nextGaussian();
        }
        return Tensor.of(v, dims);
    }

    private static Tensor oneHot(Random rnd, int n, int c) {
        double[][] t = new double[n][c];
        for (int i = 0; i < n; i++) {
            t[i][rnd.nextInt(c)] = 1;
        }
        return Tensor.of(t);
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Random rnd = new Random(7);
        Tensor t = oneHot(rnd, 4, 5);
        Tensor probs = uniform(rnd, 0.1, 1.0, 4, 5); // unnormalized, away from the clip bounds
        Tensor logits = normal(rnd, 2.0, 4, 5);
        Tensor w = uniform(rnd, 0.5, 2.0, 4);
        checkGradient("cce probabilities", new CategoricalCrossentropy(), t, probs, null);
        checkGradient("cce logits", new CategoricalCrossentropy(true), t, logits, null);
        checkGradient("cce smoothing", new CategoricalCrossentropy(false, 0.2), t, probs, null);
        checkGradient("cce logits smoothing weighted", new CategoricalCrossentropy(true, 0.1), t, logits, w);
        Tensor soft = uniform(rnd, 0, 1, 4, 5);
        checkGradient("cce soft labels", new CategoricalCrossentropy(), soft, probs, null);

        Tensor ids = Tensor.of(new double[] {0, 4, 2, 2});
        checkGradient("scce probabilities", new SparseCategoricalCrossentropy(), ids, probs, null);
        checkGradient("scce logits", new SparseCategoricalCrossentropy(true), ids.reshape(4, 1), logits, w);

        Tensor bits = Tensor.of(new double[][] {{0, 1, 1}, {1, 0, 0}, {1, 1, 0}});
        checkGradient("bce probabilities", new BinaryCrossentropy(), bits, uniform(rnd, 0.05, 0.95, 3, 3), null);
        checkGradient("bce logits", new BinaryCrossentropy(true), bits, normal(rnd, 3.0, 3, 3), null);
        checkGradient("bce logits smoothing", BinaryCrossentropy.builder().fromLogits(true).labelSmoothing(0.1)
                .build(), bits, normal(rnd, 1.0, 3, 3), Tensor.of(new double[] {1, 2, 3}));

        checkGradient("mse", new MeanSquaredError(), normal(rnd, 1, 3, 4), normal(rnd, 1, 3, 4), null);
        checkGradient("mse rank 1 vs (n, 1)", new MeanSquaredError(), normal(rnd, 1, 5), normal(rnd, 1, 5, 1),
                null);
    }

    @Test
    void bceLogitsGradientAtZeroIsSigmoidMinusLabel() {
        Tensor x = Tensor.of(new double[][] {{0, 0}});
        Tensor z = Tensor.of(new double[][] {{0, 1}});
        Tensor g;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            g = tape.gradient(new BinaryCrossentropy(true).call(z, x), x)[0];
        }
        // d/dx mean(...) = (sigmoid(0) - z) / 2 per element
        assertEquals(0.25, g.getDouble(0, 0), 1e-15);
        assertEquals(-0.25, g.getDouble(0, 1), 1e-15);
    }

    @Test
    void mseGradientWithRespectToBothArguments() {
        Tensor a = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        Tensor b = Tensor.of(new double[][] {{0, 2}, {5, 1}});
        Tensor[] g;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(a, b);
            g = tape.gradient(new MeanSquaredError().call(a, b), a, b);
        }
        // d/da mean((a - b)^2) over 4 elements = (a - b) / 2
        assertEquals(List.of(0.5, 0.0, -1.0, 1.5), List.of(g[0].getDouble(0, 0), g[0].getDouble(0, 1),
                g[0].getDouble(1, 0), g[0].getDouble(1, 1)));
        assertEquals(-1.5, g[1].getDouble(1, 1), 1e-15);
    }

    // ---- errors ---------------------------------------------------------------------------------------------

    private static void assertMessage(Runnable r, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, r::run);
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "'" + p + "' in: " + e.getMessage());
        }
    }

    @Test
    void mismatchedShapesNameBothShapes() {
        Tensor a = Tensor.zeros(DType.FLOAT32, 2, 3);
        Tensor b = Tensor.zeros(DType.FLOAT32, 2, 4);
        assertMessage(() -> new CategoricalCrossentropy().call(a, b), "(2, 3)", "(2, 4)");
        assertMessage(() -> new BinaryCrossentropy().call(a, b), "(2, 3)", "(2, 4)");
        assertMessage(() -> new MeanSquaredError().call(a, Tensor.zeros(DType.FLOAT32, 3, 3)), "(2, 3)", "(3, 3)");
        assertMessage(() -> new SparseCategoricalCrossentropy().call(Tensor.zeros(DType.FLOAT32, 3), b), "(3,)",
                "(2, 4)");
        assertMessage(() -> new MeanSquaredError().call(a, a, Tensor.ones(DType.FLOAT32, 3)), "sample_weight",
                "(3,)", "(2,)");
    }

    @Test
    void sparseLabelErrorsNameTheFirstBadLabel() {
        Tensor p = Tensor.full(DType.FLOAT32, 1.0 / 3, 4, 3);
        assertMessage(() -> new SparseCategoricalCrossentropy().call(Tensor.of(new float[] {0, 2, 3, 7}), p),
                "label 3", "index 2", "3 classes");
        assertMessage(() -> new SparseCategoricalCrossentropy().call(Tensor.of(new float[] {0, -1, 1, 1}), p),
                "label -1", "index 1");
        assertMessage(() -> new SparseCategoricalCrossentropy().call(Tensor.of(new float[] {0, 1, 1.5f, 1}), p),
                "1.5", "index 2", "not an integer");
    }

    @Test
    void invalidArguments() {
        assertThrows(IllegalArgumentException.class, () -> new CategoricalCrossentropy(false, 1.5));
        assertThrows(IllegalArgumentException.class,
                () -> BinaryCrossentropy.builder().labelSmoothing(-0.1).build());
    }

    // ---- names and configs ----------------------------------------------------------------------------------

    @Test
    void lookupNamesAndConfigs() {
        assertInstanceOf(CategoricalCrossentropy.class, Losses.get("categorical_crossentropy"));
        assertInstanceOf(SparseCategoricalCrossentropy.class, Losses.get("sparse_categorical_crossentropy"));
        assertInstanceOf(BinaryCrossentropy.class, Losses.get("binary_crossentropy"));
        assertInstanceOf(MeanSquaredError.class, Losses.get("mse"));
        assertInstanceOf(MeanSquaredError.class, Losses.get("MeanSquaredError"));
        assertEquals("categorical_crossentropy", Losses.get("categorical_crossentropy").name());
        assertEquals("mean_squared_error", Losses.get("mse").name());
        assertMessage(() -> Losses.get("hinge"), "hinge", "categorical_crossentropy", "mse");

        Map<String, Object> c = new CategoricalCrossentropy().getConfig();
        assertEquals(Map.of("name", "categorical_crossentropy", "reduction", "sum_over_batch_size", "from_logits",
                false, "label_smoothing", 0.0, "axis", -1), c);
        assertTrue(new SparseCategoricalCrossentropy().getConfig().containsKey("ignore_class"));
        List<Loss> all = List.of(CategoricalCrossentropy.builder().fromLogits(true).labelSmoothing(0.1).axis(0)
                .name("cce").build(), new SparseCategoricalCrossentropy(true, "s"), BinaryCrossentropy.builder()
                .labelSmoothing(0.2).build(), new MeanSquaredError("m"));
        for (Loss l : all) {
            Loss back = Losses.fromConfig(Losses.serialize(l));
            assertEquals(l.getClass(), back.getClass());
            assertEquals(l.getConfig(), back.getConfig());
        }
        assertMessage(() -> Losses.fromConfig("MeanSquaredError", Map.of("reduction", "sum")), "sum");
        assertMessage(() -> Losses.fromConfig("BinaryCrossentropy", Map.of("fromLogits", true)), "fromLogits");
        assertMessage(() -> Losses.fromConfig("SparseCategoricalCrossentropy", Map.of("ignore_class", 0)),
                "ignore_class");
    }
}
