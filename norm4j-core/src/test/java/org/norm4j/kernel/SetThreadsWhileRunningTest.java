package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** {@code setThreads} while other threads run parallel loops: the loops in flight finish, none fails. */
class SetThreadsWhileRunningTest {
    @Test
    void loopsInFlightFinishWhileTheThreadCountChanges() throws InterruptedException {
        int before = Parallel.threads();
        AtomicBoolean stop = new AtomicBoolean();
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        AtomicLong loops = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int w = 0; w < 3; w++) {
            Thread t = new Thread(() -> {
                int tasks = 64;
                long[] out = new long[tasks];
                while (!stop.get()) {
                    try {
                        Parallel.forEach(tasks, Parallel.MIN_PARALLEL_WORK * 4, i -> {
                            long s = 0;
                            for (int k = 0; k < 2000; k++) {
                                s += (long) k * (i + 1);
                            }
                            out[i] = s;
                        });
                        for (int i = 0; i < tasks; i++) {
                            if (out[i] != 1999L * 2000 / 2 * (i + 1)) {
                                throw new AssertionError("task " + i + " gave " + out[i]);
                            }
                            out[i] = 0;
                        }
                        loops.incrementAndGet();
                    } catch (Throwable e) {
                        failures.add(e);
                        return;
                    }
                }
            }, "loop-" + w);
            workers.add(t);
            t.start();
        }
        try {
            for (int i = 0; i < 4000 && failures.isEmpty(); i++) {
                Parallel.setThreads(1 + i % 4);
                java.util.concurrent.locks.LockSupport.parkNanos(50_000);
            }
        } finally {
            stop.set(true);
            for (Thread t : workers) {
                t.join(30_000);
            }
            Parallel.setThreads(before);
        }
        assertEquals(List.of(), new ArrayList<>(failures), "failures in threads running loops");
        assertTrue(loops.get() > 0, "no loop ran");
    }
}
