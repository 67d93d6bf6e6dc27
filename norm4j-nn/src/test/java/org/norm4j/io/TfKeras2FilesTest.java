package org.norm4j.io;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.jhdf.HdfFile;
import io.jhdf.WritableHdfFile;
import io.jhdf.api.WritableGroup;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.models.Sequential;

/**
 * Legacy .h5 files in tf.keras 2's layout, built here with jhdf (no tf.keras 2 writer is available offline):
 * weight names with a ":0" suffix, {@code layer_names} split as {@code layer_names0}, {@code layer_names1},
 * a tf.keras 2 {@code model_config} (string dtypes, {@code batch_input_shape}, {@code activity_regularizer},
 * tf.keras 2 inbound nodes). The weights are those of the Keras 3 fixture "functional" (Dense(4, relu),
 * BatchNormalization, Dense(3)), so the model must predict Keras's values for it.
 */
class TfKeras2FilesTest {
    @TempDir
    Path dir;

    static final String DENSE = "\"trainable\": true, \"dtype\": \"float32\", \"use_bias\": true, "
            + "\"kernel_initializer\": {\"class_name\": \"GlorotUniform\", \"config\": {\"seed\": null}}, "
            + "\"bias_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, \"kernel_regularizer\": null, "
            + "\"bias_regularizer\": null, \"activity_regularizer\": null, \"kernel_constraint\": null, "
            + "\"bias_constraint\": null";
    static final String BN = "\"name\": \"bn\", \"trainable\": true, \"dtype\": \"float32\", \"axis\": -1, "
            + "\"momentum\": 0.99, \"epsilon\": 0.001, \"center\": true, \"scale\": true, "
            + "\"beta_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, "
            + "\"gamma_initializer\": {\"class_name\": \"Ones\", \"config\": {}}, "
            + "\"moving_mean_initializer\": {\"class_name\": \"Zeros\", \"config\": {}}, "
            + "\"moving_variance_initializer\": {\"class_name\": \"Ones\", \"config\": {}}, "
            + "\"beta_regularizer\": null, \"gamma_regularizer\": null, \"beta_constraint\": null, "
            + "\"gamma_constraint\": null";

    static String sequentialConfig() {
        return "{\"class_name\": \"Sequential\", \"config\": {\"name\": \"sequential\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 5], \"dtype\": "
                + "\"float32\", \"sparse\": false, \"ragged\": false, \"name\": \"dense_input\"}}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", " + DENSE
                + ", \"units\": 4, \"activation\": \"relu\"}}, "
                + "{\"class_name\": \"BatchNormalization\", \"config\": {" + BN + "}}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_1\", " + DENSE
                + ", \"units\": 3, \"activation\": \"linear\"}}]}, \"keras_version\": \"2.15.0\", "
                + "\"backend\": \"tensorflow\"}";
    }

    static String functionalConfig() {
        return "{\"class_name\": \"Functional\", \"config\": {\"name\": \"model\", \"layers\": ["
                + "{\"class_name\": \"InputLayer\", \"config\": {\"batch_input_shape\": [null, 5], \"dtype\": "
                + "\"float32\", \"sparse\": false, \"ragged\": false, \"name\": \"input_1\"}, \"name\": \"input_1\", "
                + "\"inbound_nodes\": []}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense\", " + DENSE
                + ", \"units\": 4, \"activation\": \"relu\"}, \"name\": \"dense\", "
                + "\"inbound_nodes\": [[[\"input_1\", 0, 0, {}]]]}, "
                + "{\"class_name\": \"BatchNormalization\", \"config\": {" + BN + "}, \"name\": \"bn\", "
                + "\"inbound_nodes\": [[[\"dense\", 0, 0, {}]]]}, "
                + "{\"class_name\": \"Dense\", \"config\": {\"name\": \"dense_1\", " + DENSE
                + ", \"units\": 3, \"activation\": \"linear\"}, \"name\": \"dense_1\", "
                + "\"inbound_nodes\": [[[\"bn\", 0, 0, {}]]]}], "
                + "\"input_layers\": [[\"input_1\", 0, 0]], \"output_layers\": [[\"dense_1\", 0, 0]]}, "
                + "\"keras_version\": \"2.15.0\", \"backend\": \"tensorflow\"}";
    }

    /** A tf.keras 2-style file: model_config (or none), model_weights with ":0" names and split layer_names. */
    Path write(String name, String modelConfig) throws IOException {
        Sequential src = ModelIO.load(KerasFixturesTest.fixture("functional.keras"));
        List<Variable> w = src.weights();
        Path f = dir.resolve(name);
        try (WritableHdfFile h5 = HdfFile.write(f)) {
            WritableGroup root = h5;
            if (modelConfig != null) {
                h5.putAttribute("model_config", modelConfig);
                h5.putAttribute("keras_version", "2.15.0");
                h5.putAttribute("backend", "tensorflow");
                root = h5.putGroup("model_weights");
            }
            root.putAttribute("layer_names0", new String[] {"dense", "bn"});
            root.putAttribute("layer_names1", new String[] {"dense_1"});
            layer(root, "dense", new String[] {"kernel:0", "bias:0"}, w.get(0), w.get(1));
            layer(root, "bn", new String[] {"gamma:0", "beta:0", "moving_mean:0", "moving_variance:0"},
                    w.get(2), w.get(3), w.get(4), w.get(5));
            layer(root, "dense_1", new String[] {"kernel:0", "bias:0"}, w.get(6), w.get(7));
        }
        return f;
    }

    private static void layer(WritableGroup root, String name, String[] vars, Variable... ws) {
        WritableGroup g = root.putGroup(name);
        String[] names = new String[vars.length];
        for (int i = 0; i < vars.length; i++) {
            names[i] = name + "/" + vars[i];
        }
        g.putAttribute("weight_names", names);
        WritableGroup inner = g.putGroup(name);
        for (int i = 0; i < vars.length; i++) {
            Tensor t = ws[i].value();
            inner.putDataset(vars[i], t.rank() == 2 ? rows(t) : t.rawFloats());
        }
    }

    static float[][] rows(Tensor t) {
        int r = t.shape().dim(0);
        int c = t.shape().dim(1);
        float[][] out = new float[r][c];
        float[] v = t.rawFloats();
        for (int i = 0; i < r; i++) {
            System.arraycopy(v, i * c, out[i], 0, c);
        }
        return out;
    }

    static void assertKerasPredictions(Sequential model) throws IOException {
        double worst = KerasFixturesTest.worstError(model.predict(KerasFixturesTest.npy("functional.x.npy")),
                KerasFixturesTest.npy("functional.y.npy"));
        assertTrue(worst <= KerasFixturesTest.TOLERANCE, "worst " + worst);
    }

    @Test
    void sequentialModelFile() throws IOException {
        assertKerasPredictions(ModelIO.load(write("seq.h5", sequentialConfig())));
    }

    @Test
    void functionalModelFile() throws IOException {
        assertKerasPredictions(ModelIO.load(write("fun.h5", functionalConfig())));
    }

    @Test
    void weightsOnlyFileIntoAnExistingModel() throws IOException {
        Sequential model = ModelIO.load(KerasFixturesTest.fixture("functional.keras"));
        for (Variable v : model.weights()) {
            v.assign(Tensor.zeros(v.dtype(), v.shape().dims()));
        }
        ModelIO.loadWeights(model, write("weights.h5", null));
        assertKerasPredictions(model);
    }

    @Test
    void activityRegularizerRefused() throws IOException {
        String c = sequentialConfig().replaceFirst("\"activity_regularizer\": null",
                "\"activity_regularizer\": {\"class_name\": \"L2\", \"config\": {\"l2\": 0.01}}");
        Path f = write("reg.h5", c);
        IOException e = assertThrows(IOException.class, () -> ModelIO.load(f));
        assertTrue(e.getMessage().contains(f.toString()) && e.getMessage().contains("activity_regularizer"),
                e.getMessage());
    }
}
