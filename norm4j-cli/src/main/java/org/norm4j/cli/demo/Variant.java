package org.norm4j.cli.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.norm4j.Tensor;
import org.norm4j.layers.Activation;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.Conv2D;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Flatten;
import org.norm4j.layers.GroupNormalization;
import org.norm4j.layers.Input;
import org.norm4j.layers.InstanceNormalization;
import org.norm4j.layers.Layer;
import org.norm4j.layers.LayerNormalization;
import org.norm4j.layers.MaxPooling2D;
import org.norm4j.layers.Normalization;
import org.norm4j.layers.Rescaling;
import org.norm4j.models.Sequential;
import org.norm4j.stats.ZeroVariancePolicy;

/**
 * The demo's model variants: the seed's MNIST model (Dense(128, relu) -> Dense(10, softmax) on 784 raw pixels)
 * with no normalization, with inputs standardized feature-wise, and with a normalization layer before each Dense
 * layer (BatchNormalization as in the seed's second example, LayerNormalization built in or written by the user
 * as in the seed's third example, GroupNormalization). Every variant sees the same raw pixels 0-255.
 *
 * <p>The CNN variants ({@code --model cnn}) share the ids none, batchnorm, groupnorm, instancenorm and layernorm:
 * Rescaling(1/255) -> Conv2D(32, 3) -> norm -> relu -> MaxPooling2D -> Conv2D(64, 3) -> norm -> relu ->
 * MaxPooling2D -> Flatten -> Dense(10, softmax) on 28x28x1 images.
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
            + "Dense(10, softmax); 16 divides both 784 and 128"),
    /** CNN without normalization. */
    CNN_NONE("none", true, "CNN, no normalization: Conv2D(32, 3, relu) -> MaxPooling2D -> Conv2D(64, 3, relu) -> "
            + "MaxPooling2D -> Dense(10, softmax), pixels scaled to 0-1"),
    /** CNN with BatchNormalization after each convolution (per channel, over batch, height and width). */
    CNN_BATCHNORM("batchnorm", true, "CNN, BatchNormalization after each Conv2D (statistics per channel over the "
            + "batch, height and width)"),
    /** CNN with GroupNormalization(groups=8). */
    CNN_GROUPNORM("groupnorm", true, "CNN, GroupNormalization(groups=8) after each Conv2D (per image, 8 groups of "
            + "channels)"),
    /** CNN with InstanceNormalization. */
    CNN_INSTANCENORM("instancenorm", true, "CNN, InstanceNormalization after each Conv2D (per image and channel)"),
    /** CNN with LayerNormalization over height, width and channels. */
    CNN_LAYERNORM("layernorm", true, "CNN, LayerNormalization(axis=[1, 2, 3]) after each Conv2D (per image, over "
            + "height, width and channels)");

    private final String id;
    private final boolean cnn;
    private final String description;

    Variant(String id, String description) {
        this(id, false, description);
    }

    Variant(String id, boolean cnn, String description) {
        this.id = id;
        this.cnn = cnn;
        this.description = description;
    }

    /** Whether this is a variant of the CNN ({@code --model cnn}). */
    public boolean cnn() {
        return cnn;
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
        if (cnn) {
            return cnnModel();
        }
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

    private Sequential cnnModel() {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Input(28, 28, 1));
        layers.add(new Rescaling(1.0 / 255, 0));
        for (int filters : new int[] {32, 64}) {
            if (this == CNN_NONE) {
                layers.add(new Conv2D(filters, 3).activation("relu"));
            } else {
                layers.add(new Conv2D(filters, 3));
                layers.add(normalization());
                layers.add(new Activation("relu"));
            }
            layers.add(new MaxPooling2D());
        }
        layers.add(new Flatten());
        layers.add(new Dense(10, "softmax"));
        return new Sequential(layers.toArray(new Layer[0])).name("cnn-" + id);
    }

    private Layer normalization() {
        switch (this) {
            case CNN_BATCHNORM:
                return new BatchNormalization();
            case CNN_GROUPNORM:
                return new GroupNormalization(8);
            case CNN_INSTANCENORM:
                return new InstanceNormalization();
            case CNN_LAYERNORM:
                return new LayerNormalization(1, 2, 3);
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

    /** Every MLP variant's name, comma-separated. */
    public static String names() {
        return names(false);
    }

    /** Every variant's name of one model (the CNN or the MLP), comma-separated. */
    public static String names(boolean cnn) {
        List<String> n = new ArrayList<>();
        for (Variant v : values()) {
            if (v.cnn == cnn) {
                n.add(v.id);
            }
        }
        return String.join(",", n);
    }

    /**
     * The variants of a comma-separated list of names (or {@code all}).
     *
     * @throws IllegalArgumentException naming an unknown variant
     */
    public static List<Variant> parse(String list) {
        return parse(list, false);
    }

    /**
     * The variants of one model (the CNN or the MLP) from a comma-separated list of names (or {@code all}).
     *
     * @throws IllegalArgumentException naming an unknown variant
     */
    public static List<Variant> parse(String list, boolean cnn) {
        List<Variant> out = new ArrayList<>();
        for (String raw : list.split(",")) {
            String t = raw.strip().toLowerCase(Locale.ROOT);
            if (t.equals("all")) {
                for (Variant v : values()) {
                    if (v.cnn == cnn && !out.contains(v)) {
                        out.add(v);
                    }
                }
                continue;
            }
            Variant found = null;
            for (Variant v : values()) {
                if (v.cnn == cnn && v.id.equals(t)) {
                    found = v;
                }
            }
            if (found == null) {
                throw new IllegalArgumentException("unknown variant '" + raw.strip() + "' of the "
                        + (cnn ? "cnn" : "mlp") + " model: expected some of " + names(cnn) + " (or all)");
            }
            if (!out.contains(found)) {
                out.add(found);
            }
        }
        return out;
    }
}
