package org.norm4j.layers;

import java.util.List;
import java.util.Locale;
import org.norm4j.ops.DataFormat;
import org.norm4j.ops.Padding;

/** Argument parsing shared by the image layers: Keras's int-or-tuple arguments, padding and data_format. */
final class ConvArgs {
    private ConvArgs() {
    }

    /**
     * One value (both axes) or two (rows, columns), each {@code >= min}.
     *
     * @throws IllegalArgumentException naming {@code name}, the value and the expectation
     */
    static int[] pair(String name, int min, int... v) {
        if (v == null || (v.length != 1 && v.length != 2)) {
            throw new IllegalArgumentException(name + " = " + java.util.Arrays.toString(v)
                    + ": expected 1 or 2 integers (rows, columns)");
        }
        int[] p = v.length == 1 ? new int[] {v[0], v[0]} : v.clone();
        for (int x : p) {
            if (x < min) {
                throw new IllegalArgumentException(name + " = " + java.util.Arrays.toString(v) + ": expected "
                        + (min == 1 ? "positive integers" : "integers >= " + min));
            }
        }
        return p;
    }

    /** A pair from a config value: a number or a list of one or two numbers. */
    static int[] pair(String name, int min, Object config) {
        if (config instanceof Number) {
            return pair(name, min, ((Number) config).intValue());
        }
        if (config instanceof List) {
            List<?> l = (List<?>) config;
            int[] v = new int[l.size()];
            for (int i = 0; i < v.length; i++) {
                if (!(l.get(i) instanceof Number)) {
                    throw new IllegalArgumentException(name + " = " + config + ": expected integers");
                }
                v[i] = ((Number) l.get(i)).intValue();
            }
            return pair(name, min, v);
        }
        throw new IllegalArgumentException(name + " = " + config + ": expected an integer or a list of 2 integers");
    }

    /** Keras's {@code padding}: "valid" or "same", stored lower-case. */
    static String padding(String s) {
        return Padding.parse(s).kerasName();
    }

    /** Keras's {@code data_format}: "channels_last" (default, also for null) or "channels_first". */
    static String dataFormat(String s) {
        if (s == null) {
            return "channels_last";
        }
        String v = s.trim().toLowerCase(Locale.ROOT);
        if (!v.equals("channels_last") && !v.equals("channels_first")) {
            throw new IllegalArgumentException("data_format = \"" + s
                    + "\": expected \"channels_last\" or \"channels_first\"");
        }
        return v;
    }

    static DataFormat format(String dataFormat) {
        return "channels_first".equals(dataFormat) ? DataFormat.NCHW : DataFormat.NHWC;
    }

    /** Rank 4 input, as every 2-D image layer needs. */
    static void rank4(Layer layer, int[] inputShape) {
        if (inputShape.length != 4) {
            throw new IllegalArgumentException(layer.className() + " layer '" + layer.name() + "' got input shape "
                    + Layer.showShape(inputShape) + ": expected rank 4, (batch, height, width, channels) or "
                    + "(batch, channels, height, width)");
        }
    }

    /** Output size of one spatial axis, or an IllegalArgumentException naming the layer and the sizes. */
    static int outputSize(Layer layer, String what, int in, int span, int stride, String padding) {
        if ("same".equals(padding)) {
            return (int) (((long) in + stride - 1) / stride);
        }
        if (span > in) {
            throw new IllegalArgumentException(layer.className() + " layer '" + layer.name() + "': " + what + " "
                    + span + " is larger than the input size " + in + " with padding=\"valid\": expected at most "
                    + in + " (or padding=\"same\")");
        }
        return (in - span) / stride + 1;
    }

    static List<Integer> list(int[] p) {
        return List.of(p[0], p[1]);
    }
}
