package org.norm4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.norm4j.GradientTape;
import org.norm4j.StepArrays;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.data.Mnist;
import org.norm4j.initializers.Seeds;
import org.norm4j.constraints.MaxNorm;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.Conv2D;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Input;
import org.norm4j.layers.Flatten;
import org.norm4j.layers.Layer;
import org.norm4j.layers.LayerNormalization;
import org.norm4j.layers.MaxPooling2D;
import org.norm4j.regularizers.L2;

/**
 * {@code fit} reuses the arrays of its full-size batches from step to step, and recycles the arrays its steps'
 * ops allocate ({@link StepArrays}: activations, gradients, per-channel scratch); training must give the bits of a
 * plain loop that hands every step freshly allocated batches and arrays (the loop below: forward and loss under a tape, gradients,
 * the optimizer's update, constraints, as Keras's {@code train_step}). Unshuffled, so the batches are the rows in
 * order, with a shorter last batch.
 */
class FitBatchReuseTest {

    private static Sequential model() {
        Seeds.setGlobalSeed(7);
        Sequential m = new Sequential(new Input(784), new BatchNormalization(), new Dense(32, "relu"),
                new Dense(10, "softmax"));
        m.compile("adam", "categorical_crossentropy");
        return m;
    }

    @Test
    void fitGivesTheWeightsOfALoopOverFreshBatches() {
        Mnist data = Mnist.embedded().scaled();
        int n = 1000; // 15 batches of 64 and one of 40
        Tensor x = data.xTrain().slice(0, n);
        Tensor y = Mnist.oneHot(data.yTrain(), 10).slice(0, n);
        assertSameWeights(FitBatchReuseTest::model, x, y, 64, 2);
    }

    /**
     * A model whose steps allocate through every generic path that {@code fit} recycles ({@link StepArrays}): a
     * convolution, pooling, batch and layer normalization (per-channel and per-row scratch), a regularization
     * penalty and a constraint (computed and applied inside the step), softmax cross-entropy, Adam; three epochs
     * with a short last batch, so that arrays of two batch sizes are recycled in turn. Any array that a step
     * keeps beyond itself would be overwritten by the next step and change the weights.
     */
    private static Sequential richModel() {
        Seeds.setGlobalSeed(11);
        Sequential m = new Sequential(new Input(10, 10, 2),
                new Conv2D(6, 3).activation("relu").kernelRegularizer(new L2(1e-3)).kernelConstraint(new MaxNorm(2.0, 0, 1, 2)),
                new BatchNormalization(), new MaxPooling2D(2), new Flatten(),
                LayerNormalization.builder().gammaRegularizer(new L2(1e-2)).build(), new Dense(24, "tanh"),
                new BatchNormalization(), new Dense(5, "softmax"));
        m.compile("adam", "categorical_crossentropy");
        return m;
    }

    @Test
    void fitWithRecycledStepArraysGivesTheWeightsOfALoopWithout() {
        int n = 150; // 4 batches of 32 and one of 22
        SplittableRandom r = new SplittableRandom(5);
        float[] xs = new float[n * 10 * 10 * 2];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) (r.nextGaussian() + 3);
        }
        float[] ys = new float[n * 5];
        for (int i = 0; i < n; i++) {
            ys[i * 5 + r.nextInt(5)] = 1;
        }
        assertSameWeights(FitBatchReuseTest::richModel, Tensor.of(xs, n, 10, 10, 2), Tensor.of(ys, n, 5), 32, 3);
    }

    /** Trains one model with {@code fit} and one with the plain loop below; every weight must have the same bits. */
    private static void assertSameWeights(Supplier<Sequential> make, Tensor x, Tensor y, int batch, int epochs) {
        int n = x.shape().dim(0);
        Sequential fitted = make.get();
        fitted.fit(x, y, FitOptions.builder().epochs(epochs).batchSize(batch).shuffle(false).verbose(0).build());

        Sequential looped = make.get();
        List<Variable> vars = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                Tensor xb = Tensor.wrap(x.slice(from, to).toFloatArray(), x.slice(from, to).shape()); // fresh copy
                Tensor yb = Tensor.wrap(y.slice(from, to).toFloatArray(), y.slice(from, to).shape());
                List<Tensor> grads;
                try (GradientTape tape = new GradientTape()) {
                    Tensor loss = looped.loss().call(yb, looped.call(xb, true));
                    for (Layer l : looped.layers()) {
                        for (Tensor penalty : l.losses()) {
                            loss = loss.add(penalty);
                        }
                    }
                    if (vars.isEmpty()) {
                        vars = looped.trainableWeights();
                    }
                    grads = tape.gradient(loss, vars);
                }
                looped.optimizer().applyGradients(grads, vars);
                for (Layer l : looped.layers()) {
                    l.applyConstraints();
                }
            }
        }

        List<Variable> a = fitted.weights();
        List<Variable> b = looped.weights();
        assertEquals(b.size(), a.size(), "number of weights");
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(b.get(i).value().toFloatArray(), a.get(i).value().toFloatArray(),
                    "weight " + b.get(i).name() + " after " + epochs + " epochs");
        }
    }
}
