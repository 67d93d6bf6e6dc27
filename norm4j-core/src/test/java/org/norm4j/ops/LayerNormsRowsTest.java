package org.norm4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Parallel;

/**
 * The last-axis fast path of {@link LayerNorms} against the generic path (the same data transposed, normalized
 * over axis 0), and its determinism over thread counts.
 */
class LayerNormsRowsTest {
    private final int defaultThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(defaultThreads);
    }

    private static float[] floats(Random r, int n, double offset) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (r.nextGaussian() * 3 + offset);
        }
        return a;
    }

    private static float[] transpose(float[] a, int rows, int cols) {
        float[] t = new float[a.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = a[i * cols + j];
            }
        }
        return t;
    }

    private static double[] toDoubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }

    /** {y, dx, dgamma, dbeta} of the op on x [rows, len] over the last axis, or on x^T over axis 0. */
    private static Tensor[] run(int kind, Tensor x, Tensor g, Tensor b, Tensor dy, boolean transposed) {
        int[] axes = {transposed ? 0 : -1};
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x, g);
            if (b != null) {
                tape.watch(b);
            }
            Tensor y = kind == 0 ? LayerNorms.layerNormalization(x, axes, g, b, 1e-3, false)
                    : kind == 1 ? LayerNorms.layerNormalization(x, axes, g, null, 1e-3, true)
                    : LayerNorms.rmsNormalization(x, axes, g, 1e-6);
            Tensor[] d = tape.gradient(y, b == null ? new Tensor[] {x, g} : new Tensor[] {x, g, b}, dy);
            return new Tensor[] {y, d[0], d[1], b == null ? null : d[2]};
        }
    }

    @Test
    void fastPathMatchesGenericPath() {
        Random r = new Random(42);
        for (int[] shape : new int[][] {{5, 7}, {37, 100}, {3, 1030}}) {
            int rows = shape[0];
            int len = shape[1];
            float[] xs = floats(r, rows * len, 40);
            float[] dys = floats(r, rows * len, 0);
            float[] gs = floats(r, len, 1);
            float[] bs = floats(r, len, 0);
            for (int kind = 0; kind < 3; kind++) {
                for (boolean f64 : new boolean[] {false, true}) {
                    Shape s = Shape.of(rows, len);
                    Shape st = Shape.of(len, rows);
                    Shape p = Shape.of(len);
                    Tensor b = kind == 0 ? (f64 ? Tensor.wrap(toDoubles(bs), p) : Tensor.wrap(bs, p)) : null;
                    Tensor g = f64 ? Tensor.wrap(toDoubles(gs), p) : Tensor.wrap(gs, p);
                    Tensor[] fast = run(kind, f64 ? Tensor.wrap(toDoubles(xs), s) : Tensor.wrap(xs, s), g, b,
                            f64 ? Tensor.wrap(toDoubles(dys), s) : Tensor.wrap(dys, s), false);
                    float[] xt = transpose(xs, rows, len);
                    float[] dyt = transpose(dys, rows, len);
                    Tensor[] gen = run(kind, f64 ? Tensor.wrap(toDoubles(xt), st) : Tensor.wrap(xt, st), g, b,
                            f64 ? Tensor.wrap(toDoubles(dyt), st) : Tensor.wrap(dyt, st), true);
                    String what = "kind " + kind + (f64 ? " float64 " : " float32 ") + rows + "x" + len;
                    assertArrayEquals(transpose(gen[0].toFloatArray(), len, rows), fast[0].toFloatArray(),
                            what + " y");
                    float[] dxGen = transpose(gen[1].toFloatArray(), len, rows);
                    float[] dxFast = fast[1].toFloatArray();
                    for (int i = 0; i < dxFast.length; i++) { // row sums may be added in another order
                        assertEquals(dxGen[i], dxFast[i], 1e-5 * (1 + Math.abs(dxGen[i])), what + " dx " + i);
                    }
                    assertArrayEquals(gen[2].toFloatArray(), fast[2].toFloatArray(), 1e-4f, what + " dgamma");
                    if (b != null) {
                        assertArrayEquals(gen[3].toFloatArray(), fast[3].toFloatArray(), 1e-4f, what + " dbeta");
                    }
                }
            }
        }
    }

    /**
     * Rows whose first element (the shift of the single-read statistics) is an outlier, so that the shifted sums
     * are rejected and the exact two-pass fallback runs, next to ordinary rows and rows with a large offset: the
     * float32 output agrees with the float64 path on the same values to float32 rounding.
     */
    @Test
    void shiftedStatisticsAndTheirFallbackMatchFloat64() {
        Random r = new Random(9);
        int rows = 12;
        int len = 1000;
        float[] xs = new float[rows * len];
        for (int s = 0; s < rows; s++) {
            double offset = s % 3 == 2 ? 1e6 : 0;
            for (int i = 0; i < len; i++) {
                xs[s * len + i] = (float) (offset + r.nextGaussian());
            }
            if (s % 3 == 1) {
                xs[s * len] = (float) (offset + 1e4); // |k - mean| >> std: S1^2/n ~ S2, the fallback runs
            }
        }
        Tensor y32 = LayerNorms.layerNormalization(Tensor.wrap(xs, Shape.of(rows, len)), new int[] {-1}, null, null,
                1e-3, false);
        Tensor y64 = LayerNorms.layerNormalization(Tensor.wrap(toDoubles(xs), Shape.of(rows, len)),
                new int[] {-1}, null, null, 1e-3, false);
        float[] got = y32.toFloatArray();
        double[] want = (double[]) y64.raw();
        for (int i = 0; i < got.length; i++) {
            assertEquals(want[i], got[i], 4 * Math.ulp((float) want[i]) + 1e-6, "element " + i);
        }
    }

    /**
     * Regression: dgamma and dbeta of rows longer than 256 (several column blocks) against a direct computation
     * ({@code sum over rows of dy * xhat}, {@code sum of dy}), with and without dx requested (the fused backward
     * and the separate parameter pass), on the fast path and on the permuted generic path.
     */
    @Test
    void parameterGradientsOfLongRows() {
        Random r = new Random(13);
        for (int len : new int[] {300, 1030}) {
            int rows = 20;
            float[] xs = floats(r, rows * len, 5);
            float[] dys = floats(r, rows * len, 0);
            float[] gs = floats(r, len, 1);
            Tensor g = Tensor.wrap(gs, Shape.of(len));
            Tensor b = Tensor.wrap(new float[len], Shape.of(len));
            double[] wantG = new double[len];
            double[] wantB = new double[len];
            for (int s = 0; s < rows; s++) {
                double m = 0;
                for (int i = 0; i < len; i++) {
                    m += xs[s * len + i];
                }
                m /= len;
                double v = 0;
                for (int i = 0; i < len; i++) {
                    v += (xs[s * len + i] - m) * (xs[s * len + i] - m);
                }
                double inv = 1 / Math.sqrt(v / len + 1e-3);
                for (int i = 0; i < len; i++) {
                    wantG[i] += dys[s * len + i] * (xs[s * len + i] - m) * inv;
                    wantB[i] += dys[s * len + i];
                }
            }
            for (int variant = 0; variant < 3; variant++) {
                boolean transposed = variant == 2;
                Tensor x = transposed ? Tensor.wrap(transpose(xs, rows, len), Shape.of(len, rows))
                        : Tensor.wrap(xs, Shape.of(rows, len));
                Tensor dy = transposed ? Tensor.wrap(transpose(dys, rows, len), Shape.of(len, rows))
                        : Tensor.wrap(dys, Shape.of(rows, len));
                try (GradientTape tape = new GradientTape()) {
                    tape.watch(x, g, b);
                    Tensor y = LayerNorms.layerNormalization(x, new int[] {transposed ? 0 : -1}, g, b, 1e-3, false);
                    Tensor[] d = variant == 1 ? tape.gradient(y, new Tensor[] {g, b}, dy)
                            : Arrays.copyOfRange(tape.gradient(y, new Tensor[] {x, g, b}, dy), 1, 3);
                    float[] dg = d[0].toFloatArray();
                    float[] db = d[1].toFloatArray();
                    for (int i = 0; i < len; i++) {
                        String what = "len " + len + " variant " + variant + " column " + i;
                        assertEquals(wantG[i], dg[i], 1e-5 * (1 + Math.abs(wantG[i])), what + " dgamma");
                        assertEquals(wantB[i], db[i], 1e-5 * (1 + Math.abs(wantB[i])), what + " dbeta");
                    }
                }
            }
        }
    }

    @Test
    void fastPathIsDeterministicOverThreads() {
        Random r = new Random(7);
        int rows = 600;
        int len = 512;
        Tensor x = Tensor.wrap(floats(r, rows * len, 3), Shape.of(rows, len));
        Tensor dy = Tensor.wrap(floats(r, rows * len, 0), Shape.of(rows, len));
        Tensor g = Tensor.wrap(floats(r, len, 1), Shape.of(len));
        Tensor b = Tensor.wrap(floats(r, len, 0), Shape.of(len));
        for (int kind = 0; kind < 3; kind++) {
            Parallel.setThreads(1);
            Tensor[] one = run(kind, x, g, kind == 0 ? b : null, dy, false);
            Parallel.setThreads(4);
            Tensor[] four = run(kind, x, g, kind == 0 ? b : null, dy, false);
            for (int i = 0; i < 4; i++) {
                if (one[i] != null) {
                    assertArrayEquals(one[i].toFloatArray(), four[i].toFloatArray(), "kind " + kind + " out " + i);
                }
            }
        }
    }
}
