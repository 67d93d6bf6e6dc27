package org.norm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.Shape;
import org.norm4j.Tensor;

class MnistTest {

    @Test
    void embeddedSampleSplitsInFileOrderWithDocumentedCounts() {
        Mnist m = Mnist.embedded();
        assertEquals(Shape.of(8000, 784), m.xTrain().shape());
        assertEquals(Shape.of(2000, 784), m.xTest().shape());
        int[] counts = new int[10];
        for (int y : m.yTrain()) {
            counts[y]++;
        }
        for (int y : m.yTest()) {
            counts[y]++;
        }
        // class counts from the dataset's README
        assertArrayEquals(new int[] {1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978}, counts);
        assertEquals(255.0, m.xTrain().max().item());
        assertEquals(0.0, m.xTrain().min().item());
        assertEquals(1.0, m.scaled().xTest().max().item(), 1e-7);
    }

    private static byte[] idx(int magic, int[] dims, int payload) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(b);
        out.writeInt(magic);
        for (int d : dims) {
            out.writeInt(d);
        }
        for (int i = 0; i < payload; i++) {
            out.writeByte(i % 256);
        }
        return b.toByteArray();
    }

    @Test
    void loadsADirectoryOfPlainAndGzipFiles(@TempDir Path dir) throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte"), idx(0x803, new int[] {3, 2, 2}, 12));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 3, 1, 2, 9});
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(idx(0x803, new int[] {1, 2, 2}, 4));
        }
        Files.write(dir.resolve("t10k-images-idx3-ubyte.gz"), gz.toByteArray());
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), new byte[] {0, 0, 8, 1, 0, 0, 0, 1, 7});
        Mnist m = Mnist.load(dir);
        assertEquals(Shape.of(3, 4), m.xTrain().shape());
        assertEquals(11f, m.xTrain().getFloat(2, 3));
        assertArrayEquals(new int[] {1, 2, 9}, m.yTrain());
        assertArrayEquals(new int[] {7}, m.yTest());
    }

    @Test
    void badMagicAndTruncationAreReportedWithFileAndOffset(@TempDir Path dir) throws IOException {
        Path bad = dir.resolve("bad");
        Files.write(bad, idx(0x12345678, new int[0], 0));
        IOException e = assertThrows(IOException.class, () -> Idx.read(bad));
        assertTrue(e.getMessage().contains("bad") && e.getMessage().contains("magic number 0x12345678"),
                e.getMessage());
        Path cut = dir.resolve("cut");
        Files.write(cut, idx(0x803, new int[] {10, 28, 28}, 100));
        e = assertThrows(IOException.class, () -> Idx.read(cut));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("7840")
                && e.getMessage().contains("only 100"), e.getMessage());
        Path head = dir.resolve("head");
        Files.write(head, new byte[] {0, 0, 8, 3, 0});
        e = assertThrows(IOException.class, () -> Idx.read(head));
        assertTrue(e.getMessage().contains("truncated IDX header"), e.getMessage());
        e = assertThrows(IOException.class, () -> Mnist.load(dir.resolve("nowhere")));
        assertTrue(e.getMessage().contains("train-images-idx3-ubyte"), e.getMessage());
    }

    @Test
    void oneHotEncodesAndRejectsOutOfRangeLabels() {
        Tensor t = Mnist.oneHot(new int[] {2, 0}, 3);
        assertArrayEquals(new float[] {0, 0, 1, 1, 0, 0}, t.toFloatArray());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Mnist.oneHot(new int[] {1, 10}, 10));
        assertTrue(e.getMessage().contains("labels[1] = 10") && e.getMessage().contains("[0, 10)"), e.getMessage());
    }
}
