package org.norm4j.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.norm4j.Tensor;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.Dense;
import org.norm4j.layers.GroupNormalization;
import org.norm4j.layers.Input;
import org.norm4j.layers.Layer;
import org.norm4j.layers.LayerNormalization;
import org.norm4j.layers.Normalization;
import org.norm4j.stats.ZeroVariancePolicy;
import org.norm4j.models.Sequential;

/**
 * The demo's model variants: the seed's MNIST model (Dense(128, relu) -> Dense(10, softmax) on 784 raw pixels)
 * with no normalization, with inputs standardized feature-wise, and with a normalization layer before each Dense
 * layer (BatchNormalization as in the seed's second example, LayerNormalization built in or written by the user
 * as in the seed's third example, GroupNormalization). Every variant sees the same raw pixels 0-255.
 */
public enum Variant {
    /** No normalization: Dense(128, relu) -> Dense(10, softmax) on raw pixels. */
    NONE("none", "no normalization: Dense(128, relu) -> Dense(10, softmax) on raw pixels 0-255"),
    /** The seed's first example: feature-wise standardization, via {@code Normalization.adapt}. */
    STANDARDIZE("standardize", "inputs standardized feature-wise (Normalization adapted on the training set) -> "
            + "Dense(128, relu) -> Dense(10, softmax); the seed's first example"),
    /** The seed's second example. */
    BATCHNORM("batchnorm", "BatchNormalization -> Dense(128, relu) -> BatchNormalization -> Dense(10, softmax); "
            + "the seed's second example"),
    /** Keras's built-in LayerNormalization (epsilon 1e-3) in place of each BatchNormalization. */
    LAYERNORM("layernorm", "LayerNormalization (built in, epsilon 1e-3) -> Dense(128, relu) -> LayerNormalization "
            + "-> Dense(10, softmax)"),
    /** The seed's third example: a user-written LayerNormalization (epsilon 1e-6). */
    SEED_LAYERNORM("seed-layernorm", "the seed's user-written LayerNormalization class (epsilon 1e-6, in the demo's "
            + "code) -> Dense(128, relu) -> the same -> Dense(10, softmax); the seed's third example"),
    /** GroupNormalization with 16 groups (16 divides both 784 and 128). */
    GROUPNORM("groupnorm", "GroupNormalization(groups=16) -> Dense(128, relu) -> GroupNormalization(groups=16) -> "
            + "Dense(10, softmax); 16 divides both 784 and 128");

    private final String id;
    private final String description;

    Variant(String id, String description) {
        this.id = id;
        this.description = description;
    }

    /** The name used on the command line and in reports. */
    public String id() {
        return id;
    }

    /** One line on what the variant is. */
    public String description() {
        return description;
    }

    /**
     * Builds the variant's model, uncompiled.
     *
     * @param xTrain the training images, used by {@link #STANDARDIZE} to adapt its {@link Normalization} layer
     * @param policy the zero-variance policy of that layer (constant pixels have variance 0)
     */
    public Sequential model(Tensor xTrain, ZeroVariancePolicy policy) {
        int features = xTrain.shape().dim(1);
        List<Layer> layers = new ArrayList<>();
        layers.add(new Input(features));
        switch (this) {
            case STANDARDIZE:
                Normalization norm = Normalization.builder().zeroVariancePolicy(policy).build();
                norm.adapt(xTrain);
                layers.add(norm);
                layers.add(new Dense(128, "relu"));
                break;
            case NONE:
                layers.add(new Dense(128, "relu"));
                break;
            default:
                layers.add(normalization());
                layers.add(new Dense(128, "relu"));
                layers.add(normalization());
                break;
        }
        layers.add(new Dense(10, "softmax"));
        return new Sequential(layers.toArray(new Layer[0])).name(id);
    }

    private Layer normalization() {
        switch (this) {
            case BATCHNORM:
                return new BatchNormalization();
            case LAYERNORM:
                return new LayerNormalization();
            case SEED_LAYERNORM:
                return new SeedLayerNormalization();
            case GROUPNORM:
                return new GroupNormalization(16);
            default:
                throw new IllegalStateException(id + " has no normalization layers");
        }
    }

    /** Every variant's name, comma-separated. */
    public static String names() {
        List<String> n = new ArrayList<>();
        for (Variant v : values()) {
            n.add(v.id);
        }
        return String.join(",", n);
    }

    /**
     * The variants of a comma-separated list of names (or {@code all}).
     *
     * @throws IllegalArgumentException naming an unknown variant
     */
    public static List<Variant> parse(String list) {
        List<Variant> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String t = raw.strip().toLowerCase(Locale.ROOT);
            if (t.equals("all")) {
                for (Variant v : values()) {
                    if (!out.contains(v)) {
                        out.add(v);
                    }
                }
                continue;
            }
            Variant found = null;
            for (Variant v : values()) {
                if (v.id.equals(t)) {
                    found = v;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown variant '" + raw.strip() + "': expected some of "
                        + names() + " (or all)");
            }
            if (!out.contains(found)) {
                out.add(found);
            }
        }
        return out;
    }
}
