package org.norm4j.bench;

import java.util.SplittableRandom;

/** Deterministic inputs shared by every engine, so all of them see the same numbers. */
public final class Data {
    private Data() {
    }

    /** {@code n} floats uniform in [lo, hi), from {@code seed}. */
    public static float[] uniform(long n, long seed, double lo, double hi) {
        float[] f = new float[Math.toIntExact(n)];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return f;
    }

    /** Activations-like data: uniform in [-2, 2) plus 0.5. */
    public static float[] x(long n) {
        return uniform(n, 42, -1.5, 2.5);
    }

    /** An upstream gradient. */
    public static float[] dy(long n) {
        return uniform(n, 7, -1, 1);
    }

    /** Per-channel parameters near 1 (scale, variance) or near 0 (offset, mean). */
    public static float[] param(int c, long seed, double center) {
        return uniform(c, seed, center - 0.25, center + 0.25);
    }

    /** Product of the dimensions. */
    public static long size(int... shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }
}
