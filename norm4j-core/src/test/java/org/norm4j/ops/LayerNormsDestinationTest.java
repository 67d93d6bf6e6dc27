package org.norm4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/** The destination-taking variants of {@link LayerNorms}: same bits as the allocating ones, and the policy. */
class LayerNormsDestinationTest {
    private static Tensor random(Random r, DType dt, double offset, int... dims) {
        Shape s = Shape.of(dims);
        if (dt == DType.FLOAT32) {
            float[] a = new float[s.size()];
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (offset + 2 * r.nextGaussian());
            }
            return Tensor.wrap(a, s);
        }
        double[] a = new double[s.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = offset + 2 * r.nextGaussian();
        }
        return Tensor.wrap(a, s);
    }

    private static Object nanFilled(DType dt, int n) {
        if (dt == DType.FLOAT32) {
            float[] a = new float[n];
            Arrays.fill(a, Float.NaN);
            return a;
        }
        double[] a = new double[n];
        Arrays.fill(a, Double.NaN);
        return a;
    }

    private interface Into {
        Tensor run(Object out);
    }

    private static void same(Tensor want, Into into, DType dt, String what) {
        Object out = nanFilled(dt, want.size());
        Tensor got = into.run(out);
        assertSame(out, got.raw(), what + ": the result wraps out");
        assertTrue(got.shape().equals(want.shape()), what + ": shape " + got.shape());
        if (dt == DType.FLOAT32) {
            assertArrayEquals((float[]) want.raw(), (float[]) out, what); // bit-identical, NaNs overwritten
        } else {
            assertArrayEquals((double[]) want.raw(), (double[]) out, what);
        }
    }

    @Test
    void bitIdenticalToTheAllocatingVariants() {
        Random r = new Random(3);
        int[][] shapes = {{4, 7}, {16, 100}, {3, 1030}, {2, 3, 40}, {0, 8}};
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] dims : shapes) {
                Tensor x = random(r, dt, 30, dims);
                int last = dims[dims.length - 1];
                Tensor g = random(r, dt, 1, last);
                Tensor b = random(r, dt, 0, last);
                int[][] axesSets = dims.length == 3 ? new int[][] {{-1}, {1}, {1, 2}} : new int[][] {{-1}, {0}};
                for (int[] axes : axesSets) {
                    boolean lastOnly = axes.length == 1 && (axes[0] == -1 || axes[0] == dims.length - 1);
                    Tensor gg = lastOnly ? g : null;
                    Tensor bb = lastOnly ? b : null;
                    String what = dt + " " + Arrays.toString(dims) + " axes " + Arrays.toString(axes);
                    same(LayerNorms.layerNormalization(x, axes, gg, bb, 1e-3, false),
                            out -> dt == DType.FLOAT32
                                    ? LayerNorms.layerNormalization(x, axes, gg, bb, 1e-3, false, (float[]) out)
                                    : LayerNorms.layerNormalization(x, axes, gg, bb, 1e-3, false, (double[]) out),
                            dt, what + " layer");
                    same(LayerNorms.layerNormalization(x, axes, gg, null, 1e-3, true),
                            out -> dt == DType.FLOAT32
                                    ? LayerNorms.layerNormalization(x, axes, gg, null, 1e-3, true, (float[]) out)
                                    : LayerNorms.layerNormalization(x, axes, gg, null, 1e-3, true, (double[]) out),
                            dt, what + " rms scaling");
                    same(LayerNorms.rmsNormalization(x, axes, gg, 1e-6),
                            out -> dt == DType.FLOAT32 ? LayerNorms.rmsNormalization(x, axes, gg, 1e-6, (float[]) out)
                                    : LayerNorms.rmsNormalization(x, axes, gg, 1e-6, (double[]) out),
                            dt, what + " rms");
                }
            }
            for (int[] dims : new int[][] {{2, 6, 5, 8}, {3, 8, 5, 4}}) {
                Tensor x = random(r, dt, -7, dims);
                for (int axis : new int[] {-1, 1}) {
                    int c = dims[axis == -1 ? dims.length - 1 : 1];
                    Tensor g = random(r, dt, 1, c);
                    Tensor b = random(r, dt, 0, c);
                    same(LayerNorms.groupNormalization(x, 2, axis, g, b, 1e-3),
                            out -> dt == DType.FLOAT32
                                    ? LayerNorms.groupNormalization(x, 2, axis, g, b, 1e-3, (float[]) out)
                                    : LayerNorms.groupNormalization(x, 2, axis, g, b, 1e-3, (double[]) out),
                            dt, dt + " group " + Arrays.toString(dims) + " axis " + axis);
                }
            }
        }
    }

    @Test
    void destinationPolicy() {
        Random r = new Random(5);
        Tensor x = random(r, DType.FLOAT32, 0, 4, 8);
        Tensor xd = random(r, DType.FLOAT64, 0, 4, 8);
        int[] axes = {-1};
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LayerNorms.layerNormalization(x, axes, null, null, 1e-3, false, new float[31]));
        assertTrue(e.getMessage().contains("out has length 31") && e.getMessage().contains("32")
                && e.getMessage().contains("(4, 8)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerNorms.rmsNormalization(x, axes, null, 1e-6, new double[32]));
        assertTrue(e.getMessage().contains("out") && e.getMessage().contains("float[32]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerNorms.layerNormalization(xd, axes, null, null, 1e-3, false, new float[32]));
        assertTrue(e.getMessage().contains("out") && e.getMessage().contains("double[32]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> LayerNorms.layerNormalization(x, axes, null, null, 1e-3, false, (float[]) x.raw()));
        assertTrue(e.getMessage().contains("out is the backing array of x"), e.getMessage());
        NullPointerException npe = assertThrows(NullPointerException.class,
                () -> LayerNorms.groupNormalization(x, 2, -1, null, null, 1e-3, (float[]) null));
        assertTrue(npe.getMessage().contains("out must not be null"), npe.getMessage());
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            IllegalStateException s = assertThrows(IllegalStateException.class,
                    () -> LayerNorms.layerNormalization(x, axes, null, null, 1e-3, false, new float[32]));
            assertTrue(s.getMessage().contains("destination variants are not recorded on a GradientTape")
                    && s.getMessage().contains("allocating variant"), s.getMessage());
            assertThrows(IllegalStateException.class,
                    () -> LayerNorms.rmsNormalization(x, axes, null, 1e-6, new float[32]));
            assertThrows(IllegalStateException.class,
                    () -> LayerNorms.groupNormalization(x, 2, -1, null, null, 1e-3, new float[32]));
        }
        // after the tape is closed the variant works again
        LayerNorms.layerNormalization(x, axes, null, null, 1e-3, false, new float[32]);
    }
}
