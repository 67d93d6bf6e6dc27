package org.norm4j.ops;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Naive;
import org.norm4j.Shape;
import org.norm4j.Tensor;

class ReductionsTest {

    /** Random ranks 1-5, random axis sets (negative too), both dtypes, against a naive float64 loop. */
    @Test
    void everyReductionMatchesNaiveOnRandomAxes() {
        Random rnd = new Random(7);
        for (int trial = 0; trial < 400; trial++) {
            int rank = 1 + rnd.nextInt(5);
            int[] dims = Naive.randomDims(rnd, rank, 6);
            int[] axes = Naive.randomAxes(rnd, rank, true);
            int[] norm = Naive.normalize(axes, rank);
            DType dt = rnd.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
            double offset = rnd.nextInt(4) == 0 ? 1e4 : 0;
            Tensor x = Tensor.randomNormal(dt, offset, 1, trial, dims);
            double[] xv = x.toDoubleArray();
            boolean keep = rnd.nextBoolean();
            Shape expectShape = x.shape().reduce(norm, keep);
            double rtol = dt == DType.FLOAT32 ? 1e-6 : 1e-13;

            Tensor sum = Reductions.sum(x, axes, keep);
            assertEquals(expectShape, sum.shape());
            double[][] sc = Naive.sumAndCount(xv, dims, norm);
            Naive.assertClose(sc[0], sum.toDoubleArray(), rtol * (offset + 1) * 8, rtol, "sum " + trial);
            double[] mean = Naive.mean(xv, dims, norm);
            Naive.assertClose(mean, Reductions.mean(x, axes, keep).toDoubleArray(), rtol, rtol, "mean " + trial);
            double[] var = Naive.variance(xv, dims, norm);
            Naive.assertClose(var, Reductions.variance(x, axes, keep).toDoubleArray(), rtol, rtol * 10,
                    "variance " + trial);
            double[] std = new double[var.length];
            for (int i = 0; i < std.length; i++) {
                std[i] = Math.sqrt(var[i]);
            }
            Naive.assertClose(std, Reductions.std(x, axes, keep).toDoubleArray(), rtol, rtol * 10, "std " + trial);
            assertArrayEquals(Naive.extreme(xv, dims, norm, true), Reductions.max(x, axes, keep).toDoubleArray());
            assertArrayEquals(Naive.extreme(xv, dims, norm, false), Reductions.min(x, axes, keep).toDoubleArray());
        }
    }

    @Test
    void largeReductionsUseBlocksAndStayAccurate() {
        // sizes above one block in every plan kind: rows, columns, middle, reduce-keep-reduce, transposed
        int[][] shapes = {{3, 40000}, {40000, 3}, {2, 30000, 3}, {5, 3, 9000}, {7, 2, 5, 3000}};
        int[][] axes = {{1}, {0}, {1}, {0, 2}, {1, 3}};
        for (int t = 0; t < shapes.length; t++) {
            Tensor x = Tensor.randomNormal(DType.FLOAT32, 100, 3, t, shapes[t]);
            double[] xv = x.toDoubleArray();
            Naive.assertClose(Naive.mean(xv, shapes[t], axes[t]), Reductions.mean(x, axes[t], false)
                    .toDoubleArray(), 1e-6, 1e-7, "mean " + t);
            Naive.assertClose(Naive.variance(xv, shapes[t], axes[t]), Reductions.variance(x, axes[t], false)
                    .toDoubleArray(), 1e-6, 1e-6, "variance " + t);
            assertArrayEquals(Naive.extreme(xv, shapes[t], axes[t], true),
                    Reductions.max(x, axes[t], false).toDoubleArray());
        }
    }

    @Test
    void nanPropagatesThroughEveryReduction() {
        Tensor x = Tensor.of(new float[] {1, Float.NaN, 3, 4, 5, 6}, 2, 3);
        assertTrue(Float.isNaN(x.sum(1).getFloat(0)));
        assertEquals(15f, x.sum(1).getFloat(1));
        assertTrue(Float.isNaN(x.max(1).getFloat(0)));
        assertTrue(Float.isNaN(x.min(0).getFloat(1)));
        assertTrue(Float.isNaN(x.variance(1).getFloat(0)));
        assertEquals(6f, x.max(1).getFloat(1));
        Tensor inf = Tensor.of(new float[] {1, Float.POSITIVE_INFINITY});
        assertEquals(Float.POSITIVE_INFINITY, inf.mean().getFloat());
        assertTrue(Float.isNaN(inf.variance().getFloat()));
    }

    @Test
    void badAxesAndEmptyReductionsAreRejectedWithClearMessages() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Reductions.sum(x, new int[] {2}, false));
        assertTrue(e.getMessage().contains("= 2") && e.getMessage().contains("[-2, 2)"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Reductions.mean(x, new int[] {1, -1}, false));
        assertTrue(e.getMessage().contains("Duplicate axes") && e.getMessage().contains("[1, -1]"), e.getMessage());
        Tensor empty = Tensor.zeros(DType.FLOAT32, 0, 3);
        e = assertThrows(IllegalArgumentException.class, () -> Reductions.mean(empty, new int[] {0}, false));
        assertTrue(e.getMessage().contains("zero elements"), e.getMessage());
        assertArrayEquals(new float[] {0, 0, 0}, Reductions.sum(empty, new int[] {0}, false).toFloatArray());
    }

    @Test
    void keepDimsAndAllAxes() {
        Tensor x = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertEquals(Shape.of(2, 1), Reductions.mean(x, new int[] {-1}, true).shape());
        assertEquals(Shape.scalar(), Reductions.sum(x, null, false).shape());
        assertEquals(21f, x.sum().getFloat());
        assertEquals(Shape.of(1, 1), Reductions.sum(x, null, true).shape());
        assertArrayEquals(new float[] {2.5f, 3.5f, 4.5f}, x.mean(0).toFloatArray());
    }
}
