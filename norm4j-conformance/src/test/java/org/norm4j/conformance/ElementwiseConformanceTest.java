package org.norm4j.conformance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import static org.norm4j.conformance.Conformance.arr;
import static org.norm4j.conformance.Conformance.assertConforms;

import java.util.Random;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.conformance.Tf.Arr;
import org.norm4j.ops.Elementwise;
import org.norm4j.ops.Nn;
import org.norm4j.ops.Reductions;

/**
 * Broadcasting elementwise math, matmul, transpose, and the propagation of NaN and infinities through the
 * normalization functions, against TensorFlow. Tolerances relative to the largest |value| of the output:
 * float32 2e-6 for arithmetic, 1e-5 for transcendental functions (TF uses vectorized approximations),
 * float64 1e-14 (1e-12 for transcendental functions).
 */
class ElementwiseConformanceTest {
    private static final int CASES = 200;

    @BeforeAll
    static void requireTf() {
        assumeTrue(Tf.available(), () -> "TensorFlow Java unavailable here: " + Tf.unavailableReason());
    }

    @AfterAll
    static void report() {
        if (Tf.available()) {
            Conformance.report("elementwise, matmul, NaN/Inf");
        }
    }

    @Test
    void broadcastingArithmetic() {
        Random rnd = new Random(50);
        for (int c = 0; c < CASES; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int rank = 1 + rnd.nextInt(5);
            int[] dims = Conformance.randomDims(rnd, rank, 5);
            int[] bd = java.util.Arrays.copyOfRange(dims, rnd.nextInt(rank), rank);
            for (int i = 0; i < bd.length; i++) {
                if (rnd.nextInt(3) == 0) {
                    bd[i] = 1;
                }
            }
            Tensor a = Tensor.randomNormal(dt, 0, 2, rnd.nextLong(), dims);
            Tensor b = Tensor.randomUniform(dt, 0.5, 2, rnd.nextLong(), bd);
            double t = dt == DType.FLOAT32 ? 2e-6 : 1e-14;
            double tt = dt == DType.FLOAT32 ? 1e-5 : 1e-12;
            String s = " " + dt.pyName();
            assertConforms("add" + s, Tf.add(arr(a), arr(b)), Elementwise.add(a, b), t, 1e-30);
            assertConforms("sub" + s, Tf.sub(arr(b), arr(a)), Elementwise.sub(b, a), t, 1e-30);
            assertConforms("mul" + s, Tf.mul(arr(a), arr(b)), Elementwise.mul(a, b), t, 1e-30);
            assertConforms("div" + s, Tf.div(arr(a), arr(b)), Elementwise.div(a, b), t, 1e-30);
            assertConforms("maximum" + s, Tf.maximum(arr(a), arr(b)), Elementwise.maximum(a, b), 0, 1e-30);
            assertConforms("minimum" + s, Tf.minimum(arr(b), arr(a)), Elementwise.minimum(b, a), 0, 1e-30);
            assertConforms("pow" + s, Tf.pow(arr(b), arr(a)), Elementwise.pow(b, a), tt, 1e-30);
            assertConforms("neg" + s, Tf.neg(arr(a)), Elementwise.neg(a), 0, 1e-30);
            assertConforms("abs" + s, Tf.abs(arr(a)), Elementwise.abs(a), 0, 1e-30);
            assertConforms("square" + s, Tf.square(arr(a)), Elementwise.square(a), t, 1e-30);
            assertConforms("sqrt" + s, Tf.sqrt(arr(b)), Elementwise.sqrt(b), tt, 1e-30);
            assertConforms("rsqrt" + s, Tf.rsqrt(arr(b)), Elementwise.rsqrt(b), tt, 1e-30);
            assertConforms("exp" + s, Tf.exp(arr(a)), Elementwise.exp(a), tt, 1e-30);
            assertConforms("log" + s, Tf.log(arr(b)), Elementwise.log(b), tt, 1e-30);
            int[] perm = new int[rank];
            for (int i = 0; i < rank; i++) {
                perm[i] = i;
            }
            java.util.Collections.shuffle(java.util.Arrays.asList(java.util.Arrays.stream(perm).boxed()
                    .toArray(Integer[]::new)), rnd);
            for (int i = rank - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int tmp = perm[i];
                perm[i] = perm[j];
                perm[j] = tmp;
            }
            assertConforms("transpose" + s, Tf.transpose(arr(a), perm), a.transpose(perm), 0, 1e-30);
            int m = 1 + rnd.nextInt(20);
            int k = 1 + rnd.nextInt(40);
            int n = 1 + rnd.nextInt(20);
            Tensor p = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), m, k);
            Tensor q = Tensor.randomNormal(dt, 0, 1, rnd.nextLong(), k, n);
            assertConforms("matmul" + s, Tf.matmul(arr(p), arr(q)), p.matmul(q), dt == DType.FLOAT32 ? 1e-5 : 1e-13, 1e-30);
        }
    }

    /** NaN and Inf planted in the data must come out where TensorFlow puts them. */
    @Test
    void nanAndInfPropagateLikeTensorFlow() {
        Random rnd = new Random(51);
        double[] specials = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
        for (int c = 0; c < 60; c++) {
            DType dt = c % 2 == 0 ? DType.FLOAT32 : DType.FLOAT64;
            int[] dims = Conformance.randomDims(rnd, 2 + rnd.nextInt(3), 5);
            double[] v = Tensor.randomNormal(DType.FLOAT64, 0, 1, rnd.nextLong(), dims).toDoubleArray();
            v[rnd.nextInt(v.length)] = specials[c % 3];
            Tensor x = dt == DType.FLOAT32 ? Tensor.of(v, dims).asType(DType.FLOAT32) : Tensor.of(v, dims);
            int[] axes = Conformance.randomAxes(rnd, dims.length);
            Arr xa = arr(x);
            String s = " " + dt.pyName() + " with " + specials[c % 3];
            double t = dt == DType.FLOAT32 ? 1e-5 : 1e-12;
            assertConforms("reduce_max" + s, Tf.reduceMax(xa, axes, false), Reductions.max(x, axes, false), 0, 1e-30);
            assertConforms("reduce_sum" + s, Tf.reduceSum(xa, axes, false), Reductions.sum(x, axes, false), t, 1e-30);
            Tf.Moments tm = Tf.moments(xa, axes, false);
            Nn.Moments m = Nn.moments(x, axes, false);
            assertConforms("moments mean" + s, tm.mean(), m.mean(), t, 1e-30);
            assertConforms("moments variance" + s, tm.variance(), m.variance(), t, 1e-30);
            assertConforms("l2_normalize" + s, Tf.l2Normalize(xa, axes, 1e-12), Nn.l2Normalize(x, axes, 1e-12), t, 1e-30);
            Tensor ones = Tensor.ones(dt, dims[dims.length - 1]);
            assertConforms("batch_normalization" + s, Tf.batchNormalization(xa, arr(ones), arr(ones), null, null, 1e-3),
                    Nn.batchNormalization(x, ones, ones, null, null, 1e-3), t, 1e-30);
        }
    }
}
