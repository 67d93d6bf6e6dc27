package org.norm4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Parallel;

/**
 * The channels-last column path of group normalization ({@code [n, h, w, c]}, axis -1) against the generic path
 * on the same data laid out channels-first ({@code [n, c, h, w]}, axis 1), forward and backward, both dtypes, and
 * its determinism over thread counts.
 */
class GroupNormChannelsLastTest {
    private final int defaultThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(defaultThreads);
    }

    private static float[] floats(Random r, int n, double offset, double sd) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = (float) (offset + sd * r.nextGaussian());
        }
        return a;
    }

    /** [n, hw, c] to [n, c, hw]. */
    private static float[] toChannelsFirst(float[] a, int n, int hw, int c) {
        float[] t = new float[a.length];
        for (int s = 0; s < n; s++) {
            for (int q = 0; q < hw; q++) {
                for (int ch = 0; ch < c; ch++) {
                    t[(s * c + ch) * hw + q] = a[(s * hw + q) * c + ch];
                }
            }
        }
        return t;
    }

    private static Tensor t(float[] a, boolean f64, int... dims) {
        if (!f64) {
            return Tensor.wrap(a, Shape.of(dims));
        }
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return Tensor.wrap(d, Shape.of(dims));
    }

    /** {y, dx, dgamma, dbeta}. */
    private static Tensor[] run(Tensor x, int groups, int axis, Tensor g, Tensor b, Tensor dy) {
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x, g, b);
            Tensor y = LayerNorms.groupNormalization(x, groups, axis, g, b, 1e-3);
            Tensor[] d = tape.gradient(y, new Tensor[] {x, g, b}, dy);
            return new Tensor[] {y, d[0], d[1], d[2]};
        }
    }

    @Test
    void channelsLastMatchesChannelsFirst() {
        Random r = new Random(17);
        int[][] cases = {{2, 5, 7, 64, 32}, {3, 4, 4, 12, 3}, {2, 9, 3, 40, 8}, {1, 6, 6, 16, 16}, {2, 3, 5, 6, 1}};
        for (int[] cs : cases) {
            int n = cs[0];
            int hw = cs[1] * cs[2];
            int c = cs[3];
            int groups = cs[4];
            float[] xs = floats(r, n * hw * c, 500, 3);
            float[] dys = floats(r, n * hw * c, 0, 1);
            float[] gs = floats(r, c, 1, 0.2);
            float[] bs = floats(r, c, 0, 0.2);
            for (boolean f64 : new boolean[] {false, true}) {
                Tensor g = t(gs, f64, c);
                Tensor b = t(bs, f64, c);
                Tensor[] last = run(t(xs, f64, n, cs[1], cs[2], c), groups, -1, g, b, t(dys, f64, n, cs[1], cs[2], c));
                Tensor[] first = run(t(toChannelsFirst(xs, n, hw, c), f64, n, c, cs[1], cs[2]), groups, 1, g, b,
                        t(toChannelsFirst(dys, n, hw, c), f64, n, c, cs[1], cs[2]));
                String what = java.util.Arrays.toString(cs) + (f64 ? " float64" : " float32");
                float[] yl = toChannelsFirst(last[0].toFloatArray(), n, hw, c);
                float[] yf = first[0].toFloatArray();
                float[] dl = toChannelsFirst(last[1].toFloatArray(), n, hw, c);
                float[] df = first[1].toFloatArray();
                for (int i = 0; i < yl.length; i++) { // statistics summed in another order: an ulp at most
                    assertEquals(yf[i], yl[i], Math.ulp(yf[i]), what + " y " + i);
                    assertEquals(df[i], dl[i], 1e-5 * (1 + Math.abs(df[i])), what + " dx " + i);
                }
                assertArrayEquals(first[2].toFloatArray(), last[2].toFloatArray(), 1e-3f, what + " dgamma");
                assertArrayEquals(first[3].toFloatArray(), last[3].toFloatArray(), 1e-3f, what + " dbeta");
            }
        }
    }

    @Test
    void channelsLastIsDeterministicOverThreads() {
        Random r = new Random(23);
        int n = 4;
        int h = 40;
        int w = 40;
        int c = 64; // 6400 positions per sample: several blocks of positions per sample
        Tensor x = Tensor.wrap(floats(r, n * h * w * c, 2, 1), Shape.of(n, h, w, c));
        Tensor dy = Tensor.wrap(floats(r, n * h * w * c, 0, 1), Shape.of(n, h, w, c));
        Tensor g = Tensor.wrap(floats(r, c, 1, 0.1), Shape.of(c));
        Tensor b = Tensor.wrap(floats(r, c, 0, 0.1), Shape.of(c));
        Parallel.setThreads(1);
        Tensor[] one = run(x, 32, -1, g, b, dy);
        Parallel.setThreads(3);
        Tensor[] three = run(x, 32, -1, g, b, dy);
        for (int i = 0; i < 4; i++) {
            assertArrayEquals(one[i].toFloatArray(), three[i].toFloatArray(), "output " + i);
        }
    }
}
