package org.norm4j.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.norm4j.Norm4j;
import org.norm4j.Tensor;
import org.norm4j.data.Mnist;
import org.norm4j.layers.Activation;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.Conv2D;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Flatten;
import org.norm4j.layers.Input;
import org.norm4j.layers.Layer;
import org.norm4j.layers.MaxPooling2D;
import org.norm4j.layers.Rescaling;
import org.norm4j.models.FitOptions;
import org.norm4j.models.Sequential;
import org.norm4j.initializers.Seeds;

/**
 * One training epoch of the demo CNN ({@code norm4j demo --model cnn}) on Fashion-MNIST, timed: Rescaling(1/255)
 * -> Conv2D(32, 3) -> [BatchNormalization] -> relu -> MaxPooling2D -> Conv2D(64, 3) -> [BatchNormalization] ->
 * relu -> MaxPooling2D -> Flatten -> Dense(10, softmax), Adam (learning rate 1e-3), categorical cross-entropy,
 * batch 32, shuffled. The same model as {@code norm4j-bench/cnn/torch_epoch.py} and {@code keras_epoch.py};
 * {@code norm4j-bench/cnn/run.sh} runs all three.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -cp ... org.norm4j.bench.CnnEpoch none|batchnorm [IMAGES] [THREADS] [WARMUP]
 * </pre>
 *
 * IMAGES (default 60 000) are the first images of the training set; THREADS (default 2); WARMUP (default 0)
 * images trained first on a throwaway model so that the timed epoch runs compiled code (0: the timed epoch
 * includes the JIT's warm-up, as a user's first epoch does). Prints one line: variant, images, threads, seconds
 * for the epoch (wall), the process CPU seconds, the final training loss, Java version and CPU. The IDX files are
 * read from {@code -Dnorm4j.bench.fashion=DIR} (default /usr/share/datasets/fashion-mnist).
 */
public final class CnnEpoch {
    private CnnEpoch() {
    }

    /**
     * Entry point.
     *
     * @param args variant (none or batchnorm), images, threads, warm-up images
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1 || !(args[0].equals("none") || args[0].equals("batchnorm"))) {
            System.err.println("usage: CnnEpoch none|batchnorm [IMAGES] [THREADS] [WARMUP]");
            System.exit(2);
        }
        boolean bn = args[0].equals("batchnorm");
        int images = args.length > 1 ? Integer.parseInt(args[1]) : 60_000;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        if (images < 32 || threads < 1 || warmup < 0) {
            throw new IllegalArgumentException("images " + images + ", threads " + threads + ", warm-up " + warmup
                    + ": expected images >= 32, threads >= 1, warm-up >= 0");
        }
        if (!Files.isDirectory(Data.FASHION_DIR)) {
            throw new IllegalStateException("Fashion-MNIST not found in " + Data.FASHION_DIR + ": expected its IDX "
                    + "files there (-Dnorm4j.bench.fashion=DIR)");
        }
        Norm4j.setThreads(threads);
        Mnist m = Mnist.load(Data.FASHION_DIR);
        Tensor x = m.xTrain().reshape(-1, 28, 28, 1);
        Tensor y = Mnist.oneHot(m.yTrain(), 10);
        if (images > x.shape().dim(0)) {
            throw new IllegalArgumentException("images " + images + ": expected at most " + x.shape().dim(0));
        }
        if (warmup > 0) {
            int w = Math.min(warmup, x.shape().dim(0));
            train(bn, x.slice(0, w), y.slice(0, w));
        }
        double[] r = train(bn, x.slice(0, images), y.slice(0, images));
        System.out.printf(Locale.ROOT, "norm4j variant=%s images=%d threads=%d epoch_s=%.2f cpu_s=%.2f loss=%.4f "
                + "java=%s cpu=%s%n", args[0], images, threads, r[0], r[1], r[2], System.getProperty("java.version"),
                Machine.describe());
    }

    /** Trains a fresh model for one epoch: {wall seconds, process CPU seconds, last loss}. */
    private static double[] train(boolean bn, Tensor x, Tensor y) {
        Seeds.setGlobalSeed(42);
        Sequential model = model(bn);
        model.compile("adam", "categorical_crossentropy", "accuracy");
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        var h = model.fit(x, y, FitOptions.builder().epochs(1).batchSize(32).seed(42).verbose(0).build());
        long t1 = System.nanoTime();
        long cpu1 = os.getProcessCpuTime();
        List<Double> loss = h.history().get("loss");
        return new double[] {(t1 - t0) / 1e9, (cpu1 - cpu0) / 1e9, loss.get(loss.size() - 1)};
    }

    /** The demo's CNN (norm4j-cli's Variant none / batchnorm). */
    static Sequential model(boolean bn) {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Input(28, 28, 1));
        layers.add(new Rescaling(1.0 / 255, 0));
        for (int filters : new int[] {32, 64}) {
            if (bn) {
                layers.add(new Conv2D(filters, 3));
                layers.add(new BatchNormalization());
                layers.add(new Activation("relu"));
            } else {
                layers.add(new Conv2D(filters, 3).activation("relu"));
            }
            layers.add(new MaxPooling2D());
        }
        layers.add(new Flatten());
        layers.add(new Dense(10, "softmax"));
        return new Sequential(layers.toArray(new Layer[0])).name("cnn-" + (bn ? "batchnorm" : "none"));
    }
}
