package org.norm4j.conformance;

import java.util.ArrayList;
import java.util.List;
import org.norm4j.conformance.Tf.Arr;
import org.tensorflow.op.nn.AvgPool;
import org.tensorflow.op.nn.AvgPoolGrad;
import org.tensorflow.op.nn.Conv2d;
import org.tensorflow.op.nn.Conv2dBackpropFilter;
import org.tensorflow.op.nn.Conv2dBackpropInput;
import org.tensorflow.op.nn.MaxPool;
import org.tensorflow.op.nn.MaxPoolGrad;

/**
 * Test-support oracle for the convolution and pooling ops: TensorFlow's {@code Conv2D},
 * {@code Conv2DBackpropInput}, {@code Conv2DBackpropFilter}, {@code MaxPool}, {@code MaxPoolGrad}, {@code AvgPool}
 * and {@code AvgPoolGrad}, run eagerly on NHWC data (TensorFlow's CPU kernels refuse NCHW for most of these).
 * Padding is {@code "VALID"}, {@code "SAME"} or {@code "EXPLICIT"} with {@code explicit = {top, bottom, left,
 * right}}. Guard callers with {@link Tf#available()}.
 */
final class TfConv {
    private TfConv() {
    }

    static Arr conv2d(Arr x, Arr f, int[] strides, String padding, int[] explicit, int[] dilations) {
        return TfImpl.eager(tf -> TfImpl.out(tf.nn.conv2d(TfImpl.in(tf, x), TfImpl.in(tf, f), nhwc(strides),
                padding, Conv2d.dilations(nhwc(dilations)), Conv2d.explicitPaddings(pads(explicit)))));
    }

    static Arr conv2dBackpropInput(int[] inputSizes, Arr f, Arr dy, int[] strides, String padding, int[] explicit,
            int[] dilations) {
        return TfImpl.eager(tf -> TfImpl.out(tf.nn.conv2dBackpropInput(tf.constant(inputSizes), TfImpl.in(tf, f),
                TfImpl.in(tf, dy), nhwc(strides), padding, Conv2dBackpropInput.dilations(nhwc(dilations)),
                Conv2dBackpropInput.explicitPaddings(pads(explicit)))));
    }

    static Arr conv2dBackpropFilter(Arr x, int[] filterSizes, Arr dy, int[] strides, String padding,
            int[] explicit, int[] dilations) {
        return TfImpl.eager(tf -> TfImpl.out(tf.nn.conv2dBackpropFilter(TfImpl.in(tf, x),
                tf.constant(filterSizes), TfImpl.in(tf, dy), nhwc(strides), padding,
                Conv2dBackpropFilter.dilations(nhwc(dilations)),
                Conv2dBackpropFilter.explicitPaddings(pads(explicit)))));
    }

    static Arr maxPool(Arr x, int[] ksize, int[] strides, String padding) {
        return TfImpl.eager(tf -> TfImpl.out(tf.nn.maxPool(TfImpl.in(tf, x), tf.constant(ints(ksize)),
                tf.constant(ints(strides)), padding, MaxPool.dataFormat("NHWC"))));
    }

    static Arr maxPoolGrad(Arr x, Arr y, Arr dy, int[] ksize, int[] strides, String padding) {
        return TfImpl.eager(tf -> TfImpl.out(tf.nn.maxPoolGrad(TfImpl.in(tf, x), TfImpl.in(tf, y),
                TfImpl.in(tf, dy), tf.constant(ints(ksize)), tf.constant(ints(strides)), padding,
                MaxPoolGrad.dataFormat("NHWC"))));
    }

    static Arr avgPool(Arr x, int[] ksize, int[] strides, String padding) {
        return TfImpl.eager(tf -> TfImpl.out(tf.nn.avgPool(TfImpl.in(tf, x), nhwc(ksize), nhwc(strides), padding,
                AvgPool.dataFormat("NHWC"))));
    }

    static Arr avgPoolGrad(int[] inputShape, Arr dy, int[] ksize, int[] strides, String padding) {
        return TfImpl.eager(tf -> TfImpl.out(tf.nn.avgPoolGrad(tf.constant(inputShape), TfImpl.in(tf, dy),
                nhwc(ksize), nhwc(strides), padding, AvgPoolGrad.dataFormat("NHWC"))));
    }

    private static int[] ints(int[] hw) {
        return new int[] {1, hw[0], hw[1], 1};
    }

    private static List<Long> nhwc(int[] hw) {
        return List.of(1L, (long) hw[0], (long) hw[1], 1L);
    }

    private static List<Long> pads(int[] explicit) {
        List<Long> p = new ArrayList<>();
        if (explicit == null) {
            return p;
        }
        p.add(0L);
        p.add(0L);
        for (int v : explicit) {
            p.add((long) v);
        }
        p.add(0L);
        p.add(0L);
        return p;
    }
}
