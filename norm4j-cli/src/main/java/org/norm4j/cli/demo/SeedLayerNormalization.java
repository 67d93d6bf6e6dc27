package org.norm4j.cli.demo;

import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.layers.Layer;

/**
 * The seed's third example, written here as a user of norm4j would write it: a custom layer normalization with
 * trainable {@code gamma} and {@code beta}, built from tensor ops, with no gradient code (the tape differentiates
 * it). Its epsilon is the seed's 1e-6, not the built-in layer's 1e-3.
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
}
