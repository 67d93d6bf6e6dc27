package org.norm4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.ops.Reductions;

/** Hand-sized cases of the tape's semantics (STYLE guideline 8), each as TensorFlow eager behaves. */
class GradientTapeTest {
    private static final DType F64 = DType.FLOAT64;

    @Test
    void broadcastAddSumsTheGradientBackToEachShape() {
        Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        Tensor b = Tensor.of(new double[] {10, 20, 30});
        Tensor c = Tensor.scalar(7, F64);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x, b, c);
            Tensor[] g = tape.gradient(x.add(b).add(c).sum(), x, b, c);
            assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, g[0].toDoubleArray());
            assertEquals(x.shape(), g[0].shape());
            assertArrayEquals(new double[] {2, 2, 2}, g[1].toDoubleArray());
            assertEquals(b.shape(), g[1].shape());
            assertEquals(6.0, g[2].item());
            assertEquals(0, g[2].rank());
        }
    }

    @Test
    void keepDimsBroadcastIsSummedOverSizeOneAxes() {
        Tensor x = Tensor.of(new double[][] {{1, 2}, {3, 4}, {5, 6}});
        Tensor col = Tensor.of(new double[] {1, 2, 3}, 3, 1);
        try (GradientTape tape = new GradientTape()) {
            tape.watch(col);
            Tensor g = tape.gradient(x.mul(col), col)[0];
            assertEquals(col.shape(), g.shape());
            assertArrayEquals(new double[] {3, 7, 11}, g.toDoubleArray());
        }
    }

    @Test
    void anUnusedSourceGetsNullOrZerosOnRequest() {
        Tensor x = Tensor.of(new double[] {1, 2});
        Tensor unused = Tensor.of(new double[] {3, 4});
        Tensor unwatched = Tensor.of(new double[] {5, 6});
        try (GradientTape tape = GradientTape.persistent()) {
            tape.watch(x, unused);
            Tensor y = x.mul(unwatched).sum();
            Tensor[] g = tape.gradient(y, x, unused, unwatched);
            assertArrayEquals(new double[] {5, 6}, g[0].toDoubleArray());
            assertNull(g[1], "TF returns None for a watched source the target does not use");
            assertNull(g[2], "TF returns None for a tensor that was never watched");
            Tensor[] z = tape.gradient(y, new Tensor[] {unused}, null, GradientTape.UnconnectedGradients.ZERO);
            assertArrayEquals(new double[] {0, 0}, z[0].toDoubleArray());
        }
    }

    @Test
    void aTargetThatDependsOnNothingWatchedGivesNull() {
        Tensor x = Tensor.of(new double[] {1, 2});
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = Tensor.of(new double[] {3, 4}).square();
            assertNull(tape.gradient(y, x)[0]);
        }
    }

    @Test
    void aNonScalarTargetIsSummedLikeTf() {
        Tensor x = Tensor.of(new double[] {1, 2, 3});
        try (GradientTape tape = GradientTape.persistent()) {
            tape.watch(x);
            Tensor y = x.square(); // shape (3,), no seed
            assertArrayEquals(new double[] {2, 4, 6}, tape.gradient(y, x)[0].toDoubleArray());
            assertArrayEquals(tape.gradient(y.sum(), x)[0].toDoubleArray(), tape.gradient(y, x)[0].toDoubleArray());
            Tensor seed = Tensor.of(new double[] {1, 0, -1});
            assertArrayEquals(new double[] {2, 0, -6},
                    tape.gradient(y, new Tensor[] {x}, seed)[0].toDoubleArray());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> tape.gradient(y, new Tensor[] {x}, Tensor.ones(F64, 2)));
            assertTrue(e.getMessage().contains("outputGradients has shape (2,)"), e.getMessage());
        }
    }

    @Test
    void theGradientOfASourceWithRespectToItselfIsTheSeed() {
        Tensor x = Tensor.of(new double[] {1, 2});
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            assertArrayEquals(new double[] {1, 1}, tape.gradient(x, x)[0].toDoubleArray());
        }
    }

    @Test
    void persistentTapeCanBeQueriedTwiceAndNonPersistentCannot() {
        Tensor x = Tensor.of(new double[] {3});
        try (GradientTape tape = GradientTape.persistent()) {
            tape.watch(x);
            Tensor y = x.square();
            Tensor z = y.square();
            assertEquals(6.0, tape.gradient(y, x)[0].item());
            assertEquals(108.0, tape.gradient(z, x)[0].item());
            assertTrue(tape.isPersistent());
        }
        Tensor y;
        GradientTape tape = new GradientTape();
        try (tape) {
            tape.watch(x);
            y = x.square();
        }
        assertEquals(6.0, tape.gradient(y, x)[0].item(), "gradient() after close() is allowed");
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(y, x));
        assertTrue(e.getMessage().contains("non-persistent"), e.getMessage());
        assertTrue(e.getMessage().contains("persistent()"), e.getMessage());
    }

    @Test
    void recordingStopsAtCloseAndDuringStopRecording() {
        Tensor x = Tensor.of(new double[] {2});
        GradientTape tape = GradientTape.persistent();
        tape.watch(x);
        Tensor y = x.square();
        Tensor paused;
        try (GradientTape.Paused p = tape.stopRecording()) {
            assertNotNull(p);
            assertFalse(tape.isRecording());
            paused = x.square();
        }
        assertTrue(tape.isRecording());
        tape.close();
        assertFalse(tape.isRecording());
        Tensor after = x.square();
        assertEquals(4.0, tape.gradient(y, x)[0].item());
        assertNull(tape.gradient(paused, x)[0]);
        assertNull(tape.gradient(after, x)[0]);
    }

    @Test
    void noTapeMeansNoRecordingAndTapesAreThreadLocal() throws Exception {
        assertFalse(GradientTape.anyRecording());
        try (GradientTape tape = new GradientTape()) {
            assertTrue(tape.isRecording() && GradientTape.anyRecording());
            AtomicBoolean other = new AtomicBoolean(true);
            Thread t = new Thread(() -> other.set(GradientTape.anyRecording()));
            t.start();
            t.join();
            assertFalse(other.get(), "a tape records only the ops of its own thread");
        }
        assertFalse(GradientTape.anyRecording());
    }

    @Test
    void nestedTapesRecordIndependentlyAndGiveSecondOrder() {
        Tensor x = Tensor.of(new double[] {2, -1});
        try (GradientTape outer = new GradientTape()) {
            outer.watch(x);
            Tensor dy;
            try (GradientTape inner = new GradientTape()) {
                inner.watch(x);
                Tensor y = x.mul(x).mul(x); // x^3
                dy = inner.gradient(y, x)[0]; // 3x^2
            }
            assertArrayEquals(new double[] {12, 3}, dy.toDoubleArray(), 1e-12);
            Tensor d2 = outer.gradient(dy, x)[0]; // 6x
            assertArrayEquals(new double[] {12, -6}, d2.toDoubleArray(), 1e-12);
        }
        // an inner tape does not see what was watched only by the outer one
        Tensor z = Tensor.of(new double[] {1});
        try (GradientTape outer = new GradientTape(); GradientTape inner = new GradientTape()) {
            outer.watch(z);
            Tensor y = z.mul(3.0);
            assertNull(inner.gradient(y, z)[0]);
            assertEquals(3.0, outer.gradient(y, z)[0].item());
        }
    }

    @Test
    void thirdOrderThroughThreeTapes() {
        Tensor x = Tensor.of(new double[] {0.7});
        try (GradientTape t3 = new GradientTape()) {
            t3.watch(x);
            Tensor d2;
            try (GradientTape t2 = new GradientTape()) {
                t2.watch(x);
                Tensor d1;
                try (GradientTape t1 = new GradientTape()) {
                    t1.watch(x);
                    d1 = t1.gradient(x.exp().mul(x.square()), x)[0];
                }
                d2 = t2.gradient(d1, x)[0];
            }
            double v = 0.7;
            // d^3/dx^3 (x^2 e^x) = e^x (x^2 + 6x + 6)
            assertEquals(Math.exp(v) * (v * v + 6 * v + 6), t3.gradient(d2, x)[0].item(), 1e-12);
        }
    }

    @Test
    void trainableVariablesAreWatchedAutomaticallyAndOthersAreNot() {
        Variable w = new Variable(Tensor.of(new double[] {1, 2}), "w", true);
        Variable frozen = new Variable(Tensor.of(new double[] {3, 4}), "frozen", false);
        try (GradientTape tape = GradientTape.persistent()) {
            Tensor y = w.value().mul(frozen.value()).sum();
            List<Tensor> g = tape.gradient(y, List.of(w, frozen));
            assertArrayEquals(new double[] {3, 4}, g.get(0).toDoubleArray());
            assertNull(g.get(1), "a non-trainable variable is not watched");
            assertEquals(List.of(w), tape.watchedVariables());
        }
        try (GradientTape tape = new GradientTape()) {
            tape.watch(frozen);
            Tensor y = w.value().mul(frozen.value()).sum();
            List<Tensor> g = tape.gradient(y, List.of(w, frozen));
            assertArrayEquals(new double[] {3, 4}, g.get(0).toDoubleArray());
            assertArrayEquals(new double[] {1, 2}, g.get(1).toDoubleArray(), "watched explicitly");
        }
        try (GradientTape tape = new GradientTape(false, false)) {
            Tensor y = w.value().sum();
            assertNull(tape.gradient(y, List.of(w)).get(0), "watchAccessedVariables=false");
        }
        Tensor readBefore = w.value();
        try (GradientTape tape = new GradientTape()) {
            Tensor y = readBefore.sum();
            assertNull(tape.gradient(y, List.of(w)).get(0), "a value read before the tape opened is not watched");
        }
    }

    @Test
    void assignInsideATapeCutsTheGradientAndLaterReadsAddUp() {
        Variable v = new Variable(Tensor.scalar(1, F64), "v", true);
        try (GradientTape tape = new GradientTape()) {
            Tensor y1 = v.value().mul(2.0);
            v.assign(Tensor.scalar(3, F64));
            Tensor y2 = v.value().mul(v.value());
            Tensor y3 = v.value();
            v.assignAdd(Tensor.scalar(1, F64)); // not recorded, and changes no tensor read above
            assertEquals(3.0, y3.item());
            // TF: each read of the variable is a path to it; d(2 v0 + v1^2)/dv = 2 + 2 * 3
            assertEquals(8.0, tape.gradient(y1.add(y2), List.of(v)).get(0).item());
        }
        assertEquals(4.0, v.value().item());
    }

    @Test
    void gradientsOfTheSameTensorUsedTwiceAccumulate() {
        Tensor x = Tensor.of(new double[] {1.5});
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = x.mul(x).add(x.exp()).add(x);
            assertEquals(2 * 1.5 + Math.exp(1.5) + 1, tape.gradient(y, x)[0].item(), 1e-12);
        }
    }

    @Test
    void resetForgetsTheRecording() {
        Tensor x = Tensor.of(new double[] {1});
        try (GradientTape tape = GradientTape.persistent()) {
            tape.watch(x);
            Tensor y = x.square();
            tape.reset();
            assertNull(tape.gradient(y, x)[0]);
            tape.watch(x);
            assertNotNull(tape.gradient(x.square(), x)[0]);
        }
    }

    @Test
    void aBrokenBackwardIsReportedWithTheOpName() {
        Tensor x = Tensor.of(new double[] {1, 2});
        try (GradientTape tape = new GradientTape()) {
            tape.watch(x);
            Tensor y = Tensor.of(new double[] {1, 2, 3});
            GradientTape.record("Bad", y, (g, need) -> new Tensor[] {g}, x);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> tape.gradient(y, x));
            assertTrue(e.getMessage().contains("Bad") && e.getMessage().contains("(3,)"), e.getMessage());
        }
    }

    @Test
    void float32EndToEnd() {
        Variable w = new Variable(Tensor.of(new float[] {0.5f, -1f}, 2, 1), "kernel", true);
        Tensor x = Tensor.of(new float[][] {{1, 2}, {3, 4}, {5, 6}});
        try (GradientTape tape = new GradientTape()) {
            Tensor loss = Reductions.mean(x.matmul(w.value()).square(), null, false);
            Tensor g = tape.gradient(loss, List.of(w)).get(0);
            assertEquals(DType.FLOAT32, g.dtype());
            // d/dw mean((xw)^2) = 2/3 x^T (xw); xw = [-1.5, -2.5, -3.5]
            assertArrayEquals(new float[] {2f / 3 * (-1.5f - 7.5f - 17.5f), 2f / 3 * (-3f - 10f - 21f)},
                    g.toFloatArray(), 1e-5f);
        }
    }
}
