package org.norm4j.bench;

import java.lang.management.ManagementFactory;
import java.util.Arrays;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.data.Mnist;
import org.norm4j.kernel.KernelProvider;
import org.norm4j.models.FitOptions;
import org.norm4j.models.Sequential;

/**
 * A short standalone timing of the seed model's training (the {@code train_step} and {@code train_epoch}
 * workloads: BatchNormalization, Dense(128, relu), BatchNormalization, Dense(10, softmax), Adam, batch 32, the
 * embedded 8000 MNIST digits) in <em>thread CPU time</em> and bytes allocated by the calling thread, so that it
 * can be taken on a shared machine. A warm-up of 3000 single steps and one epoch, then {@code samples} samples of one epoch and of 200
 * single steps; median and minimum. Run it with {@code -Dnorm4j.threads=1} (the CPU time of pool threads is not
 * counted) and alternate the builds under comparison in the same minute; the checksum of the weights after the
 * run must not change between builds that claim the same bits.
 *
 * <pre>
 * CP=norm4j-core/target/classes:norm4j-nn/target/classes:norm4j-bench/target/classes:$(cat cp.txt)
 * java --add-modules jdk.incubator.vector -Dnorm4j.threads=1 -cp $CP org.norm4j.bench.TrainStepProbe 9
 * </pre>
 */
public final class TrainStepProbe {
    private TrainStepProbe() {
    }

    public static void main(String[] args) {
        int samples = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        Mnist data = Mnist.embedded().scaled();
        int n = data.xTrain().shape().dim(0);
        Tensor x = data.xTrain();
        Tensor y = Mnist.oneHot(data.yTrain(), 10);
        Tensor xs = x.slice(0, 32);
        Tensor ys = y.slice(0, 32);
        FitOptions opts = FitOptions.builder().epochs(1).batchSize(32).shuffle(false).verbose(0).build();
        Sequential model = Norm4jEngine.seedModel();
        for (int i = 0; i < 3000; i++) {
            model.fit(xs, ys, opts);
        }
        model.fit(x, y, opts);
        double[] stepUs = new double[samples];
        double[] stepBytes = new double[samples];
        double[] epochMs = new double[samples];
        double[] epochBytes = new double[samples];
        double[] epochProcessMs = new double[samples];
        double[] epochGcMs = new double[samples];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        for (int s = 0; s < samples; s++) {
            long c0 = mx.getThreadCpuTime(tid);
            long a0 = mx.getThreadAllocatedBytes(tid);
            for (int i = 0; i < 200; i++) {
                model.fit(xs, ys, opts);
            }
            stepUs[s] = (mx.getThreadCpuTime(tid) - c0) / 1e3 / 200;
            stepBytes[s] = (mx.getThreadAllocatedBytes(tid) - a0) / 200.0;
            c0 = mx.getThreadCpuTime(tid);
            a0 = mx.getThreadAllocatedBytes(tid);
            long p0 = os.getProcessCpuTime();
            long g0 = gcMillis();
            model.fit(x, y, opts);
            epochMs[s] = (mx.getThreadCpuTime(tid) - c0) / 1e6;
            epochBytes[s] = mx.getThreadAllocatedBytes(tid) - a0;
            epochProcessMs[s] = (os.getProcessCpuTime() - p0) / 1e6;
            epochGcMs[s] = gcMillis() - g0;
        }
        double checksum = 0;
        for (Variable v : model.weights()) {
            for (float f : v.value().toFloatArray()) {
                checksum += f;
            }
        }
        System.out.printf("Java %s, %s: step (fit of 32) median %.1f us min %.1f us, %.0f KB allocated; "
                + "epoch (%d) median %.2f ms min %.2f ms, %.1f MB allocated, process CPU median %.2f ms, "
                + "GC %.1f ms in %d epochs (weights checksum %.12e)%n",
                System.getProperty("java.version"), KernelProvider.describe(), median(stepUs), min(stepUs),
                median(stepBytes) / 1e3, n, median(epochMs), min(epochMs), median(epochBytes) / 1e6, median(epochProcessMs), Arrays.stream(epochGcMs).sum(), samples, checksum);
    }

    private static long gcMillis() {
        long t = 0;
        for (java.lang.management.GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            t += Math.max(0, gc.getCollectionTime());
        }
        return t;
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static double min(double[] v) {
        return Arrays.stream(v).min().orElse(Double.NaN);
    }
}
