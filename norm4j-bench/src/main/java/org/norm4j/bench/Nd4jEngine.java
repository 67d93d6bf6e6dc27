package org.norm4j.bench;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
import org.nd4j.linalg.api.ops.custom.FusedBatchNorm;
import org.nd4j.linalg.api.ops.impl.layers.convolution.BatchNorm;
import org.nd4j.linalg.api.ops.impl.transforms.custom.LayerNorm;
import org.nd4j.linalg.factory.Nd4j;

/**
 * ND4J 1.0.0-M2.1 (native CPU backend, OpenBLAS) through its custom ops with outputs allocated once, the
 * fastest way to call it. Runs in its own JVM: it needs an older JavaCPP than TensorFlow Java.
 */
public final class Nd4jEngine implements Engine {
    private static final double EPS = 1e-3;

    @Override
    public String name() {
        return "ND4J";
    }

    @Override
    public String describe() {
        return "ND4J 1.0.0-M2.1 " + Nd4j.getBackend().getClass().getSimpleName() + ", OMP threads "
                + System.getenv().getOrDefault("OMP_NUM_THREADS", "default");
    }

    private static INDArray arr(float[] data, int... shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape[i];
        }
        return Nd4j.create(data, s, 'c');
    }

    private static INDArray like(INDArray x) {
        return Nd4j.create(DataType.FLOAT, x.shape(), 'c');
    }

    @Override
    public Task prepare(Workload w) {
        int[] s = w.shape();
        long n = Data.size(s);
        switch (w.op()) {
            case LN_FWD: {
                int c = s[s.length - 1];
                INDArray x = arr(Data.x(n), s);
                INDArray g = arr(Data.param(c, 1, 1), c);
                INDArray b = arr(Data.param(c, 2, 0), c);
                INDArray y = like(x);
                return () -> Nd4j.exec(new LayerNorm(x, g, b, y, true, s.length - 1));
            }
            case BN_TRAIN_FWD: {
                int[] s4 = s.length == 4 ? s : new int[] {s[0], 1, 1, s[1]};
                int c = w.nchw() ? s4[1] : s4[3];
                INDArray x = arr(Data.x(n), s4);
                INDArray g = arr(Data.param(c, 1, 1), c);
                INDArray b = arr(Data.param(c, 2, 0), c);
                INDArray y = like(x);
                INDArray m = Nd4j.create(DataType.FLOAT, c);
                INDArray v = Nd4j.create(DataType.FLOAT, c);
                return () -> Nd4j.exec(new FusedBatchNorm(x, g, b, w.nchw() ? 1 : 0, 1, y, m, v));
            }
            case BN_INFER: {
                int c = w.nchw() ? s[1] : s[s.length - 1];
                INDArray x = arr(Data.x(n), s);
                INDArray[] in = {x, arr(Data.param(c, 3, 0), c), arr(Data.param(c, 4, 1), c),
                    arr(Data.param(c, 1, 1), c), arr(Data.param(c, 2, 0), c)};
                INDArray y = like(x);
                int axis = w.nchw() ? 1 : s.length - 1;
                return () -> Nd4j.exec(BatchNorm.builder().inputArrays(in).outputArrays(new INDArray[] {y})
                        .applyGamma(true).applyBeta(true).epsilon(EPS).axis(new int[] {axis}).build());
            }
            case BN_TRAIN_BWD: {
                int c = w.nchw() ? s[1] : s[s.length - 1];
                int axis = w.nchw() ? 1 : s.length - 1;
                INDArray x = arr(Data.x(n), s);
                INDArray dy = arr(Data.dy(n), s);
                int[] reduce = new int[s.length - 1];
                for (int i = 0, j = 0; i < s.length; i++) {
                    if (i != axis) {
                        reduce[j++] = i;
                    }
                }
                INDArray mean = x.mean(reduce);
                INDArray var = x.var(false, reduce);
                INDArray g = arr(Data.param(c, 1, 1), c);
                INDArray b = arr(Data.param(c, 2, 0), c);
                INDArray dx = like(x);
                INDArray[] outs = {dx, like(mean), like(var), like(g), like(b)};
                return () -> Nd4j.exec(DynamicCustomOp.builder("batchnorm_bp").addInputs(x, mean, var, g, b, dy)
                        .addOutputs(outs).addIntegerArguments(1, 1, axis).addFloatingPointArguments(EPS).build());
            }
            case MOMENTS: {
                // the "moments" custom op with preallocated outputs corrupts the native heap on this shape
                // (glibc aborts the JVM: "munmap_chunk(): invalid pointer"), so mean and variance reductions
                INDArray x = arr(Data.x(n), s);
                return () -> {
                    INDArray mean = x.mean(0);
                    INDArray var = x.var(false, 0);
                    mean.close();
                    return var;
                };
            }
            case MATMUL:
            case MATMUL_TN:
            case MATMUL_NT: {
                boolean ta = w.op() == Op.MATMUL_TN;
                boolean tb = w.op() == Op.MATMUL_NT;
                INDArray a = ta ? arr(Data.x((long) s[0] * s[1]), s[1], s[0]) : arr(Data.x((long) s[0] * s[1]), s[0], s[1]);
                INDArray b = tb ? arr(Data.dy((long) s[1] * s[2]), s[2], s[1])
                        : arr(Data.dy((long) s[1] * s[2]), s[1], s[2]);
                INDArray c = Nd4j.create(DataType.FLOAT, new long[] {s[0], s[2]}, 'c');
                return () -> Nd4j.gemm(a, b, c, ta, tb, 1.0, 0.0);
            }
            default:
                return null;
        }
    }
}
