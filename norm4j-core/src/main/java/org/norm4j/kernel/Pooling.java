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
        if (x instanceof float[]) {
            maxForwardFloat(g, (float[]) x, (float[]) y);
            return;
        }
        eachWindowMax(g, x, null, (n, out, arg, best) -> {
            for (int ch = 0; ch < g.c(); ch++) {
                set(y, out + ch, best[ch]);
            }
        });
    }

    /**
     * TensorFlow's {@code MaxPoolGrad}: each window's gradient goes to the first position (row by row, then
     * column by column) holding the window's maximum; {@code dx} is written whole.
     */
    public static void maxBackward(Geometry g, Object x, Object dy, Object dx) {
        if (x instanceof float[]) {
            maxBackwardFloat(g, (float[]) x, (float[]) dy, (float[]) dx);
            return;
        }
        eachWindowMax(g, x, dx, (n, out, arg, best) -> {
            for (int ch = 0; ch < g.c(); ch++) {
                set(dx, arg[ch], get(dx, arg[ch]) + get(dy, out + ch));
            }
        });
    }

    /** {@code out[window] = gx[first maximum of the window]}: the gradient of {@code MaxPoolGrad} in dy. */
    public static void maxGather(Geometry g, Object x, Object gx, Object out) {
        eachWindowMax(g, x, null, (n, at, arg, best) -> {
            for (int ch = 0; ch < g.c(); ch++) {
                set(out, at + ch, get(gx, arg[ch]));
            }
        });
    }

    /**
     * {@link #maxForward} for float, typed: each window's maxima built in place in {@code y}, channels innermost
     * (the first position copied, each further one replacing a smaller value, or a number by NaN), so no
     * per-element type test and no scratch.
     */
    private static void maxForwardFloat(Geometry g, float[] x, float[] y) {
        int c = g.c();
        Parallel.forEach(g.n(), work(g), n -> {
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    int out = ((n * g.oh() + oy) * g.ow() + ox) * c;
                    boolean first = true;
                    for (int iy = g.y0(oy), y1 = g.y1(oy); iy < y1; iy++) {
                        for (int ix = g.x0(ox), x1 = g.x1(ox); ix < x1; ix++) {
                            int at = ((n * g.h() + iy) * g.w() + ix) * c;
                            if (first) {
                                System.arraycopy(x, at, y, out, c);
                                first = false;
                                continue;
                            }
                            for (int ch = 0; ch < c; ch++) {
                                float v = x[at + ch];
                                float b = y[out + ch];
                                if (v > b || (v != v && b == b)) {
                                    y[out + ch] = v;
                                }
                            }
                        }
                    }
                }
            }
        });
    }

    /**
     * {@link #maxBackward} for float, typed: per window, each channel's first maximum (as {@link #argmax}) found
     * in float, its gradient added there; the image's part of {@code dx} zeroed first.
     */
    private static void maxBackwardFloat(Geometry g, float[] x, float[] dy, float[] dx) {
        int c = g.c();
        int plane = g.h() * g.w() * c;
        Parallel.forEach(g.n(), work(g), n -> {
            java.util.Arrays.fill(dx, n * plane, (n + 1) * plane, 0f);
            int[] arg = new int[c];
            float[] best = new float[c];
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    boolean first = true;
                    for (int iy = g.y0(oy), y1 = g.y1(oy); iy < y1; iy++) {
                        for (int ix = g.x0(ox), x1 = g.x1(ox); ix < x1; ix++) {
                            int at = ((n * g.h() + iy) * g.w() + ix) * c;
                            if (first) {
                                System.arraycopy(x, at, best, 0, c);
                                for (int ch = 0; ch < c; ch++) {
                                    arg[ch] = at + ch;
                                }
                                first = false;
                                continue;
                            }
                            for (int ch = 0; ch < c; ch++) {
                                float v = x[at + ch];
                                float b = best[ch];
                                if (v > b || (v != v && b == b)) {
                                    best[ch] = v;
                                    arg[ch] = at + ch;
                                }
                            }
                        }
                    }
                    int out = ((n * g.oh() + oy) * g.ow() + ox) * c;
                    for (int ch = 0; ch < c; ch++) {
                        dx[arg[ch]] += dy[out + ch];
                    }
                }
            }
        });
    }

    /** What to do with one window's maxima: {@code out} is the window's first output index. */
    private interface WindowMax {
        void accept(int n, int out, int[] arg, double[] best);
    }

    /**
     * One task per image: zeroes the image's part of {@code zero} (if not null), then for every window in order
     * finds each channel's first maximum and hands it to {@code body}.
     */
    private static void eachWindowMax(Geometry g, Object x, Object zero, WindowMax body) {
        Parallel.forEach(g.n(), work(g), n -> {
            if (zero != null) {
                int plane = g.h() * g.w() * g.c();
                for (int i = 0; i < plane; i++) {
                    set(zero, n * plane + i, 0.0);
                }
            }
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
