package org.norm4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The output arrays of a training loop's steps, recycled from one step to the next. A training loop repeats the
 * same ops on the same shapes every step, so the arrays of the activations, the gradients and the ops' per-channel
 * scratch that one step allocates are needed again, with the same lengths and in the same order, by the next one.
 * Inside {@link #step}, every array an op asks for through {@link Tensor#newArray} (the allocation of the ops'
 * outputs and scratch) is taken from this object's pools instead of the heap: the first step fills the pools, and
 * every later step gets the same arrays back, zero-filled as a new array would be, in cache instead of fresh memory,
 * and without garbage. Results are bit for bit those of fresh arrays.
 *
 * <p><b>The promise of the caller.</b> No tensor produced inside one {@code step} is used after the next
 * {@code step} begins: the next step overwrites its array. {@code Sequential.fit} keeps it: a step's
 * predictions, loss, gradients and tape are dropped before the next step, its metrics read the predictions inside
 * the step, and variables never hold an op's array (they copy what they are given). Outside {@code step} (between
 * steps, in callbacks, in evaluation) arrays come from the heap as always; the pools are freed with this object.
 * Arrays under {@value #MIN_LENGTH} elements are always new (pooling them saves nothing).
 *
 * <p>Thread-confined: the pools serve the thread that created this object, and only inside {@code step}; ops run
 * on other threads meanwhile allocate as always.
 */
public final class StepArrays {
    /** Arrays shorter than this come from the heap. */
    static final int MIN_LENGTH = 256;

    /** Number of steps running over all threads: the one check an allocation pays when none runs. */
    private static final AtomicInteger RUNNING = new AtomicInteger();
    private static final ThreadLocal<StepArrays> CURRENT = new ThreadLocal<>();

    private final Thread owner = Thread.currentThread();
    private final List<Pool> pools = new ArrayList<>();
    private boolean running;

    /** Recycled arrays of one element type and length, handed out in order within a step. */
    private static final class Pool {
        final boolean isFloat;
        final int length;
        final List<Object> arrays = new ArrayList<>();
        int next;

        Pool(boolean isFloat, int length) {
            this.isFloat = isFloat;
            this.length = length;
        }
    }

    /** Empty pools for a training loop run on this thread. */
    public StepArrays() {
    }

    /**
     * Runs one step of the loop: the arrays handed out by the previous step are handed out again (zero-filled),
     * in the order asked for; more are taken from the heap and kept when this step needs more.
     *
     * @return what {@code body} returns
     * @throws IllegalStateException on another thread than the one that created this object, or nested in a step
     */
    public <T> T step(Supplier<T> body) {
        Objects.requireNonNull(body, "body must not be null");
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException("StepArrays.step on thread " + Thread.currentThread().getName()
                    + ": expected the thread that created it, " + owner.getName());
        }
        if (running || CURRENT.get() != null) {
            throw new IllegalStateException("StepArrays.step inside a step: expected steps one after the other");
        }
        for (Pool p : pools) {
            p.next = 0;
        }
        running = true;
        CURRENT.set(this);
        RUNNING.incrementAndGet();
        try {
            return body.get();
        } finally {
            RUNNING.decrementAndGet();
            CURRENT.remove();
            running = false;
        }
    }

    /** Number of arrays the pools hold (for tests and reports). */
    public int pooledArrays() {
        int n = 0;
        for (Pool p : pools) {
            n += p.arrays.size();
        }
        return n;
    }

    /** A zeroed float array: recycled inside a step on this thread, else new. */
    static float[] floats(int length) {
        if (length >= MIN_LENGTH && RUNNING.get() != 0) {
            StepArrays s = CURRENT.get();
            if (s != null) {
                float[] a = (float[]) s.take(true, length);
                return a;
            }
        }
        return new float[length];
    }

    /** A zeroed double array: recycled inside a step on this thread, else new. */
    static double[] doubles(int length) {
        if (length >= MIN_LENGTH && RUNNING.get() != 0) {
            StepArrays s = CURRENT.get();
            if (s != null) {
                return (double[]) s.take(false, length);
            }
        }
        return new double[length];
    }

    private Object take(boolean isFloat, int length) {
        Pool pool = null;
        for (Pool p : pools) {
            if (p.length == length && p.isFloat == isFloat) {
                pool = p;
                break;
            }
        }
        if (pool == null) {
            pool = new Pool(isFloat, length);
            pools.add(pool);
        }
        if (pool.next < pool.arrays.size()) {
            Object a = pool.arrays.get(pool.next++);
            if (isFloat) {
                Arrays.fill((float[]) a, 0f);
            } else {
                Arrays.fill((double[]) a, 0.0);
            }
            return a;
        }
        Object a = isFloat ? new float[length] : new double[length];
        pool.arrays.add(a);
        pool.next++;
        return a;
    }
}
