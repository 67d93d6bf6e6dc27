package org.norm4j.kernel;

/**
 * Matrix products over threads: {@link Kernels#matmul} on tasks of whole output rows. Each output element is
 * computed by one task, from zero in increasing k, so the bits do not depend on how the rows are split or on the
 * thread count.
 */
public final class Products {
    private static final int ROWS_PER_TASK = 16;
    /**
     * Multiply-adds below which a product stays on the calling thread. Handing work to the pool costs tens of
     * microseconds, about what a Dense product of a training batch takes alone ([32, 784] x [784, 128], 3.2 M
     * multiply-adds: 84 us on one thread, 120 us split over two on the benchmark machine). Row tasks write
     * disjoint rows, so the bits are the same either way.
     */
    static final long PARALLEL_MACS = 1L << 23;

    private Products() {
    }

    /**
     * {@code c[m,n] = op(a) x op(b)} with the operands as {@link Kernels#matmul} reads them ({@code a}, {@code b}
     * and {@code c} all float[] or all double[]; {@code c} is written, never read).
     */
    public static void matmul(Object a, Object b, Object c, int m, int k, int n, boolean transposeA,
            boolean transposeB) {
        Kernels kern = KernelProvider.get();
        long macs = (long) m * k * n;
        int rowsPerTask = macs >= PARALLEL_MACS ? ROWS_PER_TASK : Math.max(1, m);
        int tasks = (m + rowsPerTask - 1) / rowsPerTask;
        Parallel.forEach(tasks, macs, t -> {
            int r0 = t * rowsPerTask;
            int r1 = Math.min(m, r0 + rowsPerTask);
            if (a instanceof float[]) {
                kern.matmul((float[]) a, (float[]) b, (float[]) c, m, k, n, transposeA, transposeB, r0, r1);
            } else {
                kern.matmul((double[]) a, (double[]) b, (double[]) c, m, k, n, transposeA, transposeB, r0, r1);
            }
        });
    }
}
