package org.norm4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Function;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;

/**
 * Central finite differences in float64, the oracle for every differentiable op.
 *
 * <p>For a function {@code f} of some tensors and a random seed {@code w} shaped like its output, the tape's
 * vector-Jacobian product {@code w^T df/dx} is compared with {@code sum_k w_k (f_k(x + h e_j) - f_k(x - h e_j))
 * / 2h} for every element j of every input. The differences are formed per output element before they are
 * weighted, so outputs that do not depend on {@code x_j} cancel exactly and the rounding error stays near
 * {@code 1e-16 |f| / h}. Tolerances: {@code h = 1e-6}, {@code |analytic - numeric| <= ATOL + RTOL |numeric|}
 * with {@code RTOL = 1e-6}, {@code ATOL = 1e-8}.
 */
final class GradCheck {
    static final double H = 1e-6;
    static final double RTOL = 1e-6;
    static final double ATOL = 1e-8;

    private GradCheck() {
    }

    /** Checks the gradient of {@code f} with respect to every input (all float64). */
    static void check(String name, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(name, f, RTOL, ATOL, inputs);
    }

    static void check(String name, Function<Tensor[], Tensor> f, double rtol, double atol, Tensor... inputs) {
        for (Tensor in : inputs) {
            assertEquals(DType.FLOAT64, in.dtype(), name + ": gradient checks run in float64");
        }
        Tensor y;
        Tensor[] grads;
        Tensor w;
        try (GradientTape tape = new GradientTape()) {
            tape.watch(inputs);
            y = f.apply(inputs);
            w = Tensor.randomNormal(DType.FLOAT64, 0, 1, name.hashCode(), y.shape().dims());
            grads = tape.gradient(y, inputs, w);
        }
        double[] wv = w.toDoubleArray();
        for (int i = 0; i < inputs.length; i++) {
            Tensor g = grads[i];
            assertNotNull(g, name + ": gradient of input " + i + " is null");
            assertEquals(inputs[i].shape(), g.shape(), name + ": shape of the gradient of input " + i);
            assertEquals(DType.FLOAT64, g.dtype(), name + ": dtype of the gradient of input " + i);
            double[] numeric = numeric(f, inputs, i, wv);
            double[] analytic = g.toDoubleArray();
            for (int j = 0; j < numeric.length; j++) {
                double err = Math.abs(analytic[j] - numeric[j]);
                if (!(err <= atol + rtol * Math.abs(numeric[j]))) {
                    fail(name + ": d/d input" + i + Arrays.toString(inputs[i].shape().dims()) + " element " + j
                            + ": analytic " + analytic[j] + " vs numeric " + numeric[j] + " (error " + err + ")");
                }
            }
        }
    }

    /** The finite-difference vector-Jacobian product with respect to input {@code i}. */
    static double[] numeric(Function<Tensor[], Tensor> f, Tensor[] inputs, int i, double[] w) {
        double[] x = inputs[i].toDoubleArray();
        double[] out = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double[] up = x.clone();
            double[] down = x.clone();
            up[j] += H;
            down[j] -= H;
            double[] fu = f.apply(replace(inputs, i, Tensor.of(up, inputs[i].shape().dims()))).toDoubleArray();
            double[] fd = f.apply(replace(inputs, i, Tensor.of(down, inputs[i].shape().dims()))).toDoubleArray();
            double s = 0;
            for (int k = 0; k < w.length; k++) {
                s += w[k] * (fu[k] - fd[k]);
            }
            out[j] = s / (2 * H);
        }
        return out;
    }

    private static Tensor[] replace(Tensor[] inputs, int i, Tensor t) {
        Tensor[] c = inputs.clone();
        c[i] = t;
        return c;
    }

    /**
     * Second order: with {@code G(x) = w2 . grad_x (w1 . f(x))} computed by an inner tape, checks the outer
     * tape's gradient of G by finite differences of G (a Hessian-vector product check).
     */
    static void checkSecondOrder(String name, Function<Tensor, Tensor> f, Tensor x, double rtol, double atol) {
        Tensor y0 = f.apply(x);
        Tensor w1 = Tensor.randomNormal(DType.FLOAT64, 0, 1, name.hashCode(), y0.shape().dims());
        Tensor w2 = Tensor.randomNormal(DType.FLOAT64, 0, 1, name.hashCode() + 1, x.shape().dims());
        Function<Tensor[], Tensor> firstOrder = in -> {
            try (GradientTape inner = new GradientTape()) {
                inner.watch(in[0]);
                Tensor y = f.apply(in[0]);
                Tensor g = inner.gradient(y, new Tensor[] {in[0]}, w1)[0];
                return g.mul(w2).sum();
            }
        };
        check(name + " (second order)", firstOrder, rtol, atol, x);
    }

    // ---- random data --------------------------------------------------------------------------------

    static Tensor normal(Random rnd, int... dims) {
        return Tensor.randomNormal(DType.FLOAT64, 0, 1, rnd.nextLong(), dims);
    }

    static Tensor uniform(Random rnd, double lo, double hi, int... dims) {
        return Tensor.randomUniform(DType.FLOAT64, lo, hi, rnd.nextLong(), dims);
    }

    /** Normal values pushed at least {@code gap} away from zero (for kinks at 0). */
    static Tensor awayFromZero(Random rnd, double gap, int... dims) {
        double[] v = normal(rnd, dims).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] += Math.copySign(gap, v[i]);
        }
        return Tensor.of(v, dims);
    }

    static int[] dims(Random rnd, int rank, int max) {
        int[] d = new int[rank];
        for (int i = 0; i < rank; i++) {
            d[i] = 1 + rnd.nextInt(max);
        }
        return d;
    }

    /** A pair of shapes that broadcast to a random output shape: sizes set to 1 and leading axes dropped. */
    static int[][] broadcastPair(Random rnd) {
        int rank = rnd.nextInt(4);
        int[] out = dims(rnd, rank, 4);
        int[] a = out.clone();
        int[] b = out.clone();
        for (int i = 0; i < rank; i++) {
            int k = rnd.nextInt(4);
            if (k == 0) {
                a[i] = 1;
            } else if (k == 1) {
                b[i] = 1;
            }
        }
        int dropA = rank == 0 ? 0 : rnd.nextInt(rank + 1) / 2;
        int dropB = rank == 0 ? 0 : rnd.nextInt(rank + 1);
        return new int[][] {Arrays.copyOfRange(a, dropA, rank), Arrays.copyOfRange(b, dropB, rank)};
    }
}
