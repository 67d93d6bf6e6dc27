package org.norm4j;

import org.norm4j.kernel.KernelProvider;
import org.norm4j.kernel.Parallel;

/**
 * Library-wide settings, for code above the ops tier (layers, models, the command line) that must not reach
 * into the kernels: the thread count and a description of the kernels in use.
 */
public final class Norm4j {
    private Norm4j() {
    }

    /** The number of threads large operations may use (default: available processors, or {@code -Dnorm4j.threads}). */
    public static int threads() {
        return Parallel.threads();
    }

    /**
     * Sets the number of threads large operations may use; results are bit-identical whatever the count. Safe
     * while other threads run operations: those in flight finish on the old pool, later ones use the new one.
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static void setThreads(int n) {
        Parallel.setThreads(n);
    }

    /** Which kernels run, e.g. {@code vector (512-bit ...)} or {@code scalar (...)}, with the reason. */
    public static String kernels() {
        return KernelProvider.describe();
    }
}
