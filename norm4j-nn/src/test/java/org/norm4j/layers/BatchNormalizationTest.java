package org.norm4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.constraints.MaxNorm;
import org.norm4j.constraints.NonNeg;
import org.norm4j.initializers.Constant;
import org.norm4j.kernel.Parallel;
import org.norm4j.layers.BatchNormalization.Convention;
import org.norm4j.models.FitOptions;
import org.norm4j.models.Sequential;
import org.norm4j.ops.BatchNorms;
import org.norm4j.ops.Nn;
import org.norm4j.regularizers.L1;
import org.norm4j.regularizers.L2;

/** BatchNormalization: the layer contract, then statistics, moving statistics per convention, gradients, errors. */
class BatchNormalizationTest {

    @Test
    void contract() {
        LayerContract.check(BatchNormalization::new, new int[] {5}, new int[] {5}, 2, 2);
        LayerContract.check(() -> BatchNormalization.builder().axis(1).build(), new int[] {3, 4}, new int[] {3, 4},
                2, 2);
        LayerContract.check(() -> BatchNormalization.builder().center(false).scale(false).build(), new int[] {4},
                new int[] {4}, 0, 2);
        LayerContract.check(() -> BatchNormalization.builder().axis(new int[] {1, 3}).momentum(0.9).epsilon(1e-4)
                .gammaRegularizer(new L2(1e-3)).betaRegularizer(new L1(1e-3)).gammaConstraint(new MaxNorm(3.0, 0))
                .betaConstraint(new NonNeg()).build(), new int[] {2, 3, 2}, new int[] {2, 3, 2}, 2, 2);
        LayerContract.check(() -> BatchNormalization.builder().convention(Convention.PYTORCH).momentum(null)
                .build(), new int[] {3}, new int[] {3}, 2, 3);
        LayerContract.check(() -> BatchNormalization.builder().convention(Convention.TF_FUSED).axis(-1).build(),
                new int[] {2, 2, 3}, new int[] {2, 2, 3}, 2, 2);
    }

    @Test
    void configHasKerasKeysAndDefaults() {
        Map<String, Object> c = new BatchNormalization().getConfig();
        assertEquals(List.of("name", "trainable", "dtype", "axis", "momentum", "epsilon", "center", "scale",
                "beta_initializer", "gamma_initializer", "moving_mean_initializer", "moving_variance_initializer",
                "beta_regularizer", "gamma_regularizer", "beta_constraint", "gamma_constraint", "synchronized"),
                List.copyOf(c.keySet()));
        assertEquals(-1, c.get("axis"));
        assertEquals(0.99, c.get("momentum"));
        assertEquals(1e-3, c.get("epsilon"));
        BatchNormalization torch = BatchNormalization.builder().convention(Convention.PYTORCH).build();
        assertEquals(0.1, torch.momentum());
        assertEquals(1e-5, torch.epsilon());
        assertEquals("pytorch", torch.getConfig().get("norm4j_convention"));
        // a config as Keras 3.16 writes it (renorm keys included) loads
        Map<String, Object> keras = new java.util.LinkedHashMap<>(c);
        keras.put("axis", 1);
        keras.put("renorm", false);
        keras.put("renorm_clipping", null);
        keras.put("renorm_momentum", 0.99);
        keras.put("gamma_regularizer", Map.of("class_name", "L2", "config", Map.of("l2", 0.02)));
        BatchNormalization fromKeras = BatchNormalization.fromConfig(keras);
        assertEquals(1, fromKeras.getConfig().get("axis"));
        assertEquals(Map.of("l2", 0.02), ((Map<?, ?>) fromKeras.getConfig().get("gamma_regularizer")).get("config"));
        keras.put("synchronized", true);
        assertThrows(IllegalArgumentException.class, () -> BatchNormalization.fromConfig(keras));
    }

    /** Keras's test_correctness: N(5, 10) data comes out with mean 0 and std 1 in training, for several axes. */
    @Test
    void trainingOutputHasZeroMeanUnitStd() {
        int[][] shapes = {{1000, 4}, {200, 3, 5}, {50, 4, 3, 2}};
        int[] axes = {-1, 1, 1};
        for (int k = 0; k < shapes.length; k++) {
            Tensor x = Tensor.randomNormal(DType.FLOAT32, 5, 10, 40 + k, shapes[k]);
            BatchNormalization bn = BatchNormalization.builder().axis(axes[k]).momentum(0.0).build();
            Tensor y = bn.apply(x, true);
            int kept = axes[k] < 0 ? shapes[k].length - 1 : axes[k];
            int[] reduced = java.util.stream.IntStream.range(0, shapes[k].length).filter(i -> i != kept).toArray();
            for (double m : y.mean(reduced).toDoubleArray()) {
                assertEquals(0, m, 1e-5);
            }
            for (double s : y.std(reduced).toDoubleArray()) {
                assertEquals(1, s, 1e-3);
            }
            // momentum 0: the moving statistics are the batch's, so inference now gives the training output
            assertArrayEquals(y.toFloatArray(), bn.apply(x, false).toFloatArray(), 2e-5f);
            assertArrayEquals(x.mean(reduced).toFloatArray(), bn.movingMean().value().toFloatArray(), 1e-4f);
            assertArrayEquals(x.variance(reduced).toFloatArray(), bn.movingVariance().value().toFloatArray(), 1e-2f);
        }
    }

    /** The worked example of tf-keras-semantics.md 3.9 (float64 values computed from the formulas). */
    @Test
    void goldenValuesForwardBackwardAndOneStep() {
        Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 6}, {5, 10}, {7, 14}});
        Tensor dy = Tensor.of(new float[][] {{1, 0}, {0, 1}, {2, -1}, {-1, 3}});
        for (Convention conv : Convention.values()) {
            BatchNormalization bn = BatchNormalization.builder().convention(conv).momentum(conv == Convention.PYTORCH
                    ? 0.01 : 0.99).epsilon(1e-3).build();
            bn.buildFor(new int[] {-1, 2});
            bn.gamma().assign(Tensor.of(new float[] {1, 2}, 2));
            bn.beta().assign(Tensor.of(new float[] {0, 1}, 2));
            List<Tensor> g;
            Tensor y;
            Tensor[] dx;
            try (GradientTape tape = GradientTape.persistent()) {
                tape.watch(x);
                y = bn.apply(x, true);
                g = tape.gradient(y, List.of(bn.gamma(), bn.beta()), dy, GradientTape.UnconnectedGradients.NONE);
                dx = tape.gradient(y, new Tensor[] {x}, dy);
            }
            assertArrayEquals(new float[] {-1.3415066f, -1.6832145f, -0.4471689f, 0.1055952f, 0.4471689f, 1.8944048f,
                1.3415066f, 3.6832145f}, y.toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {-1.7886755f, 3.1304169f}, g.get(0).toFloatArray(), 1e-5f);
            assertArrayEquals(new float[] {2, 3}, g.get(1).toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {-0.0446632f, 0.1341372f, -0.3130003f, 0.2683136f, 0.7601692f, -0.9391172f,
                -0.4025056f, 0.5366664f}, dx[0].toFloatArray(), 1e-6f);
            assertArrayEquals(new float[] {0.04f, 0.08f}, bn.movingMean().value().toFloatArray(), 1e-6f);
            float[] mv = conv == Convention.KERAS ? new float[] {1.04f, 1.19f} : new float[] {1.0566667f, 1.2566667f};
            assertArrayEquals(mv, bn.movingVariance().value().toFloatArray(), 1e-6f, conv.name());
            if (conv == Convention.KERAS) {
                assertArrayEquals(new float[] {0.9409052f, 4.5186441f, 2.9011244f, 11.8491527f, 4.8613435f,
                    19.1796613f, 6.8215627f, 26.5101698f}, bn.apply(x, false).toFloatArray(), 2e-6f);
            }
        }
    }

    /** Moving statistics after k training steps, against the closed form of each convention in plain double. */
    @Test
    void movingStatisticsClosedFormPerConvention() {
        Random rnd = new Random(5);
        int[][] shapes = {{8, 3}, {4, 3, 2, 2}};
        int[] axes = {-1, 1};
        Object[][] cases = {{Convention.KERAS, 0.9}, {Convention.TF_FUSED, 0.9}, {Convention.PYTORCH, 0.1},
            {Convention.PYTORCH, null}, {Convention.KERAS, 0.99}};
        for (int s = 0; s < shapes.length; s++) {
            for (Object[] cs : cases) {
                Convention conv = (Convention) cs[0];
                Double m = (Double) cs[1];
                BatchNormalization bn = BatchNormalization.builder().convention(conv).momentum(m).axis(axes[s]).build();
                double[] mm = {0, 0, 0};
                double[] mv = {1, 1, 1};
                for (int step = 1; step <= 6; step++) {
                    Tensor x = Tensor.randomNormal(DType.FLOAT32, 2, 3, rnd.nextLong(), shapes[s]);
                    bn.apply(x, true);
                    double[][] st = channelStats(x, axes[s] < 0 ? shapes[s].length - 1 : axes[s]);
                    double n = x.size() / 3.0;
                    for (int c = 0; c < 3; c++) {
                        double unbiased = st[1][c] * n / (n - 1);
                        if (conv == Convention.KERAS) {
                            mm[c] = mm[c] * m + st[0][c] * (1 - m);
                            mv[c] = mv[c] * m + st[1][c] * (1 - m);
                        } else if (conv == Convention.TF_FUSED) {
                            mm[c] = mm[c] * m + st[0][c] * (1 - m);
                            mv[c] = mv[c] * m + unbiased * (1 - m);
                        } else {
                            double f = m == null ? 1.0 / step : m;
                            mm[c] = (1 - f) * mm[c] + f * st[0][c];
                            mv[c] = (1 - f) * mv[c] + f * unbiased;
                        }
                    }
                }
                String what = conv + " momentum " + m + " shape " + java.util.Arrays.toString(shapes[s]);
                assertClose(mm, bn.movingMean().value().toDoubleArray(), 2e-6, what + " moving mean");
                assertClose(mv, bn.movingVariance().value().toDoubleArray(), 2e-6, what + " moving variance");
                assertEquals(conv == Convention.PYTORCH ? 6 : 0, bn.numBatchesTracked());
            }
        }
    }

    /** tf-keras test_bessels_correction: x = [0, 2], momentum 0.5, moving variance from 0: fused 1.0, Keras 3 0.5. */
    @Test
    void besselsCorrectionDocVector() {
        for (Convention conv : new Convention[] {Convention.TF_FUSED, Convention.KERAS}) {
            BatchNormalization bn = BatchNormalization.builder().convention(conv).momentum(0.5)
                    .movingVarianceInitializer(new Constant(0.0)).build();
            bn.apply(Tensor.of(new float[] {0, 2}, 2, 1, 1, 1), true);
            assertEquals(conv == Convention.TF_FUSED ? 1.0 : 0.5, bn.movingVariance().value().item(), 1e-7);
        }
    }

    /** One value per channel: variance 0 (never NaN), correction factor 1, the output is beta. */
    @Test
    void oneValuePerChannelBatch() {
        // tf-keras's test: x = 0.5 of shape (1, 1), 10 training calls, momentum 0.99
        BatchNormalization k = new BatchNormalization();
        for (int i = 0; i < 10; i++) {
            Tensor y = k.apply(Tensor.of(new float[] {0.5f}, 1, 1), true);
            assertEquals(0.0, y.item());
        }
        assertEquals(0.0478090, k.movingMean().value().item(), 1e-6);
        assertEquals(0.9043821, k.movingVariance().value().item(), 1e-6);
        for (Convention conv : Convention.values()) {
            BatchNormalization bn = BatchNormalization.builder().convention(conv)
                    .betaInitializer(new Constant(0.25)).build();
            Tensor y = bn.apply(Tensor.of(new float[] {3, -4, 5}, 1, 3), true);
            assertArrayEquals(new float[] {0.25f, 0.25f, 0.25f}, y.toFloatArray());
            float expected = conv == Convention.PYTORCH ? 0.9f : 0.99f;
            assertArrayEquals(new float[] {expected, expected, expected}, bn.movingVariance().value().toFloatArray(),
                    1e-7f);
        }
        // the gradient of a one-value batch is 0 for x, dy for beta, and finite
        Tensor x = Tensor.of(new double[] {3, -4}, 1, 2);
        Tensor gamma = Tensor.of(new double[] {2, 3}, 2);
        try (GradientTape t = new GradientTape()) {
            t.watch(x, gamma);
            Tensor y = BatchNorms.training(x, new int[] {-1}, gamma, null, 1e-3).y();
            Tensor[] g = t.gradient(y, x, gamma);
            assertArrayEquals(new double[] {0, 0}, g[0].toDoubleArray());
            assertArrayEquals(new double[] {0, 0}, g[1].toDoubleArray());
        }
    }

    /** Keras's test_trainable_behavior: a frozen layer runs in inference mode even when training, and never updates. */
    @Test
    void frozenLayerIsInferenceAndDoesNotUpdate() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 5, 10, 3, 200, 3);
        BatchNormalization bn = BatchNormalization.builder().momentum(0.8).epsilon(1e-7).build();
        bn.trainable(false);
        Tensor y = bn.apply(x, true);
        assertArrayEquals(x.toFloatArray(), y.toFloatArray(), 1e-5f);
        assertArrayEquals(new float[] {0, 0, 0}, bn.movingMean().value().toFloatArray());
        assertArrayEquals(new float[] {1, 1, 1}, bn.movingVariance().value().toFloatArray());
        assertTrue(bn.trainableWeights().isEmpty());
        bn.trainable(true);
        for (int i = 0; i < 10; i++) {
            y = bn.apply(x, true);
        }
        for (double m : y.mean(0).toDoubleArray()) {
            assertEquals(0, m, 1e-3);
        }
        for (double s : y.std(0).toDoubleArray()) {
            assertEquals(1, s, 1e-3);
        }
        assertFalse(bn.movingMean().value().toDoubleArray()[0] == 0.0);
    }

    /** Float64 finite differences of the fused op for every center/scale combination and several axis layouts. */
    @Test
    void finiteDifferenceGradientsOfTheFusedOps() {
        Random rnd = new Random(17);
        int[][] shapes = {{5, 3}, {2, 3, 4}, {2, 3, 2, 2}, {3, 2, 4}, {4, 1, 3, 2}, {1, 3}};
        int[][] axes = {{-1}, {1}, {1, 3}, {0, 2}, {0, 2}, {1}};
        for (int s = 0; s < shapes.length; s++) {
            int[] ax = axes[s];
            Tensor x = Tensor.randomNormal(DType.FLOAT64, 1, 2, rnd.nextLong(), shapes[s]);
            int[] stat = x.shape().reduce(x.shape().normalizeAxes(complement(ax, shapes[s].length), "a"), false)
                    .dims();
            Tensor w1 = Tensor.randomNormal(DType.FLOAT64, 0, 1, rnd.nextLong(), stat);
            Tensor w2 = Tensor.randomNormal(DType.FLOAT64, 0, 1, rnd.nextLong(), stat);
            for (int cs = 0; cs < 4; cs++) {
                boolean center = (cs & 1) != 0;
                boolean scale = (cs & 2) != 0;
                Tensor gamma = scale ? Tensor.randomUniform(DType.FLOAT64, 0.5, 2, rnd.nextLong(), stat) : null;
                Tensor beta = center ? Tensor.randomNormal(DType.FLOAT64, 0, 1, rnd.nextLong(), stat) : null;
                String tag = java.util.Arrays.toString(shapes[s]) + " axis " + java.util.Arrays.toString(ax)
                        + " center " + center + " scale " + scale;
                fdCheck("training " + tag, in -> BatchNorms.training(in[0], ax, in[1], in[2], 1e-3).y(), x, gamma,
                        beta);
                // the returned statistics are differentiable too
                fdCheck("training statistics " + tag, in -> {
                    BatchNorms.Training t = BatchNorms.training(in[0], ax, in[1], in[2], 1e-3);
                    return t.y().sum().add(t.mean().mul(w1).sum()).add(t.variance().mul(w2).sum());
                }, x, gamma, beta);
                Tensor mean = Tensor.randomNormal(DType.FLOAT64, 1, 1, rnd.nextLong(), stat);
                Tensor var = Tensor.randomUniform(DType.FLOAT64, 0.5, 3, rnd.nextLong(), stat);
                fdCheck("inference " + tag, in -> BatchNorms.inference(in[0], ax, in[1], in[2], in[3], in[4], 1e-3),
                        x, mean, var, gamma, beta);
            }
        }
    }

    /** Float64 finite differences through the layer itself, built on float64 input, training and inference. */
    @Test
    void finiteDifferenceGradientsThroughTheLayer() {
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 3, 2, 21, 6, 2, 3);
        for (boolean training : new boolean[] {true, false}) {
            BatchNormalization bn = BatchNormalization.builder().axis(1).momentum(0.5).build();
            bn.apply(x, true); // moving statistics away from 0/1
            fdCheck("layer training=" + training, in -> bn.apply(in[0], training), x);
        }
    }

    /**
     * The FusedBatchNormV3 reimplementation in Nn, forward and backward, to an ulp or two: the fused op folds the
     * float32 rounding of the mean into the addend (see BatchNorms), Nn keeps TF's kernel rounding.
     */
    @Test
    void agreesWithNnFusedBatchNorm() {
        Random rnd = new Random(8);
        for (String fmt : new String[] {"NHWC", "NCHW"}) {
            int[] dims = fmt.equals("NHWC") ? new int[] {3, 4, 5, 6} : new int[] {3, 6, 4, 5};
            int[] ax = {fmt.equals("NHWC") ? -1 : 1};
            Tensor x = Tensor.randomNormal(DType.FLOAT32, 2, 3, rnd.nextLong(), dims);
            Tensor gamma = Tensor.randomUniform(DType.FLOAT32, 0.5, 2, rnd.nextLong(), 6);
            Tensor beta = Tensor.randomNormal(DType.FLOAT32, 0, 1, rnd.nextLong(), 6);
            Tensor dy = Tensor.randomNormal(DType.FLOAT32, 0, 1, rnd.nextLong(), dims);
            Nn.FusedBatchNormResult ref = Nn.fusedBatchNorm(x, gamma, beta, null, null, 1e-3, fmt, true, 1.0);
            Nn.FusedBatchNormGradResult refG = Nn.fusedBatchNormGrad(dy, x, gamma, ref.reserveSpace1(),
                    ref.reserveSpace2(), 1e-3, fmt, true);
            Tensor[] g;
            BatchNorms.Training t;
            try (GradientTape tape = new GradientTape()) {
                tape.watch(x, gamma, beta);
                t = BatchNorms.training(x, ax, gamma, beta, 1e-3);
                g = tape.gradient(t.y(), new Tensor[] {x, gamma, beta}, dy);
            }
            assertArrayEquals(ref.y().toFloatArray(), t.y().toFloatArray(), 1e-6f, fmt + " y");
            assertArrayEquals(ref.reserveSpace1().toFloatArray(), t.mean().toFloatArray(), fmt + " mean");
            assertArrayEquals(ref.reserveSpace2().toFloatArray(), t.variance().toFloatArray(), fmt + " variance");
            assertArrayEquals(refG.xBackprop().toFloatArray(), g[0].toFloatArray(), 1e-6f, fmt + " dx");
            assertArrayEquals(refG.scaleBackprop().toFloatArray(), g[1].toFloatArray(), 1e-5f, fmt + " dgamma");
            assertArrayEquals(refG.offsetBackprop().toFloatArray(), g[2].toFloatArray(), fmt + " dbeta");
        }
    }

    /** Data whose mean is 1e4 times its std: float32 outputs and gradients match the float64 computation. */
    @Test
    void accurateOnOffsetDataInFloat32() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 3e4, 3, 11, 64, 5);
        Tensor dy = Tensor.randomNormal(DType.FLOAT32, 0, 1, 12, 64, 5);
        Tensor gamma = Tensor.randomUniform(DType.FLOAT32, 0.5, 2, 13, 5);
        Tensor beta = Tensor.randomNormal(DType.FLOAT32, 0, 1, 14, 5);
        Tensor[][] out = new Tensor[2][];
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            Tensor xd = x.asType(dt);
            Tensor gd = gamma.asType(dt);
            try (GradientTape t = new GradientTape()) {
                t.watch(xd, gd);
                Tensor y = BatchNorms.training(xd, new int[] {-1}, gd, beta.asType(dt), 1e-3).y();
                Tensor[] g = t.gradient(y, new Tensor[] {xd, gd}, dy.asType(dt));
                out[dt == DType.FLOAT32 ? 0 : 1] = new Tensor[] {y, g[0], g[1]};
            }
        }
        String[] what = {"y", "dx", "dgamma"};
        for (int k = 0; k < 3; k++) {
            double[] a = out[0][k].toDoubleArray();
            double[] e = out[1][k].toDoubleArray();
            double scale = 0;
            double err = 0;
            for (int i = 0; i < e.length; i++) {
                scale = Math.max(scale, Math.abs(e[i]));
                err = Math.max(err, Math.abs(a[i] - e[i]));
            }
            assertTrue(err <= 2e-6 * scale, what[k] + ": float32 error " + err + " relative to " + scale);
        }
    }

    @Test
    void sameBitsOnOneOrManyThreads() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 1, 3, 4, 3000, 7, 13);
        Tensor dy = Tensor.randomNormal(DType.FLOAT32, 0, 1, 5, 3000, 7, 13);
        int[][] axes = {{1}, {-1}, {0, 2}};
        float[][][] first = new float[axes.length][][];
        int before = Parallel.threads();
        try {
            for (int threads : new int[] {1, 4}) {
                Parallel.setThreads(threads);
                for (int k = 0; k < axes.length; k++) {
                    float[][] got = new float[2][];
                    try (GradientTape t = new GradientTape()) {
                        t.watch(x);
                        Tensor y = BatchNorms.training(x, axes[k], null, null, 1e-3).y();
                        got[0] = y.toFloatArray();
                        got[1] = t.gradient(y, new Tensor[] {x}, dy)[0].toFloatArray();
                    }
                    if (first[k] == null) {
                        first[k] = got;
                    } else {
                        assertArrayEquals(first[k][0], got[0], "y, axis " + java.util.Arrays.toString(axes[k]));
                        assertArrayEquals(first[k][1], got[1], "dx, axis " + java.util.Arrays.toString(axes[k]));
                    }
                }
            }
        } finally {
            Parallel.setThreads(before);
        }
    }

    @Test
    void regularizersAndConstraintsReachTraining() {
        BatchNormalization bn = BatchNormalization.builder().gammaRegularizer(new L2(0.01))
                .betaRegularizer(new L1(0.01)).gammaConstraint(new NonNeg())
                .gammaInitializer(new Constant(-1.0)).build();
        bn.buildFor(new int[] {-1, 4});
        List<Tensor> losses = bn.losses();
        assertEquals(2, losses.size());
        assertEquals(0.04, losses.get(0).item(), 1e-7);
        assertEquals(0.0, losses.get(1).item());
        Sequential model = new Sequential(new Input(4), bn, new Dense(1));
        model.compile("sgd", "mean_squared_error");
        Tensor xs = Tensor.randomNormal(DType.FLOAT32, 0, 1, 1, 16, 4);
        model.fit(xs, xs.sum(new int[] {1}, true), FitOptions.builder().epochs(1).batchSize(16).verbose(0).build());
        assertArrayEquals(new float[4], bn.gamma().value().toFloatArray(), "NonNeg projects gamma to 0");
        bn.trainable(false);
        assertTrue(bn.losses().isEmpty(), "a frozen layer has no regularization losses (Keras)");
    }

    @Test
    void floatSixtyFourInputComputesInFloat64() {
        BatchNormalization bn = new BatchNormalization();
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 1, 2, 9, 10, 3);
        assertEquals(DType.FLOAT64, bn.apply(x, true).dtype());
        assertEquals(DType.FLOAT64, bn.apply(x, false).dtype());
        assertEquals(DType.FLOAT32, bn.movingMean().dtype());
        assertArrayEquals(x.mean(0).mul(0.01).toFloatArray(), bn.movingMean().value().toFloatArray(), 1e-7f);
    }

    @Test
    void errorMessagesNameTheArgument() {
        Tensor x = Tensor.ones(DType.FLOAT32, 4, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormalization.builder().axis(2).build().apply(x));
        assertTrue(e.getMessage().contains("axis = 2 is out of bounds"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BatchNormalization.builder().axis(new int[] {1, -1}).build().apply(x));
        assertTrue(e.getMessage().contains("Duplicate axes"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchNormalization.builder().axis(0).build().apply(x));
        assertTrue(e.getMessage().contains("no defined dimension"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BatchNormalization.builder().momentum(null).build());
        assertTrue(e.getMessage().contains("momentum = null"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BatchNormalization.builder().momentum(1.5).build());
        assertThrows(IllegalArgumentException.class, () -> BatchNormalization.builder().epsilon(-1).build());
        e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorms.training(x, new int[] {-1}, Tensor.ones(DType.FLOAT32, 4), null, 1e-3));
        assertTrue(e.getMessage().startsWith("gamma has shape (4,)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorms.training(Tensor.ones(DType.FLOAT32, 0, 3), new int[] {-1}, null, null, 1e-3));
        assertTrue(e.getMessage().contains("expected a non-empty batch"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> BatchNorms.training(x, new int[] {0, 0}, null, null, 1e-3));
        assertTrue(e.getMessage().contains("Duplicate axes in axis"), e.getMessage());
        BatchNormalization built = new BatchNormalization();
        built.apply(x);
        assertThrows(IllegalArgumentException.class, () -> built.apply(Tensor.ones(DType.FLOAT32, 4, 5)));
        assertNull(BatchNormalization.builder().scale(false).build().gamma());
    }

    // ---- helpers ------------------------------------------------------------------------------------

    /** Per-channel mean and biased variance in double along the kept axis {@code axis}. */
    private static double[][] channelStats(Tensor x, int axis) {
        int[] dims = x.shape().dims();
        int inner = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            inner *= dims[i];
        }
        int c = dims[axis];
        double[] v = x.toDoubleArray();
        double[] sum = new double[c];
        double[] cnt = new double[c];
        for (int i = 0; i < v.length; i++) {
            int ch = (i / inner) % c;
            sum[ch] += v[i];
            cnt[ch]++;
        }
        double[] mean = new double[c];
        double[] var = new double[c];
        for (int ch = 0; ch < c; ch++) {
            mean[ch] = sum[ch] / cnt[ch];
        }
        for (int i = 0; i < v.length; i++) {
            int ch = (i / inner) % c;
            var[ch] += (v[i] - mean[ch]) * (v[i] - mean[ch]) / cnt[ch];
        }
        return new double[][] {mean, var};
    }

    private static void assertClose(double[] expected, double[] actual, double rtol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], rtol * Math.max(1, Math.abs(expected[i])), what + " [" + i + "]");
        }
    }

    private static int[] complement(int[] axes, int rank) {
        boolean[] kept = new boolean[rank];
        for (int a : axes) {
            kept[a < 0 ? a + rank : a] = true;
        }
        return java.util.stream.IntStream.range(0, rank).filter(i -> !kept[i]).toArray();
    }

    /**
     * Central differences in float64 ({@code h = 1e-6}) of {@code sum(w * f(inputs))} for a random {@code w},
     * against the tape's gradient for every non-null input: {@code |analytic - numeric| <= 1e-8 + 1e-6 |numeric|}.
     */
    private static void fdCheck(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        Tensor y;
        Tensor[] grads;
        Tensor w;
        List<Tensor> watched = new java.util.ArrayList<>();
        for (Tensor t : inputs) {
            if (t != null) {
                watched.add(t);
            }
        }
        try (GradientTape tape = new GradientTape()) {
            tape.watch(watched.toArray(new Tensor[0]));
            y = f.apply(inputs);
            w = Tensor.randomNormal(DType.FLOAT64, 0, 1, name.hashCode(), y.shape().dims());
            Tensor[] g = tape.gradient(y, watched.toArray(new Tensor[0]), w);
            grads = new Tensor[inputs.length];
            for (int i = 0, k = 0; i < inputs.length; i++) {
                grads[i] = inputs[i] == null ? null : g[k++];
            }
        }
        double h = 1e-6;
        double[] wv = w.toDoubleArray();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i] == null) {
                continue;
            }
            assertNotNull(grads[i], name + ": gradient of input " + i);
            assertEquals(inputs[i].shape(), grads[i].shape(), name + ": gradient shape of input " + i);
            double[] x = inputs[i].toDoubleArray();
            double[] analytic = grads[i].toDoubleArray();
            for (int j = 0; j < x.length; j++) {
                double[] up = x.clone();
                double[] down = x.clone();
                up[j] += h;
                down[j] -= h;
                Tensor[] a = inputs.clone();
                Tensor[] b = inputs.clone();
                a[i] = Tensor.of(up, inputs[i].shape().dims());
                b[i] = Tensor.of(down, inputs[i].shape().dims());
                double[] fu = f.apply(a).toDoubleArray();
                double[] fd = f.apply(b).toDoubleArray();
                double s = 0;
                for (int k = 0; k < wv.length; k++) {
                    s += wv[k] * (fu[k] - fd[k]);
                }
                double numeric = s / (2 * h);
                double err = Math.abs(analytic[j] - numeric);
                assertTrue(err <= 1e-8 + 1e-6 * Math.abs(numeric), name + ": d/d input " + i + " element " + j
                        + ": analytic " + analytic[j] + " vs numeric " + numeric);
            }
        }
    }
}
