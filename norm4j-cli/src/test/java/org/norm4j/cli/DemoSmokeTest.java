package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.Tensor;
import org.norm4j.data.Mnist;

class DemoSmokeTest {
    @TempDir
    Path dir;

    @Test
    void oneEpochOfTwoVariantsWritesChartCsvAndReport() throws IOException {
        Path out = dir.resolve("demo");
        Cli r = Cli.run("demo", "--epochs", "1", "--variants", "none,seed-layernorm", "--out", out, "--no-progress");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("variant") && r.out.contains("seed-layernorm") && r.out.contains("epochs to 90%"),
                r.out);

        BufferedImage png = ImageIO.read(out.resolve("norm4j-demo.png").toFile());
        assertNotNull(png, "the PNG decodes");
        assertTrue(png.getWidth() >= 800 && png.getHeight() >= 600, png.getWidth() + "x" + png.getHeight());

        List<String> csv = Files.readAllLines(out.resolve("norm4j-demo.csv"));
        assertEquals("variant,epoch,train_loss,train_accuracy,heldout_loss,heldout_accuracy,epoch_seconds", csv.get(0));
        assertEquals(3, csv.size(), csv::toString);
        assertTrue(csv.get(1).startsWith("none,1,") && csv.get(2).startsWith("seed-layernorm,1,"), csv::toString);
        double acc = Double.parseDouble(csv.get(2).split(",")[5]);
        assertTrue(acc > 0.8, "seed-layernorm held-out accuracy after one epoch: " + acc);

        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("![Training loss and held-out accuracy per epoch](norm4j-demo.png)"), md);
        assertTrue(md.contains("| seed-layernorm |") && md.contains("SeedLayerNormalization"), md);
        try (var s = Files.list(out)) {
            assertEquals(3, s.count(), "only the three outputs, no temporary files");
        }
    }

    /** {@code --data}: a directory of MNIST-format IDX files (a slice of the embedded sample, gzipped or not). */
    @Test
    void dataDirectoryOfIdxFiles() throws IOException {
        Mnist m = Mnist.embedded();
        Path data = Files.createDirectories(dir.resolve("idx"));
        idxImages(data.resolve("train-images-idx3-ubyte.gz"), m.xTrain(), 600);
        idxLabels(data.resolve("train-labels-idx1-ubyte.gz"), m.yTrain(), 600);
        idxImages(data.resolve("t10k-images-idx3-ubyte"), m.xTest(), 300);
        idxLabels(data.resolve("t10k-labels-idx1-ubyte"), m.yTest(), 300);
        Cli r = Cli.run("demo", "--data", data, "--epochs", "2", "--variants", "batchnorm", "--out", dir.resolve("o"),
                "--threads", "1");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("600 train / 300 held-out"), r.out);
        assertEquals(3, Files.readAllLines(dir.resolve("o/norm4j-demo.csv")).size());
    }

    /** {@code --model cnn}: the five CNN variants on a small slice, held-out loss beside accuracy. */
    @Test
    void cnnVariantsOnASlice() throws IOException {
        Mnist m = Mnist.embedded();
        Path data = Files.createDirectories(dir.resolve("idx"));
        idxImages(data.resolve("train-images-idx3-ubyte"), m.xTrain(), 800);
        idxLabels(data.resolve("train-labels-idx1-ubyte"), m.yTrain(), 800);
        idxImages(data.resolve("t10k-images-idx3-ubyte"), m.xTest(), 200);
        idxLabels(data.resolve("t10k-labels-idx1-ubyte"), m.yTest(), 200);
        Path out = dir.resolve("cnn");
        Cli r = Cli.run("demo", "--model", "cnn", "--data", data, "--epochs", "1", "--limit", "320", "--variants",
                "all", "--out", out, "--no-progress");
        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("320 train / 200 held-out") && r.out.contains("held-out loss"), r.out);
        List<String> csv = Files.readAllLines(out.resolve("norm4j-demo.csv"));
        assertEquals(6, csv.size(), csv::toString);
        String[] ids = {"none", "batchnorm", "groupnorm", "instancenorm", "layernorm"};
        for (int i = 0; i < ids.length; i++) {
            assertTrue(csv.get(i + 1).startsWith(ids[i] + ",1,"), csv::toString);
            double heldOutLoss = Double.parseDouble(csv.get(i + 1).split(",")[4]);
            assertTrue(Double.isFinite(heldOutLoss) && heldOutLoss > 0, csv::toString);
        }
        String md = Files.readString(out.resolve("report.md"));
        assertTrue(md.contains("convolutional network") && md.contains("| held-out loss |")
                && md.contains("Conv2D(32, 3)") && md.contains("InstanceNormalization"), md);
        Cli bad = Cli.run("demo", "--model", "cnn", "--variants", "standardize", "--out", dir.resolve("x"));
        assertEquals(2, bad.code, bad::toString);
        assertTrue(bad.err.contains("unknown variant 'standardize' of the cnn model"), bad.err);
    }

    static void idxImages(Path p, Tensor x, int n) throws IOException {
        float[] v = x.toFloatArray();
        byte[] b = new byte[16 + n * 784];
        ByteBuffer.wrap(b).putInt(0x803).putInt(n).putInt(28).putInt(28);
        for (int i = 0; i < n * 784; i++) {
            b[16 + i] = (byte) (int) v[i];
        }
        write(p, b);
    }

    static void idxLabels(Path p, int[] y, int n) throws IOException {
        byte[] b = new byte[8 + n];
        ByteBuffer.wrap(b).putInt(0x801).putInt(n);
        for (int i = 0; i < n; i++) {
            b[8 + i] = (byte) y[i];
        }
        write(p, b);
    }

    static void write(Path p, byte[] b) throws IOException {
        if (p.toString().endsWith(".gz")) {
            try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(p))) {
                o.write(b);
            }
        } else {
            Files.write(p, b);
        }
    }

    @Test
    void badVariantIsAUsageErrorAndMissingDataAFailure() {
        Cli r = Cli.run("demo", "--variants", "none,dropout", "--out", dir.resolve("x"));
        assertEquals(2, r.code, r::toString);
        assertTrue(r.err.contains("unknown variant 'dropout'"), r.err);
        Cli d = Cli.run("demo", "--data", dir.resolve("nope"), "--out", dir.resolve("x"));
        assertEquals(1, d.code, d::toString);
        assertTrue(d.err.contains("nope: no such directory"), d.err);
    }
}
