package org.norm4j.layers;

import java.util.List;
import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.ops.Manipulation;

/**
 * {@code keras.layers.ZeroPadding2D}: rows and columns of zeros around each image. Keras 3 defaults:
 * {@code padding=(1, 1)} (one value: all sides; two: (rows, columns) on both sides; four: top, bottom, left,
 * right, Keras's {@code ((top, bottom), (left, right))}), {@code data_format="channels_last"}. No weights.
 *
 * <pre>{@code
 * Layer pad = new ZeroPadding2D(2);
 * }</pre>
 */
public class ZeroPadding2D extends Layer {
    private final int[] pads;
    private String dataFormat = "channels_last";

    /** {@code ZeroPadding2D()}: one row and column on each side. */
    public ZeroPadding2D() {
        this(1);
    }

    /**
     * {@code ZeroPadding2D(padding)}: 1 value (every side), 2 (rows, columns) or 4 (top, bottom, left, right),
     * each {@code >= 0}.
     */
    public ZeroPadding2D(int... padding) {
        int[] p;
        if (padding != null && padding.length == 4) {
            p = padding.clone();
        } else {
            int[] two = ConvArgs.pair("padding", 0, padding);
            p = new int[] {two[0], two[0], two[1], two[1]};
        }
        for (int v : p) {
            if (v < 0) {
                throw new IllegalArgumentException("padding = " + java.util.Arrays.toString(padding)
                        + ": expected integers >= 0");
            }
        }
        this.pads = p;
    }

    /** {@code data_format}: "channels_last" (default) or "channels_first". */
    public ZeroPadding2D dataFormat(String value) {
        dataFormat = ConvArgs.dataFormat(value);
        return this;
    }

    /** Rebuilds from {@link #getConfig()} (padding as Keras writes it, {@code [[top, bottom], [left, right]]}). */
    public static ZeroPadding2D fromConfig(Map<String, Object> config) {
        Object p = config.get("padding");
        ZeroPadding2D z;
        if (p instanceof List && ((List<?>) p).size() == 2 && ((List<?>) p).get(0) instanceof List) {
            int[] rows = ConvArgs.pair("padding", 0, ((List<?>) p).get(0));
            int[] cols = ConvArgs.pair("padding", 0, ((List<?>) p).get(1));
            z = new ZeroPadding2D(rows[0], rows[1], cols[0], cols[1]);
        } else {
            z = new ZeroPadding2D(p == null ? new int[] {1} : ConvArgs.pair("padding", 0, p));
        }
        z.dataFormat((String) config.get("data_format"));
        LayerConfigs.applyBase(z, config);
        return z;
    }

    @Override
    protected void build(int[] inputShape) {
        ConvArgs.rank4(this, inputShape);
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        boolean first = "channels_first".equals(dataFormat);
        int[][] p = first ? new int[][] {{0, 0}, {0, 0}, {pads[0], pads[1]}, {pads[2], pads[3]}}
                : new int[][] {{0, 0}, {pads[0], pads[1]}, {pads[2], pads[3]}, {0, 0}};
        return Manipulation.pad(inputs, p);
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        ConvArgs.rank4(this, inputShape);
        int[] out = inputShape.clone();
        boolean first = "channels_first".equals(dataFormat);
        out[first ? 2 : 1] += pads[0] + pads[1];
        out[first ? 3 : 2] += pads[2] + pads[3];
        return out;
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("padding", List.of(List.of(pads[0], pads[1]), List.of(pads[2], pads[3])));
        c.put("data_format", dataFormat);
        return c;
    }
}
