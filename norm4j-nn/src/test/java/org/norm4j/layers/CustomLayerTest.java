package org.norm4j.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.initializers.Seeds;
import org.norm4j.models.FitOptions;
import org.norm4j.models.History;
import org.norm4j.models.Sequential;

class CustomLayerTest {

    /** Central differences in float64 of sum(w * layer(x)) w.r.t. x, gamma and beta. */
    @Test
    void seedLayerNormalizationGradientsPassFiniteDifferences() {
        SeedLayerNormalization ln = new SeedLayerNormalization();
        Tensor x = Tensor.randomNormal(DType.FLOAT64, 2, 3, 1, 4, 6);
        ln.apply(x.asType(DType.FLOAT32)); // builds float32 weights
        // float64 copies of the weights for an accurate check
        Tensor gamma = Tensor.randomUniform(DType.FLOAT64, 0.5, 2, 2, 6);
        Tensor beta = Tensor.randomNormal(DType.FLOAT64, 0, 1, 3, 6);
        Tensor w = Tensor.randomNormal(DType.FLOAT64, 0, 1, 4, 4, 6);
        Variable g = new Variable(gamma, "gamma", true);
        Variable b = new Variable(beta, "beta", true);
        java.util.function.Function<Tensor[], Tensor> f = a -> {
            Tensor mean = a[0].mean(new int[] {-1}, true);
            Tensor variance = a[0].sub(mean).square().mean(new int[] {-1}, true);
            Tensor normalized = a[0].sub(mean).div(variance.add(1e-6).sqrt());
            return a[1].mul(normalized).add(a[2]).mul(w).sum();
        };
        // analytic gradients through the layer's own call on float64 weights
        SeedLayerNormalization ln64 = new SeedLayerNormalization() {
            @Override
            protected void build(int[] s) {
            }

            @Override
            protected Tensor call(Tensor in, boolean training) {
                return f.apply(new Tensor[] {in, g.value(), b.value()});
            }
        };
        Tensor[] grads;
        List<Tensor> vgrads;
        try (GradientTape tape = GradientTape.persistent()) {
            tape.watch(x);
            Tensor loss = ln64.apply(x);
            grads = tape.gradient(loss, x);
            vgrads = tape.gradient(loss, List.of(g, b));
        }
        Tensor[] args = {x, gamma, beta};
        Tensor[] analytic = {grads[0], vgrads.get(0), vgrads.get(1)};
        for (int which = 0; which < 3; which++) {
            double[] base = args[which].toDoubleArray();
            double[] an = analytic[which].toDoubleArray();
            for (int i = 0; i < base.length; i++) {
                double[] p = base.clone();
                double[] m = base.clone();
                p[i] += 1e-6;
                m[i] -= 1e-6;
                Tensor[] ap = args.clone();
                Tensor[] am = args.clone();
                ap[which] = Tensor.of(p, args[which].shape().dims());
                am[which] = Tensor.of(m, args[which].shape().dims());
                double num = (f.apply(ap).item() - f.apply(am).item()) / 2e-6;
                assertEquals(num, an[i], 1e-7 + 1e-6 * Math.abs(num), "arg " + which + " element " + i);
            }
        }
        // and the real layer (float32 weights) normalizes rows to mean 0, variance 1
        Tensor y = ln.apply(Tensor.randomNormal(DType.FLOAT32, 5, 10, 9, 8, 6));
        double[] rowMeans = y.mean(-1).toDoubleArray();
        for (double v : rowMeans) {
            assertEquals(0, v, 1e-5);
        }
    }

    @Test
    void customLayerTrainsInsideAModelWithoutGradientCode() {
        Seeds.setGlobalSeed(3);
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 50, 20, 1, 256, 10);
        // a learnable target: the sign of the normalized first feature minus the second
        float[] y = new float[256 * 2];
        float[] xv = x.toFloatArray();
        for (int i = 0; i < 256; i++) {
            int c = xv[i * 10] > xv[i * 10 + 1] ? 1 : 0;
            y[i * 2 + c] = 1;
        }
        Sequential model = new Sequential(new Input(10), new SeedLayerNormalization(), new Dense(16, "relu"),
                new Dense(2, "softmax"));
        model.compile("adam", "categorical_crossentropy", "accuracy");
        Tensor gammaBefore = model.layers().get(1).weights().get(0).value();
        History h = model.fit(x, Tensor.of(y, 256, 2), FitOptions.builder().epochs(15).verbose(0).seed(1).build());
        assertTrue(h.last("loss") < 0.7 * h.get("loss").get(0), "loss did not fall: " + h.get("loss"));
        assertTrue(h.last("accuracy") > 0.85, "accuracy " + h.last("accuracy"));
        Tensor gammaAfter = model.layers().get(1).weights().get(0).value();
        assertTrue(!java.util.Arrays.equals(gammaBefore.toFloatArray(), gammaAfter.toFloatArray()),
                "gamma was not trained");
        assertEquals(2, model.layers().get(1).trainableWeights().size());
    }

    @Test
    void builtLayerRejectsAnotherInputShape() {
        Dense d = new Dense(3);
        d.apply(Tensor.zeros(DType.FLOAT32, 2, 4));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> d.apply(Tensor.zeros(DType.FLOAT32, 2, 5)));
        assertTrue(e.getMessage().contains("[2, 5]") && e.getMessage().contains("(None, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dense(0));
        assertTrue(e.getMessage().contains("units = 0"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Dense(2, "relux"));
        assertTrue(e.getMessage().contains("relux") && e.getMessage().contains("relu"), e.getMessage());
        assertArrayEquals(new int[] {-1, 3}, d.computeOutputShape(new int[] {-1, 4}));
    }
}
