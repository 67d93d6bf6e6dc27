package org.norm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.initializers.GlorotUniform;
import org.norm4j.initializers.Zeros;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Input;
import org.norm4j.layers.LayerNormalization;
import org.norm4j.layers.Normalization;
import org.norm4j.models.Sequential;

/**
 * norm4j writes .keras archives and .weights.h5 files that Keras 3.15.1 itself loads
 * ({@code keras.saving.load_model}, {@code model.load_weights}) and predicts with the same numbers, and reads
 * fixtures Keras regenerates now. Needs the Python venv that .ci/run makes ({@code .venv-keras} at the
 * repository root, or {@code NORM4J_KERAS_PYTHON}); skipped with a message where it is missing.
 */
class KerasRoundTripTest {
    static final String SCRIPT = "src/test/python/make_keras_fixtures.py";
    static final String NO_PYTHON = "no Python with keras 3.15.1 at ../.venv-keras (run .ci/run, or set "
            + "NORM4J_KERAS_PYTHON): skipping the tests where Keras itself reads norm4j's files";

    @TempDir
    Path dir;

    static Path python() {
        String env = System.getenv("NORM4J_KERAS_PYTHON");
        Path p = env != null ? Path.of(env) : Path.of("..", ".venv-keras", "bin", "python");
        return Files.isExecutable(p) ? p : null;
    }

    static void run(String what, String... args) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of(python().toString(), SCRIPT));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("KERAS_BACKEND", "jax");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(600, TimeUnit.SECONDS), "python timed out");
        assertEquals(0, p.exitValue(), what + ":\n" + out);
    }

    static Tensor npy(Path f) throws IOException {
        return Npy.read(Files.readAllBytes(f), f.toString());
    }

    @Test
    void kerasLoadsEveryNorm4jWrittenFixture() throws Exception {
        assumeTrue(python() != null, NO_PYTHON);
        for (String name : KerasFixturesTest.FIXTURES) {
            Sequential model = ModelIO.load(KerasFixturesTest.fixture(name + ".keras"));
            ModelIO.saveKeras(model, dir.resolve(name + ".keras"));
            ModelIO.saveWeights(model, dir.resolve(name + ".weights.h5"));
            Files.write(dir.resolve(name + ".x.npy"), Npy.write(KerasFixturesTest.npy(name + ".x.npy")));
        }
        run("Keras failed to read norm4j's files", "roundtrip", dir.toString(),
                KerasFixturesTest.fixture("dense.keras").getParent().toString());
        for (String name : KerasFixturesTest.FIXTURES) {
            Tensor keras = npy(dir.resolve(name + ".keras_y.npy"));
            Tensor kerasWeights = npy(dir.resolve(name + ".weights_y.npy"));
            Tensor x = KerasFixturesTest.npy(name + ".x.npy");
            double vsFixture = KerasFixturesTest.worstError(keras, KerasFixturesTest.npy(name + ".y.npy"));
            double vsNorm4j = KerasFixturesTest.worstError(ModelIO.load(dir.resolve(name + ".keras")).predict(x),
                    keras);
            System.out.printf(Locale.ROOT, "keras-roundtrip %-28s keras(norm4j file) vs keras(own file) %.3e,"
                    + " vs norm4j %.3e%n", name, vsFixture, vsNorm4j);
            assertEquals(0.0, vsFixture, name + ": Keras predicts differently from the norm4j-written file");
            assertEquals(0.0, KerasFixturesTest.worstError(kerasWeights, keras),
                    name + ": Keras's model with the norm4j-written .weights.h5 predicts differently");
            assertTrue(vsNorm4j <= KerasFixturesTest.TOLERANCE, name + ": " + vsNorm4j);
        }
    }

    /**
     * Regenerates the fixtures with the Keras at hand (make_keras_fixtures.py fixtures into a temporary
     * directory) and checks norm4j against them, so that the committed fixtures are not the only evidence.
     */
    @Test
    void freshlyGeneratedFixturesPredictLikeKeras() throws Exception {
        assumeTrue(python() != null, NO_PYTHON);
        Path fresh = dir.resolve("fresh");
        run("fixture generation", "fixtures", fresh.toString());
        for (String name : KerasFixturesTest.FIXTURES) {
            Tensor x = npy(fresh.resolve(name + ".x.npy"));
            Tensor y = npy(fresh.resolve(name + ".y.npy"));
            for (String format : new String[] {"keras", "h5"}) {
                double worst = KerasFixturesTest.worstError(ModelIO.load(fresh.resolve(name + "." + format))
                        .predict(x), y);
                System.out.printf(Locale.ROOT, "keras-fresh %-28s %-6s worst %.3e%n", name, format, worst);
                assertTrue(worst <= KerasFixturesTest.TOLERANCE, name + "." + format + ": " + worst);
            }
        }
    }

    @Test
    void kerasLoadsANorm4jBuiltModel() throws Exception {
        assumeTrue(python() != null, NO_PYTHON);
        Tensor data = Tensor.randomNormal(DType.FLOAT32, 0, 1, 11, 64, 6);
        Normalization norm = Normalization.builder().build();
        norm.adapt(data);
        Sequential model = new Sequential(new Input(6), norm, new Dense(5, "relu", true, new GlorotUniform(1L),
                new Zeros()), BatchNormalization.builder().momentum(0.5).build(), new LayerNormalization(),
                new Dense(3, "softmax", true, new GlorotUniform(2L), new Zeros()));
        model.compile("adam", "categorical_crossentropy");
        Tensor y = Tensor.of(new float[64 * 3], 64, 3).add(1.0 / 3);
        model.fit(data, y, org.norm4j.models.FitOptions.builder().epochs(2).batchSize(16).shuffle(false).verbose(0)
                .build());
        ModelIO.saveKeras(model, dir.resolve("built.keras"));
        Files.write(dir.resolve("built.x.npy"), Npy.write(data));
        run("Keras failed to read norm4j's file", "roundtrip", dir.toString(), dir.toString());
        double worst = KerasFixturesTest.worstError(model.predict(data), npy(dir.resolve("built.keras_y.npy")));
        System.out.printf(Locale.ROOT, "keras-roundtrip norm4j-built model: worst %.3e%n", worst);
        assertTrue(worst <= KerasFixturesTest.TOLERANCE, "worst " + worst);
    }
}
