package org.norm4j.ops;

import java.util.Arrays;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Convolution;

/**
 * Two-dimensional convolution, {@code tf.nn.conv2d}, and its two backward ops, TensorFlow's
 * {@code Conv2DBackpropInput} and {@code Conv2DBackpropFilter}; all recorded on the tape.
 *
 * <p>Filters are {@code HWIO} ({@code [kernel_h, kernel_w, in_channels / groups, out_channels]}), as TensorFlow
 * and Keras store them. Grouped convolution is TensorFlow's: the number of groups is the input's channels
 * divided by the filter's third dimension, and the output channels are split into as many equal groups.
 * Each output element is accumulated in the element type over the filter taps in (row, column, channel) order,
 * from zero, so results are bit-identical on any thread count. {@code NCHW} data is transposed to {@code NHWC}
 * and back around the same computation.
 */
public final class Convolutions {
    private Convolutions() {
    }

    /** {@code tf.nn.conv2d(x, filters, strides, padding)}: NHWC, dilation 1. */
    public static Tensor conv2d(Tensor x, Tensor filters, int[] strides, Padding padding) {
        return conv2d(x, filters, strides, padding, DataFormat.NHWC, new int[] {1});
    }

    /**
     * {@code tf.nn.conv2d(x, filters, strides, padding, data_format, dilations)}.
     *
     * @param x rank 4, {@code [n, h, w, c]} (NHWC) or {@code [n, c, h, w]} (NCHW)
     * @param filters {@code [kh, kw, c / groups, o]}; {@code o} divisible by the groups
     * @param strides 1 or 2 values (rows, columns), each >= 1
     * @param padding {@link Padding#VALID}, {@link Padding#SAME} or {@link Padding#explicit}
     * @param dilations 1 or 2 values, each >= 1
     * @throws IllegalArgumentException naming the argument, the value and the expectation, for a wrong rank or
     *         dtype, channels that the filter does not divide, output channels not divisible by the groups,
     *         a non-positive stride or dilation, or a (dilated) kernel larger than the padded input
     */
    public static Tensor conv2d(Tensor x, Tensor filters, int[] strides, Padding padding, DataFormat dataFormat,
            int[] dilations) {
        Checks.notNull(x, "x");
        Checks.notNull(filters, "filters");
        if (Windows.format2d(dataFormat) == DataFormat.NCHW) {
            Checks.rank(x, "x", 4);
            Tensor y = conv2d(Manipulation.transpose(x, 0, 2, 3, 1), filters, strides, padding, DataFormat.NHWC,
                    dilations);
            return Manipulation.transpose(y, 0, 3, 1, 2);
        }
        Convolution.Geometry g = geometry(x.shape().dims(), x, filters.shape().dims(), filters, strides, padding,
                dilations);
        Checks.sameDType(x, "x", filters, "filters");
        Tensor y = Tensor.wrapNew(x.dtype(), Shape.of(g.n(), g.oh(), g.ow(), g.o()));
        Convolution.forward(g, x.raw(), filters.raw(), y.raw());
        if (GradientTape.anyRecording()) {
            int[] s = strides.clone();
            int[] d = dilations.clone();
            GradientTape.record("Conv2D", y, (dy, need) -> new Tensor[] {
                need[0] ? conv2dBackpropInput(x.shape().dims(), filters, dy, s, padding, DataFormat.NHWC, d) : null,
                need[1] ? conv2dBackpropFilter(x, filters.shape().dims(), dy, s, padding, DataFormat.NHWC, d)
                        : null}, x, filters);
        }
        return y;
    }

    /**
     * TensorFlow's {@code Conv2DBackpropInput} ({@code tf.nn.conv2d_transpose} with the forward op's arguments):
     * the gradient of {@code conv2d} with respect to an input of shape {@code inputSizes}, given the gradient
     * {@code dy} of its output.
     *
     * @throws IllegalArgumentException as {@link #conv2d}, or if {@code dy}'s shape is not the forward output's
     */
    public static Tensor conv2dBackpropInput(int[] inputSizes, Tensor filters, Tensor dy, int[] strides,
            Padding padding, DataFormat dataFormat, int[] dilations) {
        Checks.notNull(filters, "filters");
        Checks.notNull(dy, "dy");
        if (inputSizes == null || inputSizes.length != 4) {
            throw new IllegalArgumentException("inputSizes = " + Arrays.toString(inputSizes)
                    + ": expected 4 dimensions");
        }
        if (Windows.format2d(dataFormat) == DataFormat.NCHW) {
            Checks.rank(dy, "dy", 4);
            int[] s = {inputSizes[0], inputSizes[2], inputSizes[3], inputSizes[1]};
            Tensor dx = conv2dBackpropInput(s, filters, Manipulation.transpose(dy, 0, 2, 3, 1), strides, padding,
                    DataFormat.NHWC, dilations);
            return Manipulation.transpose(dx, 0, 3, 1, 2);
        }
        Convolution.Geometry g = geometry(inputSizes, null, filters.shape().dims(), filters, strides, padding,
                dilations);
        Checks.sameDType(filters, "filters", dy, "dy");
        outputShape(g, dy);
        Tensor dx = Tensor.wrapNew(dy.dtype(), Shape.of(inputSizes));
        Convolution.backwardInput(g, dy.raw(), filters.raw(), dx.raw());
        if (GradientTape.anyRecording()) {
            int[] s = strides.clone();
            int[] d = dilations.clone();
            GradientTape.record("Conv2DBackpropInput", dx, (gx, need) -> new Tensor[] {
                need[0] ? conv2dBackpropFilter(gx, filters.shape().dims(), dy, s, padding, DataFormat.NHWC, d)
                        : null,
                need[1] ? conv2d(gx, filters, s, padding, DataFormat.NHWC, d) : null}, filters, dy);
        }
        return dx;
    }

    /**
     * TensorFlow's {@code Conv2DBackpropFilter}: the gradient of {@code conv2d} with respect to a filter of
     * shape {@code filterSizes}, given the input {@code x} and the gradient {@code dy} of the output.
     *
     * @throws IllegalArgumentException as {@link #conv2d}, or if {@code dy}'s shape is not the forward output's
     */
    public static Tensor conv2dBackpropFilter(Tensor x, int[] filterSizes, Tensor dy, int[] strides,
            Padding padding, DataFormat dataFormat, int[] dilations) {
        Checks.notNull(x, "x");
        Checks.notNull(dy, "dy");
        if (Windows.format2d(dataFormat) == DataFormat.NCHW) {
            Checks.rank(x, "x", 4);
            Checks.rank(dy, "dy", 4);
            return conv2dBackpropFilter(Manipulation.transpose(x, 0, 2, 3, 1), filterSizes,
                    Manipulation.transpose(dy, 0, 2, 3, 1), strides, padding, DataFormat.NHWC, dilations);
        }
        if (filterSizes == null || filterSizes.length != 4) {
            throw new IllegalArgumentException("filterSizes = " + Arrays.toString(filterSizes)
                    + ": expected 4 dimensions (kh, kw, in_channels / groups, out_channels)");
        }
        Convolution.Geometry g = geometry(x.shape().dims(), x, filterSizes, null, strides, padding, dilations);
        Checks.sameDType(x, "x", dy, "dy");
        outputShape(g, dy);
        Tensor df = Tensor.wrapNew(x.dtype(), Shape.of(filterSizes));
        Convolution.backwardFilter(g, x.raw(), dy.raw(), df.raw());
        if (GradientTape.anyRecording()) {
            int[] s = strides.clone();
            int[] d = dilations.clone();
            GradientTape.record("Conv2DBackpropFilter", df, (gf, need) -> new Tensor[] {
                need[0] ? conv2dBackpropInput(x.shape().dims(), gf, dy, s, padding, DataFormat.NHWC, d) : null,
                need[1] ? conv2d(x, gf, s, padding, DataFormat.NHWC, d) : null}, x, dy);
        }
        return df;
    }

    private static void outputShape(Convolution.Geometry g, Tensor dy) {
        Shape expected = Shape.of(g.n(), g.oh(), g.ow(), g.o());
        if (!dy.shape().equals(expected)) {
            throw new IllegalArgumentException("dy has shape " + dy.shape() + ": expected the forward output's "
                    + expected);
        }
    }

    /** Checks every argument (x or its NHWC dims, filters or its dims) and resolves the geometry. */
    private static Convolution.Geometry geometry(int[] xs, Tensor x, int[] fs, Tensor filters, int[] strides,
            Padding padding, int[] dilations) {
        if (x != null) {
            Checks.rank(x, "x", 4);
        }
        if (filters != null) {
            Checks.rank(filters, "filters", 4);
        }
        if (padding == null) {
            throw new NullPointerException("padding must not be null");
        }
        int[] s = Windows.pair(strides, "strides");
        int[] d = Windows.pair(dilations, "dilations");
        for (int i = 0; i < 4; i++) {
            if (xs[i] < 1 || fs[i] < 1) {
                throw new IllegalArgumentException("conv2d of input " + Arrays.toString(xs) + " and filters "
                        + Arrays.toString(fs) + ": expected every dimension >= 1");
            }
        }
        int c = xs[3];
        if (c % fs[2] != 0) {
            throw new IllegalArgumentException("filters.shape[2] = " + fs[2] + " (in_channels / groups) but the "
                    + "input has " + c + " channels: expected a divisor of " + c);
        }
        int groups = c / fs[2];
        if (fs[3] % groups != 0) {
            throw new IllegalArgumentException("filters.shape[3] = " + fs[3] + " output channels with " + groups
                    + " groups (" + c + " input channels / filters.shape[2] " + fs[2]
                    + "): expected a multiple of the groups");
        }
        int[] rows = padding.resolve(0, xs[1], Windows.span(fs[0], d[0]), s[0], "kernel");
        int[] cols = padding.resolve(1, xs[2], Windows.span(fs[1], d[1]), s[1], "kernel");
        return new Convolution.Geometry(xs[0], xs[1], xs[2], c, fs[0], fs[1], fs[3], groups, s[0], s[1], d[0],
                d[1], rows[0], cols[0], rows[1], cols[1]);
    }
}
