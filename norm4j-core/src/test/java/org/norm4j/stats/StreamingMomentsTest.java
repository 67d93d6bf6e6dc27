package org.norm4j.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Naive;
import org.norm4j.Tensor;

class StreamingMomentsTest {

    private static double[][] data(int rows, int features, double offset, long seed) {
        Random rnd = new Random(seed);
        double[][] d = new double[rows][features];
        for (double[] r : d) {
            for (int j = 0; j < features; j++) {
                r[j] = offset * (j + 1) + (j + 1) * rnd.nextGaussian();
            }
        }
        return d;
    }

    @Test
    void atOnceInChunksRowByRowAndMergedAgree() {
        double[][] d = data(5000, 4, 1e4, 1);
        Tensor all = Tensor.of(d);
        StreamingMoments whole = new StreamingMoments(4).update(all);
        double[] truthMean = Naive.mean(all.toDoubleArray(), new int[] {5000, 4}, new int[] {0});
        double[] truthVar = Naive.variance(all.toDoubleArray(), new int[] {5000, 4}, new int[] {0});
        Naive.assertClose(truthMean, whole.mean(), 0, 1e-14, "mean at once");
        Naive.assertClose(truthVar, whole.variance(0), 0, 1e-10, "variance at once");

        StreamingMoments chunks = new StreamingMoments(4);
        Random rnd = new Random(2);
        int start = 0;
        while (start < 5000) {
            int end = Math.min(5000, start + 1 + rnd.nextInt(700));
            chunks.update(all.slice(start, end));
            start = end;
        }
        StreamingMoments rows = new StreamingMoments(4);
        for (double[] r : d) {
            rows.update(r);
        }
        // a tree of merges: 8 workers, merged pairwise
        StreamingMoments[] parts = new StreamingMoments[8];
        for (int w = 0; w < 8; w++) {
            parts[w] = new StreamingMoments(4).update(all.slice(w * 625, (w + 1) * 625));
        }
        for (int step = 1; step < 8; step *= 2) {
            for (int w = 0; w + step < 8; w += 2 * step) {
                parts[w].merge(parts[w + step]);
            }
        }
        for (StreamingMoments s : new StreamingMoments[] {chunks, rows, parts[0]}) {
            assertEquals(5000, s.count());
            Naive.assertClose(whole.mean(), s.mean(), 0, 1e-13, "mean");
            Naive.assertClose(whole.variance(0), s.variance(0), 0, 1e-9, "variance");
            assertArrayEquals(whole.min(), s.min());
            assertArrayEquals(whole.max(), s.max());
        }
        Naive.assertClose(truthVar, rows.variance(0), 0, 1e-9, "Welford rows");
    }

    @Test
    void float32ChunksWithLargeOffsetStayAccurate() {
        int n = 200_000;
        float[] f = new float[n];
        Random rnd = new Random(5);
        for (int i = 0; i < n; i++) {
            f[i] = (float) (1e6 + rnd.nextGaussian());
        }
        double mean = 0;
        for (float v : f) {
            mean += v;
        }
        mean /= n;
        double m2 = 0;
        for (float v : f) {
            m2 += (v - mean) * (v - mean);
        }
        StreamingMoments s = new StreamingMoments(1);
        for (int i = 0; i < n; i += 10_000) {
            s.update(Arrays.copyOfRange(f, i, i + 10_000), 10_000);
        }
        assertEquals(m2 / n, s.variance(0)[0], 1e-9 * m2 / n);
        assertEquals(m2 / (n - 1), s.variance(1)[0], 1e-9 * m2 / n);
    }

    @Test
    void stateRoundTripsExactly() {
        StreamingMoments s = new StreamingMoments(3).update(Tensor.of(data(100, 3, 5, 9)));
        StreamingMoments fromState = StreamingMoments.fromState(s.state());
        StreamingMoments fromBytes = StreamingMoments.fromBytes(s.toBytes());
        for (StreamingMoments r : new StreamingMoments[] {fromState, fromBytes}) {
            assertEquals(s.count(), r.count());
            assertArrayEquals(s.mean(), r.mean());
            assertArrayEquals(s.m2(), r.m2());
            assertArrayEquals(s.min(), r.min());
            assertArrayEquals(s.max(), r.max());
        }
        byte[] bytes = s.toBytes();
        bytes[0] = 0;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StreamingMoments.fromBytes(bytes));
        assertTrue(e.getMessage().contains("magic"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> StreamingMoments.fromBytes(Arrays.copyOf(s.toBytes(), 30)));
        assertTrue(e.getMessage().contains("bytes"), e.getMessage());
    }

    @Test
    void emptyNanAndErrors() {
        StreamingMoments s = new StreamingMoments(2);
        assertTrue(Double.isNaN(s.mean()[0]));
        assertTrue(Double.isNaN(s.variance(0)[0]));
        s.update(new double[] {1, Double.NaN});
        s.update(new double[] {3, 4});
        assertEquals(2.0, s.mean()[0]);
        assertTrue(Double.isNaN(s.mean()[1]));
        assertTrue(Double.isNaN(s.max()[1]));
        assertEquals(1.0, s.variance(0)[0]);
        assertEquals(2.0, s.variance(1)[0]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> s.update(new double[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("3 values") && e.getMessage().contains("expected 2"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> s.merge(new StreamingMoments(3)));
        assertTrue(e.getMessage().contains("3 features"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new StreamingMoments(0));
        assertThrows(IllegalArgumentException.class, () -> s.update(Tensor.zeros(DType.FLOAT32, 3, 3)));
    }
}
