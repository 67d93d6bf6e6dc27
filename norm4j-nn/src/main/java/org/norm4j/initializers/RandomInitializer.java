package org.norm4j.initializers;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * Base of the random initializers ({@code keras.initializers.RandomInitializer}), which all take an optional
 * {@code seed} (default {@code null}).
 *
 * <p><b>Seeding.</b> With an explicit seed, every {@link #apply} call returns the same values. Without one, each
 * call draws a fresh seed from the global generator ({@link Seeds#nextSeed()}), so two weights built from one
 * initializer instance differ, and the same {@link Seeds#setGlobalSeed global seed} with the same order of
 * construction reproduces every weight. (Keras 3 instead draws the seed once, when an unseeded initializer is
 * created; both give reproducible models under a global seed.)
 *
 * <p>Sampling uses {@link SplittableRandom}, so values are identical on every platform and JDK; they are not
 * TensorFlow's random streams.
 */
public abstract class RandomInitializer implements Initializer {
    private final Long seed;

    /**
     * @param seed the seed, or {@code null} to draw one from {@link Seeds} at each call
     */
    protected RandomInitializer(Long seed) {
        this.seed = seed;
    }

    /** The explicit seed, or {@code null}. */
    public final Long seed() {
        return seed;
    }

    /** The seed for one {@link #apply} call: the explicit seed, else a fresh one from {@link Seeds}. */
    protected final long drawSeed() {
        return seed != null ? seed : Seeds.nextSeed();
    }

    /**
     * A new config map: {@code seed} first, then the given key/value pairs, in Keras's order.
     *
     * @param keyValues alternating {@code String} keys and values
     * @return the config
     */
    protected final Map<String, Object> configWithSeed(Object... keyValues) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("seed", seed);
        for (int i = 0; i < keyValues.length; i += 2) {
            c.put((String) keyValues[i], keyValues[i + 1]);
        }
        return c;
    }

    /**
     * Normal samples truncated at two standard deviations, like {@code tf.random.truncated_normal}: samples
     * farther than {@code 2 * stddev} from the mean are drawn again.
     */
    static Tensor truncatedNormal(Shape shape, DType dtype, double mean, double stddev, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[shape.size()];
        int i = 0;
        while (i < v.length) {
            double u1 = 1.0 - rnd.nextDouble(); // (0, 1]
            double u2 = rnd.nextDouble();
            double rad = Math.sqrt(-2.0 * Math.log(u1));
            double z0 = rad * Math.cos(2 * Math.PI * u2);
            double z1 = rad * Math.sin(2 * Math.PI * u2);
            if (Math.abs(z0) <= 2.0) {
                v[i++] = mean + stddev * z0;
            }
            if (i < v.length && Math.abs(z1) <= 2.0) {
                v[i++] = mean + stddev * z1;
            }
        }
        return fromDoubles(v, shape, dtype);
    }

    /** Wraps double values as a tensor of {@code dtype} (rounding once for FLOAT32). */
    static Tensor fromDoubles(double[] v, Shape shape, DType dtype) {
        if (dtype == DType.FLOAT64) {
            return Tensor.wrap(v, shape);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.wrap(f, shape);
    }
}
