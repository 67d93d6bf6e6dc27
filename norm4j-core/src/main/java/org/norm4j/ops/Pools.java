package org.norm4j.ops;

import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Pooling;

/**
 * Two-dimensional pooling, {@code tf.nn.max_pool2d} and {@code tf.nn.avg_pool2d}, their gradients (TensorFlow's
 * {@code MaxPoolGrad}, {@code AvgPoolGrad}) and global pooling; all recorded on the tape. Padded positions are
 * never part of a window: a maximum ignores them, an average divides by the number of real positions.
 * {@code NCHW} data is transposed to {@code NHWC} and back around the same computation.
 */
public final class Pools {
    private Pools() {
    }

    /**
     * {@code tf.nn.max_pool2d(x, ksize, strides, padding, data_format)}. Gradient: each window's gradient goes to
     * the first position (row by row, then column by column) that holds its maximum, TensorFlow's rule for ties.
     *
     * @throws IllegalArgumentException naming the argument, the value and the expectation, for a wrong rank, a
     *         window or stride below 1, or a window larger than the padded input
     */
    public static Tensor maxPool2d(Tensor x, int[] ksize, int[] strides, Padding padding, DataFormat dataFormat) {
        return pool(true, x, ksize, strides, padding, dataFormat);
    }

    /**
     * {@code tf.nn.avg_pool2d(x, ksize, strides, padding, data_format)}: the mean of each window's real positions.
     * Gradient: each window's gradient divided by that count, added to each of its positions.
     *
     * @throws IllegalArgumentException as {@link #maxPool2d}
     */
    public static Tensor avgPool2d(Tensor x, int[] ksize, int[] strides, Padding padding, DataFormat dataFormat) {
        return pool(false, x, ksize, strides, padding, dataFormat);
    }

    /**
     * Global average pooling: {@code tf.reduce_mean} over the two spatial axes, {@code [n, c]} (or
     * {@code [n, 1, 1, c]} / {@code [n, c, 1, 1]} with {@code keepDims}), Keras's {@code GlobalAveragePooling2D}.
     */
    public static Tensor globalAvgPool2d(Tensor x, DataFormat dataFormat, boolean keepDims) {
        Checks.notNull(x, "x");
        Checks.rank(x, "x", 4);
        return Reductions.mean(x, spatialAxes(dataFormat), keepDims);
    }

    /** Global max pooling: {@code tf.reduce_max} over the two spatial axes, Keras's {@code GlobalMaxPooling2D}. */
    public static Tensor globalMaxPool2d(Tensor x, DataFormat dataFormat, boolean keepDims) {
        Checks.notNull(x, "x");
        Checks.rank(x, "x", 4);
        return Reductions.max(x, spatialAxes(dataFormat), keepDims);
    }

    private static int[] spatialAxes(DataFormat f) {
        return Windows.format2d(f) == DataFormat.NHWC ? new int[] {1, 2} : new int[] {2, 3};
    }

    private static Tensor pool(boolean max, Tensor x, int[] ksize, int[] strides, Padding padding,
            DataFormat dataFormat) {
        Checks.notNull(x, "x");
        Checks.rank(x, "x", 4);
        if (Windows.format2d(dataFormat) == DataFormat.NCHW) {
            Tensor y = pool(max, Manipulation.transpose(x, 0, 2, 3, 1), ksize, strides, padding, DataFormat.NHWC);
            return Manipulation.transpose(y, 0, 3, 1, 2);
        }
        if (padding == null) {
            throw new NullPointerException("padding must not be null");
        }
        int[] k = Windows.pair(ksize, "ksize");
        int[] s = Windows.pair(strides, "strides");
        int[] d = x.shape().dims();
        if (d[0] < 1 || d[1] < 1 || d[2] < 1 || d[3] < 1) {
            throw new IllegalArgumentException("x has shape " + x.shape() + ": expected every dimension >= 1");
        }
        int[] rows = padding.resolve(0, d[1], k[0], s[0], "pool");
        int[] cols = padding.resolve(1, d[2], k[1], s[1], "pool");
        Pooling.Geometry g = new Pooling.Geometry(d[0], d[1], d[2], d[3], k[0], k[1], s[0], s[1], rows[0],
                cols[0], rows[1], cols[1]);
        Tensor y = Tensor.wrapNew(x.dtype(), Shape.of(d[0], rows[1], cols[1], d[3]));
        boolean recording = GradientTape.anyRecording();
        // while recording, the forward keeps each output's first-maximum position for the backward
        int[] arg = max && recording ? new int[y.size()] : null;
        if (arg != null) {
            Pooling.maxForward(g, x.raw(), y.raw(), arg);
        } else if (max) {
            Pooling.maxForward(g, x.raw(), y.raw());
        } else {
            Pooling.avgForward(g, x.raw(), y.raw());
        }
        if (recording) {
            GradientTape.record(max ? "MaxPool" : "AvgPool", y,
                    (dy, need) -> new Tensor[] {max ? maxPoolGrad(g, arg, x, dy) : avgPoolGrad(g, x, dy)}, x);
        }
        return y;
    }

    /**
     * TensorFlow's {@code MaxPoolGrad}, from the first-maximum positions the forward recorded; its own gradient
     * routes {@code gx} through the same positions.
     */
    private static Tensor maxPoolGrad(Pooling.Geometry g, int[] arg, Tensor x, Tensor dy) {
        Tensor dx = Tensor.wrapNew(dy.dtype(), x.shape());
        Pooling.maxBackwardAt(g, arg, dy.raw(), dx.raw());
        if (GradientTape.anyRecording()) {
            GradientTape.record("MaxPoolGrad", dx, (gx, need) -> new Tensor[] {null, gatherMax(g, arg, gx)}, x, dy);
        }
        return dx;
    }

    /** {@code gx} at each window's first maximum: the gradient of MaxPoolGrad with respect to dy. */
    private static Tensor gatherMax(Pooling.Geometry g, int[] arg, Tensor gx) {
        Tensor out = Tensor.wrapNew(gx.dtype(), Shape.of(g.n(), g.oh(), g.ow(), g.c()));
        Pooling.maxGatherAt(arg, gx.raw(), out.raw());
        return out;
    }

    /** TensorFlow's {@code AvgPoolGrad}; linear in dy, its gradient is the average pooling of {@code gx}. */
    private static Tensor avgPoolGrad(Pooling.Geometry g, Tensor x, Tensor dy) {
        Tensor dx = Tensor.wrapNew(dy.dtype(), x.shape());
        Pooling.avgBackward(g, dy.raw(), dx.raw());
        if (GradientTape.anyRecording()) {
            GradientTape.record("AvgPoolGrad", dx, (gx, need) -> {
                Tensor out = Tensor.wrapNew(gx.dtype(), dy.shape());
                Pooling.avgForward(g, gx.raw(), out.raw());
                return new Tensor[] {out};
            }, dy);
        }
        return dx;
    }
}
