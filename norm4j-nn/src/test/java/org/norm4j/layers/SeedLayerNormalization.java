package org.norm4j.layers;

import java.util.Map;
import org.norm4j.Tensor;
import org.norm4j.Variable;

/**
 * The seed's third example, written as a user would: a custom LayerNormalization with trainable gamma and
 * beta and no gradient code. (The built-in, fused {@code LayerNormalization} is a separate class.)
 */
public class SeedLayerNormalization extends Layer {
    private final double epsilon;
    private Variable gamma;
    private Variable beta;

    public SeedLayerNormalization() {
        this(1e-6);
    }

    public SeedLayerNormalization(double epsilon) {
        this.epsilon = epsilon;
    }

    @Override
    protected void build(int[] inputShape) {
        gamma = addWeight("gamma", lastDim(inputShape), "ones");
        beta = addWeight("beta", lastDim(inputShape), "zeros");
    }

    @Override
    protected Tensor call(Tensor x, boolean training) {
        Tensor mean = x.mean(new int[] {-1}, true);
        Tensor variance = x.sub(mean).square().mean(new int[] {-1}, true);
        Tensor normalized = x.sub(mean).div(variance.add(epsilon).sqrt());
        return gamma.value().mul(normalized).add(beta.value());
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        c.put("epsilon", epsilon);
        return c;
    }

    public static SeedLayerNormalization fromConfig(Map<String, Object> config) {
        SeedLayerNormalization l = new SeedLayerNormalization(((Number) config.get("epsilon")).doubleValue());
        LayerConfigs.applyBase(l, config);
        return l;
    }
}
