package org.norm4j.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Plain Java reference points: the memory-bandwidth probe (a copy split over two threads) and the simple
 * two-pass loops a Java programmer would write for moments and LayerNorm, on the same two threads.
 */
public final class JavaEngine implements Engine {
    private static final int THREADS = 2;
    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS, r -> {
        Thread t = new Thread(r, "copy");
        t.setDaemon(true);
        return t;
    });

    @Override
    public String name() {
        return "Java";
    }

    @Override
    public String describe() {
        return "plain loops, " + THREADS + " threads";
    }

    @Override
    public Task prepare(Workload w) {
        switch (w.op()) {
            case COPY: {
                int n = Math.toIntExact(w.elements());
                float[] src = Data.x(n);
                float[] dst = new float[n];
                return () -> split(n, (lo, hi) -> System.arraycopy(src, lo, dst, lo, hi - lo), dst);
            }
            case MOMENTS: {
                int rows = w.shape()[0];
                int cols = w.shape()[1];
                float[] x = Data.x((long) rows * cols);
                return () -> momentsAxis0(x, rows, cols);
            }
            case LN_FWD: {
                int rows = w.shape()[0];
                int cols = w.shape()[1];
                float[] x = Data.x((long) rows * cols);
                float[] g = Data.param(cols, 1, 1);
                float[] b = Data.param(cols, 2, 0);
                return () -> {
                    float[] y = new float[x.length];
                    return split(rows, (lo, hi) -> layerNormRows(x, y, g, b, lo, hi, cols), y);
                };
            }
            default:
                return null;
        }
    }

    private interface Range {
        void run(int lo, int hi);
    }

    private Object split(int n, Range body, Object result) throws Exception {
        int half = n / THREADS;
        Future<?> f = pool.submit(() -> body.run(half, n));
        body.run(0, half);
        f.get();
        return result;
    }

    private Object momentsAxis0(float[] x, int rows, int cols) throws Exception {
        double[][] sums = new double[THREADS][cols];
        split(rows, (lo, hi) -> {
            double[] s = sums[lo == 0 ? 0 : 1];
            for (int r = lo; r < hi; r++) {
                for (int c = 0; c < cols; c++) {
                    s[c] += x[r * cols + c];
                }
            }
        }, null);
        double[] mean = new double[cols];
        for (int c = 0; c < cols; c++) {
            mean[c] = (sums[0][c] + sums[1][c]) / rows;
        }
        double[][] ss = new double[THREADS][cols];
        split(rows, (lo, hi) -> {
            double[] s = ss[lo == 0 ? 0 : 1];
            for (int r = lo; r < hi; r++) {
                for (int c = 0; c < cols; c++) {
                    double d = x[r * cols + c] - mean[c];
                    s[c] += d * d;
                }
            }
        }, null);
        return ss;
    }

    private static void layerNormRows(float[] x, float[] y, float[] g, float[] b, int lo, int hi, int cols) {
        for (int r = lo; r < hi; r++) {
            int o = r * cols;
            double s = 0;
            for (int c = 0; c < cols; c++) {
                s += x[o + c];
            }
            float mean = (float) (s / cols);
            double q = 0;
            for (int c = 0; c < cols; c++) {
                double d = x[o + c] - mean;
                q += d * d;
            }
            float inv = (float) (1 / Math.sqrt(q / cols + 1e-3));
            for (int c = 0; c < cols; c++) {
                y[o + c] = (x[o + c] - mean) * inv * g[c] + b[c];
            }
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
