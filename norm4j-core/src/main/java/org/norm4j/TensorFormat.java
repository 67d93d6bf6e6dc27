package org.norm4j;

/** Formats tensors like NumPy inside TensorFlow's eager {@code tf.Tensor(...)} wrapper. */
final class TensorFormat {
    /** Tensors with more elements than this are summarized with "...", like NumPy's default. */
    static final int THRESHOLD = 1000;
    /** Items shown at each end of a summarized axis. */
    static final int EDGE = 3;

    private TensorFormat() {
    }

    static String format(Tensor t) {
        Shape s = t.shape();
        boolean summarize = s.size() > THRESHOLD;
        String[] cells = new String[s.size()];
        int width = 0;
        Object raw = t.raw();
        for (int i = 0; i < cells.length; i++) {
            double v = raw instanceof float[] ? ((float[]) raw)[i] : ((double[]) raw)[i];
            cells[i] = number(v, raw instanceof float[]);
            width = Math.max(width, cells[i].length());
        }
        StringBuilder sb = new StringBuilder("tf.Tensor(");
        if (s.rank() > 0) {
            sb.append('\n');
        }
        append(sb, cells, s.dims(), s.strides(), 0, 0, width, summarize);
        sb.append(", shape=").append(s).append(", dtype=").append(t.dtype().pyName()).append(')');
        return sb.toString();
    }

    private static void append(StringBuilder sb, String[] cells, int[] dims, int[] strides, int axis, int off,
            int width, boolean summarize) {
        if (axis == dims.length) {
            sb.append(pad(cells[off], width));
            return;
        }
        sb.append('[');
        int n = dims[axis];
        boolean last = axis == dims.length - 1;
        for (int i = 0; i < n; i++) {
            if (summarize && n > 2 * EDGE && i == EDGE) {
                sb.append(last ? "..." : "...");
                sb.append(last ? " " : separator(dims.length - axis - 1, axis));
                i = n - EDGE - 1;
                continue;
            }
            append(sb, cells, dims, strides, axis + 1, off + i * strides[axis], width, summarize);
            if (i < n - 1) {
                sb.append(last ? " " : separator(dims.length - axis - 1, axis));
            }
        }
        sb.append(']');
    }

    private static String separator(int depthBelow, int axis) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < depthBelow; i++) {
            sb.append('\n');
        }
        for (int i = 0; i <= axis; i++) {
            sb.append(' ');
        }
        return sb.toString();
    }

    private static String pad(String s, int width) {
        StringBuilder sb = new StringBuilder();
        for (int i = s.length(); i < width; i++) {
            sb.append(' ');
        }
        return sb.append(s).toString();
    }

    /** NumPy-like: integral values print as {@code 3.}, others in the shortest round-trip form. */
    static String number(double v, boolean isFloat) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e16) {
            return (v == 0 && 1 / v < 0 ? "-" : "") + (long) Math.abs(v) * (v < 0 ? -1 : 1) + ".";
        }
        String r = isFloat ? Float.toString((float) v) : Double.toString(v);
        return r.replace("E", "e");
    }
}
