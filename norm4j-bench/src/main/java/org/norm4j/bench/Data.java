package org.norm4j.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.norm4j.data.Mnist;

/** Deterministic inputs shared by every engine, so all of them see the same numbers. */
public final class Data {
    /**
     * Where the Fashion-MNIST IDX files are read from: system property {@code norm4j.bench.fashion}, default
     * {@code /usr/share/datasets/fashion-mnist} (what the {@code dataset-fashion-mnist} package installs).
     */
    public static final Path FASHION_DIR = Path.of(System.getProperty("norm4j.bench.fashion",
            "/usr/share/datasets/fashion-mnist"));

    private Data() {
    }

    /**
     * The training data of a training workload, pixels scaled to [0, 1]: the embedded 8000 MNIST digits, or the
     * 60 000 Fashion-MNIST training images for {@link Op#TRAIN_EPOCH_FASHION}.
     *
     * @throws IllegalStateException if the Fashion-MNIST files are not installed
     */
    public static Mnist training(Op op) {
        if (op != Op.TRAIN_EPOCH_FASHION) {
            return Mnist.embedded().scaled();
        }
        if (!Files.isDirectory(FASHION_DIR)) {
            throw new IllegalStateException("Fashion-MNIST not found in " + FASHION_DIR + ": expected its four IDX "
                    + "files there (apt-get install dataset-fashion-mnist, or -Dnorm4j.bench.fashion=DIR)");
        }
        try {
            return Mnist.load(FASHION_DIR).scaled();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
