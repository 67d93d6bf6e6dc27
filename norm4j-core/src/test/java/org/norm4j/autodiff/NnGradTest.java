package org.norm4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.ops.Nn;

/** Finite-difference checks (float64, see {@link GradCheck}) of every differentiable {@code tf.nn} function. */
class NnGradTest {
    private static final String[] FORMATS = {"NHWC", "NCHW", "NDHWC", "NCDHW"};

    @Test
    void momentsBothOutputsAnyAxes() {
        Random rnd = new Random(11);
        for (int t = 0; t < 12; t++) {
            int rank = 1 + rnd.nextInt(4);
            int[] dims = GradCheck.dims(rnd, rank, 4);
            int[] axes = {rnd.nextInt(rank)};
            if (rank > 1 && rnd.nextBoolean()) {
                axes = new int[] {0, rank - 1};
            }
            boolean keep = rnd.nextBoolean();
            int[] ax = axes;
            Tensor w = GradCheck.normal(rnd, dims); // mixes both outputs into one target
            Tensor x = GradCheck.normal(rnd, dims);
            GradCheck.check("moments mean+var " + x.shape() + Arrays.toString(ax) + keep, in -> {
                Nn.Moments m = Nn.moments(in[0], ax, keep);
                return m.mean().mul(m.mean()).sum().add(m.variance().mul(3.0).sum()).add(in[0].mul(w).sum());
            }, x);
            GradCheck.check("moments variance only " + x.shape(), in -> Nn.moments(in[0], ax, keep).variance(), x);
            GradCheck.check("moments mean only " + x.shape(), in -> Nn.moments(in[0], ax, keep).mean(), x);
        }
        GradCheck.checkSecondOrder("moments", v -> Nn.moments(v, new int[] {1}, true).variance(),
                GradCheck.normal(rnd, 3, 4), 1e-6, 1e-8);
    }

    @Test
    void batchNormalizationWithRespectToAllInputs() {
        Random rnd = new Random(12);
        for (int t = 0; t < 8; t++) {
            int c = 1 + rnd.nextInt(4);
            int[] dims = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3), c};
            Tensor x = GradCheck.normal(rnd, dims);
            // per-channel vectors: the shape the fused inference pass handles
            GradCheck.check("batchNormalization vectors " + x.shape(),
                    in -> Nn.batchNormalization(in[0], in[1], in[2], in[3], in[4], 1e-3), x,
                    GradCheck.normal(rnd, c), GradCheck.uniform(rnd, 0.5, 2, c), GradCheck.normal(rnd, c),
                    GradCheck.normal(rnd, c));
            // statistics of the batch itself, broadcast with keepdims, and no offset/scale
            GradCheck.check("batchNormalization batch statistics " + x.shape(), in -> {
                Nn.Moments m = Nn.moments(in[0], new int[] {0, 1}, true);
                return Nn.batchNormalization(in[0], m.mean(), m.variance(), null, null, 1e-3);
            }, x);
        }
    }

    @Test
    void batchNormalizationTakesTheFusedPathWhenNothingIsWatched() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 1, 1, 4, 3);
        Tensor mean = Tensor.randomNormal(DType.FLOAT32, 0, 1, 2, 3);
        Tensor var = Tensor.randomUniform(DType.FLOAT32, 0.5, 2, 3, 3);
        Tensor fused = Nn.batchNormalization(x, mean, var, null, null, 1e-3);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(mean);
            Tensor composed = Nn.batchNormalization(x, mean, var, null, null, 1e-3);
            assertArrayEquals(fused.toFloatArray(), composed.toFloatArray(), 1e-6f);
            assertTrue(tape.gradient(composed, mean)[0] != null);
        }
    }

    @Test
    void fusedBatchNormTrainingAndInferenceAllFormats() {
        Random rnd = new Random(13);
        for (String fmt : FORMATS) {
            int rank = fmt.length();
            int[] dims = GradCheck.dims(rnd, rank, 3);
            int channelAxis = fmt.endsWith("C") ? rank - 1 : 1;
            dims[channelAxis] = 1 + rnd.nextInt(3);
            dims[0] = 2;
            int c = dims[channelAxis];
            Tensor x = GradCheck.normal(rnd, dims);
            Tensor scale = GradCheck.normal(rnd, c);
            Tensor offset = GradCheck.normal(rnd, c);
            Tensor mean = GradCheck.normal(rnd, c);
            Tensor var = GradCheck.uniform(rnd, 0.5, 2, c);
            GradCheck.check("fusedBatchNorm training " + fmt + " " + x.shape(), in -> Nn.fusedBatchNorm(in[0],
                    in[1], in[2], null, null, 1e-3, fmt, true, 1.0).y(), x, scale, offset);
            GradCheck.check("fusedBatchNorm training with running averages " + fmt, in -> Nn.fusedBatchNorm(in[0],
                    in[1], in[2], mean, var, 1e-3, fmt, true, 0.3).y(), x, scale, offset);
            GradCheck.check("fusedBatchNorm inference " + fmt + " " + x.shape(), in -> Nn.fusedBatchNorm(in[0],
                    in[1], in[2], mean, var, 1e-3, fmt, false, 1.0).y(), x, scale, offset);
        }
    }

    @Test
    void fusedBatchNormHasNoGradientForStatistics() {
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 0, 1, 1, 2, 1, 1, 3);
        Tensor mean = Tensor.zeros(DType.FLOAT64, 3);
        Tensor var = Tensor.ones(DType.FLOAT64, 3);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x, mean, var);
            Nn.FusedBatchNormResult r = Nn.fusedBatchNorm(x, Tensor.ones(DType.FLOAT64, 3),
                    Tensor.zeros(DType.FLOAT64, 3), mean, var, 1e-3, "NHWC", false, 1.0);
            Tensor[] g = tape.gradient(r.y(), x, mean, var);
            assertTrue(g[0] != null);
            assertNull(g[1]);
            assertNull(g[2]);
        }
    }

    /** The numbers of ARCHITECTURE's reference (tf-keras-semantics 3.9), computed in float64 from the formulas. */
    @Test
    void fusedBatchNormMatchesTheReferenceExample() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 6, 5, 10, 7, 14}, 4, 1, 1, 2);
        Tensor gamma = Tensor.of(new double[] {1, 2});
        Tensor beta = Tensor.of(new double[] {0, 1});
        Tensor dy = Tensor.of(new double[] {1, 0, 0, 1, 2, -1, -1, 3}, 4, 1, 1, 2);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x, gamma, beta);
            Tensor y = Nn.fusedBatchNorm(x, gamma, beta, null, null, 1e-3, "NHWC", true, 1.0).y();
            Tensor[] g = tape.gradient(y, new Tensor[] {x, gamma, beta}, dy);
            assertArrayEquals(new double[] {-0.0446632, 0.1341372, -0.3130003, 0.2683136, 0.7601692, -0.9391172,
                -0.4025056, 0.5366664}, g[0].toDoubleArray(), 1e-7);
            assertArrayEquals(new double[] {-1.7886755, 3.1304169}, g[1].toDoubleArray(), 1e-7);
            assertArrayEquals(new double[] {2, 3}, g[2].toDoubleArray(), 1e-12);
        }
    }

    /**
     * STYLE guideline 7: the fused backward agrees with the gradient of the same math composed from primitives
     * (the oracle below), on random shapes, in float64 and float32.
     */
    @Test
    void fusedBatchNormAgreesWithComposedPrimitives() {
        Random rnd = new Random(14);
        for (int t = 0; t < 10; t++) {
            String fmt = FORMATS[t % FORMATS.length];
            DType dt = t % 2 == 0 ? DType.FLOAT64 : DType.FLOAT32;
            int rank = fmt.length();
            int[] dims = GradCheck.dims(rnd, rank, 4);
            int channelAxis = fmt.endsWith("C") ? rank - 1 : 1;
            boolean training = t % 3 != 2;
            Tensor x = Tensor.randomNormal(dt, 3, 2, rnd.nextLong(), dims);
            int c = dims[channelAxis];
            Tensor scale = Tensor.randomNormal(dt, 1, 0.5, rnd.nextLong(), c);
            Tensor offset = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), c);
            Tensor mean = Tensor.randomNormal(dt, 3, 1, rnd.nextLong(), c);
            Tensor var = Tensor.randomUniform(dt, 0.5, 3, rnd.nextLong(), c);
            Tensor dy = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), dims);
            Tensor[] fused;
            Tensor[] composed;
            try (GradientTape tape = new GradientTape()) {
                tape.watch(x, scale, offset);
                Tensor y = Nn.fusedBatchNorm(x, scale, offset, training ? null : mean, training ? null : var, 1e-3,
                        fmt, training, 1.0).y();
                fused = tape.gradient(y, new Tensor[] {x, scale, offset}, dy);
            }
            try (GradientTape tape = new GradientTape()) {
                tape.watch(x, scale, offset);
                Tensor y = composedBatchNorm(x, scale, offset, training ? null : mean, training ? null : var, 1e-3,
                        channelAxis);
                composed = tape.gradient(y, new Tensor[] {x, scale, offset}, dy);
            }
            double tol = dt == DType.FLOAT64 ? 1e-10 : 2e-3;
            for (int i = 0; i < 3; i++) {
                double[] f = fused[i].toDoubleArray();
                double[] e = composed[i].toDoubleArray();
                for (int j = 0; j < f.length; j++) {
                    double err = Math.abs(f[j] - e[j]);
                    assertTrue(err <= tol * Math.max(1, Math.abs(e[j])), fmt + " " + dt + " training=" + training
                            + " input " + i + " element " + j + ": fused " + f[j] + " vs composed " + e[j]);
                }
            }
        }
    }

    /** The oracle: batch norm from primitive ops only, about ten lines as in tinygrad. */
    private static Tensor composedBatchNorm(Tensor x, Tensor scale, Tensor offset, Tensor mean, Tensor var,
            double eps, int channelAxis) {
        int rank = x.rank();
        int[] axes = new int[rank - 1];
        int[] paramShape = new int[rank];
        for (int i = 0, j = 0; i < rank; i++) {
            paramShape[i] = i == channelAxis ? x.shape().dim(i) : 1;
            if (i != channelAxis) {
                axes[j++] = i;
            }
        }
        Tensor mu = mean != null ? mean.reshape(paramShape) : x.mean(axes).reshape(paramShape);
        Tensor centred = x.sub(mu);
        Tensor v = var != null ? var.reshape(paramShape) : centred.square().mean(axes).reshape(paramShape);
        return centred.mul(v.add(eps).rsqrt()).mul(scale.reshape(paramShape)).add(offset.reshape(paramShape));
    }

    @Test
    void secondOrderThroughFusedOpsFailsClearly() {
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 0, 1, 1, 2, 1, 1, 3);
        Tensor ones = Tensor.ones(DType.FLOAT64, 3);
        try (GradientTape outer = new GradientTape()) {
            outer.watch(x);
            Tensor g;
            try (GradientTape inner = new GradientTape()) {
                inner.watch(x);
                Tensor y = Nn.fusedBatchNorm(x, ones, ones).y().square();
                g = inner.gradient(y, x)[0];
            }
            Tensor gg = g;
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> outer.gradient(gg, x));
            assertTrue(e.getMessage().contains("FusedBatchNormGradV3"), e.getMessage());
        }
        Tensor image = Tensor.randomNormal(DType.FLOAT64, 0, 1, 2, 1, 1, 2, 4);
        try (GradientTape outer = new GradientTape()) {
            outer.watch(image);
            Tensor g;
            try (GradientTape inner = new GradientTape()) {
                inner.watch(image);
                g = inner.gradient(Nn.localResponseNormalization(image).square(), image)[0];
            }
            Tensor gg = g;
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> outer.gradient(gg, image));
            assertTrue(e.getMessage().contains("LRNGrad"), e.getMessage());
        }
    }

    @Test
    void localResponseNormalization() {
        Random rnd = new Random(15);
        for (int t = 0; t < 6; t++) {
            int[] dims = {1 + rnd.nextInt(2), 1 + rnd.nextInt(2), 1 + rnd.nextInt(2), 1 + rnd.nextInt(7)};
            int radius = rnd.nextInt(3);
            double beta = t % 3 == 0 ? 0.5 : t % 3 == 1 ? 1.0 : 0.75;
            GradCheck.check("LRN " + Arrays.toString(dims) + " r=" + radius + " beta=" + beta,
                    in -> Nn.localResponseNormalization(in[0], radius, 1.5, 0.3, beta), GradCheck.normal(rnd, dims));
        }
    }

    @Test
    void composedFunctions() {
        Random rnd = new Random(16);
        for (int t = 0; t < 6; t++) {
            int[] dims = GradCheck.dims(rnd, 2 + rnd.nextInt(2), 4);
            dims[0] = 2 + rnd.nextInt(3);
            Tensor x = GradCheck.normal(rnd, dims);
            GradCheck.check("l2Normalize " + x.shape(), in -> Nn.l2Normalize(in[0], -1), x);
            GradCheck.check("l2Normalize all " + x.shape(), in -> Nn.l2Normalize(in[0]), x);
            GradCheck.check("standardize " + x.shape(), in -> Nn.standardize(in[0]), x);
            Tensor w = GradCheck.uniform(rnd, 0.5, 2, dims);
            GradCheck.check("weightedMoments " + x.shape(), in -> {
                Nn.Moments m = Nn.weightedMoments(in[0], new int[] {0}, in[1], false);
                return m.mean().add(m.variance().mul(2.0));
            }, x, w);
            GradCheck.check("sufficientStatistics+normalizeMoments " + x.shape(), in -> {
                Nn.SufficientStatistics s = Nn.sufficientStatistics(in[0], new int[] {0}, in[1], false);
                Nn.Moments m = Nn.normalizeMoments(s.count(), s.meanSS(), s.varianceSS(), in[1]);
                return m.mean().add(m.variance());
            }, x, GradCheck.normal(rnd, dims[dims.length - 1]));
        }
        Tensor zero = Tensor.zeros(DType.FLOAT64, 3);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(zero);
            // TF: below epsilon the max picks the constant, so the gradient is 1/sqrt(eps) = 1e6
            Tensor g = tape.gradient(Nn.l2Normalize(zero, null, 1e-12), zero)[0];
            assertArrayEquals(new double[] {1e6, 1e6, 1e6}, g.toDoubleArray(), 1e-3);
        }
    }

    @Test
    void weightedMomentsWithZeroTotalWeightHaveFiniteGradients() {
        Tensor x = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        Tensor w = Tensor.of(new double[] {0, 1, 0, 1}, 2, 2);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x, w);
            Nn.Moments m = Nn.weightedMoments(x, new int[] {0}, w, false);
            Tensor[] g = tape.gradient(m.mean().add(m.variance()), x, w);
            for (double v : g[0].toDoubleArray()) {
                assertTrue(Double.isFinite(v));
            }
            for (double v : g[1].toDoubleArray()) {
                assertTrue(Double.isFinite(v));
            }
        }
    }

    /**
     * The seed's custom LayerNormalization: {@code mean = reduce_mean(x, -1, keepdims)}, {@code variance =
     * reduce_mean(square(x - mean), -1, keepdims)}, {@code gamma * (x - mean) / sqrt(variance + 1e-6) + beta},
     * differentiated with respect to x, gamma and beta.
     */
    @Test
    void seedLayerNormalizationMath() {
        Random rnd = new Random(17);
        for (int t = 0; t < 6; t++) {
            int[] dims = GradCheck.dims(rnd, 2 + rnd.nextInt(2), 4);
            dims[dims.length - 1] = 2 + rnd.nextInt(6);
            int features = dims[dims.length - 1];
            Tensor x = Tensor.randomNormal(DType.FLOAT64, 2, 3, rnd.nextLong(), dims);
            GradCheck.check("seed LayerNormalization " + x.shape(), in -> seedLayerNorm(in[0], in[1], in[2]), x,
                    GradCheck.normal(rnd, features), GradCheck.normal(rnd, features));
        }
        GradCheck.checkSecondOrder("seed LayerNormalization", v -> seedLayerNorm(v, Tensor.of(new double[] {1, 2,
            3}), Tensor.of(new double[] {0, 0, 1})), GradCheck.normal(rnd, 2, 3), 1e-5, 1e-7);
    }

    static Tensor seedLayerNorm(Tensor x, Tensor gamma, Tensor beta) {
        Tensor mean = x.mean(-1).reshape(keepLast(x));
        Tensor variance = x.sub(mean).square().mean(-1).reshape(keepLast(x));
        Tensor normalized = x.sub(mean).div(variance.add(1e-6).sqrt());
        return gamma.mul(normalized).add(beta);
    }

    private static int[] keepLast(Tensor x) {
        int[] d = x.shape().dims();
        d[d.length - 1] = 1;
        return d;
    }
}
