package org.norm4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;

/**
 * The destination-taking variants of {@link BatchNorms#training} and {@link BatchNorms#inference}: the same bits
 * as the allocating ones for adjacent and transposed kept axes, every element written, and the errors.
 */
class BatchNormsOutTest {
    /** {dims..., then the kept axes after a -1 separator}: channels last, channels first, non-adjacent axes. */
    private static final int[][][] CASES = {
        {{4, 24, 24, 64}, {-1}},   // channels last, large enough for the pool
        {{4, 64, 24, 24}, {1}},    // channels first
        {{6, 5, 4, 3}, {1, 3}},    // non-adjacent kept axes: transposed view
        {{2, 3, 5}, {0, 2}},       // non-adjacent, rank 3
    };

    private static Object nanFilled(Tensor x) {
        if (x.dtype() == DType.FLOAT32) {
            float[] f = new float[x.size()];
            Arrays.fill(f, Float.NaN);
            return f;
        }
        double[] d = new double[x.size()];
        Arrays.fill(d, Double.NaN);
        return d;
    }

    private static void assertSameBits(Tensor want, Tensor got, String what) {
        assertTrue(want.shape().equals(got.shape()), what + ": shape");
        if (want.dtype() == DType.FLOAT32) {
            assertArrayEquals(want.toFloatArray(), got.toFloatArray(), what);
        } else {
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), what);
        }
    }

    @Test
    void intoDestinationEqualsTheAllocatingVariantBitForBit() {
        for (int[][] c : CASES) {
            int[] dims = c[0];
            int[] axis = c[1];
            int channels = 1;
            for (int ax : axis) {
                channels *= dims[ax < 0 ? dims.length + ax : ax];
            }
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                String what = Arrays.toString(dims) + " axis " + Arrays.toString(axis) + " " + dt.pyName();
                Tensor x = Tensor.randomNormal(dt, 2, 3, 81, dims);
                Tensor gamma = Tensor.randomUniform(dt, 0.5, 2, 82, channels);
                Tensor beta = Tensor.randomNormal(dt, 0, 1, 83, channels);
                Tensor mean = Tensor.randomNormal(dt, 2, 0.1, 84, channels);
                Tensor variance = Tensor.randomUniform(dt, 1, 4, 85, channels);

                BatchNorms.Training want = BatchNorms.training(x, axis, gamma, beta, 1e-3);
                Object out = nanFilled(x);
                BatchNorms.Training got = out instanceof float[]
                        ? BatchNorms.training(x, axis, gamma, beta, 1e-3, (float[]) out)
                        : BatchNorms.training(x, axis, gamma, beta, 1e-3, (double[]) out);
                assertSame(out, got.y().raw(), what + ": training y is a view of the destination");
                assertSameBits(want.y(), got.y(), what + ": training y");
                assertSameBits(want.mean(), got.mean(), what + ": mean");
                assertSameBits(want.variance(), got.variance(), what + ": variance");

                Tensor wantI = BatchNorms.inference(x, axis, mean, variance, gamma, null, 1e-3);
                Object outI = nanFilled(x);
                Tensor gotI = outI instanceof float[]
                        ? BatchNorms.inference(x, axis, mean, variance, gamma, null, 1e-3, (float[]) outI)
                        : BatchNorms.inference(x, axis, mean, variance, gamma, null, 1e-3, (double[]) outI);
                assertSame(outI, gotI.raw(), what + ": inference y is a view of the destination");
                assertSameBits(wantI, gotI, what + ": inference y");
            }
        }
    }

    @Test
    void errorsFollowTheDestinationPolicy() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 1, 91, 2, 3, 4);
        Tensor g = Tensor.ones(DType.FLOAT32, 4);
        int[] axis = {-1};
        IllegalArgumentException len = assertThrows(IllegalArgumentException.class,
            () -> BatchNorms.training(x, axis, g, g, 1e-3, new float[23]));
        assertTrue(len.getMessage().contains("yOut has length 23") && len.getMessage().contains(x.shape().toString())
                && len.getMessage().contains("expected length 24"), len.getMessage());
        IllegalArgumentException type = assertThrows(IllegalArgumentException.class,
            () -> BatchNorms.inference(x, axis, g, g, g, g, 1e-3, new double[24]));
        assertTrue(type.getMessage().contains("expected a float[]"), type.getMessage());
        IllegalArgumentException alias = assertThrows(IllegalArgumentException.class,
            () -> BatchNorms.inference(x, axis, g, g, null, null, 1e-3, (float[]) x.raw()));
        assertTrue(alias.getMessage().contains("backing array of x"), alias.getMessage());
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            IllegalStateException taped = assertThrows(IllegalStateException.class,
                () -> BatchNorms.training(x, axis, g, g, 1e-3, new float[24]));
            assertTrue(taped.getMessage().contains("use the allocating variant inside a tape"), taped.getMessage());
        }
    }
}
