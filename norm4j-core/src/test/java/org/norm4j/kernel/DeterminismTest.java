package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.ops.Nn;
import org.norm4j.ops.Reductions;

/** ARCHITECTURE idea 4: the same bits on 1 thread and on several, for work large enough to be split. */
class DeterminismTest {
    private final int defaultThreads = Parallel.threads();

    @AfterEach
    void restore() {
        Parallel.setThreads(defaultThreads);
    }

    private static List<float[]> run() {
        Tensor x = Tensor.randomNormal(DType.FLOAT32, 1000, 3, 1, 64, 16, 64, 16); // 1M elements
        Tensor dy = Tensor.randomNormal(DType.FLOAT32, 0, 1, 2, 64, 16, 64, 16);
        Tensor scale = Tensor.randomUniform(DType.FLOAT32, 0.5, 2, 3, 16);
        Tensor offset = Tensor.randomNormal(DType.FLOAT32, 0, 1, 4, 16);
        List<float[]> out = new ArrayList<>();
        out.add(Reductions.sum(x, null, false).toFloatArray());
        out.add(Reductions.variance(x, new int[] {0, 1, 2}, false).toFloatArray());
        out.add(Reductions.mean(x, new int[] {1, 3}, false).toFloatArray());
        out.add(Reductions.max(x, new int[] {0, 2}, false).toFloatArray());
        Nn.Moments m = Nn.moments(x.reshape(1024, 1024), 1);
        out.add(m.mean().toFloatArray());
        out.add(m.variance().toFloatArray());
        for (String fmt : new String[] {"NHWC", "NCHW"}) {
            Nn.FusedBatchNormResult r = Nn.fusedBatchNorm(x, scale, offset, null, null, 1e-3, fmt, true, 1.0);
            out.add(r.y().toFloatArray());
            out.add(r.batchVariance().toFloatArray());
            Nn.FusedBatchNormGradResult g = Nn.fusedBatchNormGrad(dy, x, scale, r.reserveSpace1(),
                    r.reserveSpace2(), 1e-3, fmt, true);
            out.add(g.xBackprop().toFloatArray());
            out.add(g.scaleBackprop().toFloatArray());
        }
        out.add(x.add(offset).toFloatArray());
        out.add(x.reshape(1024, 1024).matmul(dy.reshape(1024, 1024).slice(0, 1024)).toFloatArray());
        return out;
    }

    @Test
    void sameBitsOnOneAndManyThreads() {
        Parallel.setThreads(1);
        List<float[]> one = run();
        for (int threads : new int[] {2, 3, 8}) {
            Parallel.setThreads(threads);
            List<float[]> many = run();
            for (int i = 0; i < one.size(); i++) {
                assertArrayEquals(one.get(i), many.get(i), "result " + i + " differs on " + threads + " threads");
            }
        }
    }

    @Test
    void smallWorkStaysOnTheCallingThread() {
        Parallel.setThreads(4);
        Thread caller = Thread.currentThread();
        boolean[] elsewhere = {false};
        Parallel.forEach(64, 128 * 128, i -> {
            if (Thread.currentThread() != caller) {
                elsewhere[0] = true;
            }
        });
        assertTrue(!elsewhere[0], "a 128x128 task was handed to the pool");
        Supplier<Boolean> big = () -> {
            boolean[] any = {false};
            Parallel.forEach(64, 1L << 24, i -> {
                if (Thread.currentThread() != caller) {
                    any[0] = true;
                }
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            return any[0];
        };
        assertTrue(big.get(), "large work never reached the pool");
    }
}
