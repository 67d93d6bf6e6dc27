package org.norm4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.norm4j.ops.Elementwise;

class StepArraysTest {

    @Test
    void aStepGetsThePreviousStepsArraysBackInOrderAndZeroFilled() {
        StepArrays arrays = new StepArrays();
        float[][] first = arrays.step(() -> {
            float[] a = Tensor.newFloats(1000);
            float[] b = Tensor.newFloats(1000);
            a[3] = 5;
            b[7] = 9;
            return new float[][] {a, b};
        });
        assertNotSame(first[0], first[1], "two arrays asked for in one step");
        float[][] second = arrays.step(() -> new float[][] {Tensor.newFloats(1000), Tensor.newFloats(1000)});
        assertSame(first[0], second[0], "the first array of the step");
        assertSame(first[1], second[1], "the second array of the step");
        assertArrayEquals(new float[1000], second[0], "a recycled array is zero-filled");
        assertArrayEquals(new float[1000], second[1], "a recycled array is zero-filled");
        assertEquals(2, arrays.pooledArrays());
    }

    @Test
    void lengthsAndTypesArePooledApartAndAStepNeedingMoreGrowsThePool() {
        StepArrays arrays = new StepArrays();
        Object[] one = arrays.step(() -> new Object[] {Tensor.newFloats(512), Tensor.newDoubles(512)});
        Object[] two = arrays.step(() -> new Object[] {Tensor.newDoubles(512), Tensor.newFloats(300),
            Tensor.newFloats(512), Tensor.newFloats(512)});
        assertSame(one[1], two[0], "the double array of length 512");
        assertSame(one[0], two[2], "the float array of length 512");
        assertNotSame(two[2], two[3], "a second float array of length 512 in the same step");
        assertEquals(4, arrays.pooledArrays());
    }

    @Test
    void outsideAStepAndForShortArraysAllocationsAreNew() {
        StepArrays arrays = new StepArrays();
        float[][] in = arrays.step(() -> new float[][] {Tensor.newFloats(1024), Tensor.newFloats(16)});
        float[] out = Tensor.newFloats(1024);
        assertNotSame(in[0], out, "between steps the heap serves");
        float[][] again = arrays.step(() -> new float[][] {Tensor.newFloats(1024), Tensor.newFloats(16)});
        assertSame(in[0], again[0]);
        assertNotSame(in[1], again[1], "arrays of 16 elements are not pooled");
        assertEquals(1, arrays.pooledArrays());
    }

    @Test
    void opsOutputsAreRecycledWithTheSameValues() {
        StepArrays arrays = new StepArrays();
        Tensor a = Tensor.of(new float[600]).add(Tensor.scalar(1.5f));
        AtomicReference<Tensor> first = new AtomicReference<>();
        arrays.step(() -> {
            first.set(Elementwise.mul(a, a));
            return null;
        });
        float[] kept = first.get().toFloatArray();
        Tensor second = arrays.step(() -> Elementwise.add(a, a));
        assertSame(first.get().rawFloats(), second.rawFloats(), "the op's output array is recycled");
        float[] three = new float[600];
        java.util.Arrays.fill(three, 3f);
        assertArrayEquals(three, second.toFloatArray());
        float[] sq = new float[600];
        java.util.Arrays.fill(sq, 2.25f);
        assertArrayEquals(sq, kept, "what the first step computed");
    }

    @Test
    void stepsAreRefusedNestedOrOnAnotherThread() throws InterruptedException {
        StepArrays arrays = new StepArrays();
        IllegalStateException nested = assertThrows(IllegalStateException.class,
                () -> arrays.step(() -> arrays.step(() -> 1)));
        assertTrue(nested.getMessage().contains("inside a step"), nested.getMessage());
        AtomicReference<Throwable> other = new AtomicReference<>();
        Thread t = new Thread(() -> {
            try {
                arrays.step(() -> 1);
            } catch (Throwable e) {
                other.set(e);
            }
        });
        t.start();
        t.join();
        assertTrue(other.get() instanceof IllegalStateException, String.valueOf(other.get()));
        assertTrue(other.get().getMessage().contains("expected the thread that created it"), other.get().getMessage());
        assertEquals(3, arrays.step(() -> 3), "the pools still serve after a refused step");
    }
}
