package org.norm4j.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.Variable;

/** {@link Variable}: fixed dtype and shape, checked assignment, and tensors that never change under readers. */
class VariableTest {

    @Test
    void assignChecksShapeAndDtypeAndNamesTheVariable() {
        Variable v = new Variable(Tensor.zeros(DType.FLOAT32, 2, 3), "gamma", true);
        assertEquals("gamma", v.name());
        assertEquals(Shape.of(2, 3), v.shape());
        assertEquals(DType.FLOAT32, v.dtype());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> v.assign(Tensor.zeros(DType.FLOAT32, 3, 2)));
        assertTrue(e.getMessage().contains("'gamma'") && e.getMessage().contains("(3, 2)")
                && e.getMessage().contains("expected shape (2, 3)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> v.assign(Tensor.zeros(DType.FLOAT64, 2, 3)));
        assertTrue(e.getMessage().contains("float64") && e.getMessage().contains("dtype float32"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> v.assignAdd(Tensor.ones(DType.FLOAT32, 3)));
        assertThrows(NullPointerException.class, () -> v.assign(null));
    }

    @Test
    void assignCopiesSoTheCallersTensorAndEarlierReadsNeverChange() {
        Tensor init = Tensor.of(new float[] {1, 2}, 2);
        Variable v = new Variable(init);
        Tensor read = v.value();
        v.assignAdd(Tensor.of(new float[] {10, 10}, 2));
        v.assignSub(Tensor.of(new float[] {1, 0}, 2));
        assertArrayEquals(new float[] {1, 2}, init.toFloatArray());
        assertArrayEquals(new float[] {1, 2}, read.toFloatArray());
        assertArrayEquals(new float[] {10, 12}, v.value().toFloatArray());
        Tensor src = Tensor.of(new float[] {5, 6}, 2);
        v.assign(src);
        v.updateInPlaceFloat(a -> a[0] = 0);
        assertArrayEquals(new float[] {5, 6}, src.toFloatArray());
        assertArrayEquals(new float[] {0, 6}, v.value().toFloatArray());
    }

    @Test
    void inPlaceUpdatesCopyOnlyOnceAfterARead() {
        Variable v = new Variable(Tensor.of(new double[] {1, 2}), "w", true);
        Tensor before = v.value();
        v.updateInPlaceDouble(a -> a[0] += 1); // copy: `before` was handed out
        Tensor afterFirst = v.value();
        assertNotSame(before, afterFirst);
        assertArrayEquals(new double[] {1, 2}, before.toDoubleArray());
        assertArrayEquals(new double[] {2, 2}, afterFirst.toDoubleArray());
        v.updateInPlaceDouble(a -> a[1] += 1); // copy again: afterFirst was read
        assertArrayEquals(new double[] {2, 2}, afterFirst.toDoubleArray());
        double[][] seen = new double[2][];
        v.updateInPlaceDouble(a -> seen[0] = a);
        v.updateInPlaceDouble(a -> seen[1] = a); // no read in between: same private array, no copy
        assertSame(seen[0], seen[1]);
        assertArrayEquals(new double[] {2, 3}, v.value().toDoubleArray());
    }

    @Test
    void updateHookMustMatchTheDtype() {
        Variable v = new Variable(Tensor.zeros(DType.FLOAT32, 2), "bias", true);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> v.updateInPlaceDouble(a -> { }));
        assertTrue(e.getMessage().contains("'bias'"), e.getMessage());
        assertTrue(v.toString().startsWith("<tf.Variable 'bias:0' shape=(2,) dtype=float32"), v.toString());
    }

    @Test
    void readsWithinAStepAreUpdatedInPlaceAfterItOthersAreCopiedFirst() {
        Variable v = new Variable(Tensor.of(new float[] {1, 2}, 2));
        Tensor inStep = Variable.readsWithin(v::value);
        assertTrue(v.sharesArrayWith(inStep));
        v.updateInPlaceFloat(a -> a[0] += 10); // the step is over: no copy, its tensor sees the update
        assertTrue(v.sharesArrayWith(inStep));
        assertArrayEquals(new float[] {11, 2}, inStep.toFloatArray());

        Tensor before = v.value(); // read outside any step: protected even if read again inside one
        Variable.readsWithin(v::value);
        v.updateInPlaceFloat(a -> a[1] += 10);
        assertArrayEquals(new float[] {11, 2}, before.toFloatArray());
        assertArrayEquals(new float[] {11, 12}, v.value().toFloatArray());

        Variable w = new Variable(Tensor.of(new float[] {5}, 1));
        float[] seenInside = Variable.readsWithin(() -> {
            Tensor t = w.value();
            w.updateInPlaceFloat(a -> a[0] = 6); // inside the step the read is still protected
            return t.toFloatArray();
        });
        assertArrayEquals(new float[] {5}, seenInside);
        assertArrayEquals(new float[] {6}, w.value().toFloatArray());
    }
}
