package org.norm4j.optimizers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.Variable;

/**
 * Three optimizer steps against Keras 3's update formulas, written out here with plain double math (not by
 * calling the implementation), plus clipping, weight decay, slots, configs and errors.
 */
class OptimizersTest {
    private static final double[] W0 = {1.0, -2.0, 0.5};
    /** Gradients of steps 1..3; element 1 shrinks (0.2, 0.05, 0.1) so that AMSGrad's max matters. */
    private static final double[][] G = {{0.1, -0.2, 0.3}, {0.5, 0.05, -0.4}, {-0.3, 0.1, 0.02}};
    private static final double TOL = 1e-12;

    /** Runs three steps of {@code opt} on a float64 variable starting at W0 and returns its value. */
    private static double[] run(Optimizer opt) {
        Variable v = new Variable(Tensor.of(W0), "w", true);
        for (double[] g : G) {
            opt.applyGradients(List.of(Tensor.of(g)), List.of(v));
        }
        assertEquals(3, opt.iterations());
        double[] out = v.value().toDoubleArray();
        assertTrue(Arrays.stream(out).allMatch(Double::isFinite), opt.className() + " " + Arrays.toString(out));
        assertFalse(Arrays.equals(W0, out), opt.className() + " moved the variable");
        return out;
    }

    // ---- SGD --------------------------------------------------------------------------------------------

    @Test
    void sgdPlain() {
        double lr = 0.1;
        double[] w = W0.clone();
        for (double[] g : G) {
            for (int i = 0; i < 3; i++) {
                w[i] = w[i] - lr * g[i];
            }
        }
        assertArrayEquals(w, run(new SGD(lr)), TOL);
        // hand value: 1 - 0.1 * (0.1 + 0.5 - 0.3)
        assertEquals(0.97, run(new SGD(0.1))[0], TOL);
    }

    @Test
    void sgdMomentumAndNesterov() {
        double lr = 0.05;
        double mu = 0.9;
        double[] w = W0.clone();
        double[] wn = W0.clone();
        double[] v = new double[3];
        double[] vn = new double[3];
        for (double[] g : G) {
            for (int i = 0; i < 3; i++) {
                v[i] = mu * v[i] - lr * g[i];
                w[i] = w[i] + v[i];
                vn[i] = mu * vn[i] - lr * g[i];
                wn[i] = wn[i] + mu * vn[i] - lr * g[i];
            }
        }
        assertArrayEquals(w, run(new SGD(lr, mu, false)), TOL);
        double[] nesterov = run(SGD.builder().learningRate(lr).momentum(mu).nesterov(true).build());
        assertArrayEquals(wn, nesterov, TOL);
        assertFalse(Arrays.equals(w, nesterov));
    }

    @Test
    void sgdKerasDocExample() {
        // Keras: SGD(learning_rate=0.1, momentum=0.9) on loss = var^2 / 2 from var = 1: steps -0.1 then -0.18
        Variable var = new Variable(Tensor.of(new double[] {1.0}), "var", true);
        SGD opt = new SGD(0.1, 0.9, false);
        opt.applyGradients(List.of(var.value()), List.of(var));
        assertEquals(0.9, var.value().item(), TOL);
        opt.applyGradients(List.of(var.value()), List.of(var));
        assertEquals(0.72, var.value().item(), TOL);
    }

    // ---- Adam / AdamW -----------------------------------------------------------------------------------

    /** Keras 3 Adam, written as in the paper's recurrences, with Keras's alpha and epsilon placement. */
    private static double[] adamReference(double lr, double b1, double b2, double eps, boolean amsgrad,
            double weightDecay) {
        double[] w = W0.clone();
        double[] m = new double[3];
        double[] v = new double[3];
        double[] vMax = new double[3];
        for (int t = 1; t <= 3; t++) {
            double[] g = G[t - 1];
            double alpha = lr * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t));
            for (int i = 0; i < 3; i++) {
                w[i] = w[i] - w[i] * weightDecay * lr;
                m[i] = b1 * m[i] + (1 - b1) * g[i];
                v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
                vMax[i] = Math.max(vMax[i], v[i]);
                double denom = Math.sqrt(amsgrad ? vMax[i] : v[i]) + eps;
                w[i] = w[i] - alpha * m[i] / denom;
            }
        }
        return w;
    }

    @Test
    void adamDefaults() {
        assertArrayEquals(adamReference(0.001, 0.9, 0.999, 1e-7, false, 0), run(new Adam()), TOL);
        // step 1 by hand: m = 0.01, v = 1e-5, alpha = 0.001 * sqrt(0.001) / 0.1; the step is almost lr
        Variable w = new Variable(Tensor.of(new double[] {1.0}), "w", true);
        new Adam().applyGradients(List.of(Tensor.of(new double[] {0.1})), List.of(w));
        double step = 0.001 * Math.sqrt(0.001) / 0.1 * 0.01 / (Math.sqrt(1e-5) + 1e-7);
        assertEquals(1.0 - step, w.value().item(), TOL);
        assertEquals(0.001 * 0.99996838, step, 1e-11);
    }

    @Test
    void adamCustomArguments() {
        Adam opt = Adam.builder().learningRate(0.01).beta1(0.8).beta2(0.95).epsilon(1e-3).build();
        assertArrayEquals(adamReference(0.01, 0.8, 0.95, 1e-3, false, 0), run(opt), TOL);
    }

    @Test
    void adamAmsgrad() {
        Adam ams = Adam.builder().learningRate(0.01).beta2(0.5).amsgrad(true).build();
        double[] expected = adamReference(0.01, 0.9, 0.5, 1e-7, true, 0);
        double[] plain = adamReference(0.01, 0.9, 0.5, 1e-7, false, 0);
        assertArrayEquals(expected, run(ams), TOL);
        assertTrue(Math.abs(expected[1] - plain[1]) > 1e-4, "the test data makes v_hat differ from v");
    }

    @Test
    void adamWDecoupledDecay() {
        AdamW opt = AdamW.builder().learningRate(0.01).weightDecay(0.1).build();
        assertArrayEquals(adamReference(0.01, 0.9, 0.999, 1e-7, false, 0.1), run(opt), TOL);
        assertArrayEquals(adamReference(0.001, 0.9, 0.999, 1e-7, false, 0.004), run(new AdamW()), TOL);
        AdamW ams = AdamW.builder().learningRate(0.01).beta2(0.5).amsgrad(true).weightDecay(0.2).build();
        assertArrayEquals(adamReference(0.01, 0.9, 0.5, 1e-7, true, 0.2), run(ams), TOL);
    }

    @Test
    void weightDecayExclusion() {
        AdamW opt = new AdamW(0.01, 0.5);
        opt.excludeFromWeightDecay(List.of(), List.of("bias"));
        Variable kernel = new Variable(Tensor.of(W0), "dense/kernel", true);
        Variable bias = new Variable(Tensor.of(W0), "dense/bias", true);
        Variable other = new Variable(Tensor.of(W0), "other", true);
        AdamW byVar = new AdamW(0.01, 0.5);
        byVar.excludeFromWeightDecay(List.of(other), List.of());
        Variable other2 = new Variable(Tensor.of(W0), "other", true);
        for (double[] g : G) {
            opt.applyGradients(List.of(Tensor.of(g), Tensor.of(g)), List.of(kernel, bias));
            byVar.applyGradients(List.of(Tensor.of(g), Tensor.of(g)), List.of(other, other2));
        }
        assertArrayEquals(adamReference(0.01, 0.9, 0.999, 1e-7, false, 0.5), kernel.value().toDoubleArray(), TOL);
        assertArrayEquals(adamReference(0.01, 0.9, 0.999, 1e-7, false, 0), bias.value().toDoubleArray(), TOL);
        assertArrayEquals(bias.value().toDoubleArray(), other.value().toDoubleArray(), TOL);
        assertArrayEquals(kernel.value().toDoubleArray(), other2.value().toDoubleArray(), TOL);
    }

    @Test
    void baseWeightDecayOnSgd() {
        double lr = 0.1;
        double wd = 0.3;
        double[] w = W0.clone();
        for (double[] g : G) {
            for (int i = 0; i < 3; i++) {
                w[i] = w[i] - w[i] * wd * lr;
                w[i] = w[i] - lr * g[i];
            }
        }
        assertArrayEquals(w, run(SGD.builder().learningRate(lr).weightDecay(wd).build()), TOL);
    }

    // ---- RMSprop ----------------------------------------------------------------------------------------

    private static double[] rmspropReference(double lr, double rho, double mu, double eps, boolean centered) {
        double[] w = W0.clone();
        double[] v = new double[3];
        double[] a = new double[3];
        double[] mom = new double[3];
        for (double[] g : G) {
            for (int i = 0; i < 3; i++) {
                v[i] = rho * v[i] + (1 - rho) * g[i] * g[i];
                double denom = v[i] + eps;
                if (centered) {
                    a[i] = rho * a[i] + (1 - rho) * g[i];
                    denom = v[i] - a[i] * a[i] + eps;
                }
                double inc = lr * g[i] / Math.sqrt(denom);
                if (mu > 0) {
                    mom[i] = mu * mom[i] + inc;
                    w[i] -= mom[i];
                } else {
                    w[i] -= inc;
                }
            }
        }
        return w;
    }

    @Test
    void rmspropVariants() {
        assertArrayEquals(rmspropReference(0.001, 0.9, 0, 1e-7, false), run(new RMSprop()), TOL);
        assertArrayEquals(rmspropReference(0.01, 0.8, 0, 1e-7, true),
                run(RMSprop.builder().learningRate(0.01).rho(0.8).centered(true).build()), TOL);
        assertArrayEquals(rmspropReference(0.01, 0.9, 0.5, 1e-6, false),
                run(RMSprop.builder().learningRate(0.01).momentum(0.5).epsilon(1e-6).build()), TOL);
        assertArrayEquals(rmspropReference(0.01, 0.7, 0.9, 1e-7, true),
                run(RMSprop.builder().learningRate(0.01).rho(0.7).momentum(0.9).centered(true).build()), TOL);
    }

    @Test
    void rmspropKerasDocExample() {
        // Keras: RMSprop(learning_rate=0.1), var1 = 10, loss = var1^2 / 2 -> 9.683772 after one step
        Variable var = new Variable(Tensor.of(new float[] {10f}), "var1", true);
        new RMSprop(0.1).applyGradients(List.of(var.value()), List.of(var));
        assertEquals(9.683772, var.value().item(), 1e-6);
    }

    // ---- float32, clipping, null gradients --------------------------------------------------------------

    @Test
    void float32VariablesFollowTheSameFormulas() {
        List<Optimizer> opts = List.of(new SGD(0.1, 0.9, true), Adam.builder().amsgrad(true).beta2(0.5).build(),
                new AdamW(0.01, 0.1), RMSprop.builder().centered(true).momentum(0.5).build());
        for (Optimizer opt : opts) {
            Optimizer twin = Optimizers.fromConfig(opt.className(), opt.getConfig());
            Variable f = new Variable(Tensor.of(W0).asType(DType.FLOAT32), "w", true);
            double[] expected = run(twin);
            for (double[] g : G) {
                opt.applyGradients(List.of(Tensor.of(g).asType(DType.FLOAT32)), List.of(f));
            }
            assertEquals(DType.FLOAT32, f.value().dtype());
            double[] got = f.value().toDoubleArray();
            for (int i = 0; i < 3; i++) {
                assertEquals(expected[i], got[i], 2e-6 * Math.max(1, Math.abs(expected[i])), opt.className());
            }
        }
        // a float64 gradient for a float32 variable is cast
        Variable f = new Variable(Tensor.of(new float[] {1f}), "f", true);
        new SGD(0.5).applyGradients(List.of(Tensor.of(new double[] {1.0})), List.of(f));
        assertEquals(0.5f, f.value().toFloatArray()[0]);
    }

    @Test
    void clipnormClipvalueGlobalClipnorm() {
        Tensor big = Tensor.of(new double[] {3, 4});
        Tensor small = Tensor.of(new double[] {0.3, 0.4});
        double[] bigBefore = big.toDoubleArray();

        Variable a = new Variable(Tensor.zeros(DType.FLOAT64, 2), "a", true);
        Variable b = new Variable(Tensor.zeros(DType.FLOAT64, 2), "b", true);
        SGD.builder().learningRate(1.0).clipnorm(1.0).build().applyGradients(List.of(big, small), List.of(a, b));
        assertArrayEquals(new double[] {-0.6, -0.8}, a.value().toDoubleArray(), TOL);
        assertArrayEquals(new double[] {-0.3, -0.4}, b.value().toDoubleArray(), TOL);
        assertArrayEquals(bigBefore, big.toDoubleArray(), "the caller's gradient is not modified");

        a = new Variable(Tensor.zeros(DType.FLOAT64, 2), "a", true);
        b = new Variable(Tensor.zeros(DType.FLOAT64, 2), "b", true);
        Tensor twelve = Tensor.of(new double[] {0, 12});
        SGD.builder().learningRate(1.0).globalClipnorm(1.0).build()
                .applyGradients(List.of(big, twelve), List.of(a, b)); // global norm 13
        assertArrayEquals(new double[] {-3.0 / 13, -4.0 / 13}, a.value().toDoubleArray(), TOL);
        assertArrayEquals(new double[] {0, -12.0 / 13}, b.value().toDoubleArray(), TOL);

        a = new Variable(Tensor.zeros(DType.FLOAT32, 3), "a", true);
        SGD.builder().learningRate(1.0).clipvalue(0.5).build()
                .applyGradients(List.of(Tensor.of(new float[] {3, -4, 0.2f})), List.of(a));
        assertArrayEquals(new float[] {-0.5f, 0.5f, -0.2f}, a.value().toFloatArray());
    }

    @Test
    void nullGradientsAreSkipped() {
        Variable a = new Variable(Tensor.of(W0), "a", true);
        Variable b = new Variable(Tensor.of(W0), "b", true);
        Adam opt = new Adam();
        List<Tensor> grads = new ArrayList<>();
        grads.add(null);
        grads.add(Tensor.of(G[0]));
        opt.applyGradients(grads, List.of(a, b));
        assertArrayEquals(W0, a.value().toDoubleArray());
        assertFalse(Arrays.equals(W0, b.value().toDoubleArray()));
        assertEquals(1, opt.iterations());
        assertTrue(opt.slotNames(a).isEmpty());

        List<Tensor> allNull = new ArrayList<>();
        allNull.add(null);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> opt.applyGradients(allNull, List.of(a)));
        assertTrue(e.getMessage().contains("No gradients provided for any variable"), e.getMessage());
        opt.applyGradients(List.of(), List.of());
        assertEquals(1, opt.iterations(), "an empty list is a no-op");
    }

    @Test
    void gradientErrorsNameShapes() {
        Variable a = new Variable(Tensor.of(W0), "kernel", true);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new SGD().applyGradients(List.of(Tensor.of(new double[] {1, 2})), List.of(a)));
        assertTrue(e.getMessage().contains("(2,)") && e.getMessage().contains("(3,)")
                && e.getMessage().contains("kernel"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new SGD().applyGradients(List.of(Tensor.of(W0), Tensor.of(W0)), List.of(a)));
        assertTrue(e.getMessage().contains("2 gradients for 1 variables"), e.getMessage());
    }

    // ---- state, config, lookup --------------------------------------------------------------------------

    @Test
    void slotsCanBeReadAndRestored() {
        Variable w = new Variable(Tensor.of(W0), "w", true);
        Adam opt = new Adam(0.01);
        opt.applyGradients(List.of(Tensor.of(G[0])), List.of(w));
        assertEquals(List.of("momentum", "velocity"), opt.slotNames(w));
        assertArrayEquals(new double[] {0.01, -0.02, 0.03}, opt.getSlot(w, "momentum").toDoubleArray(), TOL);
        assertNull(opt.getSlot(w, "velocity_hat"));

        // a fresh optimizer with the slots and iteration count copied continues exactly
        Variable w2 = new Variable(w.value(), "w", true);
        Adam restored = new Adam(0.01);
        restored.setSlot(w2, "momentum", opt.getSlot(w, "momentum"));
        restored.setSlot(w2, "velocity", opt.getSlot(w, "velocity"));
        restored.setIterations(opt.iterations());
        for (int t = 1; t < 3; t++) {
            opt.applyGradients(List.of(Tensor.of(G[t])), List.of(w));
            restored.applyGradients(List.of(Tensor.of(G[t])), List.of(w2));
        }
        assertArrayEquals(w.value().toDoubleArray(), w2.value().toDoubleArray());
        assertArrayEquals(adamReference(0.01, 0.9, 0.999, 1e-7, false, 0), w2.value().toDoubleArray(), TOL);
        assertThrows(IllegalArgumentException.class,
                () -> restored.setSlot(w2, "momentum", Tensor.of(new float[] {1, 2, 3})));
    }

    @Test
    void learningRateCanChange() {
        SGD opt = new SGD(0.1);
        opt.setLearningRate(0.5);
        Variable w = new Variable(Tensor.of(new double[] {1}), "w", true);
        opt.applyGradients(List.of(Tensor.of(new double[] {1})), List.of(w));
        assertEquals(0.5, w.value().item(), TOL);
        assertEquals(0.5, opt.learningRate());
    }

    @Test
    void kerasDefaultsInConfigs() {
        Map<String, Object> adam = new Adam().getConfig();
        assertEquals("adam", adam.get("name"));
        assertEquals(0.001, adam.get("learning_rate"));
        assertEquals(0.9, adam.get("beta_1"));
        assertEquals(0.999, adam.get("beta_2"));
        assertEquals(1e-7, adam.get("epsilon"));
        assertEquals(false, adam.get("amsgrad"));
        assertTrue(adam.containsKey("weight_decay") && adam.get("weight_decay") == null);
        for (String k : List.of("clipnorm", "global_clipnorm", "clipvalue", "use_ema", "ema_momentum",
                "ema_overwrite_frequency", "loss_scale_factor", "gradient_accumulation_steps")) {
            assertTrue(adam.containsKey(k), k);
        }
        Map<String, Object> sgd = new SGD().getConfig();
        assertEquals("SGD", sgd.get("name"));
        assertEquals(0.01, sgd.get("learning_rate"));
        assertEquals(0.0, sgd.get("momentum"));
        assertEquals(false, sgd.get("nesterov"));
        Map<String, Object> rms = new RMSprop().getConfig();
        assertEquals(List.of("rmsprop", 0.001, 0.9, 0.0, 1e-7, false), List.of(rms.get("name"),
                rms.get("learning_rate"), rms.get("rho"), rms.get("momentum"), rms.get("epsilon"),
                rms.get("centered")));
        Map<String, Object> adamw = new AdamW().getConfig();
        assertEquals("adamw", adamw.get("name"));
        assertEquals(0.004, adamw.get("weight_decay"));
        assertEquals(0.999, adamw.get("beta_2"));
    }

    @Test
    void lookupAndRoundTrip() {
        assertInstanceOf(SGD.class, Optimizers.get("sgd"));
        assertInstanceOf(Adam.class, Optimizers.get("adam"));
        assertInstanceOf(Adam.class, Optimizers.get("Adam"));
        assertInstanceOf(AdamW.class, Optimizers.get("adamw"));
        assertInstanceOf(RMSprop.class, Optimizers.get("rmsprop"));
        assertEquals(0.004, Optimizers.get("adamw").weightDecay());
        List<Optimizer> all = List.of(new SGD(0.2, 0.5, true), Adam.builder().amsgrad(true).clipnorm(2.0).build(),
                AdamW.builder().weightDecay(0.01).name("aw").globalClipnorm(1.0).build(),
                RMSprop.builder().centered(true).rho(0.8).clipvalue(0.3).weightDecay(0.1).build());
        for (Optimizer o : all) {
            Map<String, Object> ser = Optimizers.serialize(o);
            assertEquals(o.className(), ser.get("class_name"));
            Optimizer back = Optimizers.fromConfig(ser);
            assertEquals(o.getClass(), back.getClass());
            assertEquals(o.getConfig(), back.getConfig());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("learning_rate", 1); // JSON integers
        json.put("momentum", 0.5);
        assertEquals(1.0, Optimizers.fromConfig("SGD", json).learningRate());
    }

    @Test
    void invalidArgumentsAndNames() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Optimizers.get("adagrad"));
        assertTrue(e.getMessage().contains("adagrad") && e.getMessage().contains("rmsprop"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new SGD(0.1, 1.5, false));
        e = assertThrows(IllegalArgumentException.class,
                () -> SGD.builder().clipnorm(1.0).clipvalue(1.0).build());
        assertTrue(e.getMessage().contains("Only one of"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AdamW.builder().weightDecay(null).build());
        assertThrows(IllegalArgumentException.class, () -> Adam.builder().beta1(1.0).build());
        assertThrows(IllegalArgumentException.class, () -> new Adam(Double.NaN));
        e = assertThrows(IllegalArgumentException.class,
                () -> Optimizers.fromConfig("Adam", Map.of("beta1", 0.9)));
        assertTrue(e.getMessage().contains("[beta1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Optimizers.fromConfig("Adam", Map.of("use_ema", true)));
    }
}
