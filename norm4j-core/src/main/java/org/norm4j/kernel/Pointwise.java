package org.norm4j.kernel;

/**
 * Loops for the activation functions and special functions that are not part of {@link Kernels}: relu,
 * sigmoid, tanh, erf, GELU, SiLU, and softmax / log-softmax along one axis. Every value is computed in double and
 * rounded once for float32 (TensorFlow's float32 kernels compute in float, so norm4j is at least as accurate).
 * Work is split into fixed chunks over {@link Parallel}, so results never depend on the thread count.
 */
public final class Pointwise {
    private static final int CHUNK = 1 << 13;
    private static final double TWO_OVER_SQRT_PI = 1.1283791670955126;
    private static final double ONE_OVER_SQRT_PI = 0.5641895835477563;
    private static final double ONE_OVER_SQRT2 = 0.7071067811865476;

    private Pointwise() {
    }

    /** The functions {@link #apply} runs. */
    public enum Fn {
        /** {@code max(x, 0)}, NaN propagating. */
        RELU,
        /** {@code 1 / (1 + exp(-x))}. */
        SIGMOID,
        /** Hyperbolic tangent. */
        TANH,
        /** The error function. */
        ERF,
        /** {@code x * Phi(x) = 0.5 * x * erfc(-x / sqrt(2))}: exact GELU. */
        GELU,
        /** {@code x * sigmoid(x)}: SiLU / swish. */
        SILU
    }

    /** {@code dst[i] = fn(src[i])} for {@code i < n}; src and dst are both float[] or both double[]. */
    public static void apply(Fn fn, Object src, Object dst, int n) {
        int tasks = (n + CHUNK - 1) / CHUNK;
        Parallel.forEach(tasks, (long) n * 8, t -> {
            int s = t * CHUNK;
            int e = Math.min(n, s + CHUNK);
            if (src instanceof float[] && fn == Fn.RELU) {
                float[] a = (float[]) src;
                float[] c = (float[]) dst;
                for (int i = s; i < e; i++) {
                    c[i] = Math.max(a[i], 0f); // the same value as eval's, without the round trip through double
                }
            } else if (src instanceof float[]) {
                float[] a = (float[]) src;
                float[] c = (float[]) dst;
                for (int i = s; i < e; i++) {
                    c[i] = (float) eval(fn, a[i]);
                }
            } else {
                double[] a = (double[]) src;
                double[] c = (double[]) dst;
                for (int i = s; i < e; i++) {
                    c[i] = eval(fn, a[i]);
                }
            }
        });
    }

    /**
     * TensorFlow's {@code ReluGrad} ({@link Kernels#reluGrad}) over {@code n} elements in fixed chunks; all three
     * float[] or all double[].
     */
    public static void reluGrad(Object g, Object x, Object dx, int n) {
        int tasks = (n + CHUNK - 1) / CHUNK;
        Kernels k = KernelProvider.get();
        Parallel.forEach(tasks, (long) n * 2, t -> {
            int s = t * CHUNK;
            int e = Math.min(n, s + CHUNK);
            if (g instanceof float[]) {
                k.reluGrad((float[]) g, (float[]) x, (float[]) dx, s, e - s);
            } else {
                k.reluGrad((double[]) g, (double[]) x, (double[]) dx, s, e - s);
            }
        });
    }

    /** One value of {@code fn}. */
    public static double eval(Fn fn, double x) {
        switch (fn) {
            case RELU: return Math.max(x, 0.0);
            case SIGMOID: return sigmoid(x);
            case TANH: return Math.tanh(x);
            case ERF: return erf(x);
            case GELU: return 0.5 * x * erfc(-x * ONE_OVER_SQRT2);
            case SILU: return x * sigmoid(x);
            default: throw new AssertionError(fn);
        }
    }

    /** The logistic function, without overflow for large |x|. */
    public static double sigmoid(double x) {
        if (x >= 0) {
            return 1.0 / (1.0 + Math.exp(-x));
        }
        double e = Math.exp(x);
        return e / (1.0 + e);
    }

    /**
     * The error function {@code erf(x) = 2/sqrt(pi) * integral_0^x exp(-t^2) dt}, to about 1e-15 relative
     * accuracy: a series of positive terms for {@code |x| < 2}, a continued fraction for erfc beyond.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        double r = ax < 2.0 ? erfSeries(ax) : 1.0 - erfcFraction(ax);
        return x < 0 ? -r : r;
    }

    /**
     * The complementary error function {@code 1 - erf(x)}, accurate in relative terms also where it is tiny
     * (large positive x).
     */
    public static double erfc(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        if (x < 0) {
            return 2.0 - erfc(-x);
        }
        return x < 2.0 ? 1.0 - erfSeries(x) : erfcFraction(x);
    }

    /**
     * {@code erf(x) = 2/sqrt(pi) * exp(-x^2) * sum_n x^(2n+1) 2^n / (1*3*...*(2n+1))} for {@code x >= 0}: every
     * term is positive, so there is no cancellation.
     */
    private static double erfSeries(double x) {
        double x2 = 2.0 * x * x;
        double term = x;
        double sum = x;
        for (int n = 1; n < 200; n++) {
            term *= x2 / (2 * n + 1);
            sum += term;
            if (term <= sum * 1e-17) {
                break;
            }
        }
        return TWO_OVER_SQRT_PI * Math.exp(-x * x) * sum;
    }

    /**
     * {@code erfc(x) = exp(-x^2)/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...))))} for {@code x >= 2},
     * evaluated with the modified Lentz method.
     */
    private static double erfcFraction(double x) {
        if (x > 27) {
            return 0.0; // below the smallest double
        }
        final double tiny = 1e-300;
        double f = x;
        double c = x;
        double d = 0;
        for (int k = 1; k < 500; k++) {
            double a = 0.5 * k;
            d = x + a * d;
            d = d == 0 ? tiny : d;
            c = x + a / c;
            c = c == 0 ? tiny : c;
            d = 1.0 / d;
            double delta = c * d;
            f *= delta;
            if (Math.abs(delta - 1.0) < 1e-16) {
                break;
            }
        }
        return ONE_OVER_SQRT_PI * Math.exp(-x * x) / f;
    }

    /**
     * Softmax ({@code log = false}) or log-softmax along the middle axis of a row-major
     * {@code [outer, axis, inner]} block: {@code exp(x - max) / sum(exp(x - max))} or
     * {@code x - max - log(sum(exp(x - max)))}, accumulated in double.
     */
    public static void softmax(Object src, Object dst, int outer, int axis, int inner, boolean log) {
        int perTask = Math.max(1, CHUNK / Math.max(1, axis * inner));
        int tasks = (outer + perTask - 1) / perTask;
        Parallel.forEach(tasks, (long) outer * axis * inner * 4, t -> {
            int o0 = t * perTask;
            int o1 = Math.min(outer, o0 + perTask);
            double[] row = new double[axis];
            for (int o = o0; o < o1; o++) {
                for (int in = 0; in < inner; in++) {
                    int base = o * axis * inner + in;
                    softmaxRow(src, dst, base, axis, inner, log, row);
                }
            }
        });
    }

    private static void softmaxRow(Object src, Object dst, int base, int axis, int stride, boolean log,
            double[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (int a = 0; a < axis; a++) {
            double v = src instanceof float[] ? ((float[]) src)[base + a * stride]
                    : ((double[]) src)[base + a * stride];
            row[a] = v;
            max = Math.max(max, v);
        }
        if (Double.isInfinite(max)) {
            max = 0; // all -inf gives NaN like TensorFlow; +inf gives NaN too
        }
        double sum = 0;
        for (int a = 0; a < axis; a++) {
            sum += Math.exp(row[a] - max);
        }
        double logSum = Math.log(sum);
        for (int a = 0; a < axis; a++) {
            double v = log ? row[a] - max - logSum : Math.exp(row[a] - max) / sum;
            if (dst instanceof float[]) {
                ((float[]) dst)[base + a * stride] = (float) v;
            } else {
                ((double[]) dst)[base + a * stride] = v;
            }
        }
    }
}
