package org.norm4j.layers;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.norm4j.constraints.Constraints;
import org.norm4j.initializers.Initializer;
import org.norm4j.initializers.Initializers;
import org.norm4j.layers.BatchNormalization.Builder;
import org.norm4j.layers.BatchNormalization.Convention;
import org.norm4j.regularizers.Regularizers;

/** Reads a {@link BatchNormalization} config (Keras 3 keys plus {@code norm4j_convention}) into a builder. */
final class BatchNormalizationConfig {
    private BatchNormalizationConfig() {
    }

    @SuppressWarnings("unchecked")
    static Builder builder(Map<String, Object> config) {
        Builder b = BatchNormalization.builder();
        if (Boolean.TRUE.equals(config.get("synchronized")) || Boolean.TRUE.equals(config.get("renorm"))) {
            throw new IllegalArgumentException("BatchNormalization config with synchronized=" + config.get(
                    "synchronized") + ", renorm=" + config.get("renorm") + ": expected both false (not supported)");
        }
        Object conv = config.get("norm4j_convention");
        if (conv != null) {
            try {
                b.convention(Convention.valueOf(String.valueOf(conv).toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("norm4j_convention = \"" + conv + "\": expected one of keras, "
                        + "tf_fused, pytorch", e);
            }
        }
        Object ax = config.get("axis");
        if (ax instanceof List) {
            b.axis(((List<Number>) ax).stream().mapToInt(Number::intValue).toArray());
        } else if (ax != null) {
            b.axis(((Number) ax).intValue());
        }
        if (config.containsKey("momentum")) {
            b.momentum(config.get("momentum") == null ? null : ((Number) config.get("momentum")).doubleValue());
        }
        if (config.get("epsilon") != null) {
            b.epsilon(((Number) config.get("epsilon")).doubleValue());
        }
        b.center(!Boolean.FALSE.equals(config.get("center"))).scale(!Boolean.FALSE.equals(config.get("scale")));
        Initializer i = initializer(config.get("beta_initializer"));
        if (i != null) {
            b.betaInitializer(i);
        }
        i = initializer(config.get("gamma_initializer"));
        if (i != null) {
            b.gammaInitializer(i);
        }
        i = initializer(config.get("moving_mean_initializer"));
        if (i != null) {
            b.movingMeanInitializer(i);
        }
        i = initializer(config.get("moving_variance_initializer"));
        if (i != null) {
            b.movingVarianceInitializer(i);
        }
        return b.betaRegularizer(Regularizers.deserialize(config.get("beta_regularizer")))
                .gammaRegularizer(Regularizers.deserialize(config.get("gamma_regularizer")))
                .betaConstraint(Constraints.deserialize(config.get("beta_constraint")))
                .gammaConstraint(Constraints.deserialize(config.get("gamma_constraint")));
    }

    @SuppressWarnings("unchecked")
    private static Initializer initializer(Object o) {
        if (o == null) {
            return null;
        }
        return o instanceof String ? Initializers.get((String) o) : Initializers.fromConfig((Map<String, Object>) o);
    }
}
