package org.norm4j.kernel;

import java.util.Arrays;

/**
 * Runs reductions along a {@link ReductionPlan} with the chosen {@link Kernels}, split into fixed-size
 * blocks whose partial results are combined in block order. The blocking depends only on the shape, so the
 * result is bit-identical whatever the thread count. Inputs are {@code float[]} or {@code double[]} in the
 * layout the plan expects (already permuted if the plan has a permutation). Results are in double.
 */
public final class Reduce {
    /** Elements per block; each block is one task and produces one partial result per output. */
    static final int BLOCK = 1 << 14;

    private enum What { SUM, SSD, SPD, MAX, MIN }

    private Reduce() {
    }

    /** Sums of the reduced elements, one per output element. */
    public static double[] sum(Object x, ReductionPlan plan) {
        return run(x, null, plan, What.SUM, null);
    }

    /** Sums of squared deviations from {@code mean} (one mean per output element). */
    public static double[] sumSquaredDeviations(Object x, ReductionPlan plan, double[] mean) {
        return run(x, null, plan, What.SSD, mean);
    }

    /**
     * Sums of {@code dy * (x - mean)} per output element ({@code dy} and {@code x} share the plan's layout);
     * used by normalization backward passes.
     */
    public static double[] sumProductDeviations(Object dy, Object x, ReductionPlan plan, double[] mean) {
        return run(x, dy, plan, What.SPD, mean);
    }

    /**
     * {@link #sum} of {@code dy} and {@link #sumProductDeviations} of {@code dy} and {@code x} together, reading
     * {@code dy} and {@code x} from memory once (the backward passes of batch normalization need both): each
     * fixed block yields both partials while it is in cache, float32 channels-last blocks in one sweep with
     * both accumulators in registers ({@link Kernels#sumAndProductDeviationsColumns}). Blocks, the additions
     * inside each block and the merge are those of the two separate calls, so both results are bit-identical
     * to them (and therefore independent of the thread count).
     *
     * @return {@code {sum(dy), sum(dy * (x - mean))}}
     */
    public static double[][] sumAndProductDeviations(Object dy, Object x, ReductionPlan plan, double[] mean) {
        if (plan.kind == ReductionPlan.Kind.REDUCE_KEEP_REDUCE) {
            return pairRkr(dy, x, plan, mean);
        }
        int outer = plan.d0;
        int mid = plan.d1;
        int inner = plan.d2;
        if (mid == 0) {
            return new double[][] {new double[outer * inner], new double[outer * inner]};
        }
        int rowsPerBlock = Math.max(1, BLOCK / inner);
        int nb = (mid + rowsPerBlock - 1) / rowsPerBlock;
        double[] sums = new double[outer * nb * inner];
        double[] products = new double[outer * nb * inner];
        Kernels k = KernelProvider.get();
        omiBlocks(plan, (task, o, off, rows) -> {
            if (inner == 1) {
                sums[task] = row(k, dy, null, off, rows, What.SUM, 0);
                products[task] = row(k, x, dy, off, rows, What.SPD, mean[o]);
            } else if (x instanceof float[]) {
                k.sumAndProductDeviationsColumns((float[]) dy, (float[]) x, off, rows, inner, mean, o * inner, sums,
                        products, task * inner);
            } else {
                k.sumAndProductDeviationsColumns((double[]) dy, (double[]) x, off, rows, inner, mean, o * inner, sums,
                        products, task * inner);
            }
        });
        if (nb == 1) {
            return new double[][] {sums, products};
        }
        return new double[][] {mergeBlocks(sums, outer, nb, inner, What.SUM),
            mergeBlocks(products, outer, nb, inner, What.SUM)};
    }

    /** Combines each output's block partials in block order (sums: added; maxima, minima: NaN-propagating). */
    private static double[] mergeBlocks(double[] partial, int outer, int nb, int inner, What what) {
        double[] out = new double[outer * inner];
        // block by block over contiguous slots; per output the additions are in block order as ever
        for (int o = 0; o < outer; o++) {
            System.arraycopy(partial, (o * nb) * inner, out, o * inner, inner);
            for (int b = 1; b < nb; b++) {
                int p = (o * nb + b) * inner;
                for (int i = 0; i < inner; i++) {
                    out[o * inner + i] = combine(what, out[o * inner + i], partial[p + i]);
                }
            }
        }
        return out;
    }

    /** {@link #sumAndProductDeviations} for the {@code [a, k, b]} pattern: each row of {@code b} is read once. */
    private static double[][] pairRkr(Object dy, Object x, ReductionPlan plan, double[] mean) {
        int kk = plan.d1;
        int b = plan.d2;
        if (plan.d0 == 0 || b == 0) {
            return new double[][] {new double[kk], new double[kk]};
        }
        int na = rkrBlocks(plan);
        double[] sums = new double[kk * na];
        double[] products = new double[kk * na];
        Kernels k = KernelProvider.get();
        rkrRows(plan, na, (off, c, slot, first) -> {
            double s = row(k, dy, null, off, b, What.SUM, 0);
            double p = row(k, x, dy, off, b, What.SPD, mean[c]);
            sums[slot] = first ? s : sums[slot] + s;
            products[slot] = first ? p : products[slot] + p;
        });
        return new double[][] {mergeBlocks(sums, kk, na, 1, What.SUM), mergeBlocks(products, kk, na, 1, What.SUM)};
    }

    interface OmiBlock { // one block of rows of the [outer, mid, inner] pattern: its task, outer index, offset, rows
        void accept(int task, int o, int off, int rows);
    }

    /**
     * Runs the blocks of the {@code [outer, mid, inner]} pattern ({@code mid > 0}) as tasks fixed by the shape: task
     * {@code o * nb + b} is block {@code b} (at most {@link #BLOCK} elements of whole rows of {@code inner}) of
     * {@code o}.
     */
    static void omiBlocks(ReductionPlan plan, OmiBlock block) {
        int mid = plan.d1;
        int inner = plan.d2;
        int rowsPerBlock = Math.max(1, BLOCK / inner);
        int nb = (mid + rowsPerBlock - 1) / rowsPerBlock;
        Parallel.forEach(plan.d0 * nb, (long) plan.d0 * mid * inner, task -> {
            int o = task / nb;
            int r0 = (task % nb) * rowsPerBlock;
            block.accept(task, o, (o * mid + r0) * inner, Math.min(rowsPerBlock, mid - r0));
        });
    }

    private interface RkrRow { // one row of b elements of the [a, k, b] pattern: offset, channel, block slot
        void accept(int off, int c, int slot, boolean firstOfBlock);
    }

    /** Blocks of rows of {@code a} per channel in the {@code [a, k, b]} pattern (each at most {@link #BLOCK}). */
    private static int rkrBlocks(ReductionPlan plan) {
        return (plan.d0 + Math.max(1, BLOCK / plan.d2) - 1) / Math.max(1, BLOCK / plan.d2);
    }

    /**
     * Visits every row of the {@code [a, k, b]} pattern ({@code a, b > 0}) in tasks fixed by the shape (a block of
     * rows of {@code a} times a group of adjacent channels, in memory order; each channel's rows in increasing
     * {@code a}); the slot of channel {@code c} in block {@code blk} is {@code c * na + blk}.
     */
    private static void rkrRows(ReductionPlan plan, int na, RkrRow row) {
        int a = plan.d0;
        int kk = plan.d1;
        int b = plan.d2;
        int aPerBlock = Math.max(1, BLOCK / b);
        int group = rkrGroup(kk, b);
        int ng = (kk + group - 1) / group;
        Parallel.forEach(na * ng, (long) a * kk * b, task -> {
            int blk = task / ng;
            int c0 = (task % ng) * group;
            int c1 = Math.min(kk, c0 + group);
            int a0 = blk * aPerBlock;
            int a1 = Math.min(a, a0 + aPerBlock);
            for (int i = a0; i < a1; i++) {
                for (int c = c0; c < c1; c++) {
                    row.accept((i * kk + c) * b, c, c * na + blk, i == a0);
                }
            }
        });
    }

    /** Maxima ({@code max=true}) or minima, NaN-propagating; the plan must reduce at least one element. */
    public static double[] extreme(Object x, ReductionPlan plan, boolean max) {
        return run(x, null, plan, max ? What.MAX : What.MIN, null);
    }

    /**
     * Mean and centred sum of squares per output element, reading the data from memory once: each fixed block
     * is reduced while it is in cache (float32 rows and channels-first blocks by shifted sums within the error
     * bound of {@link ShiftedMoments}, otherwise in two passes: its sum, then the squares of its deviations from
     * its own mean), and the blocks are merged in block order with the exact pairwise formula {@code M2 =
     * sum(M2_b + n_b (mean_b - mean)^2)} ({@link BlockMoments}). The mean is the block sums added in block order,
     * as {@link #sum}; with a single two-pass block the result is the plain two-pass one, bit for bit.
     *
     * @return {@code {mean, m2}}
     */
    public static double[][] moments(Object x, ReductionPlan plan) {
        if (plan.kind == ReductionPlan.Kind.REDUCE_KEEP_REDUCE) {
            return BlockMoments.rkr(x, plan);
        }
        if (plan.d1 == 0) {
            double[] mean = sum(x, plan);
            double inv = 1.0 / plan.count;
            for (int i = 0; i < mean.length; i++) {
                mean[i] *= inv;
            }
            return new double[][] {mean, sumSquaredDeviations(x, plan, mean)};
        }
        return BlockMoments.omi(x, plan);
    }

    private static double[] run(Object x, Object dy, ReductionPlan plan, What what, double[] mean) {
        if (plan.kind == ReductionPlan.Kind.REDUCE_KEEP_REDUCE) {
            return runRkr(x, dy, plan, what, mean);
        }
        int outer = plan.d0;
        int mid = plan.d1;
        int inner = plan.d2;
        int rowsPerBlock = Math.max(1, BLOCK / inner);
        int nb = (mid + rowsPerBlock - 1) / rowsPerBlock;
        if (mid == 0) {
            return new double[outer * inner]; // only sums reach here with an empty reduction
        }
        double[] partial = new double[outer * nb * inner];
        if (what == What.MAX || what == What.MIN) {
            Arrays.fill(partial, what == What.MAX ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        Kernels k = KernelProvider.get();
        omiBlocks(plan, (task, o, off, rows) -> {
            if (inner == 1) {
                partial[task] = row(k, x, dy, off, rows, what, mean == null ? 0 : mean[o]);
            } else {
                cols(k, x, dy, off, rows, inner, what, mean, o * inner, partial, task * inner);
            }
        });
        if (nb == 1) {
            return partial;
        }
        return mergeBlocks(partial, outer, nb, inner, what);
    }

    private static double[] runRkr(Object x, Object dy, ReductionPlan plan, What what, double[] mean) {
        int kk = plan.d1;
        int b = plan.d2;
        if (plan.d0 == 0 || b == 0) {
            return new double[kk]; // only sums reach here with an empty reduction (e.g. an NCHW batch of 0)
        }
        int na = rkrBlocks(plan);
        double[] partial = new double[kk * na];
        Kernels k = KernelProvider.get();
        rkrRows(plan, na, (off, c, slot, first) -> {
            double v = row(k, x, dy, off, b, what, mean == null ? 0 : mean[c]);
            partial[slot] = first ? v : combine(what, partial[slot], v);
        });
        return mergeBlocks(partial, kk, na, 1, what);
    }

    /**
     * Channels per task of an {@code [a, k, b]} reduction: a task walks its block of {@code a} row by row and,
     * for each, the rows of its channel group, which lie next to each other in memory (runs of at least
     * {@link #BLOCK} elements, so the hardware prefetcher sees long streams instead of one row per channel; 1.5x
     * faster than one task per channel on [32, 64, 3136]). Each channel's partial of a block still gets its rows
     * in increasing {@code a}, so the grouping changes no bits.
     */
    private static int rkrGroup(int kk, int b) {
        return Math.max(1, Math.min(kk, (BLOCK + b - 1) / b));
    }

    private static double combine(What what, double acc, double v) {
        switch (what) {
            case MAX: return Math.max(acc, v);
            case MIN: return Math.min(acc, v);
            default: return acc + v;
        }
    }

    private static double row(Kernels k, Object x, Object dy, int off, int n, What what, double mean) {
        if (x instanceof float[]) {
            float[] f = (float[]) x;
            switch (what) {
                case SUM: return k.sum(f, off, n);
                case SSD: return k.sumSquaredDeviations(f, off, n, mean);
                case SPD: return k.sumProductDeviations((float[]) dy, f, off, n, mean);
                default: return k.extreme(f, off, n, what == What.MAX);
            }
        }
        double[] d = (double[]) x;
        switch (what) {
            case SUM: return k.sum(d, off, n);
            case SSD: return k.sumSquaredDeviations(d, off, n, mean);
            case SPD: return k.sumProductDeviations((double[]) dy, d, off, n, mean);
            default: return k.extreme(d, off, n, what == What.MAX);
        }
    }

    private static void cols(Kernels k, Object x, Object dy, int off, int rows, int cols, What what, double[] mean, int mo,
            double[] acc, int ao) {
        if (x instanceof float[]) {
            float[] f = (float[]) x;
            switch (what) {
                case SUM: k.sumColumns(f, off, rows, cols, acc, ao); return;
                case SSD: k.sumSquaredDeviationsColumns(f, off, rows, cols, mean, mo, acc, ao); return;
                case SPD: k.sumProductDeviationsColumns((float[]) dy, f, off, rows, cols, mean, mo, acc, ao); return;
                default: k.extremeColumns(f, off, rows, cols, what == What.MAX, acc, ao); return;
            }
        }
        double[] d = (double[]) x;
        switch (what) {
            case SUM: k.sumColumns(d, off, rows, cols, acc, ao); return;
            case SSD: k.sumSquaredDeviationsColumns(d, off, rows, cols, mean, mo, acc, ao); return;
            case SPD: k.sumProductDeviationsColumns((double[]) dy, d, off, rows, cols, mean, mo, acc, ao); return;
            default: k.extremeColumns(d, off, rows, cols, what == What.MAX, acc, ao); return;
        }
    }
}
