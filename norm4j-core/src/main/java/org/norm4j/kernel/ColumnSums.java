package org.norm4j.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * Column reductions of float32 blocks with the accumulators kept in registers: {@link Reduce} and
 * {@link BlockMoments} run every channels-last statistic through these. The channels-last normalize pass of
 * {@link Channels} lives here too, for the same reason: its per-column constants stay in registers over all rows
 * of a chunk instead of being reloaded for every row. The {@link Kernels} column kernels
 * read and write {@code acc} once per row, so each row waits on a store-to-load round trip; here a group of
 * columns is summed over all rows of the block in registers and added to {@code acc} once. Every column still
 * gets its additions in row order from 0, so where {@code acc} starts at 0 the result is bit-identical to
 * the {@link Kernels} loops.
 *
 * <p>{@link #get()} returns the Vector API implementation ({@code org.norm4j.kernel.vector.VectorColumnSums})
 * when the vector kernels are in use, else the {@link Kernels} loops.
 */
public interface ColumnSums {

    /** {@code acc[ao+j] += sum over r of x[off + r*cols + j]}. */
    void sumColumns(float[] x, int off, int rows, int cols, double[] acc, int ao);

    /** {@code acc[ao+j] += sum over r of (x[off + r*cols + j] - mean[mo+j])^2}, in double. */
    void sumSquaredDeviationsColumns(float[] x, int off, int rows, int cols, double[] mean, int mo, double[] acc,
            int ao);

    /** {@code acc[ao+j] += sum over r of dy[r,j] * (x[r,j] - mean[mo+j])}, in double. */
    void sumProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao);

    /**
     * {@link #sumColumns} of {@code dy} into {@code accSum} and {@link #sumProductDeviationsColumns} into
     * {@code accProduct}, from one sweep over the block where the implementation can (the Vector API one keeps
     * both accumulators in registers); each column gets exactly the additions of the two separate calls, in the
     * same order. This default runs the two calls one after the other (the block is still in cache for the
     * second).
     */
    default void sumAndProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean,
            int mo, double[] accSum, double[] accProduct, int ao) {
        sumColumns(dy, off, rows, cols, accSum, ao);
        sumProductDeviationsColumns(dy, x, off, rows, cols, mean, mo, accProduct, ao);
    }

    /**
     * The channels-last normalize pass {@code y[r,j] = (x[r,j] - center[j]) * scale[j] + shift[j]}, as
     * {@link Kernels#scaleShiftColumns(float[], int, int, int, float[], float[], float[], float[])} (the same
     * operations per element, so the same bits), with the per-column constants held in registers over all
     * rows where the implementation can. Callers pass cache-sized chunks of rows: the Vector API version sweeps
     * the chunk once per group of column vectors.
     */
    void scaleShiftColumns(float[] x, int off, int rows, int cols, float[] center, float[] scale, float[] shift,
            float[] y);

    /** The implementation in use. */
    static ColumnSums get() {
        return ColumnSumsHolder.INSTANCE;
    }
}

/** Chooses once, after {@link KernelProvider}. */
final class ColumnSumsHolder {
    static final String VECTOR_CLASS = "org.norm4j.kernel.vector.VectorColumnSums";
    static final ColumnSums INSTANCE = choose();

    private ColumnSumsHolder() {
    }

    private static ColumnSums choose() {
        Kernels k = KernelProvider.get();
        if (k.getClass().getName().equals(KernelProvider.VECTOR_CLASS)) {
            try {
                Class<?> cls = Class.forName(VECTOR_CLASS);
                return (ColumnSums) MethodHandles.publicLookup()
                        .findConstructor(cls, MethodType.methodType(void.class)).invoke();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new LinkageError("could not construct " + VECTOR_CLASS, t);
            }
        }
        return new KernelColumnSums(k);
    }

    /** The {@link Kernels} column loops. */
    static final class KernelColumnSums implements ColumnSums {
        private final Kernels k;

        KernelColumnSums(Kernels k) {
            this.k = k;
        }

        @Override
        public void sumColumns(float[] x, int off, int rows, int cols, double[] acc, int ao) {
            k.sumColumns(x, off, rows, cols, acc, ao);
        }

        @Override
        public void sumSquaredDeviationsColumns(float[] x, int off, int rows, int cols, double[] mean, int mo,
                double[] acc, int ao) {
            k.sumSquaredDeviationsColumns(x, off, rows, cols, mean, mo, acc, ao);
        }

        @Override
        public void sumProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean,
                int mo, double[] acc, int ao) {
            k.sumProductDeviationsColumns(dy, x, off, rows, cols, mean, mo, acc, ao);
        }

        @Override
        public void scaleShiftColumns(float[] x, int off, int rows, int cols, float[] center, float[] scale,
                float[] shift, float[] y) {
            k.scaleShiftColumns(x, off, rows, cols, center, scale, shift, y);
        }
    }
}
