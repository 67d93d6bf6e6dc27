package org.norm4j.kernel;

/**
 * Single-read moments for {@link Reduce#moments}: the reduced range is cut into the same fixed blocks as every
 * other reduction (a function of the shape only); each block's count, sum, mean and centred sum of squares
 * {@code M2_b} are computed, and the per-block results are merged on the calling thread in block order. So the
 * data crosses the memory bus once instead of twice, and the result does not depend on the thread count.
 *
 * <p>Per block: float32 data laid out as rows ({@code [outer, mid]}, {@code inner == 1}) and channels-first data
 * ({@code [a, k, b]}) is touched once, by shifted sums (the shift {@code k} is the block's first value; {@link
 * Kernels#shiftedSums}), giving {@code s_b = n_b k + S1}, {@code mean_b = k + S1 / n_b} and {@code M2_b = S2 - S1
 * (S1 / n_b)} wherever {@link ShiftedMoments#accurate} accepts them (its javadoc bounds the error); a statistic
 * it rejects (cancellation, NaN, infinities) falls back, for that block only, to the exact in-cache two passes:
 * the sum, then the squared deviations from {@code mean_b = s_b * (1 / n_b)}. Channels-last blocks ({@code inner
 * > 1}) and float64 data always take the two in-cache passes: a shifted column kernel with sixteen double-vector
 * accumulators was tried and withdrawn, because under JDK 17's C2 it gave thread-count-dependent results in
 * about one full test run in five (DeterminismTest, one column off by ~2e-5 relative) that could not be
 * reproduced in isolation; see docs/performance.md.
 *
 * <p>Merge, per output: {@code sum = s_0 + s_1 + ...} (left to right, as {@link Reduce#sum}), {@code mean = sum *
 * (1 / N)}, {@code M2 = sum over b of (M2_b + n_b * (mean_b - mean)^2)} (left to right), with {@code mean_b = s_b
 * * (1 / n_b)} (the two-pass blocks) or as above (the shifted ones). With one two-pass block, {@code mean_b ==
 * mean} and the result equals the two-pass one exactly (float64 blocks are always two-pass).
 */
final class BlockMoments {
    /**
     * Elements per block: {@link Reduce#BLOCK} (64 KiB of float32, held in L2 between the two passes; measured
     * on [1 000 000, 64]: 16 K and 8 K elements per block are equally fast, 4 K and 2 K slower).
     */
    static final int BLOCK = Reduce.BLOCK;

    private BlockMoments() {
    }

    /** The {@code [outer, mid, inner]} pattern, reducing {@code mid}. */
    static double[][] omi(Object x, ReductionPlan plan) {
        int outer = plan.d0;
        int mid = plan.d1;
        int inner = plan.d2;
        int rowsPerBlock = Math.max(1, BLOCK / inner);
        int nb = (mid + rowsPerBlock - 1) / rowsPerBlock;
        int slots = outer * nb * inner;
        double[] sums = new double[slots];
        double[] means = new double[slots];
        double[] m2 = new double[slots];
        Kernels k = KernelProvider.get();
        boolean f32 = x instanceof float[];
        Reduce.omiBlocks(plan, (task, o, off, rows) -> {
            double inv = 1.0 / rows;
            if (inner == 1 && f32) {
                float[] xf = (float[]) x;
                double[] sh = new double[2];
                double shift = xf[off];
                k.shiftedSums(xf, off, rows, shift, sh, 0);
                if (ShiftedMoments.accurate(sh[0], sh[1], rows)) {
                    sums[task] = rows * shift + sh[0];
                    means[task] = ShiftedMoments.mean(shift, sh[0], rows);
                    m2[task] = ShiftedMoments.m2(sh[0], sh[1], rows);
                    return;
                }
            }
            if (inner == 1) {
                double s = f32 ? k.sum((float[]) x, off, rows) : k.sum((double[]) x, off, rows);
                double m = s * inv;
                sums[task] = s;
                means[task] = m;
                m2[task] = f32 ? k.sumSquaredDeviations((float[]) x, off, rows, m)
                        : k.sumSquaredDeviations((double[]) x, off, rows, m);
                return;
            }
            int ao = task * inner;
            if (f32) {
                k.sumColumns((float[]) x, off, rows, inner, sums, ao);
            } else {
                k.sumColumns((double[]) x, off, rows, inner, sums, ao);
            }
            for (int j = 0; j < inner; j++) {
                means[ao + j] = sums[ao + j] * inv;
            }
            if (f32) {
                k.sumSquaredDeviationsColumns((float[]) x, off, rows, inner, means, ao, m2, ao);
            } else {
                k.sumSquaredDeviationsColumns((double[]) x, off, rows, inner, means, ao, m2, ao);
            }
        });
        double[] mean = new double[outer * inner];
        double[] out = new double[outer * inner];
        double invCount = 1.0 / plan.count;
        // block by block over contiguous columns (the slots of one block are adjacent); per column the additions
        // are those of a column-by-column merge, in block order, so the bits do not depend on the loop order
        for (int o = 0; o < outer; o++) {
            int base = o * inner;
            System.arraycopy(sums, (o * nb) * inner, mean, base, inner);
            for (int b = 1; b < nb; b++) {
                int p = (o * nb + b) * inner;
                for (int i = 0; i < inner; i++) {
                    mean[base + i] += sums[p + i];
                }
            }
            for (int i = 0; i < inner; i++) {
                mean[base + i] = mean[base + i] * invCount;
            }
            for (int b = 0; b < nb; b++) {
                int p = (o * nb + b) * inner;
                int n = Math.min(rowsPerBlock, mid - b * rowsPerBlock);
                if (b == 0) {
                    for (int i = 0; i < inner; i++) {
                        double d = means[p + i] - mean[base + i];
                        out[base + i] = m2[p + i] + n * d * d;
                    }
                    continue;
                }
                for (int i = 0; i < inner; i++) {
                    double d = means[p + i] - mean[base + i];
                    out[base + i] = out[base + i] + (m2[p + i] + n * d * d);
                }
            }
        }
        return new double[][] {mean, out};
    }

    /** The {@code [a, k, b]} pattern, reducing {@code a} and {@code b} (channels-first data). */
    static double[][] rkr(Object x, ReductionPlan plan) {
        int a = plan.d0;
        int kk = plan.d1;
        int b = plan.d2;
        int aPerBlock = Math.max(1, BLOCK / Math.max(1, b));
        int na = Math.max(1, (a + aPerBlock - 1) / aPerBlock);
        double[] sums = new double[kk * na];
        double[] means = new double[kk * na];
        double[] m2 = new double[kk * na];
        Kernels k = KernelProvider.get();
        boolean f32 = x instanceof float[];
        Parallel.forEach(kk * na, (long) a * kk * b, task -> {
            int c = task / na;
            int blk = task % na;
            int a0 = blk * aPerBlock;
            int a1 = Math.min(a, a0 + aPerBlock);
            if (f32) {
                float[] xf = (float[]) x;
                long n = (long) (a1 - a0) * b;
                double shift = xf[(a0 * kk + c) * b];
                double[] sh = new double[2];
                double t1 = 0;
                double t2 = 0;
                for (int i = a0; i < a1; i++) {
                    k.shiftedSums(xf, (i * kk + c) * b, b, shift, sh, 0);
                    t1 = i == a0 ? sh[0] : t1 + sh[0];
                    t2 = i == a0 ? sh[1] : t2 + sh[1];
                }
                if (ShiftedMoments.accurate(t1, t2, n)) {
                    sums[task] = n * shift + t1;
                    means[task] = ShiftedMoments.mean(shift, t1, n);
                    m2[task] = ShiftedMoments.m2(t1, t2, n);
                    return;
                }
            }
            double s = 0;
            for (int i = a0; i < a1; i++) {
                int off = (i * kk + c) * b;
                double r = f32 ? k.sum((float[]) x, off, b) : k.sum((double[]) x, off, b);
                s = i == a0 ? r : s + r;
            }
            double m = s * (1.0 / ((long) (a1 - a0) * b));
            double q = 0;
            for (int i = a0; i < a1; i++) {
                int off = (i * kk + c) * b;
                double r = f32 ? k.sumSquaredDeviations((float[]) x, off, b, m)
                        : k.sumSquaredDeviations((double[]) x, off, b, m);
                q = i == a0 ? r : q + r;
            }
            sums[task] = s;
            means[task] = m;
            m2[task] = q;
        });
        double[] mean = new double[kk];
        double[] out = new double[kk];
        double invCount = 1.0 / plan.count;
        for (int c = 0; c < kk; c++) {
            double s = sums[c * na];
            for (int blk = 1; blk < na; blk++) {
                s += sums[c * na + blk];
            }
            double m = s * invCount;
            double acc = 0;
            for (int blk = 0; blk < na; blk++) {
                int p = c * na + blk;
                long n = (long) (Math.min(a, (blk + 1) * aPerBlock) - blk * aPerBlock) * b;
                double d = means[p] - m;
                acc = blk == 0 ? m2[p] + n * d * d : acc + (m2[p] + n * d * d);
            }
            mean[c] = m;
            out[c] = acc;
        }
        return new double[][] {mean, out};
    }
}
