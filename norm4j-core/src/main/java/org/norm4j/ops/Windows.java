package org.norm4j.ops;

import java.util.Arrays;

/** Argument checks of the windowed ops (convolution, pooling): strides, dilations, window sizes. */
final class Windows {
    private Windows() {
    }

    /**
     * A pair {@code {rows, columns}} from one value (both) or two; every value must be at least 1.
     *
     * @throws IllegalArgumentException naming {@code name}, the value and the expectation
     */
    static int[] pair(int[] v, String name) {
        if (v == null || (v.length != 1 && v.length != 2)) {
            throw new IllegalArgumentException(name + " = " + Arrays.toString(v)
                    + ": expected 1 or 2 positive integers (rows, columns)");
        }
        int[] p = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        for (int x : p) {
            if (x < 1) {
                throw new IllegalArgumentException(name + " = " + Arrays.toString(v)
                        + ": expected every value >= 1");
            }
        }
        return p;
    }

    /** The positions a dilated window spans, {@code (k - 1) * dilation + 1}, at most Integer.MAX_VALUE. */
    static int span(int k, int dilation) {
        return (int) Math.min((long) (k - 1) * dilation + 1, Integer.MAX_VALUE);
    }

    /** NHWC or NCHW. */
    static DataFormat format2d(DataFormat f) {
        if (f == null) {
            throw new NullPointerException("dataFormat must not be null");
        }
        if (f != DataFormat.NHWC && f != DataFormat.NCHW) {
            throw new IllegalArgumentException("dataFormat = " + f + ": expected NHWC or NCHW");
        }
        return f;
    }
}
