package org.norm4j.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.losses.BinaryCrossentropy;
import org.norm4j.losses.CategoricalCrossentropy;
import org.norm4j.losses.MeanSquaredError;
import org.norm4j.losses.SparseCategoricalCrossentropy;

/** Metrics on small hand cases, batch weighting, name resolution and error messages. */
class MetricsTest {

    @Test
    void categoricalAccuracyKerasExample() {
        Metric acc = new CategoricalAccuracy();
        acc.updateState(Tensor.of(new float[][] {{0, 0, 1}, {0, 1, 0}}),
                Tensor.of(new float[][] {{0.1f, 0.9f, 0.8f}, {0.05f, 0.95f, 0}}));
        assertEquals(0.5, acc.result());
        assertEquals("categorical_accuracy", acc.name());
    }

    @Test
    void batchesAreWeightedBySize() {
        CategoricalAccuracy acc = new CategoricalAccuracy();
        acc.updateState(Tensor.of(new double[][] {{1, 0}, {0, 1}}), Tensor.of(new double[][] {{0.9, 0.1}, {0.8, 0.2}}));
        acc.updateState(Tensor.of(new double[][] {{0, 1}}), Tensor.of(new double[][] {{0.3, 0.7}}));
        assertEquals(2.0 / 3, acc.result(), 1e-15, "2 right of 3 samples, not the mean of 0.5 and 1.0");
        assertEquals(3.0, acc.count());
        acc.resetState();
        assertEquals(0.0, acc.result());
        assertEquals(0.0, acc.count());
    }

    @Test
    void argmaxTiesTakeTheFirstIndex() {
        Metric acc = new CategoricalAccuracy();
        acc.updateState(Tensor.of(new double[][] {{1, 0}, {0, 1}}), Tensor.of(new double[][] {{0.5, 0.5},
            {0.5, 0.5}}));
        assertEquals(0.5, acc.result());
    }

    @Test
    void categoricalAccuracyOnRank3() {
        Metric acc = new CategoricalAccuracy();
        Tensor t = Tensor.of(new double[] {1, 0, 0, 1, 1, 0, 1, 0}, 2, 2, 2);
        Tensor p = Tensor.of(new double[] {0.9, 0.1, 0.2, 0.8, 0.3, 0.7, 0.6, 0.4}, 2, 2, 2);
        acc.updateState(t, p);
        assertEquals(0.75, acc.result());
    }

    @Test
    void sparseCategoricalAccuracy() {
        Tensor p = Tensor.of(new float[][] {{0.1f, 0.6f, 0.3f}, {0.05f, 0.95f, 0}});
        Metric acc = new SparseCategoricalAccuracy();
        acc.updateState(Tensor.of(new float[] {2, 1}), p);
        assertEquals(0.5, acc.result()); // Keras's documented example
        acc.updateState(Tensor.of(new float[][] {{1}, {1}}), p);
        assertEquals(0.75, acc.result());
        acc.resetState();
        acc.updateState(Tensor.of(new float[] {1.5f, 1}), p);
        assertEquals(0.5, acc.result(), "a non-integer id never matches");
    }

    @Test
    void binaryAccuracy() {
        Metric acc = new BinaryAccuracy();
        acc.updateState(Tensor.of(new float[][] {{1}, {1}, {0}, {0}}),
                Tensor.of(new float[][] {{0.98f}, {1}, {0}, {0.6f}}));
        assertEquals(0.75, acc.result()); // Keras's documented example

        BinaryAccuracy strict = new BinaryAccuracy("acc", 0.7);
        strict.updateState(Tensor.of(new double[] {1, 0, 1}), Tensor.of(new double[][] {{0.8}, {0.6}, {0.65}}));
        assertEquals(2.0 / 3, strict.result(), 1e-15);
        assertEquals(0.7, strict.getConfig().get("threshold"));

        // several outputs per sample: per-sample mean of the matches, then the mean over samples
        Metric multi = new BinaryAccuracy();
        multi.updateState(Tensor.of(new double[][] {{1, 0, 1, 1}, {0, 0, 0, 0}}),
                Tensor.of(new double[][] {{0.9, 0.1, 0.2, 0.7}, {0.4, 0.5, 0.3, 0.51}}));
        assertEquals((0.75 + 0.75) / 2, multi.result(), 1e-15);
        // 0.5 is not above the threshold
        Metric edge = new BinaryAccuracy();
        edge.updateState(Tensor.of(new double[] {0}), Tensor.of(new double[] {0.5}));
        assertEquals(1.0, edge.result());
    }

    @Test
    void meanTracksWeightedValues() {
        Mean loss = new Mean("loss");
        assertEquals(0.0, loss.result(), "divide_no_nan before any update");
        loss.updateState(2.0, 32);
        loss.updateState(5.0, 16);
        assertEquals((2.0 * 32 + 5.0 * 16) / 48, loss.result(), 1e-15);
        loss.resetState();
        loss.updateState(Tensor.of(new double[] {1, 2, 3, 4}));
        assertEquals(2.5, loss.result());
        loss.resetState();
        loss.updateState(Tensor.of(new double[] {1, 3}), Tensor.of(new double[] {3, 1}));
        assertEquals(1.5, loss.result(), 1e-15);
        loss.updateState(Tensor.of(new double[] {10}), Tensor.of(new double[] {0}));
        assertEquals(1.5, loss.result(), 1e-15, "weight 0 adds nothing");
        assertEquals("loss", loss.name());
        assertEquals("mean", new Mean().name());
        assertThrows(IllegalArgumentException.class, () -> loss.updateState(1.0, -1));
    }

    @Test
    void accuracyResolvesFromTheLoss() {
        assertInstanceOf(CategoricalAccuracy.class, Metrics.get("accuracy", new CategoricalCrossentropy()));
        assertInstanceOf(SparseCategoricalAccuracy.class,
                Metrics.get("accuracy", new SparseCategoricalCrossentropy()));
        assertInstanceOf(BinaryAccuracy.class, Metrics.get("acc", new BinaryCrossentropy(true)));
        assertInstanceOf(CategoricalAccuracy.class, Metrics.get("accuracy", new MeanSquaredError()));
        assertInstanceOf(CategoricalAccuracy.class, Metrics.get("accuracy"));
        assertEquals("accuracy", Metrics.get("accuracy", new SparseCategoricalCrossentropy()).name());
        assertEquals("acc", Metrics.get("acc", new BinaryCrossentropy()).name());
        assertInstanceOf(SparseCategoricalAccuracy.class, Metrics.get("sparse_categorical_accuracy",
                new CategoricalCrossentropy()), "an explicit name wins over the loss");
        assertInstanceOf(BinaryAccuracy.class, Metrics.get("binary_accuracy"));
        assertInstanceOf(Mean.class, Metrics.get("Mean"));
    }

    @Test
    void accuracyResolvesFromShapesLikeKeras3() {
        assertInstanceOf(BinaryAccuracy.class, Metrics.get("accuracy", Shape.of(32, 1), Shape.of(32, 1)));
        assertInstanceOf(SparseCategoricalAccuracy.class, Metrics.get("accuracy", Shape.of(32), Shape.of(32, 10)));
        assertInstanceOf(CategoricalAccuracy.class, Metrics.get("accuracy", Shape.of(32, 10), Shape.of(32, 10)));
    }

    @Test
    void unknownNamesAndShapeErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Metrics.get("auc", null));
        assertTrue(e.getMessage().contains("auc") && e.getMessage().contains("accuracy"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CategoricalAccuracy().updateState(
                Tensor.zeros(DType.FLOAT32, 2, 3), Tensor.zeros(DType.FLOAT32, 2, 4)));
        assertTrue(e.getMessage().contains("(2, 3)") && e.getMessage().contains("(2, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new SparseCategoricalAccuracy().updateState(
                Tensor.zeros(DType.FLOAT32, 3), Tensor.zeros(DType.FLOAT32, 2, 4)));
        assertTrue(e.getMessage().contains("(3,)") && e.getMessage().contains("(2, 4)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new BinaryAccuracy().updateState(
                Tensor.zeros(DType.FLOAT32, 3, 2), Tensor.zeros(DType.FLOAT32, 3, 1)));
        assertTrue(e.getMessage().contains("(3, 2)") && e.getMessage().contains("(3, 1)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new Mean().updateState(
                Tensor.zeros(DType.FLOAT32, 3), Tensor.ones(DType.FLOAT32, 2)));
        assertTrue(e.getMessage().contains("(2,)") && e.getMessage().contains("(3,)"), e.getMessage());
    }

    @Test
    void configsRoundTrip() {
        assertEquals(Map.of("name", "binary_accuracy", "dtype", "float32", "threshold", 0.5),
                new BinaryAccuracy().getConfig());
        for (Metric m : List.of(new CategoricalAccuracy("acc"), new SparseCategoricalAccuracy(),
                new BinaryAccuracy("b", 0.3), new Mean("loss"))) {
            Metric back = Metrics.fromConfig(m.className(), m.getConfig());
            assertEquals(m.getClass(), back.getClass());
            assertEquals(m.getConfig(), back.getConfig());
        }
        assertThrows(IllegalArgumentException.class,
                () -> Metrics.fromConfig("CategoricalAccuracy", Map.of("threshold", 0.5)));
    }
}
