package org.norm4j.optimizers;

import static org.norm4j.keras.KerasObjects.bool;
import static org.norm4j.keras.KerasObjects.nullableNumber;
import static org.norm4j.keras.KerasObjects.number;

import org.norm4j.keras.KerasObjects;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * Looks up optimizers by Keras name and rebuilds them from configs, like {@code keras.optimizers.get},
 * {@code serialize} and {@code deserialize}. Accepted names (case-insensitive, as Keras lower-cases them):
 * {@code "sgd"}, {@code "adam"}, {@code "adamw"}, {@code "rmsprop"}.
 *
 * <pre>{@code
 * Optimizer a = Optimizers.get("adam");                        // Keras defaults
 * Optimizer b = Optimizers.fromConfig("SGD", Map.of("learning_rate", 0.1, "momentum", 0.9));
 * Optimizer c = Optimizers.fromConfig(Optimizers.serialize(b)); // same configuration, fresh state
 * }</pre>
 */
public final class Optimizers {
    private static final List<String> NAMES = List.of("sgd", "adam", "adamw", "rmsprop");
    private static final Set<String> BASE_KEYS = Set.of("name", "learning_rate", "weight_decay", "clipnorm",
            "global_clipnorm", "clipvalue", "use_ema", "ema_momentum", "ema_overwrite_frequency",
            "loss_scale_factor", "gradient_accumulation_steps");

    private Optimizers() {
    }

    /**
     * {@code keras.optimizers.get(identifier)}: a new optimizer with Keras's defaults.
     *
     * @param name {@code "sgd"}, {@code "adam"}, {@code "adamw"} or {@code "rmsprop"} (any case)
     * @throws IllegalArgumentException for an unknown name; the message lists the accepted ones
     */
    public static Optimizer get(String name) {
        return fromConfig(name, Map.of());
    }

    /**
     * {@code Optimizer.from_config(config)} for the class {@code className} ({@code "Adam"}, or any accepted
     * name): missing keys take Keras's defaults.
     *
     * @param config Keras config keys as written by {@link Optimizer#getConfig()}; {@code null} means empty
     * @throws IllegalArgumentException for an unknown class or key, a value of the wrong type, or a feature
     *     norm4j does not implement ({@code use_ema=true}, {@code loss_scale_factor},
     *     {@code gradient_accumulation_steps}, learning-rate schedules)
     */
    public static Optimizer fromConfig(String className, Map<String, Object> config) {
        Objects.requireNonNull(className, "className must not be null");
        Map<String, Object> c = config == null ? Map.of() : config;
        switch (className.toLowerCase(Locale.ROOT)) {
            case "sgd": {
                checkKeys("SGD", c, "momentum", "nesterov");
                SGD.Builder b = base(SGD.builder(), c);
                b.momentum(number(c, "momentum", 0.0)).nesterov(bool(c, "nesterov", false));
                return b.build();
            }
            case "adam": {
                checkKeys("Adam", c, "beta_1", "beta_2", "epsilon", "amsgrad");
                return adamArgs(base(Adam.builder(), c), c).build();
            }
            case "adamw": {
                checkKeys("AdamW", c, "beta_1", "beta_2", "epsilon", "amsgrad");
                AdamW.Builder b = base(AdamW.builder(), c);
                if (!c.containsKey("weight_decay")) {
                    b.weightDecay(0.004);
                }
                return adamArgs(b, c).build();
            }
            case "rmsprop": {
                checkKeys("RMSprop", c, "rho", "momentum", "epsilon", "centered");
                RMSprop.Builder b = base(RMSprop.builder(), c);
                b.rho(number(c, "rho", 0.9)).momentum(number(c, "momentum", 0.0))
                        .epsilon(number(c, "epsilon", 1e-7)).centered(bool(c, "centered", false));
                return b.build();
            }
            default:
                throw new IllegalArgumentException("Unknown optimizer '" + className + "': expected one of "
                        + NAMES + " (any case)");
        }
    }

    /**
     * {@code keras.optimizers.deserialize(config)}: rebuilds an optimizer from {@code {"class_name": ...,
     * "config": {...}}} as written by {@link #serialize}. The state (slots, iterations) is not restored.
     */
    public static Optimizer fromConfig(Map<String, Object> serialized) {
        return KerasObjects.deserialize("optimizer", serialized, Optimizers::fromConfig);
    }

    /**
     * {@code keras.optimizers.serialize(optimizer)}: {@code {"module": "keras.optimizers", "class_name": ...,
     * "config": {...}, "registered_name": null}}.
     */
    public static Map<String, Object> serialize(Optimizer optimizer) {
        Objects.requireNonNull(optimizer, "optimizer must not be null");
        return KerasObjects.serialize("keras.optimizers", optimizer.className(), optimizer.getConfig());
    }

    /** The accepted names. */
    public static List<String> acceptedNames() {
        return Collections.unmodifiableList(new ArrayList<>(NAMES));
    }

    // ---- config helpers ---------------------------------------------------------------------------------

    private static <B extends Optimizer.Builder<B>> B base(B b, Map<String, Object> c) {
        if (c.get("learning_rate") instanceof Map) {
            throw new IllegalArgumentException("learning_rate = " + c.get("learning_rate")
                    + ": learning-rate schedules are not supported; expected a float");
        }
        if (Boolean.TRUE.equals(c.get("use_ema"))) {
            throw new IllegalArgumentException("use_ema=true is not supported: expected false");
        }
        for (String k : List.of("loss_scale_factor", "gradient_accumulation_steps", "ema_overwrite_frequency")) {
            if (c.get(k) != null) {
                throw new IllegalArgumentException(k + " = " + c.get(k) + " is not supported: expected null");
            }
        }
        if (c.containsKey("learning_rate")) {
            b.learningRate(number(c, "learning_rate", 0));
        }
        if (c.get("name") != null) {
            b.name(String.valueOf(c.get("name")));
        }
        b.weightDecay(nullableNumber(c, "weight_decay"));
        b.clipnorm(nullableNumber(c, "clipnorm"));
        b.clipvalue(nullableNumber(c, "clipvalue"));
        b.globalClipnorm(nullableNumber(c, "global_clipnorm"));
        return b;
    }

    private static <B extends Adam.BaseBuilder<B>> B adamArgs(B b, Map<String, Object> c) {
        return b.beta1(number(c, "beta_1", 0.9)).beta2(number(c, "beta_2", 0.999))
                .epsilon(number(c, "epsilon", 1e-7)).amsgrad(bool(c, "amsgrad", false));
    }

    private static void checkKeys(String cls, Map<String, Object> c, String... own) {
        Set<String> ok = new TreeSet<>(BASE_KEYS);
        ok.addAll(List.of(own));
        KerasObjects.checkKeys("optimizer", cls, c, ok);
    }
}
