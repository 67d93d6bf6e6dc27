package org.norm4j.kernel;

/**
 * Two-dimensional max and average pooling of channels-last ({@code NHWC}) data, TensorFlow's {@code MaxPool},
 * {@code AvgPool} and their gradients, in one pass over each window. Padded positions are never part of a
 * window: a max ignores them and an average divides by the number of real positions (TensorFlow's rule for
 * {@code SAME} padding). Work is split by image, each image written by one task, so the bits do not depend on
 * the thread count.
 */
public final class Pooling {
    private Pooling() {
    }

    /**
     * The geometry of one pooling: input {@code [n, h, w, c]}, window {@code [ph, pw]}, strides, the padding
     * before the first row and column, output {@code [n, oh, ow, c]}; the caller has checked every value.
     */
    public record Geometry(int n, int h, int w, int c, int ph, int pw, int strideH, int strideW, int padTop,
            int padLeft, int oh, int ow) {
        int y0(int oy) {
            return Math.max(0, oy * strideH - padTop);
        }

        int y1(int oy) {
            return Math.min(h, oy * strideH - padTop + ph);
        }

        int x0(int ox) {
            return Math.max(0, ox * strideW - padLeft);
        }

        int x1(int ox) {
            return Math.min(w, ox * strideW - padLeft + pw);
        }
    }

    /**
     * {@code y} = the maximum of each window; {@code x} and {@code y} both float[] or both double[]. A NaN in a
     * window is the window's maximum.
     */
    public static void maxForward(Geometry g, Object x, Object y) {
        maxForward(g, x, y, null);
    }

    /**
     * {@link #maxForward} that also records, unless {@code arg} is null, in {@code arg} (one int per output) the
     * flat index in {@code x} of each output's first maximum (row by row, then column by column; the first NaN if
     * there is one: TensorFlow's rule for {@code MaxPoolGrad}), for {@link #maxBackwardAt} and
     * {@link #maxGatherAt}. Float goes window by window through {@link Kernels#maxPoolWindow} (vectorized over
     * channels, no branch on the data, no per-element type test); double through the generic window walk.
     */
    public static void maxForward(Geometry g, Object x, Object y, int[] arg) {
        if (!(x instanceof float[])) {
            eachWindowMax(g, x, (n, out, at, best) -> {
                for (int ch = 0; ch < g.c(); ch++) {
                    set(y, out + ch, best[ch]);
                    if (arg != null) {
                        arg[out + ch] = at[ch];
                    }
                }
            });
            return;
        }
        float[] xf = (float[]) x;
        float[] yf = (float[]) y;
        int c = g.c();
        Kernels k = KernelProvider.get();
        Parallel.forEach(g.n(), work(g), n -> {
            int[] pos = new int[g.ph() * g.pw()];
            int[] own = arg == null ? new int[c] : arg;
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    int count = 0;
                    for (int iy = g.y0(oy), y1 = g.y1(oy); iy < y1; iy++) {
                        for (int ix = g.x0(ox), x1 = g.x1(ox); ix < x1; ix++) {
                            pos[count++] = ((n * g.h() + iy) * g.w() + ix) * c;
                        }
                    }
                    int out = ((n * g.oh() + oy) * g.ow() + ox) * c;
                    k.maxPoolWindow(xf, pos, count, c, yf, out, own, arg == null ? 0 : out);
                }
            }
        });
    }

    /**
     * TensorFlow's {@code MaxPoolGrad} from the positions recorded by {@link #maxForward(Geometry, Object, Object,
     * int[])}: each image's part of {@code dx} zeroed, then each window's gradient added at its first maximum, in
     * output order; {@code dx} is written whole.
     */
    public static void maxBackwardAt(Geometry g, int[] arg, Object dy, Object dx) {
        int plane = g.h() * g.w() * g.c();
        int outs = g.oh() * g.ow() * g.c();
        Parallel.forEach(g.n(), (long) g.n() * (plane + outs), n -> {
            if (dx instanceof float[]) {
                float[] d = (float[]) dx;
                float[] e = (float[]) dy;
                java.util.Arrays.fill(d, n * plane, (n + 1) * plane, 0f);
                for (int i = n * outs, end = i + outs; i < end; i++) {
                    d[arg[i]] += e[i];
                }
            } else {
                double[] d = (double[]) dx;
                double[] e = (double[]) dy;
                java.util.Arrays.fill(d, n * plane, (n + 1) * plane, 0.0);
                for (int i = n * outs, end = i + outs; i < end; i++) {
                    d[arg[i]] += e[i];
                }
            }
        });
    }

    /** {@link #maxGather} from the recorded positions: {@code out[i] = gx[arg[i]]}. */
    public static void maxGatherAt(int[] arg, Object gx, Object out) {
        for (int i = 0; i < arg.length; i++) {
            set(out, i, get(gx, arg[i]));
        }
    }

    /** What to do with one window's maxima: {@code out} is the window's first output index. */
    private interface WindowMax {
        void accept(int n, int out, int[] arg, double[] best);
    }

    /**
     * One task per image: for every window in order finds each channel's first maximum and hands it to
     * {@code body}.
     */
    private static void eachWindowMax(Geometry g, Object x, WindowMax body) {
        Parallel.forEach(g.n(), work(g), n -> {
            int[] arg = new int[g.c()];
            double[] best = new double[g.c()];
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    argmax(g, x, n, oy, ox, arg, best);
                    body.accept(n, ((n * g.oh() + oy) * g.ow() + ox) * g.c(), arg, best);
                }
            }
        });
    }

    private static long work(Geometry g) {
        return (long) g.n() * g.oh() * g.ow() * g.c() * g.ph() * g.pw();
    }

    /**
     * For every channel of one window: {@code arg[ch]}, the flat index in x of its first maximum (the first NaN
     * if there is one), and {@code best[ch]}, that value. Channels are the inner loop (contiguous in NHWC).
     */
    private static void argmax(Geometry g, Object x, int n, int oy, int ox, int[] arg, double[] best) {
        boolean first = true;
        for (int iy = g.y0(oy), y1 = g.y1(oy); iy < y1; iy++) {
            for (int ix = g.x0(ox), x1 = g.x1(ox); ix < x1; ix++) {
                int at = ((n * g.h() + iy) * g.w() + ix) * g.c();
                if (x instanceof float[]) {
                    float[] xf = (float[]) x;
                    for (int ch = 0; ch < g.c(); ch++) {
                        float v = xf[at + ch];
                        double b = best[ch];
                        if (first || v > b || (v != v && b == b)) {
                            best[ch] = v;
                            arg[ch] = at + ch;
                        }
                    }
                } else {
                    double[] xd = (double[]) x;
                    for (int ch = 0; ch < g.c(); ch++) {
                        double v = xd[at + ch];
                        double b = best[ch];
                        if (first || v > b || (v != v && b == b)) {
                            best[ch] = v;
                            arg[ch] = at + ch;
                        }
                    }
                }
                first = false;
            }
        }
    }

    /** {@code y} = the mean of the real (unpadded) positions of each window, summed in double. */
    public static void avgForward(Geometry g, Object x, Object y) {
        Parallel.forEach(g.n(), (long) g.n() * g.oh() * g.ow() * g.c() * g.ph() * g.pw(), n -> {
            double[] acc = new double[g.c()];
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    java.util.Arrays.fill(acc, 0.0);
                    int count = (g.y1(oy) - g.y0(oy)) * (g.x1(ox) - g.x0(ox));
                    for (int iy = g.y0(oy), y1 = g.y1(oy); iy < y1; iy++) {
                        for (int ix = g.x0(ox), x1 = g.x1(ox); ix < x1; ix++) {
                            int at = ((n * g.h() + iy) * g.w() + ix) * g.c();
                            for (int ch = 0; ch < g.c(); ch++) {
                                acc[ch] += get(x, at + ch);
                            }
                        }
                    }
                    int out = ((n * g.oh() + oy) * g.ow() + ox) * g.c();
                    for (int ch = 0; ch < g.c(); ch++) {
                        set(y, out + ch, acc[ch] / count);
                    }
                }
            }
        });
    }

    /**
     * TensorFlow's {@code AvgPoolGrad}: each window's gradient divided by its count of real positions, added
     * to each of them in window order; {@code dx} is written whole.
     */
    public static void avgBackward(Geometry g, Object dy, Object dx) {
        Parallel.forEach(g.n(), (long) g.n() * g.oh() * g.ow() * g.c() * g.ph() * g.pw(), n -> {
            int plane = g.h() * g.w() * g.c();
            double[] acc = new double[plane];
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    int count = (g.y1(oy) - g.y0(oy)) * (g.x1(ox) - g.x0(ox));
                    int out = ((n * g.oh() + oy) * g.ow() + ox) * g.c();
                    for (int iy = g.y0(oy), y1 = g.y1(oy); iy < y1; iy++) {
                        for (int ix = g.x0(ox), x1 = g.x1(ox); ix < x1; ix++) {
                            int at = (iy * g.w() + ix) * g.c();
                            for (int ch = 0; ch < g.c(); ch++) {
                                acc[at + ch] += get(dy, out + ch) / count;
                            }
                        }
                    }
                }
            }
            for (int i = 0; i < plane; i++) {
                set(dx, n * plane + i, acc[i]);
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
