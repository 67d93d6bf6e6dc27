package org.norm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.Tensor;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Input;
import org.norm4j.layers.LayerNormalization;
import org.norm4j.layers.Normalization;
import org.norm4j.models.Sequential;

/**
 * norm4j writes .keras archives that Keras 3.15.1 itself loads ({@code keras.saving.load_model}) and predicts
 * with the same numbers. Needs the Python venv that .ci/run makes ({@code .venv-keras} at the repository root,
 * or {@code NORM4J_KERAS_PYTHON}); skipped with a message where it is missing.
 */
class KerasRoundTripTest {
    @TempDir
    Path dir;

    static Path python() {
        String env = System.getenv("NORM4J_KERAS_PYTHON");
        Path p = env != null ? Path.of(env) : Path.of("..", ".venv-keras", "bin", "python");
        return Files.isExecutable(p) ? p : null;
    }

    /** Keras's predictions for {@code x} from the model file, via make_keras_fixtures.py predict. */
    static Tensor kerasPredict(Path model, Tensor x, Path dir) throws IOException, InterruptedException {
        Path xf = dir.resolve("x.npy");
        Path yf = dir.resolve("y.npy");
        Files.write(xf, Npy.write(x));
        ProcessBuilder pb = new ProcessBuilder(python().toString(), "src/test/python/make_keras_fixtures.py",
                "predict", model.toString(), xf.toString(), yf.toString()).redirectErrorStream(true);
        pb.environment().put("KERAS_BACKEND", "jax");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(300, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), "Keras failed to load " + model + ":\n" + out);
        return Npy.read(Files.readAllBytes(yf), yf.toString());
    }

    @Test
    void kerasLoadsEveryNorm4jWrittenFixture() throws Exception {
        assumeTrue(python() != null, "no Python with keras 3.15.1 at ../.venv-keras (run .ci/run, or set "
                + "NORM4J_KERAS_PYTHON): skipping the Keras round trip");
        for (String name : KerasFixturesTest.FIXTURES) {
            Sequential model = ModelIO.load(KerasFixturesTest.fixture(name + ".keras"));
            Path out = dir.resolve(name + ".keras");
            ModelIO.saveKeras(model, out);
            Tensor x = KerasFixturesTest.npy(name + ".x.npy");
            Tensor keras = kerasPredict(out, x, dir);
            double vsFixture = KerasFixturesTest.worstError(keras, KerasFixturesTest.npy(name + ".y.npy"));
            double vsNorm4j = KerasFixturesTest.worstError(model.predict(x), keras);
            System.out.printf(Locale.ROOT, "keras-roundtrip %-28s keras(norm4j file) vs keras(own file) %.3e,"
                    + " vs norm4j %.3e%n", name, vsFixture, vsNorm4j);
            assertEquals(0.0, vsFixture, name + ": Keras predicts differently from the norm4j-written file");
            assertTrue(vsNorm4j <= KerasFixturesTest.TOLERANCE, name + ": " + vsNorm4j);
        }
    }

    @Test
    void kerasLoadsANorm4jBuiltModel() throws Exception {
        assumeTrue(python() != null, "no Python with keras 3.15.1 at ../.venv-keras: skipping the Keras round trip");
        Tensor data = Tensor.randomNormal(org.norm4j.DType.FLOAT32, 0, 1, 11, 64, 6);
        Normalization norm = Normalization.builder().build();
        norm.adapt(data);
        Sequential model = new Sequential(new Input(6), norm, new Dense(5, "relu"),
                BatchNormalization.builder().momentum(0.5).build(), new LayerNormalization(), new Dense(3, "softmax"));
        model.compile("adam", "categorical_crossentropy");
        Tensor y = Tensor.of(new float[64 * 3], 64, 3).add(1.0 / 3);
        model.fit(data, y, 2, 16);
        Path out = dir.resolve("built.keras");
        ModelIO.saveKeras(model, out);
        double worst = KerasFixturesTest.worstError(model.predict(data), kerasPredict(out, data, dir));
        System.out.printf(Locale.ROOT, "keras-roundtrip norm4j-built model: worst %.3e%n", worst);
        assertTrue(worst <= KerasFixturesTest.TOLERANCE, "worst " + worst);
    }
}
