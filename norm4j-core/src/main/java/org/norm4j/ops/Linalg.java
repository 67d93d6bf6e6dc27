package org.norm4j.ops;

import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.KernelProvider;
import org.norm4j.kernel.Kernels;
import org.norm4j.kernel.Parallel;

/** Linear algebra: the rank-2 matrix product. */
public final class Linalg {
    private static final int ROWS_PER_TASK = 16;
    /**
     * Multiply-adds below which a product stays on the calling thread. Handing work to the pool costs tens of
     * microseconds, about what a Dense product of a training batch takes alone ([32, 784] x [784, 128], 3.2 M
     * multiply-adds: 84 us on one thread, 120 us split over two on the benchmark machine). Row tasks write
     * disjoint rows, so the bits are the same either way.
     */
    static final long PARALLEL_MACS = 1L << 23;

    private Linalg() {
    }

    /**
     * {@code tf.linalg.matmul} for rank-2 tensors: {@code a[m,k] x b[k,n] -> [m,n]}. Each output element is
     * accumulated in the element type in order of k, so results do not depend on the thread count.
     * Gradient: {@code g x b^T} and {@code a^T x g}.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        Checks.notNull(a, "a");
        Checks.notNull(b, "b");
        Checks.sameDType(a, "a", b, "b");
        Checks.rank(a, "a", 2);
        Checks.rank(b, "b", 2);
        int m = a.shape().dim(0);
        int k = a.shape().dim(1);
        int n = b.shape().dim(1);
        if (b.shape().dim(0) != k) {
            throw new IllegalArgumentException("matmul of a " + a.shape() + " and b " + b.shape()
                    + ": expected b.shape[0] == a.shape[1] (" + k + ")");
        }
        Tensor c = Tensor.wrapNew(a.dtype(), Shape.of(m, n));
        Kernels kern = KernelProvider.get();
        long macs = (long) m * k * n;
        int rowsPerTask = macs >= PARALLEL_MACS ? ROWS_PER_TASK : Math.max(1, m);
        int tasks = (m + rowsPerTask - 1) / rowsPerTask;
        Parallel.forEach(tasks, macs, t -> {
            int r0 = t * rowsPerTask;
            int r1 = Math.min(m, r0 + rowsPerTask);
            if (a.dtype() == DType.FLOAT32) {
                kern.matmul(a.rawFloats(), b.rawFloats(), c.rawFloats(), m, k, n, r0, r1);
            } else {
                kern.matmul(a.rawDoubles(), b.rawDoubles(), c.rawDoubles(), m, k, n, r0, r1);
            }
        });
        if (GradientTape.anyRecording()) {
            GradientTape.record("MatMul", c, (g, need) -> new Tensor[] {
                need[0] ? matmul(g, Manipulation.transpose(b)) : null,
                need[1] ? matmul(Manipulation.transpose(a), g) : null}, a, b);
        }
        return c;
    }
}
