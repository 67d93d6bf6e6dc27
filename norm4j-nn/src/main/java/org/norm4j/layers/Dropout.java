package org.norm4j.layers;

import org.norm4j.keras.KerasObjects;
import java.util.Map;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.initializers.Seeds;

/**
 * {@code keras.layers.Dropout(rate, seed=None)}: in training, zeroes each input with probability {@code rate}
 * and scales the rest by {@code 1 / (1 - rate)}; in inference, the identity. With a seed the sequence of masks
 * is reproducible; without one the seed is drawn from the global seed ({@link Seeds}).
 */
public class Dropout extends Layer {
    private final double rate;
    private final Long seed;
    private final long effectiveSeed;
    private long calls;

    /** {@code Dropout(rate)}. */
    public Dropout(double rate) {
        this(rate, null);
    }

    /**
     * {@code Dropout(rate, seed)}.
     *
     * @param rate in [0, 1)
     * @param seed a seed, or null for one drawn from the global seed
     */
    public Dropout(double rate, Long seed) {
        if (!(rate >= 0 && rate < 1)) {
            throw new IllegalArgumentException("rate = " + rate + ": expected a value in [0, 1)");
        }
        this.rate = rate;
        this.seed = seed;
        this.effectiveSeed = seed != null ? seed : Seeds.nextSeed();
    }

    /** Rebuilds from {@link #getConfig()}. */
    public static Dropout fromConfig(Map<String, Object> config) {
        Object s = config.get("seed");
        Dropout d = new Dropout(((Number) config.get("rate")).doubleValue(),
                s == null ? null : ((Number) s).longValue());
        LayerConfigs.applyBase(d, config);
        return d;
    }

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        if (!training || rate == 0) {
            return inputs;
        }
        Tensor u = Tensor.randomUniform(inputs.dtype(), 0, 1, effectiveSeed * 31 + calls++, inputs.shape().dims());
        float[] m = new float[u.size()];
        float keep = (float) (1.0 / (1.0 - rate));
        double[] uv = u.toDoubleArray();
        for (int i = 0; i < m.length; i++) {
            m[i] = uv[i] >= rate ? keep : 0f;
        }
        Tensor mask = Tensor.of(m, inputs.shape().dims()).asType(inputs.dtype() == DType.FLOAT64 ? DType.FLOAT64
                : DType.FLOAT32);
        return inputs.mul(mask);
    }

    @Override
    public Map<String, Object> getConfig() {
        return KerasObjects.put(super.getConfig(), "rate", rate, "seed", seed);
    }
}
