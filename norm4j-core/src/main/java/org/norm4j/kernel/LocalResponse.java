package org.norm4j.kernel;

/**
 * Local response normalization along the last (depth) axis of data viewed as {@code [positions, depth]}:
 * {@code out[d] = x[d] / (bias + alpha * sum_{k=max(0,d-r)}^{min(D-1,d+r)} x[k]^2)^beta}, TensorFlow's
 * {@code LRN} op (alpha is not divided by the window size). Window sums are accumulated in double.
 */
public final class LocalResponse {
    private static final int CHUNK = 1 << 12;

    private LocalResponse() {
    }

    /** Forward pass; {@code x} and {@code y} are both float[] or both double[]. */
    public static void forward(Object x, int positions, int depth, int radius, double bias, double alpha,
            double beta, Object y) {
        int perTask = Math.max(1, CHUNK / Math.max(1, depth));
        int tasks = (positions + perTask - 1) / perTask;
        Parallel.forEach(tasks, (long) positions * depth * (2L * radius + 1), t -> {
            int p0 = t * perTask;
            int p1 = Math.min(positions, p0 + perTask);
            for (int p = p0; p < p1; p++) {
                int base = p * depth;
                for (int d = 0; d < depth; d++) {
                    double ss = 0;
                    for (int k = Math.max(0, d - radius), e = Math.min(depth - 1, d + radius); k <= e; k++) {
                        double v = get(x, base + k);
                        ss += v * v;
                    }
                    double norm = bias + alpha * ss;
                    set(y, base + d, get(x, base + d) * factor(norm, beta));
                }
            }
        });
    }

    /** {@code norm^-beta}, with TensorFlow's special cases for beta 1 and 0.5. */
    private static double factor(double norm, double beta) {
        if (beta == 1.0) {
            return 1.0 / norm;
        }
        if (beta == 0.5) {
            return 1.0 / Math.sqrt(norm);
        }
        return Math.exp(-beta * Math.log(norm));
    }

    /**
     * Backward pass, as TensorFlow's {@code LRNGrad}: for each depth index d with window [b, e], every k in
     * the window receives {@code dy[d] * (-2 alpha beta x[k] y[d] / norm_d + (k == d ? norm_d^-beta : 0))}.
     */
    public static void backward(Object dy, Object x, Object y, int positions, int depth, int radius, double bias,
            double alpha, double beta, Object dx) {
        int perTask = Math.max(1, CHUNK / Math.max(1, depth));
        int tasks = (positions + perTask - 1) / perTask;
        Parallel.forEach(tasks, (long) positions * depth * (4L * radius + 2), t -> {
            int p0 = t * perTask;
            int p1 = Math.min(positions, p0 + perTask);
            double[] acc = new double[depth];
            for (int p = p0; p < p1; p++) {
                int base = p * depth;
                java.util.Arrays.fill(acc, 0.0);
                for (int d = 0; d < depth; d++) {
                    int b = Math.max(0, d - radius);
                    int e = Math.min(depth - 1, d + radius);
                    double ss = 0;
                    for (int k = b; k <= e; k++) {
                        double v = get(x, base + k);
                        ss += v * v;
                    }
                    double norm = bias + alpha * ss;
                    double g = get(dy, base + d);
                    double common = -2.0 * alpha * beta * get(y, base + d) / norm;
                    for (int k = b; k <= e; k++) {
                        double v = common * get(x, base + k);
                        if (k == d) {
                            v += factor(norm, beta);
                        }
                        acc[k] += v * g;
                    }
                }
                for (int k = 0; k < depth; k++) {
                    set(dx, base + k, acc[k]);
                }
            }
        });
    }

    private static double get(Object a, int i) {
        return a instanceof float[] ? ((float[]) a)[i] : ((double[]) a)[i];
    }

    private static void set(Object a, int i, double v) {
        if (a instanceof float[]) {
            ((float[]) a)[i] = (float) v;
        } else {
            ((double[]) a)[i] = v;
        }
    }
}
