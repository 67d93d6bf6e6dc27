package org.norm4j.bench;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import java.util.Arrays;
import org.norm4j.data.Mnist;

/**
 * PyTorch 2.7.1 through DJL 0.36.0 (offline, the native library from the local jar, 2 intra-op threads).
 * Inputs live in a base manager; each run attaches them for its duration to a sub-manager, so that its outputs
 * and temporaries are created there and freed when the run ends (the input's manager owns an op's result). Batch norm
 * runs in PyTorch's native NCHW layout (channels-last through DJL's axis argument is several times slower).
 * Backward workloads run forward and backward through autograd ({@code GradientCollector}), seeded with
 * ones: PyTorch has no separately callable fused gradient op here.
 */
public final class DjlEngine implements org.norm4j.bench.Engine {
    private static final float EPS = 1e-3f;
    private final NDManager base = NDManager.newBaseManager();
    /** Every input; each run temporarily attaches them to its own manager, so results land there too. */
    private final java.util.List<NDArray> inputs = new java.util.ArrayList<>();

    @Override
    public String name() {
        return "PyTorch (DJL)";
    }

    @Override
    public String describe() {
        Engine e = Engine.getInstance();
        return e.getEngineName() + " " + e.getVersion() + " (DJL " + Engine.getDjlVersion() + "), threads "
                + System.getProperty("ai.djl.pytorch.num_threads", "default");
    }

    /** One run: the body's arrays are attached to a sub-manager that is closed afterwards. */
    private interface Body {
        Object run(NDManager m);
    }

    private Task task(Body body) {
        return new Task() {
            @Override
            public Object run() {
                try (NDManager m = base.newSubManager()) {
                    for (NDArray in : inputs) {
                        in.tempAttach(m); // outputs and temporaries are created in the inputs' manager
                    }
                    Object r = body.run(m);
                    return r == null ? null : r.hashCode();
                }
            }

            @Override
            public void close() {
                base.close();
            }
        };
    }

    private NDArray arr(float[] data, int... shape) {
        NDArray a = base.create(data, new Shape(Arrays.stream(shape).asLongStream().toArray()));
        inputs.add(a);
        return a;
    }

    @Override
    public Task prepare(Workload w) {
        int[] s = w.shape();
        long n = Data.size(s);
        switch (w.op()) {
            case LN_FWD:
            case LN_FWD_BWD: {
                int c = s[s.length - 1];
                NDArray x = arr(Data.x(n), s);
                NDArray g = arr(Data.param(c, 1, 1), c);
                NDArray b = arr(Data.param(c, 2, 0), c);
                if (w.op() == Op.LN_FWD) {
                    return task(m -> attach(m, LayerNorm.layerNorm(x, new Shape(c), g, b, EPS)));
                }
                return grad(new NDArray[] {x, g, b}, m -> LayerNorm.layerNorm(x, new Shape(c), g, b, EPS).head());
            }
            case RMS_FWD:
            case RMS_FWD_BWD: {
                int c = s[s.length - 1];
                NDArray x = arr(Data.x(n), s);
                NDArray g = arr(Data.param(c, 1, 1), c);
                Body f = m -> x.mul(x.square().mean(new int[] {-1}, true).add(1e-6f).pow(-0.5f)).mul(g);
                return w.op() == Op.RMS_FWD ? task(f) : grad(new NDArray[] {x, g}, f);
            }
            case GN_FWD:
            case GN_FWD_BWD: {
                int c = s[3];
                int groups = 32;
                NDArray x = arr(Data.x(n), s);
                NDArray g = arr(Data.param(c, 1, 1), c);
                NDArray b = arr(Data.param(c, 2, 0), c);
                Shape split = new Shape(s[0], s[1], s[2], groups, c / groups);
                Shape p = new Shape(1, 1, 1, groups, c / groups);
                int[] axes = {1, 2, 4};
                Body f = m -> {
                    NDArray xr = x.reshape(split);
                    NDArray mean = xr.mean(axes, true);
                    NDArray var = xr.sub(mean).square().mean(axes, true);
                    NDArray inv = var.add(EPS).pow(-0.5f).mul(g.reshape(p));
                    return xr.mul(inv).add(b.reshape(p).sub(mean.mul(inv))).reshape(x.getShape());
                };
                return w.op() == Op.GN_FWD ? task(f) : grad(new NDArray[] {x, g, b}, f);
            }
            case BN_TRAIN_FWD:
            case BN_INFER:
            case BN_TRAIN_BWD: {
                int[] nchw = nchw(w);
                int c = nchw[1];
                NDArray x = arr(Data.x(n), nchw);
                NDArray g = arr(Data.param(c, 1, 1), c);
                NDArray b = arr(Data.param(c, 2, 0), c);
                NDArray rm = arr(Data.param(c, 3, 0), c);
                NDArray rv = arr(Data.param(c, 4, 1), c);
                boolean train = w.op() != Op.BN_INFER;
                Body f = m -> BatchNorm.batchNorm(x, rm, rv, g, b, 1, 0.1f, EPS, train).head();
                return w.op() == Op.BN_TRAIN_BWD ? grad(new NDArray[] {x, g, b}, f) : task(f);
            }
            case MOMENTS: {
                NDArray x = arr(Data.x(n), s);
                return task(m -> {
                    NDArray mean = x.mean(new int[] {0}, true);
                    return x.sub(mean).square().mean(new int[] {0});
                });
            }
            case MATMUL: {
                NDArray a = arr(Data.x((long) s[0] * s[1]), s[0], s[1]);
                NDArray b = arr(Data.dy((long) s[1] * s[2]), s[1], s[2]);
                return task(m -> a.matMul(b));
            }
            case MATMUL_TN: {
                NDArray a = arr(Data.x((long) s[0] * s[1]), s[1], s[0]);
                NDArray b = arr(Data.dy((long) s[1] * s[2]), s[1], s[2]);
                return task(m -> a.transpose().matMul(b));
            }
            case MATMUL_NT: {
                NDArray a = arr(Data.x((long) s[0] * s[1]), s[0], s[1]);
                NDArray b = arr(Data.dy((long) s[1] * s[2]), s[2], s[1]);
                return task(m -> a.matMul(b.transpose()));
            }
            case CONV_FWD: { // PyTorch's layout: NCHW data, OIHW weights
                NDArray x = arr(Data.x((long) s[0] * s[1] * s[2] * s[3]), s[0], s[3], s[1], s[2]);
                NDArray f = arr(Data.param(s[4] * s[4] * s[3] * s[5], 3, 0), s[5], s[3], s[4], s[4]);
                ai.djl.ndarray.types.Shape one = new ai.djl.ndarray.types.Shape(1, 1);
                ai.djl.ndarray.types.Shape zero = new ai.djl.ndarray.types.Shape(0, 0);
                return task(m -> ai.djl.nn.convolutional.Conv2d.conv2d(x, f, null, one, zero, one, 1));
            }
            case TRAIN_STEP:
            case TRAIN_EPOCH:
            case TRAIN_EPOCH_FASHION:
                return training(w.op() == Op.TRAIN_STEP ? 1 : -1, w.op());
            default:
                return null;
        }
    }

    private static Object attach(NDManager m, NDList out) {
        out.attach(m);
        return out.head();
    }

    /** Forward and backward through autograd with respect to {@code params}. */
    private Task grad(NDArray[] params, Body forward) {
        for (NDArray p : params) {
            p.setRequiresGradient(true);
        }
        return task(m -> {
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = (NDArray) forward.run(m);
                gc.backward(y);
            }
            return params[0].getGradient();
        });
    }

    private static int[] nchw(Workload w) {
        int[] s = w.shape();
        if (s.length == 2) {
            return new int[] {s[0], s[1], 1, 1};
        }
        return w.nchw() ? s : new int[] {s[0], s[3], s[1], s[2]};
    }

    /**
     * The seed's model (BatchNorm, Linear 128, ReLU, BatchNorm, Linear 10; softmax cross-entropy; Adam) trained
     * on the embedded MNIST digits (or Fashion-MNIST) in batches of 32: one step ({@code steps = 1}) or one epoch.
     */
    private Task training(int steps, Op op) {
        Mnist data = Data.training(op);
        float[] images = data.xTrain().toFloatArray();
        int[] labels = data.yTrain();
        int total = steps > 0 ? steps : (labels.length + 31) / 32;
        SequentialBlock block = new SequentialBlock().add(BatchNorm.builder().optEpsilon(1e-3f)
                .optMomentum(0.99f).build()).add(Linear.builder().setUnits(128).build()).add(Activation.reluBlock())
                .add(BatchNorm.builder().optEpsilon(1e-3f).optMomentum(0.99f).build())
                .add(Linear.builder().setUnits(10).build());
        Model model = Model.newInstance("seed");
        model.setBlock(block);
        Trainer trainer = model.newTrainer(new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Optimizer.adam().build()));
        trainer.initialize(new Shape(32, 784));
        Task t = new Task() {
            @Override
            public Object run() {
                float last = 0;
                for (int step = 0; step < total; step++) {
                    int from = step * 32;
                    int to = Math.min(labels.length, from + 32);
                    try (NDManager m = trainer.getManager().newSubManager()) {
                        NDArray xb = m.create(Arrays.copyOfRange(images, from * 784, to * 784),
                                new Shape(to - from, 784));
                        float[] yl = new float[to - from];
                        for (int i = from; i < to; i++) {
                            yl[i - from] = labels[i];
                        }
                        NDArray yb = m.create(yl, new Shape(to - from));
                        try (GradientCollector gc = trainer.newGradientCollector()) {
                            NDList pred = trainer.forward(new NDList(xb));
                            NDArray loss = trainer.getLoss().evaluate(new NDList(yb), pred);
                            gc.backward(loss);
                            last = loss.getFloat();
                        }
                        trainer.step();
                    }
                }
                return last;
            }

            @Override
            public void close() {
                trainer.close();
                model.close();
                base.close();
            }
        };
        return t;
    }

    @Override
    public void close() {
        base.close();
    }
}
