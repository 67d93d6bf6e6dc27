package org.norm4j.kernel;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/**
 * Deterministic parallel loops. Work is always cut into the same tasks (their number depends only on the
 * problem size, never on the thread count), and every task writes its own slot of the output or of a
 * partials array that the caller merges in a fixed order. So results are bit-for-bit identical on 1 or N
 * threads. Small problems run on the calling thread and never touch the pool.
 *
 * <p>The thread count defaults to the number of available processors, or the system property
 * {@code norm4j.threads}; {@link #setThreads(int)} changes it at run time, also while other threads run loops:
 * those finish on the pool they started on, later loops use the new one.
 */
public final class Parallel {
    /** Work (in elements touched) below which a loop stays on the calling thread. */
    public static final long MIN_PARALLEL_WORK = 1 << 17;

    private static volatile int threads = initialThreads();
    private static volatile Pool pool;

    /**
     * A pool and the number of loops running on it. {@link #setThreads} retires the current pool instead of
     * shutting it down: the loops in flight finish on it, and the last one out shuts it down.
     */
    private static final class Pool {
        final ForkJoinPool fj;
        final AtomicInteger users = new AtomicInteger();
        volatile boolean retired;

        Pool(ForkJoinPool fj) {
            this.fj = fj;
        }

        /** Ends one use; the last use of a retired pool shuts it down. */
        void release() {
            if (users.decrementAndGet() == 0 && retired) {
                fj.shutdown();
            }
        }

        /** Retires the pool: no new loops start on it; it shuts down once no loop runs on it. */
        void retire() {
            retired = true;
            if (users.get() == 0) {
                fj.shutdown();
            }
        }
    }

    private Parallel() {
    }

    private static int initialThreads() {
        String p = System.getProperty("norm4j.threads");
        if (p != null) {
            try {
                int t = Integer.parseInt(p.trim());
                if (t >= 1) {
                    return t;
                }
            } catch (NumberFormatException ignored) {
                // fall through to the default
            }
        }
        return Runtime.getRuntime().availableProcessors();
    }

    /** The number of threads parallel loops may use. */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads parallel loops may use (1 = everything on the calling thread).
     *
     * @throws IllegalArgumentException if {@code n < 1}
     */
    public static synchronized void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("threads = " + n + ": expected >= 1");
        }
        if (n != threads) {
            threads = n;
            Pool old = pool;
            pool = null;
            if (old != null) {
                old.retire(); // loops in flight finish on the old pool
            }
        }
    }

    /**
     * The current pool, with one use counted (end it with {@link Pool#release}). A pool retired between the read
     * and the count is released and the read retried: the count and the retired flag are each written before the
     * other is read, so either the loop sees the retirement or the retirement sees the loop.
     */
    private static Pool acquire() {
        while (true) {
            Pool p = current();
            p.users.incrementAndGet();
            if (!p.retired) {
                return p;
            }
            p.release();
        }
    }

    private static Pool current() {
        Pool p = pool;
        if (p == null) {
            synchronized (Parallel.class) {
                p = pool;
                if (p == null) {
                    p = new Pool(new ForkJoinPool(threads, pl -> {
                        ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(pl);
                        t.setDaemon(true);
                        t.setName("norm4j-" + t.getPoolIndex());
                        return t;
                    }, null, false));
                    pool = p;
                }
            }
        }
        return p;
    }

    /**
     * Runs {@code body.accept(i)} for every task {@code i < tasks}. Tasks must be independent and write
     * disjoint memory. Runs inline when {@code totalWork < MIN_PARALLEL_WORK}, when there is one task or one
     * thread, or when called from a pool thread (no nested parallelism).
     *
     * @param tasks number of tasks
     * @param totalWork an estimate of the elements touched by all tasks together
     * @param body the task body
     */
    public static void forEach(int tasks, long totalWork, IntConsumer body) {
        int t = threads;
        if (tasks <= 1 || t <= 1 || totalWork < MIN_PARALLEL_WORK
                || Thread.currentThread() instanceof ForkJoinWorkerThread) {
            for (int i = 0; i < tasks; i++) {
                body.accept(i);
            }
            return;
        }
        Pool p = acquire();
        try {
            p.fj.invoke(new Range(body, 0, tasks, Math.max(1, tasks / (4 * t))));
        } finally {
            p.release();
        }
    }

    private static final class Range extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient IntConsumer body;
        private final int lo;
        private final int hi;
        private final int grain;

        Range(IntConsumer body, int lo, int hi, int grain) {
            this.body = body;
            this.lo = lo;
            this.hi = hi;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (hi - lo <= grain) {
                for (int i = lo; i < hi; i++) {
                    body.accept(i);
                }
                return;
            }
            int mid = (lo + hi) >>> 1;
            invokeAll(new Range(body, lo, mid, grain), new Range(body, mid, hi, grain));
        }
    }
}
