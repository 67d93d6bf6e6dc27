package org.norm4j.bench;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.norm4j.kernel.KernelProvider;
import org.norm4j.kernel.Kernels;

/**
 * A short standalone timing of one Dense product on the kernels this JVM chose, for the A/B of the matrix-product
 * vector width ({@code -Dnorm4j.matmulBits}): about 2 s of warm-up, then 15 samples of 200 calls on one thread,
 * median and minimum per call. Run it once per width, alternating, in the same minute; the checksum must not change
 * (the products are bit-identical at every width). Not a JMH benchmark: a probe for choosing a default per CPU.
 *
 * <pre>
 * CP=norm4j-core/target/classes:norm4j-bench/target/classes
 * for w in 256 512 256 512; do
 *   java --add-modules jdk.incubator.vector -Dnorm4j.threads=1 -Dnorm4j.matmulBits=$w -cp $CP \
 *     org.norm4j.bench.MatmulWidthProbe 32 784 128
 * done
 * </pre>
 * Arguments: {@code m k n [A][B]} ({@code A}/{@code B}: the transposed operand, as the gradients use them).
 */
public final class MatmulWidthProbe {
    private MatmulWidthProbe() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            throw new IllegalArgumentException("arguments " + Arrays.toString(args) + ": expected m k n [A][B]");
        }
        int m = Integer.parseInt(args[0]);
        int k = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        boolean ta = args.length > 3 && args[3].contains("A");
        boolean tb = args.length > 3 && args[3].contains("B");
        Kernels ker = KernelProvider.get();
        SplittableRandom r = new SplittableRandom(1);
        float[] a = new float[m * k];
        float[] b = new float[k * n];
        float[] c = new float[m * n];
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextGaussian();
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = (float) r.nextGaussian();
        }
        long end = System.nanoTime() + 2_000_000_000L;
        while (System.nanoTime() < end) {
            ker.matmul(a, b, c, m, k, n, ta, tb, 0, m);
        }
        double[] us = new double[15];
        for (int s = 0; s < us.length; s++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < 200; i++) {
                ker.matmul(a, b, c, m, k, n, ta, tb, 0, m);
            }
            us[s] = (System.nanoTime() - t0) / 1e3 / 200;
        }
        Arrays.sort(us);
        double checksum = 0;
        for (float v : c) {
            checksum += v;
        }
        System.out.printf("Java %s, %s: [%d,%d]x[%d,%d]%s%s median %.1f us, min %.1f us (checksum %.9e)%n",
                System.getProperty("java.version"), KernelProvider.describe(), m, k, k, n, ta ? " transposeA" : "",
                tb ? " transposeB" : "", us[us.length / 2], us[0], checksum);
    }
}
