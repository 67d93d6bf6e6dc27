package org.norm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.models.Sequential;

/**
 * Every fixture written by Keras 3.15.1 (src/test/python/make_keras_fixtures.py: each model trained a few steps,
 * then saved as .keras, .weights.h5 and legacy .h5 with inputs and Keras's predictions) loads in norm4j and
 * predicts within float32 rounding of Keras.
 */
class KerasFixturesTest {
    static final List<String> FIXTURES = List.of("dense", "dropout", "activation", "flatten", "reshape", "rescaling",
            "normalization", "normalization_fixed", "normalization_invert", "batch_normalization",
            "batch_normalization_axis1", "layer_normalization", "layer_normalization_rms", "group_normalization",
            "rms_normalization", "unit_normalization", "functional", "float64", "batch_normalization_options",
            "layer_normalization_options", "group_normalization_options", "rms_normalization_axes",
            "normalization_axis_none", "normalization_axes", "frozen", "conv2d", "conv2d_options",
            "conv2d_channels_first");
    /** Float32 rounding: 1e-6 of the predictions' scale (see {@link #worstError}). */
    static final double TOLERANCE = 1e-6;

    static Path fixture(String file) {
        try {
            return Path.of(KerasFixturesTest.class.getResource("/keras/" + file).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static Tensor npy(String file) throws IOException {
        return Npy.read(Files.readAllBytes(fixture(file)), file);
    }

    static Stream<Arguments> cases() {
        return FIXTURES.stream().flatMap(f -> Stream.of(Arguments.of(f, "keras"), Arguments.of(f, "h5"),
                Arguments.of(f, "weights.h5")));
    }

    /**
     * The largest |norm4j - Keras| over the fixture's predictions relative to their scale, max(max |Keras|, 1):
     * float32 rounding of a prediction is relative to the magnitudes summed into it, not to the (possibly
     * cancelled) result.
     */
    static double worstError(Tensor got, Tensor want) {
        return scaledError(got, want, 1.0);
    }

    /** max |got - want| / max(max |want|, floor); the absolute difference when that scale is 0. */
    static double scaledError(Tensor got, Tensor want, double floor) {
        assertEquals(want.shape(), got.shape(), "shape");
        double[] g = got.toDoubleArray();
        double[] w = want.toDoubleArray();
        double worst = 0;
        double scale = floor;
        for (int i = 0; i < g.length; i++) {
            worst = Math.max(worst, Math.abs(g[i] - w[i]));
            scale = Math.max(scale, Math.abs(w[i]));
        }
        return scale == 0 ? worst : worst / scale;
    }

    /** The largest |norm4j - Keras| / max(|Keras|, 1), element by element. */
    static double worstElementError(Tensor got, Tensor want) {
        double[] g = got.toDoubleArray();
        double[] w = want.toDoubleArray();
        double worst = 0;
        for (int i = 0; i < g.length; i++) {
            worst = Math.max(worst, Math.abs(g[i] - w[i]) / Math.max(Math.abs(w[i]), 1.0));
        }
        return worst;
    }

    static Stream<String> names() {
        return FIXTURES.stream();
    }

    /** norm4j's own .keras and .weights.h5 read back by norm4j give bit-identical predictions (no Python needed). */
    @ParameterizedTest(name = "{0}")
    @MethodSource("names")
    void norm4jWrittenFilesReadBackExactly(String name, @org.junit.jupiter.api.io.TempDir Path dir)
            throws IOException {
        Sequential model = ModelIO.load(fixture(name + ".keras"));
        Tensor x = npy(name + ".x.npy");
        double[] want = model.predict(x).toDoubleArray();
        ModelIO.saveKeras(model, dir.resolve("m.keras"));
        ModelIO.saveWeights(model, dir.resolve("m.weights.h5"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(want,
                ModelIO.load(dir.resolve("m.keras")).predict(x).toDoubleArray(), name + " through .keras");
        for (Variable v : model.weights()) {
            v.assign(Tensor.zeros(v.dtype(), v.shape().dims()));
        }
        ModelIO.loadWeights(model, dir.resolve("m.weights.h5"));
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, model.predict(x).toDoubleArray(),
                name + " through .weights.h5");
    }

    @ParameterizedTest(name = "{0}.{1}")
    @MethodSource("cases")
    void predictsLikeKeras(String name, String format) throws IOException {
        Sequential model;
        if (format.equals("weights.h5")) {
            model = ModelIO.load(fixture(name + ".keras"));
            for (Variable v : model.weights()) {
                v.assign(Tensor.zeros(v.dtype(), v.shape().dims()));
            }
            ModelIO.loadWeights(model, fixture(name + ".weights.h5"));
        } else {
            model = ModelIO.load(fixture(name + "." + format));
        }
        Tensor x = npy(name + ".x.npy");
        Tensor y = npy(name + ".y.npy");
        Tensor got = model.predict(x);
        double worst = worstError(got, y);
        System.out.printf(Locale.ROOT, "keras-parity %-28s %-11s worst %.3e (element by element %.3e)%n", name,
                format, worst, worstElementError(got, y));
        assertTrue(worst <= TOLERANCE, name + "." + format + ": worst error " + worst + " > " + TOLERANCE);
        if (name.equals("float64")) {
            assertEquals(DType.FLOAT64, model.layers().get(0).weights().get(0).dtype(), "float64 Dense kernel");
        }
    }
}
