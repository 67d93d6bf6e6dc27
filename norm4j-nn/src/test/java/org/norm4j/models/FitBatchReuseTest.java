package org.norm4j.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.data.Mnist;
import org.norm4j.initializers.Seeds;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Input;
import org.norm4j.layers.Layer;

/**
 * {@code fit} reuses the arrays of its full-size batches from step to step; training must give the bits of a plain
 * loop that hands every step freshly allocated batches (the loop below: forward and loss under a tape, gradients,
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
        int batch = 64;
        int epochs = 2;
        Tensor x = data.xTrain().slice(0, n);
        Tensor y = Mnist.oneHot(data.yTrain(), 10).slice(0, n);

        Sequential fitted = model();
        fitted.fit(x, y, FitOptions.builder().epochs(epochs).batchSize(batch).shuffle(false).verbose(0).build());

        Sequential looped = model();
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
