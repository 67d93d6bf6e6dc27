package org.norm4j.ops;

import java.util.Locale;

/**
 * The padding of a convolution or pooling window, TensorFlow's {@code padding} argument: {@code VALID} (none),
 * {@code SAME} (output size {@code ceil(in / stride)}, the total padding split with the smaller half before), or
 * explicit numbers of rows and columns before and after (TensorFlow's {@code explicit_paddings} for the two
 * spatial axes).
 */
public final class Padding {
    /** No padding: only windows that fit wholly inside the input. */
    public static final Padding VALID = new Padding("VALID", null);
    /** Output size {@code ceil(in / stride)}; {@code max((out - 1) * stride + k - in, 0)} split, less before. */
    public static final Padding SAME = new Padding("SAME", null);

    private final String name;
    private final int[] explicit;

    private Padding(String name, int[] explicit) {
        this.name = name;
        this.explicit = explicit;
    }

    /**
     * Explicit padding: {@code top}, {@code bottom} rows and {@code left}, {@code right} columns of zeros.
     *
     * @throws IllegalArgumentException if a value is negative
     */
    public static Padding explicit(int top, int bottom, int left, int right) {
        int[] p = {top, bottom, left, right};
        String[] names = {"top", "bottom", "left", "right"};
        for (int i = 0; i < 4; i++) {
            if (p[i] < 0) {
                throw new IllegalArgumentException("padding " + names[i] + " = " + p[i] + ": expected >= 0");
            }
        }
        return new Padding("EXPLICIT", p);
    }

    /**
     * {@code "valid"} or {@code "same"}, case-insensitively (Keras and TensorFlow spellings).
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static Padding parse(String s) {
        if (s == null) {
            throw new NullPointerException("padding must not be null");
        }
        switch (s.trim().toUpperCase(Locale.ROOT)) {
            case "VALID":
                return VALID;
            case "SAME":
                return SAME;
            default:
                throw new IllegalArgumentException("padding = \"" + s + "\": expected \"valid\" or \"same\"");
        }
    }

    /** {@code "valid"}, {@code "same"} or {@code "explicit"}, as Keras writes it. */
    public String kerasName() {
        return name.toLowerCase(Locale.ROOT);
    }

    /**
     * Resolves one spatial axis: {@code {padBefore, outputSize}} for an input of {@code in} positions, a window
     * spanning {@code span} positions ({@code (k - 1) * dilation + 1}) and {@code stride}; {@code axis} is 0 for
     * rows, 1 for columns.
     *
     * @throws IllegalArgumentException if the window is larger than the padded input
     */
    int[] resolve(int axis, int in, int span, int stride, String what) {
        int before;
        int after;
        if (this == SAME) {
            long out = ((long) in + stride - 1) / stride;
            int total = (int) Math.max((out - 1) * stride + span - in, 0);
            before = total / 2;
            after = total - before;
        } else if (this == VALID) {
            before = 0;
            after = 0;
        } else {
            before = explicit[2 * axis];
            after = explicit[2 * axis + 1];
        }
        long padded = (long) in + before + after;
        if (span > padded) {
            String dim = axis == 0 ? "height" : "width";
            throw new IllegalArgumentException(what + " " + dim + " " + span + " (with dilation) is larger than the "
                    + "padded input " + dim + " " + padded + " (input " + in + ", padding " + kerasName() + " "
                    + before + "+" + after + "): expected a window no larger than the padded input");
        }
        return new int[] {before, (int) ((padded - span) / stride + 1)};
    }

    @Override
    public String toString() {
        return explicit == null ? name : name + "[" + explicit[0] + ", " + explicit[1] + ", " + explicit[2] + ", "
                + explicit[3] + "]";
    }
}
