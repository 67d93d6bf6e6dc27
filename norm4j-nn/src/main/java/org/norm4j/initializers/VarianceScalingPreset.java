package org.norm4j.initializers;

import java.util.Map;

/**
 * The base of the fixed cases of {@link VarianceScaling} (Glorot, He and LeCun, normal and uniform): their scale,
 * mode and distribution are set by the class, so their Keras config is only {@code {"seed": seed}}.
 */
abstract class VarianceScalingPreset extends VarianceScaling {

    VarianceScalingPreset(double scale, String mode, String distribution, Long seed) {
        super(scale, mode, distribution, seed);
    }

    @Override
    public final Map<String, Object> getConfig() {
        return configWithSeed();
    }
}
