package org.norm4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Supplier;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.initializers.Seeds;
import org.norm4j.io.ModelIO;
import org.norm4j.models.FitOptions;
import org.norm4j.models.History;
import org.norm4j.models.Sequential;

/**
 * The contract every layer test starts with, after Keras's {@code run_layer_test}: config round trip, output
 * shape equal to {@code computeOutputShape}, expected numbers of trainable and non-trainable weights, save/load
 * round trip with identical predictions, and a few training steps that lower the loss.
 */
public final class LayerContract {
    private static final ObjectMapper JSON = new ObjectMapper();

    private LayerContract() {
    }

    /**
     * Runs the contract.
     *
     * @param factory makes a fresh, unbuilt layer (registered in {@link LayerConfigs})
     * @param sampleShape the shape of one sample (batch excluded)
     * @param expectedOutputSample the expected output shape of one sample
     * @param trainable expected number of trainable weights
     * @param nonTrainable expected number of non-trainable weights
     */
    public static void check(Supplier<Layer> factory, int[] sampleShape, int[] expectedOutputSample, int trainable,
            int nonTrainable) {
        Seeds.setGlobalSeed(1234);
        Layer layer = factory.get();
        // config round trip through JSON, as a saved model would do it
        Map<String, Object> config = layer.getConfig();
        Layer again = LayerConfigs.fromConfig(layer.className(), roundTrip(config));
        assertEquals(json(config), json(again.getConfig()), "config round trip of " + layer.className());

        int batch = 6;
        int[] in = new int[sampleShape.length + 1];
        in[0] = batch;
        System.arraycopy(sampleShape, 0, in, 1, sampleShape.length);
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 0.5, 2, 99, in);
        Tensor y = layer.apply(x, false);
        int[] expected = new int[expectedOutputSample.length + 1];
        expected[0] = batch;
        System.arraycopy(expectedOutputSample, 0, expected, 1, expectedOutputSample.length);
        assertArrayEquals(expected, y.shape().dims(), "output shape");
        int[] inferred = layer.computeOutputShape(withUnknownBatch(in));
        inferred[0] = batch;
        assertArrayEquals(expected, inferred, "computeOutputShape");
        assertEquals(trainable, layer.trainableWeights().size(), "trainable weights");
        assertEquals(nonTrainable, layer.nonTrainableWeights().size(), "non-trainable weights");

        // a model around the layer: fit lowers the loss, save/load keeps predictions identical
        Layer fresh = factory.get();
        Sequential model = new Sequential(new Input(sampleShape), fresh, new Flatten(), new Dense(1));
        model.compile("adam", "mean_squared_error");
        Tensor xs = Tensor.randomNormal(DType.FLOAT32, 0.5, 2, 7, withBatch(in, 64));
        Tensor ys = xs.reshape(64, -1).mean(new int[] {1}, true).mul(3).add(1);
        History h = model.fit(xs, ys, FitOptions.builder().epochs(8).batchSize(16).verbose(0).seed(3).build());
        assertTrue(h.last("loss") < h.get("loss").get(0), "training did not lower the loss: " + h.get("loss"));
        try {
            Path file = Files.createTempFile("layer-contract", ".n4j");
            try {
                ModelIO.save(model, file);
                Sequential loaded = ModelIO.load(file);
                assertArrayEquals(model.predict(xs).toFloatArray(), loaded.predict(xs).toFloatArray(),
                        "save/load changed predictions");
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int[] withUnknownBatch(int[] shape) {
        int[] s = shape.clone();
        s[0] = -1;
        return s;
    }

    private static int[] withBatch(int[] shape, int batch) {
        int[] s = shape.clone();
        s[0] = batch;
        return s;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> roundTrip(Map<String, Object> config) {
        try {
            return JSON.readValue(JSON.writeValueAsString(config), Map.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String json(Object o) {
        try {
            return JSON.writeValueAsString(o);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
