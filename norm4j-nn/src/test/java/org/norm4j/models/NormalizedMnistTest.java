package org.norm4j.models;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.norm4j.data.Mnist;
import org.norm4j.initializers.Seeds;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Input;

/**
 * Issue 6's accuracy bar: the seed's model with normalization layers on the embedded MNIST sample (8000 training
 * and 2000 held-out digits, 10 epochs, batch 32, Adam, categorical cross-entropy, global seed 42) reaches at least
 * 92% held-out accuracy, with raw pixels (0-255) and with pixels scaled to [0, 1]. One {@code @Test} per model
 * and input scaling, so that other normalization layers can add theirs.
 */
class NormalizedMnistTest {
    private static Mnist raw;
    private static Mnist scaled;

    @BeforeAll
    static void load() {
        raw = Mnist.embedded();
        scaled = raw.scaled();
    }

    /** Trains the model on the data and returns the held-out accuracy (printed with the per-epoch losses). */
    static double heldOutAccuracy(String label, Sequential model, Mnist data) {
        model.compile("adam", "categorical_crossentropy", "accuracy");
        History h = model.fit(data.xTrain(), Mnist.oneHot(data.yTrain(), 10),
                FitOptions.builder().epochs(10).batchSize(32).seed(42).verbose(0).build());
        Map<String, Double> test = model.evaluate(data.xTest(), Mnist.oneHot(data.yTest(), 10));
        System.out.printf("%s: held-out accuracy %.4f (train loss per epoch %s)%n", label, test.get("accuracy"),
                h.get("loss"));
        return test.get("accuracy");
    }

    /** The seed's model: BatchNormalization -> Dense(128, relu) -> BatchNormalization -> Dense(10, softmax). */
    private static Sequential seedBatchNormModel() {
        return new Sequential(new Input(784), new BatchNormalization(), new Dense(128, "relu"),
                new BatchNormalization(), new Dense(10, "softmax"));
    }

    @Test
    void batchNormalizationModelOnRawPixels() {
        Seeds.setGlobalSeed(42);
        double acc = heldOutAccuracy("BatchNormalization model, raw pixels 0-255", seedBatchNormModel(), raw);
        assertTrue(acc >= 0.92, "held-out accuracy " + acc);
    }

    @Test
    void batchNormalizationModelOnScaledPixels() {
        Seeds.setGlobalSeed(42);
        double acc = heldOutAccuracy("BatchNormalization model, pixels scaled to [0, 1]", seedBatchNormModel(),
                scaled);
        assertTrue(acc >= 0.92, "held-out accuracy " + acc);
    }

    /** The seed's model with LayerNormalization in both places: LN -> Dense(128, relu) -> LN -> Dense(10, softmax). */
    private static Sequential seedLayerNormModel() {
        return new Sequential(new Input(784), new org.norm4j.layers.LayerNormalization(), new Dense(128, "relu"),
                new org.norm4j.layers.LayerNormalization(), new Dense(10, "softmax"));
    }

    @Test
    void layerNormalizationModelOnRawPixels() {
        Seeds.setGlobalSeed(42);
        double acc = heldOutAccuracy("LayerNormalization model, raw pixels 0-255", seedLayerNormModel(), raw);
        assertTrue(acc >= 0.92, "held-out accuracy " + acc);
    }

    @Test
    void layerNormalizationModelOnScaledPixels() {
        Seeds.setGlobalSeed(42);
        double acc = heldOutAccuracy("LayerNormalization model, pixels scaled to [0, 1]", seedLayerNormModel(),
                scaled);
        assertTrue(acc >= 0.92, "held-out accuracy " + acc);
    }
}
