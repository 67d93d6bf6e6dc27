package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The channels-last normalize pass of the {@link Kernels} in use (vector: constants in registers) against the scalar
 * {@link Kernels} loop: the same bits for every column count (whole two-vector groups, single vectors, scalar
 * tails, fewer columns than a vector), row count and offset, and nothing written outside the chunk.
 */
class ColumnNormalizeTest {
    private static float[] floats(int n, long seed, double offset, double scale) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (offset + scale * r.nextGaussian());
        }
        return f;
    }

    @Test
    void bitIdenticalToTheScalarLoops() {
        Kernels scalar = KernelProvider.scalar();
        Kernels cs = KernelProvider.get();
        for (int cols : new int[] {1, 3, 8, 15, 16, 17, 33, 64, 70, 128, 130}) {
            for (int rows : new int[] {1, 2, 5, 128}) {
                int off = 5;
                int n = off + rows * cols + 4;
                float[] x = floats(n, cols * 7L + rows, 100, 3);
                float[] center = floats(cols, 1, 100, 1);
                float[] scale = floats(cols, 2, 1, 0.5);
                float[] shift = floats(cols, 3, 0, 1);
                float[] want = floats(n, 9, 0, 1);
                float[] got = want.clone();
                scalar.scaleShiftColumns(x, off, rows, cols, center, scale, shift, want);
                cs.scaleShiftColumns(x, off, rows, cols, center, scale, shift, got);
                assertArrayEquals(want, got, "scaleShift, cols " + cols + " rows " + rows);
            }
        }
    }
}
