package org.norm4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TensorTest {

    @Test
    void createsFromArraysAndConvertsBack() {
        Tensor t = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertEquals(Shape.of(2, 3), t.shape());
        assertEquals(DType.FLOAT32, t.dtype());
        assertArrayEquals(new float[] {1, 2, 3, 4, 5, 6}, t.toFloatArray());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.toDoubleArray());
        assertArrayEquals(new float[] {4, 5, 6}, t.toFloat2D()[1]);
        assertEquals(6.0, t.getDouble(1, 2));
        Tensor d = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(3.0, d.getDouble(1, 0));
    }

    @Test
    void ofCopiesItsInput() {
        float[] data = {1, 2};
        Tensor t = Tensor.of(data);
        data[0] = 99;
        assertEquals(1f, t.getFloat(0));
    }

    @Test
    void rejectsRaggedRowsAndWrongLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Tensor.of(new float[][] {{1, 2}, {3}}));
        assertTrue(e.getMessage().contains("rows[1]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Tensor.of(new float[] {1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().contains("(2, 2)") && e.getMessage().contains("3 elements"), e.getMessage());
        assertThrows(NullPointerException.class, () -> Tensor.of((float[]) null));
        e = assertThrows(IllegalArgumentException.class, () -> Shape.of(2, -1));
        assertTrue(e.getMessage().contains("dims[1] = -1"), e.getMessage());
    }

    @Test
    void factoriesFillAndSeedsRepeat() {
        assertArrayEquals(new double[] {0, 0, 0}, Tensor.zeros(DType.FLOAT64, 3).toDoubleArray());
        assertArrayEquals(new float[] {1, 1}, Tensor.ones(DType.FLOAT32, 2).toFloatArray());
        assertArrayEquals(new float[] {2.5f, 2.5f}, Tensor.full(DType.FLOAT32, 2.5, 1, 2).toFloatArray());
        Tensor a = Tensor.randomNormal(DType.FLOAT32, 0, 1, 42, 1000);
        Tensor b = Tensor.randomNormal(DType.FLOAT32, 0, 1, 42, 1000);
        Tensor c = Tensor.randomNormal(DType.FLOAT32, 0, 1, 43, 1000);
        assertArrayEquals(a.toFloatArray(), b.toFloatArray());
        assertTrue(a.getFloat(0) != c.getFloat(0));
        double mean = a.mean().item();
        double std = a.std().item();
        assertEquals(0, mean, 0.1);
        assertEquals(1, std, 0.1);
        Tensor u = Tensor.randomUniform(DType.FLOAT64, -2, 3, 7, 10000);
        assertTrue(u.min().item() >= -2 && u.max().item() < 3);
        assertEquals(0.5, u.mean().item(), 0.1);
    }

    @Test
    void reshapeSharesStorageAndInfers() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4, 5, 6});
        Tensor r = t.reshape(2, -1);
        assertEquals(Shape.of(2, 3), r.shape());
        assertSame(t.rawFloats(), r.rawFloats());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.reshape(4, -1));
        assertTrue(e.getMessage().contains("(6,)"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> t.reshape(-1, -1));
        assertThrows(IllegalArgumentException.class, () -> t.reshape(5));
    }

    @Test
    void transposeAndSlice() {
        Tensor t = Tensor.of(new double[] {0, 1, 2, 3, 4, 5}, 2, 3);
        Tensor tt = t.transpose();
        assertEquals(Shape.of(3, 2), tt.shape());
        assertArrayEquals(new double[] {0, 3, 1, 4, 2, 5}, tt.toDoubleArray());
        Tensor x = Tensor.of(new float[24], 2, 3, 4);
        float[] v = new float[24];
        for (int i = 0; i < 24; i++) {
            v[i] = i;
        }
        x = Tensor.of(v, 2, 3, 4);
        Tensor p = x.transpose(2, 0, 1);
        assertEquals(Shape.of(4, 2, 3), p.shape());
        // p[k, i, j] = x[i, j, k]
        assertEquals(x.getDouble(1, 2, 3), p.getDouble(3, 1, 2));
        assertEquals(x.getDouble(0, 1, 2), p.getDouble(2, 0, 1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.transpose(0, 0));
        assertTrue(e.getMessage().contains("Duplicate"), e.getMessage());
        Tensor s = x.slice(1, 2);
        assertEquals(Shape.of(1, 3, 4), s.shape());
        assertEquals(12.0, s.getDouble(0, 0, 0));
        e = assertThrows(IllegalArgumentException.class, () -> t.slice(1, 3));
        assertTrue(e.getMessage().contains("[1, 3)"), e.getMessage());
    }

    @Test
    void asTypeConverts() {
        Tensor t = Tensor.of(new float[] {1.5f});
        assertSame(t, t.asType(DType.FLOAT32));
        Tensor d = t.asType(DType.FLOAT64);
        assertNotSame(t, d);
        assertEquals(DType.FLOAT64, d.dtype());
        assertEquals(1.5, d.item());
    }

    @Test
    void printsLikeTensorFlow() {
        Tensor t = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
        assertEquals("tf.Tensor(\n[[1. 2. 3.]\n [4. 5. 6.]], shape=(2, 3), dtype=float32)", t.toString());
        assertEquals("tf.Tensor(0.5, shape=(), dtype=float64)", Tensor.scalar(0.5, DType.FLOAT64).toString());
        assertEquals("tf.Tensor(\n[  1. -2.5], shape=(2,), dtype=float32)",
                Tensor.of(new float[] {1, -2.5f}).toString());
        String big = Tensor.zeros(DType.FLOAT32, 2000).toString();
        assertTrue(big.contains("...") && big.length() < 200, big);
    }

    @Test
    void itemAndIndexErrors() {
        Tensor t = Tensor.of(new float[] {1, 2});
        assertThrows(IllegalArgumentException.class, t::item);
        IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> t.getDouble(2));
        assertTrue(e.getMessage().contains("index[0] = 2"), e.getMessage());
    }
}
