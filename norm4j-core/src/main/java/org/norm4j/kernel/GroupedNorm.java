package org.norm4j.kernel;

/**
 * The passes of layer, group, RMS and unit normalization over a tensor viewed as {@code [n, p, c, t]}: {@code n}
 * samples, {@code c} channels split into {@code groups} runs of {@code c / groups} consecutive channels, and
 * {@code p}, {@code t} the positions before and after the channel axis. A statistic belongs to a (sample, group)
 * pair, indexed {@code s = sample * groups + channel / (c / groups)}; a parameter (gamma, beta) belongs to a
 * channel. Layer normalization over trailing axes is {@code [rows, 1, rowLength, 1]} with one group;
 * group normalization is channels-last when {@code t == 1} and channels-first when {@code p == 1}.
 *
 * <p>Statistics of the forward pass come from {@link Reduce}; this class applies them and computes the sums the
 * closed-form backward passes need. Channels-last data with several positions ({@code t == 1, p > 1}, e.g.
 * NHWC group normalization) is a matrix {@code [n * p, c]} whose per-sample constants are per channel: it runs
 * through the column kernels (a block of positions of one sample at a time, per-channel constants built from the
 * per-group ones), so the short runs of {@code c / groups} channels are vectorized across the channel axis.
 * Arrays are {@code float[]} or {@code double[]} (data and typed constants of
 * the same element type); sums and the backward pass are carried in double. Work is cut into blocks fixed by the
 * shape alone and partial sums merge in block order, so results are bit-identical on any number of threads.
 */
public final class GroupedNorm {
    private static final int BLOCK = 1 << 14;
    /** Channels per task of {@link #channelSums} when {@code t == 1}: long runs, few partials. */
    private static final int CHANNEL_RUN = 256;
    /** Channels-last rows narrower than this are applied {@code WIDE_ROW / c} positions at a time (wide rows). */
    private static final int WIDE_ROW = 64;

    private final int n;
    private final int p;
    private final int c;
    private final int t;
    private final int groups;
    private final int perGroup;
    private final int run;

    /**
     * A view; the caller guarantees {@code n, p, c, t >= 1} and {@code c % groups == 0}.
     *
     * @param n samples
     * @param p positions between the sample and channel axes
     * @param c channels
     * @param t positions after the channel axis
     * @param groups channel groups (1 for layer normalization)
     */
    public GroupedNorm(int n, int p, int c, int t, int groups) {
        this.n = n;
        this.p = p;
        this.c = c;
        this.t = t;
        this.groups = groups;
        this.perGroup = c / groups;
        this.run = c * t;
    }

    /** Number of statistics, {@code n * groups}. */
    public int statistics() {
        return n * groups;
    }

    private int stat(int sample, int channel) {
        return sample * groups + channel / perGroup;
    }

    // ---- forward ---------------------------------------------------------------------------------------

    /**
     * Applies the statistics. With {@code scaleLast == false}: {@code a = inv[s] * gamma[ch]},
     * {@code b = beta[ch] - residual[s] * a}, {@code y = (x - mean[s]) * a + b} (TensorFlow's fused kernel order;
     * gamma, beta may be null; {@code residual} is the part of the exact mean that {@code mean}, rounded to the
     * element type, misses, or null for none). With {@code scaleLast == true}: {@code y = (x * inv[s]) *
     * gamma[ch]} (mean, residual and beta unused; gamma may be null). Each operation is rounded to the element
     * type, as a chain of TensorFlow ops would be.
     */
    public void apply(Object x, Object mean, Object residual, Object inv, Object gamma, Object beta,
            boolean scaleLast, Object y) {
        if (channelsLast() && !scaleLast) {
            applyChannelsLast(x, mean, residual, inv, gamma, beta, y);
            return;
        }
        int units = n * p;
        int perTask = Math.max(1, BLOCK / run);
        int tasks = (units + perTask - 1) / perTask;
        Parallel.forEach(tasks, (long) units * run, task -> {
            int u0 = task * perTask;
            int u1 = Math.min(units, u0 + perTask);
            for (int u = u0; u < u1; u++) {
                if (x instanceof float[]) {
                    applyUnit((float[]) x, u, (float[]) mean, (float[]) residual, (float[]) inv, (float[]) gamma,
                            (float[]) beta, scaleLast, (float[]) y);
                } else {
                    applyUnit((double[]) x, u, (double[]) mean, (double[]) residual, (double[]) inv,
                            (double[]) gamma, (double[]) beta, scaleLast, (double[]) y);
                }
            }
        });
    }

    /** Whether the channels-last column path applies: {@code t == 1} and more than one position per sample. */
    private boolean channelsLast() {
        return t == 1 && p > 1;
    }

    /** Positions per task of the channels-last path (whole positions of one sample; fixed by the shape). */
    private int positionsPerBlock() {
        return Math.max(1, BLOCK / c);
    }

    /**
     * The centred {@link #apply} for channels-last data: per task, a block of positions of one sample and the
     * per-channel constants of that sample ({@code m = mean[s], a = inv[s] * gamma[ch], b = beta[ch] -
     * residual[s] * a}, as {@link #applyUnit} forms them), applied by {@link Kernels#scaleShiftColumns}: the same
     * operations per element, so the same bits.
     */
    private void applyChannelsLast(Object x, Object mean, Object residual, Object inv, Object gamma, Object beta,
            Object y) {
        Kernels k = KernelProvider.get();
        int per = positionsPerBlock();
        int blocks = (p + per - 1) / per;
        // few channels: the constants repeated for `fold` positions, so that the column kernels see wide rows
        int fold = c >= WIDE_ROW ? 1 : (WIDE_ROW + c - 1) / c;
        Parallel.forEach(n * blocks, (long) n * p * c, task -> {
            int sample = task / blocks;
            int p0 = (task % blocks) * per;
            int rows = Math.min(p, p0 + per) - p0;
            int off = (sample * p + p0) * c;
            int wide = rows / fold;
            int rest = rows - wide * fold;
            int restOff = off + wide * fold * c;
            if (x instanceof float[]) {
                float[] in = (float[]) inv;
                float[] g = (float[]) gamma;
                float[] bt = (float[]) beta;
                float[] res = (float[]) residual;
                float[] mc = new float[c];
                float[] ac = new float[c];
                float[] bc = new float[c];
                for (int ch = 0; ch < c; ch++) {
                    int s = stat(sample, ch);
                    float a = g == null ? in[s] : in[s] * g[ch];
                    float ra = res == null ? 0f : res[s] * a;
                    ac[ch] = a;
                    bc[ch] = (bt == null ? 0f : bt[ch]) - ra;
                    mc[ch] = ((float[]) mean)[s];
                }
                float[] mw = fold == 1 ? mc : (float[]) repeat(mc, fold);
                float[] aw = fold == 1 ? ac : (float[]) repeat(ac, fold);
                float[] bw = fold == 1 ? bc : (float[]) repeat(bc, fold);
                k.scaleShiftColumns((float[]) x, off, wide, c * fold, mw, aw, bw, (float[]) y);
                k.scaleShiftColumns((float[]) x, restOff, rest, c, mc, ac, bc, (float[]) y);
            } else {
                double[] in = (double[]) inv;
                double[] g = (double[]) gamma;
                double[] bt = (double[]) beta;
                double[] res = (double[]) residual;
                double[] mc = new double[c];
                double[] ac = new double[c];
                double[] bc = new double[c];
                for (int ch = 0; ch < c; ch++) {
                    int s = stat(sample, ch);
                    double a = g == null ? in[s] : in[s] * g[ch];
                    ac[ch] = a;
                    bc[ch] = (bt == null ? 0.0 : bt[ch]) - (res == null ? 0.0 : res[s] * a);
                    mc[ch] = ((double[]) mean)[s];
                }
                double[] mw = fold == 1 ? mc : (double[]) repeat(mc, fold);
                double[] aw = fold == 1 ? ac : (double[]) repeat(ac, fold);
                double[] bw = fold == 1 ? bc : (double[]) repeat(bc, fold);
                k.scaleShiftColumns((double[]) x, off, wide, c * fold, mw, aw, bw, (double[]) y);
                k.scaleShiftColumns((double[]) x, restOff, rest, c, mc, ac, bc, (double[]) y);
            }
        });
    }

    private void applyUnit(float[] x, int u, float[] mean, float[] residual, float[] inv, float[] gamma,
            float[] beta, boolean scaleLast, float[] y) {
        int sample = u / p;
        for (int ch = 0; ch < c; ch++) {
            int s = stat(sample, ch);
            int off = (u * c + ch) * t;
            if (scaleLast) {
                float r = inv[s];
                if (gamma == null) {
                    for (int i = off; i < off + t; i++) {
                        y[i] = x[i] * r;
                    }
                } else {
                    float g = gamma[ch];
                    for (int i = off; i < off + t; i++) {
                        float xr = x[i] * r;
                        y[i] = xr * g;
                    }
                }
                continue;
            }
            float a = gamma == null ? inv[s] : inv[s] * gamma[ch];
            float ra = residual == null ? 0f : residual[s] * a;
            float b = (beta == null ? 0f : beta[ch]) - ra;
            float m = mean[s];
            for (int i = off; i < off + t; i++) {
                float xc = x[i] - m;
                float xa = xc * a;
                y[i] = xa + b;
            }
        }
    }

    private void applyUnit(double[] x, int u, double[] mean, double[] residual, double[] inv, double[] gamma,
            double[] beta, boolean scaleLast, double[] y) {
        int sample = u / p;
        for (int ch = 0; ch < c; ch++) {
            int s = stat(sample, ch);
            int off = (u * c + ch) * t;
            if (scaleLast) {
                double r = inv[s];
                double g = gamma == null ? 1.0 : gamma[ch];
                for (int i = off; i < off + t; i++) {
                    y[i] = gamma == null ? x[i] * r : (x[i] * r) * g;
                }
                continue;
            }
            double a = gamma == null ? inv[s] : inv[s] * gamma[ch];
            double b = (beta == null ? 0.0 : beta[ch]) - (residual == null ? 0.0 : residual[s] * a);
            double m = mean[s];
            for (int i = off; i < off + t; i++) {
                y[i] = (x[i] - m) * a + b;
            }
        }
    }

    // ---- backward --------------------------------------------------------------------------------------

    /**
     * Per statistic: {@code sums[0][s] = sum of g} and {@code sums[1][s] = sum of g * (x - center[s])} with
     * {@code g = dy * gamma[ch]} ({@code dy} when gamma is null), in double. {@code shared}: the result of
     * {@link #sharedColumnSums} for the same arguments, or null.
     */
    public double[][] sampleSums(Object dy, Object x, Object gamma, double[] center, double[][] shared) {
        if (channelsLast()) {
            double[][] cs = shared != null ? shared : columnSums(dy, x, center);
            double[] gm = gamma == null ? null : toDoubles(gamma);
            double[] sg = new double[n * groups];
            double[] sgx = new double[n * groups];
            for (int sample = 0; sample < n; sample++) {
                for (int ch = 0; ch < c; ch++) { // channel order within each group
                    int s = stat(sample, ch);
                    double w = gm == null ? 1.0 : gm[ch];
                    sg[s] += w * cs[0][sample * c + ch];
                    sgx[s] += w * cs[1][sample * c + ch];
                }
            }
            return new double[][] {sg, sgx};
        }
        int perBlock = Math.max(1, BLOCK / run);
        int blocks = (p + perBlock - 1) / perBlock;
        double[] pg = new double[n * blocks * groups];
        double[] pgx = new double[n * blocks * groups];
        double[] gm = gamma == null ? null : toDoubles(gamma);
        Parallel.forEach(n * blocks, (long) n * p * run, task -> {
            int sample = task / blocks;
            int p0 = (task % blocks) * perBlock;
            int p1 = Math.min(p, p0 + perBlock);
            double[] bdy = new double[run];
            double[] bx = new double[run];
            int po = task * groups;
            for (int q = p0; q < p1; q++) {
                int off = (sample * p + q) * run;
                load(dy, off, bdy);
                load(x, off, bx);
                for (int ch = 0; ch < c; ch++) {
                    int s = stat(sample, ch);
                    double w = gm == null ? 1.0 : gm[ch];
                    double ctr = center[s];
                    double sg = 0;
                    double sgx = 0;
                    for (int i = ch * t; i < (ch + 1) * t; i++) {
                        double g = bdy[i] * w;
                        sg += g;
                        sgx += g * (bx[i] - ctr);
                    }
                    pg[po + s - sample * groups] += sg;
                    pgx[po + s - sample * groups] += sgx;
                }
            }
        });
        double[] sg = new double[n * groups];
        double[] sgx = new double[n * groups];
        for (int sample = 0; sample < n; sample++) {
            for (int b = 0; b < blocks; b++) {
                for (int g = 0; g < groups; g++) {
                    int s = sample * groups + g;
                    sg[s] += pg[(sample * blocks + b) * groups + g];
                    sgx[s] += pgx[(sample * blocks + b) * groups + g];
                }
            }
        }
        return new double[][] {sg, sgx};
    }

    /**
     * Per channel: {@code sums[0][ch] = sum of dy * (x - center[s]) * weight[s]} and {@code sums[1][ch] = sum
     * of dy} over samples and positions: the gradients of gamma and beta. {@code shared}: the result of
     * {@link #sharedColumnSums} for the same arguments, or null.
     */
    public double[][] channelSums(Object dy, Object x, double[] center, double[] weight, double[][] shared) {
        if (channelsLast()) {
            double[][] cs = shared != null ? shared : columnSums(dy, x, center);
            double[] dg = new double[c];
            double[] db = new double[c];
            for (int sample = 0; sample < n; sample++) { // samples in order
                for (int ch = 0; ch < c; ch++) {
                    dg[ch] += cs[1][sample * c + ch] * weight[stat(sample, ch)];
                    db[ch] += cs[0][sample * c + ch];
                }
            }
            return new double[][] {dg, db};
        }
        int rows = n * p;
        boolean rowsLayout = p == 1 && t == 1 && groups == 1;
        // the rows path's kernel reads a block whose row stride is its column count: whole rows per task
        int cb = rowsLayout ? c : t >= CHANNEL_RUN ? 1 : Math.min(c, CHANNEL_RUN / t);
        int rb = Math.max(1, BLOCK / (cb * t));
        int nCb = (c + cb - 1) / cb;
        int nRb = (rows + rb - 1) / rb;
        double[] pdg = new double[nRb * c];
        double[] pdb = new double[nRb * c];
        if (rowsLayout) { // rows: one statistic per row, blocks of whole rows, kernel loops
            Kernels k = KernelProvider.get();
            Parallel.forEach(nCb * nRb, (long) rows * run, task -> {
                int c0 = (task / nRb) * cb;
                int rbi = task % nRb;
                int r0 = rbi * rb;
                int nr = Math.min(rows, r0 + rb) - r0;
                int nc = Math.min(c, c0 + cb) - c0;
                if (x instanceof float[]) {
                    k.normalizeColumnGradSums((float[]) dy, (float[]) x, r0 * c + c0, nr, nc, center, weight, r0,
                            pdg, pdb, rbi * c + c0);
                } else {
                    k.normalizeColumnGradSums((double[]) dy, (double[]) x, r0 * c + c0, nr, nc, center, weight,
                            r0, pdg, pdb, rbi * c + c0);
                }
            });
            return mergeChannelSums(nRb, pdg, pdb);
        }
        Parallel.forEach(nCb * nRb, (long) rows * run, task -> {
            int cbi = task / nRb;
            int rbi = task % nRb;
            int c0 = cbi * cb;
            int c1 = Math.min(c, c0 + cb);
            int len = (c1 - c0) * t;
            double[] bdy = new double[len];
            double[] bx = new double[len];
            for (int r = rbi * rb; r < Math.min(rows, (rbi + 1) * rb); r++) {
                int sample = r / p;
                int off = (r * c + c0) * t;
                load(dy, off, bdy);
                load(x, off, bx);
                for (int ch = c0; ch < c1; ch++) {
                    int s = stat(sample, ch);
                    double ctr = center[s];
                    double sd = 0;
                    double sp = 0;
                    for (int i = (ch - c0) * t; i < (ch - c0 + 1) * t; i++) {
                        sd += bdy[i];
                        sp += bdy[i] * (bx[i] - ctr);
                    }
                    pdg[rbi * c + ch] += sp * weight[s];
                    pdb[rbi * c + ch] += sd;
                }
            }
        });
        return mergeChannelSums(nRb, pdg, pdb);
    }

    /**
     * The per-(sample, channel) column sums that {@link #sampleSums} and {@link #channelSums} both start from on
     * the channels-last path, computed once by a backward pass that needs both and passed to each as {@code
     * shared}; null on the other paths (and {@code shared} may always be null: each then computes its own).
     */
    public double[][] sharedColumnSums(Object dy, Object x, double[] center) {
        return channelsLast() ? columnSums(dy, x, center) : null;
    }

    /**
     * Channels-last: per (sample, channel), {@code {sum over positions of dy, sum of dy * (x - center[s])}} in
     * double, through the column kernels on fixed blocks of positions merged in
     * block order.
     */
    private double[][] columnSums(Object dy, Object x, double[] center) {
        Kernels k = KernelProvider.get();
        int per = positionsPerBlock();
        int blocks = (p + per - 1) / per;
        double[] pd = new double[n * blocks * c];
        double[] pdx = new double[n * blocks * c];
        Parallel.forEach(n * blocks, (long) n * p * c * 2, task -> {
            int sample = task / blocks;
            int p0 = (task % blocks) * per;
            int rows = Math.min(p, p0 + per) - p0;
            int off = (sample * p + p0) * c;
            double[] ctr = new double[c];
            for (int ch = 0; ch < c; ch++) {
                ctr[ch] = center[stat(sample, ch)];
            }
            int ao = task * c;
            if (x instanceof float[]) {
                k.sumAndProductDeviationsColumns((float[]) dy, (float[]) x, off, rows, c, ctr, 0, pd, pdx, ao);
            } else {
                k.sumAndProductDeviationsColumns((double[]) dy, (double[]) x, off, rows, c, ctr, 0, pd, pdx, ao);
            }
        });
        double[] d = new double[n * c];
        double[] dx = new double[n * c];
        for (int sample = 0; sample < n; sample++) {
            for (int b = 0; b < blocks; b++) {
                int src = (sample * blocks + b) * c;
                for (int ch = 0; ch < c; ch++) {
                    d[sample * c + ch] += pd[src + ch];
                    dx[sample * c + ch] += pdx[src + ch];
                }
            }
        }
        return new double[][] {d, dx};
    }

    private double[][] mergeChannelSums(int nRb, double[] pdg, double[] pdb) {
        double[] dg = new double[c];
        double[] db = new double[c];
        for (int rbi = 0; rbi < nRb; rbi++) {
            for (int ch = 0; ch < c; ch++) {
                dg[ch] += pdg[rbi * c + ch];
                db[ch] += pdb[rbi * c + ch];
            }
        }
        return new double[][] {dg, db};
    }

    /**
     * {@code dx = (dy * gamma[ch]) * a[s] + (x - center[s]) * b[s] + cc[s]}, evaluated in double and rounded
     * once to the element type (gamma may be null).
     */
    public void backward(Object dy, Object x, Object gamma, double[] a, double[] center, double[] b, double[] cc,
            Object dx) {
        if (channelsLast()) {
            backwardChannelsLast(dy, x, gamma, a, center, b, cc, dx);
            return;
        }
        int units = n * p;
        int perTask = Math.max(1, BLOCK / run);
        int tasks = (units + perTask - 1) / perTask;
        double[] gm = gamma == null ? null : toDoubles(gamma);
        Parallel.forEach(tasks, (long) units * run, task -> {
            double[] bdy = new double[run];
            double[] bx = new double[run];
            double[] out = new double[run];
            for (int u = task * perTask; u < Math.min(units, (task + 1) * perTask); u++) {
                int sample = u / p;
                load(dy, u * run, bdy);
                load(x, u * run, bx);
                for (int ch = 0; ch < c; ch++) {
                    int s = stat(sample, ch);
                    double w = gm == null ? 1.0 : gm[ch];
                    double as = a[s];
                    double ctr = center[s];
                    double bs = b[s];
                    double cs = cc[s];
                    for (int i = ch * t; i < (ch + 1) * t; i++) {
                        // (dy * gamma) * a, the association of sampleSums' g: a slice of one element gets 0
                        out[i] = (bdy[i] * w) * as + (bx[i] - ctr) * bs + cs;
                    }
                }
                store(out, dx, u * run);
            }
        });
    }

    /**
     * {@link #backward} for channels-last data: per-channel constants per sample, applied by {@link
     * Kernels#normalizeColumnBackward}.
     */
    private void backwardChannelsLast(Object dy, Object x, Object gamma, double[] a, double[] center, double[] b,
            double[] cc, Object dx) {
        Kernels k = KernelProvider.get();
        double[] gm = gamma == null ? null : toDoubles(gamma);
        int per = positionsPerBlock();
        int blocks = (p + per - 1) / per;
        Parallel.forEach(n * blocks, (long) n * p * c, task -> {
            int sample = task / blocks;
            int p0 = (task % blocks) * per;
            int rows = Math.min(p, p0 + per) - p0;
            int off = (sample * p + p0) * c;
            double[] w = new double[c];
            double[] ac = new double[c];
            double[] mc = new double[c];
            double[] bc = new double[c];
            double[] ccc = new double[c];
            for (int ch = 0; ch < c; ch++) {
                int s = stat(sample, ch);
                w[ch] = gm == null ? 1.0 : gm[ch];
                ac[ch] = a[s];
                mc[ch] = center[s];
                bc[ch] = b[s];
                ccc[ch] = cc[s];
            }
            if (x instanceof float[]) {
                k.normalizeColumnBackward((float[]) dy, (float[]) x, off, rows, c, w, ac, mc, bc, ccc, (float[]) dx);
            } else {
                k.normalizeColumnBackward((double[]) dy, (double[]) x, off, rows, c, w, ac, mc, bc, ccc,
                        (double[]) dx);
            }
        });
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    /** {@code a} (a float[] or double[]) repeated {@code times} times, end to end. */
    private static Object repeat(Object a, int times) {
        int n = java.lang.reflect.Array.getLength(a);
        Object out = a instanceof float[] ? new float[n * times] : new double[n * times];
        for (int i = 0; i < times; i++) {
            System.arraycopy(a, 0, out, i * n, n);
        }
        return out;
    }

    private static void load(Object src, int off, double[] dst) {
        if (src instanceof double[]) {
            System.arraycopy((double[]) src, off, dst, 0, dst.length);
        } else {
            float[] f = (float[]) src;
            for (int i = 0; i < dst.length; i++) {
                dst[i] = f[off + i];
            }
        }
    }

    private static void store(double[] src, Object dst, int off) {
        if (dst instanceof double[]) {
            System.arraycopy(src, 0, (double[]) dst, off, src.length);
        } else {
            float[] f = (float[]) dst;
            for (int i = 0; i < src.length; i++) {
                f[off + i] = (float) src[i];
            }
        }
    }

    private static double[] toDoubles(Object a) {
        if (a instanceof double[]) {
            return (double[]) a;
        }
        float[] f = (float[]) a;
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }
}
