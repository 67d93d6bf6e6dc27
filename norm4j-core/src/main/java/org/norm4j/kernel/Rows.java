package org.norm4j.kernel;

/**
 * Per-row normalizations over the trailing contiguous axis (the last-axis fast path of layer, RMS and unit
 * normalization): rows of {@code len} contiguous elements at {@code s * len}. Each task takes whole rows and, for
 * each row while it is in L1, computes its statistics and then the fused normalize (forward), or the two row
 * sums and then dx (backward). Tasks are fixed by the shape ({@value #ROW_BLOCK} elements of whole rows), so the
 * bits do not depend on the thread count. The same per-row statistics ({@link #statistic}) and backward factors
 * ({@link #gradientFactors}) serve the ops' generic (strided or grouped) path.
 */
public final class Rows {
    /** Elements per task (whole rows; fixed by the shape, so deterministic). */
    private static final int ROW_BLOCK = 1 << 14;
    /** Elements per task of the fused backward (one partial of the parameter gradients each): 256 K. */
    private static final int GRAD_BLOCK = 1 << 18;

    private Rows() {
    }

    /** What a row normalization computes. */
    public enum Mode {
        /** Layer and group normalization: centred variance; {@code y = (x - mean) * (inv * gamma) + beta}. */
        CENTRED,
        /** Keras's {@code rms_scaling}: centred variance, but {@code y = x * inv * gamma} (no beta). */
        RMS_SCALING,
        /** RMS normalization: {@code inv = rsqrt(mean(x^2) + eps)}; {@code y = (x * inv) * gamma}. */
        RMS,
        /** Unit normalization: {@code inv = rsqrt(max(sum(x^2), eps^2))}; {@code y = x * inv}. */
        UNIT;

        /** Whether the output is centred (mean subtracted, beta added). */
        public boolean centredOutput() {
            return this == CENTRED;
        }

        /** Whether the statistics are the mean and centred variance (else the plain sum of squares). */
        public boolean centredStats() {
            return this == CENTRED || this == RMS_SCALING;
        }
    }

    /**
     * The backward factor {@code r[s]} in double, and what the forward pass applies: the mean in the data's
     * dtype, the part of the exact mean a float32 mean misses (folded into the addend, so that {@code x - mean}
     * stays exact near the mean), and the inverse standard deviation (or norm) as TensorFlow rounds it.
     * {@code meanT}, {@code residual} and {@code invT} are float arrays for float32 data (then {@code residual} is
     * non-null), else double arrays.
     */
    public static void statistic(Mode mode, double mean, double second, int count, double eps, int s, double[] r,
            Object meanT, Object residual, Object invT) {
        double base = mode == Mode.UNIT ? Math.max(second, eps * eps) : second / count + eps;
        r[s] = 1.0 / Math.sqrt(base);
        if (invT instanceof float[]) {
            float b = mode == Mode.UNIT ? Math.max((float) second, (float) (eps * eps))
                    : (float) (second / count) + (float) eps;
            ((float[]) invT)[s] = (float) (1.0 / Math.sqrt(b));
            ((float[]) meanT)[s] = (float) mean;
            ((float[]) residual)[s] = (float) (mean - (float) mean);
        } else {
            ((double[]) invT)[s] = r[s];
            ((double[]) meanT)[s] = mean;
        }
    }

    /**
     * The factors of {@code dx = (g * r) + (x - center) * b + c}, from the row sums
     * {@code sum(g)} and {@code sum(g * (x - center))} of {@code g = dy * gamma}: {@code b = -r^3 * sum(g * (x
     * - center)) / m} into {@code b[bi]}, {@code c = -r * sum(g) / m} into {@code c[ci]} (0 unless the output is centred), {@code m} the count (1 for
     * unit normalization, whose b is 0 where the norm was floored by epsilon).
     */
    public static void gradientFactors(Mode mode, int count, double eps, double r, double second, double sumG,
            double sumGx, double[] b, int bi, double[] c, int ci) {
        double m = mode == Mode.UNIT ? 1.0 : count;
        boolean floored = mode == Mode.UNIT && !(second >= eps * eps);
        b[bi] = floored ? 0 : -r * r * r * sumGx / m;
        c[ci] = mode.centredOutput() ? -r * sumG / m : 0;
    }

    /** The statistics of the rows, what the backward pass reuses: mean (0 when uncentred), second moment, r. */
    public record Stats(double[] mean, double[] second, double[] r) {
        /** Arrays for {@code rows} rows. */
        public static Stats of(int rows) {
            return new Stats(new double[rows], new double[rows], new double[rows]);
        }
    }

    /**
     * Forward: {@code out} (float or double like {@code data}) gets every row normalized; {@code st} is filled.
     * Gamma and beta (null for none) have one entry per row element.
     */
    public static void forward(Mode mode, Object data, int rows, int len, double eps, Object gamma, Object beta,
            Stats st, Object out) {
        Kernels k = KernelProvider.get();
        boolean f32 = data instanceof float[];
        Job job = new Job(k, mode, data, len, eps, st, f32 ? new float[rows] : new double[rows],
                f32 ? new float[rows] : null, f32 ? new float[rows] : new double[rows], gamma, beta, out);
        int perTask = Math.max(1, ROW_BLOCK / len);
        int tasks = (rows + perTask - 1) / perTask;
        // one lambda (one compiled method) per kernel, so that the JIT inlines each kernel's vector loop into
        // a small context and keeps its vectors in registers (see VectorLoops' class comment)
        if (mode.centredOutput()) {
            Parallel.forEach(tasks, (long) rows * len, task -> {
                double[] sums = new double[2];
                for (int s = task * perTask, end = Math.min(rows, s + perTask); s < end; s++) {
                    affineRow(job, s, sums);
                }
            });
        } else {
            Parallel.forEach(tasks, (long) rows * len, task -> {
                double[] sums = new double[2];
                for (int s = task * perTask, end = Math.min(rows, s + perTask); s < end; s++) {
                    scaleRow(job, s, sums);
                }
            });
        }
    }

    /** What the forward rows share. */
    private record Job(Kernels k, Mode mode, Object data, int len, double eps, Stats st, Object meanT,
            Object residual, Object invT, Object gamma, Object beta, Object out) {
    }

    /**
     * The statistics of row {@code s}: mean (0 when not centred) and centred sum of squares. Centred float32
     * rows are read once: shifted sums with the row's first element as the shift ({@link Kernels#shiftedSums}),
     * kept when {@link ShiftedMoments#accurate} says they are within its bound, else (cancellation, NaN or
     * infinite data) the exact two-pass mean and centred sum of squares, as {@link Reduce} computes them.
     * Float64 rows and the uncentred sums are always the two-pass (resp. one-pass) sums.
     */
    private static void rowStatistics(Job j, int s, double[] sums) {
        int off = s * j.len;
        double m;
        double second;
        if (j.data instanceof float[]) {
            float[] xf = (float[]) j.data;
            if (j.mode.centredStats()) {
                double shift = xf[off];
                j.k.shiftedSums(xf, off, j.len, shift, sums, 0);
                if (ShiftedMoments.accurate(sums[0], sums[1], j.len)) {
                    m = ShiftedMoments.mean(shift, sums[0], j.len);
                    second = ShiftedMoments.m2(sums[0], sums[1], j.len);
                } else {
                    m = j.k.sum(xf, off, j.len) * (1.0 / j.len);
                    second = j.k.sumSquaredDeviations(xf, off, j.len, m);
                }
            } else {
                m = 0.0;
                second = j.k.sumSquaredDeviations(xf, off, j.len, 0.0);
            }
        } else {
            double[] xd = (double[]) j.data;
            m = j.mode.centredStats() ? j.k.sum(xd, off, j.len) * (1.0 / j.len) : 0.0;
            second = j.k.sumSquaredDeviations(xd, off, j.len, m);
        }
        j.st.mean()[s] = m;
        j.st.second()[s] = second;
        statistic(j.mode, m, second, j.len, j.eps, s, j.st.r(), j.meanT, j.residual, j.invT);
    }

    private static void affineRow(Job j, int s, double[] sums) {
        rowStatistics(j, s, sums);
        if (j.data instanceof float[]) {
            j.k.normalizeRowAffine((float[]) j.data, s * j.len, j.len, ((float[]) j.meanT)[s],
                    ((float[]) j.invT)[s], ((float[]) j.residual)[s], (float[]) j.gamma, (float[]) j.beta,
                    (float[]) j.out);
        } else {
            j.k.normalizeRowAffine((double[]) j.data, s * j.len, j.len, ((double[]) j.meanT)[s],
                    ((double[]) j.invT)[s], (double[]) j.gamma, (double[]) j.beta, (double[]) j.out);
        }
    }

    private static void scaleRow(Job j, int s, double[] sums) {
        rowStatistics(j, s, sums);
        if (j.data instanceof float[]) {
            j.k.normalizeRowScale((float[]) j.data, s * j.len, j.len, ((float[]) j.invT)[s], (float[]) j.gamma,
                    (float[]) j.out);
        } else {
            j.k.normalizeRowScale((double[]) j.data, s * j.len, j.len, ((double[]) j.invT)[s],
                    (double[]) j.gamma, (double[]) j.out);
        }
    }

    /**
     * The input gradient: two row sums, then dx, per row ({@code dx = r * (g - mean(g) - xh * mean(g * xh))} in
     * the factors of {@link #gradientFactors}); with {@code paramSums} ({@code {dgamma, dbeta}} to fill, in
     * double), also the parameter gradients, accumulated per chunk of rows right after the chunk's dx, while its
     * rows are still in cache ({@link Kernels#normalizeColumnGradSums}, one partial per task of {@value
     * #GRAD_BLOCK} elements, merged in task order), so dy and x are read from memory once. {@code paramCenter} is
     * the per-row centre of the parameter gradients (the mean when the output is centred, else 0).
     */
    public static void backward(Mode mode, Object dy, Object data, int rows, int len, Object gamma, double eps,
            Stats st, double[] paramCenter, double[][] paramSums, Object out) {
        Kernels k = KernelProvider.get();
        boolean f32 = data instanceof float[];
        int perChunk = Math.max(1, ROW_BLOCK / len);
        int perTask = paramSums == null ? perChunk : perChunk * Math.max(1, GRAD_BLOCK / (perChunk * len));
        int tasks = (rows + perTask - 1) / perTask;
        double[] pdg = paramSums == null ? null : new double[tasks * len];
        double[] pdb = paramSums == null ? null : new double[tasks * len];
        boolean centred = mode.centredOutput();
        boolean zeroCentre = mode == Mode.RMS || mode == Mode.UNIT;
        Parallel.forEach(tasks, (long) rows * len * 2, task -> {
            double[] sums = new double[2];
            double[] bc = new double[2];
            int taskEnd = Math.min(rows, (task + 1) * perTask);
            for (int c0 = task * perTask; c0 < taskEnd; c0 += perChunk) {
                int c1 = Math.min(taskEnd, c0 + perChunk);
                for (int s = c0; s < c1; s++) {
                    int off = s * len;
                    double sumCenter = centred ? st.mean()[s] : 0.0;
                    double ctr = zeroCentre ? 0.0 : st.mean()[s];
                    if (f32) {
                        k.normalizeRowGradSums((float[]) dy, (float[]) data, off, len, (float[]) gamma, sumCenter,
                                sums, 0);
                    } else {
                        k.normalizeRowGradSums((double[]) dy, (double[]) data, off, len, (double[]) gamma,
                                sumCenter, sums, 0);
                    }
                    double r = st.r()[s];
                    gradientFactors(mode, len, eps, r, st.second()[s], sums[0], sums[1], bc, 0, bc, 1);
                    double b = bc[0];
                    double cc = bc[1];
                    if (f32) {
                        k.normalizeRowBackward((float[]) dy, (float[]) data, off, len, (float[]) gamma, r, ctr, b,
                                cc, (float[]) out);
                    } else {
                        k.normalizeRowBackward((double[]) dy, (double[]) data, off, len, (double[]) gamma, r, ctr, b,
                                cc, (double[]) out);
                    }
                }
                if (pdg != null && f32) {
                    k.normalizeColumnGradSums((float[]) dy, (float[]) data, c0 * len, c1 - c0, len, paramCenter,
                            st.r(), c0, pdg, pdb, task * len);
                } else if (pdg != null) {
                    k.normalizeColumnGradSums((double[]) dy, (double[]) data, c0 * len, c1 - c0, len, paramCenter,
                            st.r(), c0, pdg, pdb, task * len);
                }
            }
        });
        if (paramSums != null) {
            for (int task = 0; task < tasks; task++) {
                for (int j = 0; j < len; j++) {
                    paramSums[0][j] += pdg[task * len + j];
                    paramSums[1][j] += pdb[task * len + j];
                }
            }
        }
    }
}
