package org.norm4j.data;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * MNIST-format datasets: the embedded 10 000-digit sample (first 8000 for training, last 2000 for testing,
 * in file order) and loaders for the full MNIST or Fashion-MNIST files in any directory.
 *
 * <p>Images come as float32 tensors of shape {@code (n, 784)} holding raw pixel values 0-255; call
 * {@link #scaled()} for [0, 1]. Labels come as {@code int[]}; {@link #oneHot(int[], int)} makes the
 * categorical targets. The embedded digits are from the MNIST database (LeCun, Cortes, Burges; CC BY-SA 3.0);
 * see {@code org/norm4j/data/mnist-10k/README.md} in the jar for the attribution.
 */
public final class Mnist {
    /** Number of embedded digits used for training. */
    public static final int EMBEDDED_TRAIN = 8000;
    private static final String RESOURCE = "/org/norm4j/data/mnist-10k/";

    private final Tensor xTrain;
    private final int[] yTrain;
    private final Tensor xTest;
    private final int[] yTest;

    private Mnist(Tensor xTrain, int[] yTrain, Tensor xTest, int[] yTest) {
        this.xTrain = xTrain;
        this.yTrain = yTrain;
        this.xTest = xTest;
        this.yTest = yTest;
    }

    /** Training images, {@code (n, 784)}, values 0-255. */
    public Tensor xTrain() {
        return xTrain;
    }

    /** Training labels, 0-9. */
    public int[] yTrain() {
        return yTrain.clone();
    }

    /** Test images, {@code (n, 784)}, values 0-255. */
    public Tensor xTest() {
        return xTest;
    }

    /** Test labels, 0-9. */
    public int[] yTest() {
        return yTest.clone();
    }

    /** The same data with pixels divided by 255. */
    public Mnist scaled() {
        return new Mnist(xTrain.div(255.0), yTrain, xTest.div(255.0), yTest);
    }

    /** The embedded 10 000-digit sample split 8000 / 2000 in file order. */
    public static Mnist embedded() {
        try (InputStream img = open("images-idx3-ubyte.gz"); InputStream lab = open("labels-idx1-ubyte.gz")) {
            Idx.Array images = Idx.read(img, "embedded " + RESOURCE + "images-idx3-ubyte.gz");
            Idx.Array labels = Idx.read(lab, "embedded " + RESOURCE + "labels-idx1-ubyte.gz");
            return split(images, labels, EMBEDDED_TRAIN);
        } catch (IOException e) {
            throw new UncheckedIOException("the embedded MNIST sample could not be read", e);
        }
    }

    private static InputStream open(String name) throws IOException {
        InputStream in = Mnist.class.getResourceAsStream(RESOURCE + name);
        if (in == null) {
            throw new IOException("resource " + RESOURCE + name + " is missing from the norm4j-nn jar");
        }
        return in;
    }

    /**
     * Loads the four standard files ({@code train-images-idx3-ubyte}, {@code train-labels-idx1-ubyte},
     * {@code t10k-images-idx3-ubyte}, {@code t10k-labels-idx1-ubyte}, each optionally {@code .gz}) from a
     * directory, e.g. {@code /usr/share/datasets/fashion-mnist} after
     * {@code apt-get install dataset-fashion-mnist}.
     */
    public static Mnist load(Path dir) throws IOException {
        Idx.Array trX = Idx.read(find(dir, "train-images-idx3-ubyte"));
        Idx.Array trY = Idx.read(find(dir, "train-labels-idx1-ubyte"));
        Idx.Array teX = Idx.read(find(dir, "t10k-images-idx3-ubyte"));
        Idx.Array teY = Idx.read(find(dir, "t10k-labels-idx1-ubyte"));
        return new Mnist(images(trX, dir.resolve("train-images")), labels(trY, trX.count(), "train"),
                images(teX, dir.resolve("t10k-images")), labels(teY, teX.count(), "t10k"));
    }

    private static Path find(Path dir, String base) throws IOException {
        for (String name : new String[] {base + ".gz", base, base.replace("-idx", ".idx")}) {
            Path p = dir.resolve(name);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        throw new IOException("no " + base + "[.gz] in " + dir + ": expected the MNIST-format file names");
    }

    private static Mnist split(Idx.Array images, Idx.Array labels, int nTrain) throws IOException {
        if (images.count() != labels.count()) {
            throw new IOException(images.count() + " images but " + labels.count() + " labels");
        }
        Tensor all = images(images, Path.of("images"));
        int[] y = labels(labels, labels.count(), "labels");
        int n = images.count();
        return new Mnist(all.slice(0, nTrain), java.util.Arrays.copyOfRange(y, 0, nTrain), all.slice(nTrain, n),
                java.util.Arrays.copyOfRange(y, nTrain, n));
    }

    private static Tensor images(Idx.Array a, Path name) throws IOException {
        if (a.dims().length != 3) {
            throw new IOException(name + ": images have dimensions " + java.util.Arrays.toString(a.dims())
                    + ": expected (count, rows, cols)");
        }
        int n = a.dims()[0];
        int pixels = a.dims()[1] * a.dims()[2];
        float[] f = new float[n * pixels];
        for (int i = 0; i < f.length; i++) {
            f[i] = a.unsigned(i);
        }
        return Tensor.wrap(f, Shape.of(n, pixels));
    }

    private static int[] labels(Idx.Array a, int expected, String what) throws IOException {
        if (a.dims().length != 1 || a.count() != expected) {
            throw new IOException(what + " labels have dimensions " + java.util.Arrays.toString(a.dims())
                    + ": expected (" + expected + ",), one per image");
        }
        int[] y = new int[expected];
        for (int i = 0; i < expected; i++) {
            y[i] = a.unsigned(i);
        }
        return y;
    }

    /**
     * One-hot encoding ({@code keras.utils.to_categorical}): a float32 {@code (n, numClasses)} tensor.
     *
     * @throws IllegalArgumentException naming the first label outside {@code [0, numClasses)}
     */
    public static Tensor oneHot(int[] labels, int numClasses) {
        if (numClasses < 1) {
            throw new IllegalArgumentException("numClasses = " + numClasses + ": expected >= 1");
        }
        float[] out = new float[labels.length * numClasses];
        for (int i = 0; i < labels.length; i++) {
            if (labels[i] < 0 || labels[i] >= numClasses) {
                throw new IllegalArgumentException("labels[" + i + "] = " + labels[i] + ": expected a class in [0, "
                        + numClasses + ")");
            }
            out[i * numClasses + labels[i]] = 1f;
        }
        return Tensor.wrap(out, Shape.of(labels.length, numClasses));
    }
}
