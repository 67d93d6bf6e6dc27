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
 * The destination-taking variants of {@link Nn#fusedBatchNorm} and {@link Nn#fusedBatchNormGrad}: the same bits
 * as the allocating variants in every mode, every element of the destination written, and the argument errors.
 */
class FusedBatchNormOutTest {
    private static final String[] FORMATS = {"NHWC", "NCHW"};
    private static final DType[] DTYPES = {DType.FLOAT32, DType.FLOAT64};

    /** A small shape (calling thread) and one large enough to be split across the pool. */
    private static int[][] shapes(String fmt) {
        return fmt.equals("NHWC") ? new int[][] {{2, 3, 5, 7}, {4, 24, 24, 64}}
                : new int[][] {{2, 7, 3, 5}, {4, 64, 24, 24}};
    }

    private static int channels(int[] dims, String fmt) {
        return fmt.equals("NHWC") ? dims[3] : dims[1];
    }

    /** A destination of x's type and size, filled with NaN so that an unwritten element shows. */
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
        assertTrue(want.shape().equals(got.shape()), what + ": shape " + got.shape() + " vs " + want.shape());
        if (want.dtype() == DType.FLOAT32) {
            assertArrayEquals(want.toFloatArray(), got.toFloatArray(), what);
        } else {
            assertArrayEquals(want.toDoubleArray(), got.toDoubleArray(), what);
        }
    }

    private static Nn.FusedBatchNormResult forward(Tensor x, Tensor scale, Tensor offset, Tensor mean,
            Tensor variance, String fmt, boolean training, double factor, Object out) {
        return out instanceof float[]
                ? Nn.fusedBatchNorm(x, scale, offset, mean, variance, 1e-3, fmt, training, factor, (float[]) out)
                : Nn.fusedBatchNorm(x, scale, offset, mean, variance, 1e-3, fmt, training, factor, (double[]) out);
    }

    private static Nn.FusedBatchNormGradResult backward(Tensor dy, Tensor x, Tensor scale, Tensor m, Tensor v,
            String fmt, boolean training, Object out) {
        return out instanceof float[]
                ? Nn.fusedBatchNormGrad(dy, x, scale, m, v, 1e-3, fmt, training, (float[]) out)
                : Nn.fusedBatchNormGrad(dy, x, scale, m, v, 1e-3, fmt, training, (double[]) out);
    }

    @Test
    void forwardIntoDestinationEqualsTheAllocatingVariantBitForBit() {
        for (String fmt : FORMATS) {
            for (DType dt : DTYPES) {
                for (int[] dims : shapes(fmt)) {
                    int c = channels(dims, fmt);
                    Tensor x = Tensor.randomNormal(dt, 3, 2, 11, dims);
                    Tensor scale = Tensor.randomUniform(dt, 0.5, 2, 12, c);
                    Tensor offset = Tensor.randomNormal(dt, 0, 1, 13, c);
                    Tensor mean = Tensor.randomNormal(dt, 3, 0.1, 14, c);
                    Tensor variance = Tensor.randomUniform(dt, 1, 5, 15, c);
                    for (boolean training : new boolean[] {true, false}) {
                        for (double factor : new double[] {1.0, 0.3}) {
                            String what = fmt + " " + dt.pyName() + " " + Arrays.toString(dims)
                                    + (training ? " training" : " inference") + " factor " + factor;
                            Nn.FusedBatchNormResult want = Nn.fusedBatchNorm(x, scale, offset, mean, variance,
                                    1e-3, fmt, training, factor);
                            Object out = nanFilled(x);
                            Nn.FusedBatchNormResult got = forward(x, scale, offset, mean, variance, fmt, training,
                                    factor, out);
                            assertSame(out, got.y().raw(), what + ": y is a view of the destination");
                            assertSameBits(want.y(), got.y(), what + ": y");
                            assertSameBits(want.batchMean(), got.batchMean(), what + ": batchMean");
                            assertSameBits(want.batchVariance(), got.batchVariance(), what + ": batchVariance");
                            assertSameBits(want.reserveSpace1(), got.reserveSpace1(), what + ": reserveSpace1");
                            assertSameBits(want.reserveSpace2(), got.reserveSpace2(), what + ": reserveSpace2");
                        }
                    }
                }
            }
        }
    }

    @Test
    void gradIntoDestinationEqualsTheAllocatingVariantBitForBit() {
        for (String fmt : FORMATS) {
            for (DType dt : DTYPES) {
                for (int[] dims : shapes(fmt)) {
                    int c = channels(dims, fmt);
                    Tensor x = Tensor.randomNormal(dt, -1, 3, 21, dims);
                    Tensor dy = Tensor.randomNormal(dt, 0, 1, 22, dims);
                    Tensor scale = Tensor.randomUniform(dt, 0.5, 2, 23, c);
                    Tensor offset = Tensor.randomNormal(dt, 0, 1, 24, c);
                    Nn.FusedBatchNormResult f = Nn.fusedBatchNorm(x, scale, offset, null, null, 1e-3, fmt, true,
                            1.0);
                    for (boolean training : new boolean[] {true, false}) {
                        String what = fmt + " " + dt.pyName() + " " + Arrays.toString(dims)
                                + (training ? " training" : " inference");
                        Nn.FusedBatchNormGradResult want = Nn.fusedBatchNormGrad(dy, x, scale, f.reserveSpace1(),
                                f.reserveSpace2(), 1e-3, fmt, training);
                        Object out = nanFilled(x);
                        Nn.FusedBatchNormGradResult got = backward(dy, x, scale, f.reserveSpace1(),
                                f.reserveSpace2(), fmt, training, out);
                        assertSame(out, got.xBackprop().raw(), what + ": xBackprop is a view of the destination");
                        assertSameBits(want.xBackprop(), got.xBackprop(), what + ": xBackprop");
                        assertSameBits(want.scaleBackprop(), got.scaleBackprop(), what + ": scaleBackprop");
                        assertSameBits(want.offsetBackprop(), got.offsetBackprop(), what + ": offsetBackprop");
                    }
                }
            }
        }
    }

    @Test
    void reusingTheDestinationChangesTheEarlierResult() {
        Tensor x1 = Tensor.randomNormal(DType.FLOAT32, 0, 1, 31, 2, 4, 4, 3);
        Tensor x2 = Tensor.randomNormal(DType.FLOAT32, 5, 2, 32, 2, 4, 4, 3);
        Tensor scale = Tensor.ones(DType.FLOAT32, 3);
        Tensor offset = Tensor.zeros(DType.FLOAT32, 3);
        float[] out = new float[x1.size()];
        Tensor y1 = Nn.fusedBatchNorm(x1, scale, offset, null, null, 1e-3, "NHWC", true, 1.0, out).y();
        float[] first = y1.toFloatArray();
        Tensor y2 = Nn.fusedBatchNorm(x2, scale, offset, null, null, 1e-3, "NHWC", true, 1.0, out).y();
        assertArrayEquals(y2.toFloatArray(), y1.toFloatArray(), "y1 is a view of the reused array");
        assertArrayEquals(Nn.fusedBatchNorm(x2, scale, offset).y().toFloatArray(), y2.toFloatArray());
        assertTrue(!Arrays.equals(first, y1.toFloatArray()), "the second call wrote the array");
    }

    private static void assertMessage(Throwable e, String... parts) {
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), "message '" + e.getMessage() + "' should name '" + p + "'");
        }
    }

    @Test
    void wrongLengthNamesTheArrayItsLengthTheShapeAndTheExpectedLength() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 1, 41, 2, 3, 3, 4);
        Tensor dy = Tensor.randomNormal(DType.FLOAT32, 0, 1, 42, 2, 3, 3, 4);
        Tensor scale = Tensor.ones(DType.FLOAT32, 4);
        Tensor offset = Tensor.zeros(DType.FLOAT32, 4);
        for (int length : new int[] {71, 73, 0}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNorm(x,
                    scale, offset, null, null, 1e-3, "NHWC", true, 1.0, new float[length]));
            assertMessage(e, "yOut", "length " + length, x.shape().toString(), "expected length 72");
            IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNormGrad(
                    dy, x, scale, scale, scale, 1e-3, "NHWC", true, new float[length]));
            assertMessage(g, "xBackpropOut", "length " + length, x.shape().toString(), "expected length 72");
        }
        Tensor x64 = x.asType(DType.FLOAT64);
        Tensor s64 = scale.asType(DType.FLOAT64);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNorm(x64,
                s64, s64, null, null, 1e-3, "NHWC", true, 1.0, new double[10]));
        assertMessage(e, "yOut", "length 10", "expected length 72");
    }

    @Test
    void wrongElementTypeNamesTheExpectedArrayType() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 1, 51, 2, 3, 3, 4);
        Tensor scale = Tensor.ones(DType.FLOAT32, 4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNorm(x,
                scale, scale, null, null, 1e-3, "NHWC", true, 1.0, new double[x.size()]));
        assertMessage(e, "yOut", "expected a float[]", "float32");
        Tensor x64 = x.asType(DType.FLOAT64);
        Tensor s64 = scale.asType(DType.FLOAT64);
        IllegalArgumentException f = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNorm(x64,
                s64, s64, s64, s64, 1e-3, "NCHW", false, 1.0, new float[x.size()]));
        assertMessage(f, "yOut", "expected a double[]", "float64");
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNormGrad(
                x64, x64, s64, s64, s64, 1e-3, "NHWC", true, new float[x.size()]));
        assertMessage(g, "xBackpropOut", "expected a double[]");
    }

    @Test
    void theInputsOwnArraysAreRejected() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 1, 61, 2, 3, 3, 4);
        Tensor dy = Tensor.randomNormal(DType.FLOAT32, 0, 1, 62, 2, 3, 3, 4);
        Tensor scale = Tensor.ones(DType.FLOAT32, 4);
        float[] xs = (float[]) x.raw();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNorm(x,
                scale, scale, null, null, 1e-3, "NHWC", true, 1.0, xs));
        assertMessage(e, "yOut", "backing array of x");
        IllegalArgumentException g = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNormGrad(
                dy, x, scale, scale, scale, 1e-3, "NHWC", true, xs));
        assertMessage(g, "xBackpropOut", "backing array of x");
        IllegalArgumentException h = assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNormGrad(
                dy, x, scale, scale, scale, 1e-3, "NHWC", true, (float[]) dy.raw()));
        assertMessage(h, "xBackpropOut", "backing array of yBackprop");
        Tensor x64 = x.asType(DType.FLOAT64);
        Tensor s64 = scale.asType(DType.FLOAT64);
        assertThrows(IllegalArgumentException.class, () -> Nn.fusedBatchNorm(x64, s64, s64, null, null, 1e-3,
                "NHWC", true, 1.0, (double[]) x64.raw()));
        assertArrayEquals(Tensor.randomNormal(DType.FLOAT32, 0, 1, 61, 2, 3, 3, 4).toFloatArray(), xs,
                "x untouched");
        assertThrows(NullPointerException.class, () -> Nn.fusedBatchNorm(x, scale, scale, null, null, 1e-3,
                "NHWC", true, 1.0, (float[]) null));
    }

    @Test
    void aRecordingTapeRefusesDestinationVariants() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0, 1, 71, 2, 3, 3, 4);
        Tensor scale = Tensor.ones(DType.FLOAT32, 4);
        float[] out = new float[x.size()];
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Nn.fusedBatchNorm(x, scale,
                    scale, null, null, 1e-3, "NHWC", true, 1.0, out));
            assertMessage(e, "not recorded on a GradientTape", "yOut", "use the allocating variant inside a tape");
            IllegalStateException g = assertThrows(IllegalStateException.class, () -> Nn.fusedBatchNormGrad(x, x,
                    scale, scale, scale, 1e-3, "NHWC", true, out));
            assertMessage(g, "not recorded on a GradientTape", "xBackpropOut");
        }
        // outside the tape the same call works
        Nn.fusedBatchNorm(x, scale, scale, null, null, 1e-3, "NHWC", true, 1.0, out);
    }
}
