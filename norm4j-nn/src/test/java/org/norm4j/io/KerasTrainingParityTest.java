package org.norm4j.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Input;
import org.norm4j.losses.CategoricalCrossentropy;
import org.norm4j.models.FitOptions;
import org.norm4j.models.Sequential;
import org.norm4j.optimizers.Adam;

/**
 * Training parity with Keras 3.15.1 itself (make_keras_fixtures.py training): the seed's model
 * (BatchNormalization, Dense(128, relu), BatchNormalization, Dense(10, softmax); Adam; categorical
 * cross-entropy) from Keras's initial weights, fed the same 100 batches of 32 in the same order. The first
 * step's gradients agree to float32 rounding of their scale (measured at most 9.7e-7 of max |g|); after 100
 * steps weights and moving statistics agree to the measured float32 drift (at most 1.5e-5 of each variable's
 * largest value; elementwise 1.1e-3 with a 1e-3 floor, on kernel entries near zero).
 */
class KerasTrainingParityTest {
    static final int STEPS = 100;
    static final int BATCH = 32;
    static final int FEATURES = 784;
    static final int CLASSES = 10;

    /** The batches, as make_keras_fixtures.seed_data computes them (exact in float32). */
    static Tensor[] data() {
        int n = STEPS * BATCH;
        float[] x = new float[n * FEATURES];
        float[] y = new float[n * CLASSES];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < FEATURES; j++) {
                x[i * FEATURES + j] = (float) (((i * 7919L + j * 104729L) % 1000) / 1000.0 - 0.5);
            }
            y[i * CLASSES + (i * 31 + i / 7) % CLASSES] = 1f;
        }
        return new Tensor[] {Tensor.of(x, n, FEATURES), Tensor.of(y, n, CLASSES)};
    }

    static Sequential seedModel() throws IOException {
        Sequential m = new Sequential(new Input(FEATURES), new BatchNormalization(), new Dense(128, "relu"),
                new BatchNormalization(), new Dense(CLASSES, "softmax"));
        ModelIO.loadWeights(m, KerasFixturesTest.fixture("seed_initial.weights.h5"));
        return m;
    }

    /** max |a - b| / max(|b|, 1e-3) over all elements. */
    static double relative(Tensor a, Tensor b) {
        assertEquals(b.shape(), a.shape());
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double w = 0;
        for (int i = 0; i < x.length; i++) {
            w = Math.max(w, Math.abs(x[i] - y[i]) / Math.max(Math.abs(y[i]), 1e-3));
        }
        return w;
    }

    /** max |a - b| / max |b|: the error against the variable's scale. */
    static double normwise(Tensor a, Tensor b) {
        return KerasFixturesTest.scaledError(a, b, 0.0);
    }

    @Test
    void firstStepGradientsMatchKeras() throws IOException {
        Sequential m = seedModel();
        Tensor[] d = data();
        Tensor xb = d[0].slice(0, BATCH);
        Tensor yb = d[1].slice(0, BATCH);
        List<Variable> trainable = m.trainableWeights();
        List<Tensor> grads;
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = new CategoricalCrossentropy().call(yb, m.call(xb, true));
            grads = tape.gradient(loss, trainable);
        }
        Map<String, byte[]> npz = ZipMembers.read(Files.readAllBytes(KerasFixturesTest.fixture(
                "seed_gradients.npz")), "seed_gradients.npz");
        List<String> names = new ArrayList<>(new java.util.TreeSet<>(npz.keySet()));
        assertEquals(trainable.size(), names.size(), "gradient count");
        double worst = 0;
        double worstNormwise = 0;
        for (int i = 0; i < names.size(); i++) {
            Tensor want = Npy.read(npz.get(names.get(i)), names.get(i));
            double r = relative(grads.get(i), want);
            worstNormwise = Math.max(worstNormwise, normwise(grads.get(i), want));
            System.out.printf(Locale.ROOT, "training-parity gradient %-45s rel %.3e normwise %.3e%n", names.get(i),
                    r, normwise(grads.get(i), want));
            worst = Math.max(worst, r);
        }
        assertTrue(worst <= 1e-4, "first-step gradients differ from Keras by " + worst);
        assertTrue(worstNormwise <= 2e-6, "first-step gradients differ from Keras by " + worstNormwise
                + " of their scale: expected float32 rounding");
    }

    @Test
    void hundredAdamStepsMatchKeras() throws IOException {
        Sequential m = seedModel();
        Tensor[] d = data();
        m.compile(new Adam(), new CategoricalCrossentropy(), List.of());
        m.fit(d[0], d[1], FitOptions.builder().epochs(1).batchSize(BATCH).shuffle(false).verbose(0).build());
        Sequential keras = seedModel();
        ModelIO.loadWeights(keras, KerasFixturesTest.fixture("seed_trained.weights.h5"));
        double worst = 0;
        double worstNormwise = 0;
        for (int i = 0; i < m.weights().size(); i++) {
            Variable v = m.weights().get(i);
            double r = relative(v.value(), keras.weights().get(i).value());
            worstNormwise = Math.max(worstNormwise, normwise(v.value(), keras.weights().get(i).value()));
            System.out.printf(Locale.ROOT, "training-parity after %d steps %-32s rel %.3e normwise %.3e%n", STEPS,
                    v.name(), r, normwise(v.value(), keras.weights().get(i).value()));
            worst = Math.max(worst, r);
        }
        assertTrue(worst <= 1e-2, "weights after " + STEPS + " steps differ from Keras by " + worst);
        assertTrue(worstNormwise <= 5e-5, "weights after " + STEPS + " steps differ from Keras by " + worstNormwise
                + " of their scale");
    }
}
