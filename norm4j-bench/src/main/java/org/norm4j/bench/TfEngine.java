package org.norm4j.bench;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.FusedBatchNormGrad;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.types.TFloat32;

/**
 * TensorFlow 2.18 through TensorFlow Java: one graph per workload, run by a {@link Session} with 2 intra-op
 * threads and the default (oneDNN-rewriting) graph optimizations; inputs are fed as tensors made once, and
 * every output tensor is closed after each run. Raw ops where TensorFlow has a fused kernel
 * ({@code FusedBatchNormV3}, {@code FusedBatchNormGradV3}, {@code _MklLayerNorm}), otherwise the compositions
 * Keras 3's TensorFlow backend builds. "fwd+bwd" workloads fetch the gradients of {@code y} seeded with a fixed
 * upstream gradient ({@code Graph.addGradients}), which runs the forward too.
 */
public final class TfEngine implements Engine {
    private static final float EPS = 1e-3f;
    private static final boolean COMPOSED = Boolean.getBoolean("norm4j.bench.tf.composed");
    private final ConfigProto config = ConfigProto.newBuilder().setIntraOpParallelismThreads(2)
            .setInterOpParallelismThreads(1).build();
    private String layerNormKernel = "not run";

    @Override
    public String name() {
        return COMPOSED ? "TensorFlow (composed)" : "TensorFlow";
    }

    @Override
    public String describe() {
        return "TensorFlow " + TensorFlow.version() + " (TF Java 1.1.0), Session.run, intra-op 2, inter-op 1;"
                + " LayerNorm: " + layerNormKernel;
    }

    /** A graph under construction with its fed tensors. */
    private final class Builder {
        final Graph g = new Graph();
        final Ops tf = Ops.create(g);
        final List<Placeholder<TFloat32>> holders = new ArrayList<>();
        final List<Tensor> fed = new ArrayList<>();

        Operand<TFloat32> feed(float[] data, int... shape) {
            long[] dims = new long[shape.length];
            for (int i = 0; i < shape.length; i++) {
                dims[i] = shape[i];
            }
            Placeholder<TFloat32> p = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(dims)));
            holders.add(p);
            fed.add(TFloat32.tensorOf(Shape.of(dims), DataBuffers.of(data, true, false)));
            return p;
        }

        Operand<TFloat32> constantF(float... v) {
            return tf.constant(v);
        }

        Task fetch(Output<?>... outs) {
            Session s = new Session(g, config);
            return new Task() {
                @Override
                public Object run() {
                    Session.Runner r = s.runner();
                    for (int i = 0; i < holders.size(); i++) {
                        r.feed(holders.get(i), fed.get(i));
                    }
                    for (Output<?> o : outs) {
                        r.fetch(o);
                    }
                    try (Result res = r.run()) {
                        return res.size();
                    }
                }

                @Override
                public void close() {
                    s.close();
                    for (Tensor t : fed) {
                        t.close();
                    }
                    g.close();
                }
            };
        }

        /** Fetches the gradients of {@code y} with respect to {@code xs}, seeded with {@code dy}. */
        Task fetchGradients(Operand<TFloat32> y, Operand<TFloat32> dy, List<Operand<TFloat32>> xs) {
            Output<?>[] xo = new Output<?>[xs.size()];
            for (int i = 0; i < xo.length; i++) {
                xo[i] = xs.get(i).asOutput();
            }
            Output<?>[] grads = g.addGradients("grad", new Output<?>[] {y.asOutput()}, xo,
                    new Output<?>[] {dy.asOutput()});
            return fetch(grads);
        }
    }

    @Override
    public Task prepare(Workload w) throws Exception {
        int[] s = w.shape();
        long n = Data.size(s);
        Builder b = new Builder();
        Ops tf = b.tf;
        switch (w.op()) {
            case LN_FWD:
            case LN_FWD_BWD: {
                int c = s[s.length - 1];
                Operand<TFloat32> x = b.feed(Data.x(n), s);
                Operand<TFloat32> gamma = b.feed(Data.param(c, 1, 1), c);
                Operand<TFloat32> beta = b.feed(Data.param(c, 2, 0), c);
                if (w.op() == Op.LN_FWD && !COMPOSED) {
                    try {
                        Output<TFloat32> y = b.g.opBuilder("_MklLayerNorm", "ln", tf.scope()).addInput(x.asOutput())
                                .addInput(gamma.asOutput()).addInput(beta.asOutput()).setAttr("epsilon", EPS)
                                .build().output(0);
                        Task t = b.fetch(y);
                        t.run();
                        layerNormKernel = "_MklLayerNorm (oneDNN raw op)";
                        return t;
                    } catch (Exception | LinkageError e) {
                        layerNormKernel = "composed (_MklLayerNorm failed: " + e.getMessage() + ")";
                        b = new Builder();
                        return prepareComposedLn(b, w, s, n, c);
                    }
                }
                if (w.op() == Op.LN_FWD) {
                    layerNormKernel = "composed";
                }
                Operand<TFloat32> y = layerNorm(tf, x, gamma, beta, -1);
                if (w.op() == Op.LN_FWD) {
                    return b.fetch(y.asOutput());
                }
                return b.fetchGradients(y, b.feed(Data.dy(n), s), List.of(x, gamma, beta));
            }
            case GN_FWD:
            case GN_FWD_BWD: {
                int c = s[3];
                int groups = 32;
                Operand<TFloat32> x = b.feed(Data.x(n), s);
                Operand<TFloat32> gamma = b.feed(Data.param(c, 1, 1), c);
                Operand<TFloat32> beta = b.feed(Data.param(c, 2, 0), c);
                // Keras 3 GroupNormalization: reshape to (N, H, W, G, C/G), moments over (1, 2, 4)
                Operand<TFloat32> xr = tf.reshape(x, tf.constant(new int[] {s[0], s[1], s[2], groups, c / groups}));
                Operand<TFloat32> mean = tf.math.mean(xr, tf.constant(new int[] {1, 2, 4}), Mean.keepDims(true));
                Operand<TFloat32> var = tf.math.mean(tf.math.squaredDifference(xr, tf.stopGradient(mean)),
                        tf.constant(new int[] {1, 2, 4}), Mean.keepDims(true));
                Operand<TFloat32> gr = tf.reshape(gamma, tf.constant(new int[] {1, 1, 1, groups, c / groups}));
                Operand<TFloat32> br = tf.reshape(beta, tf.constant(new int[] {1, 1, 1, groups, c / groups}));
                Operand<TFloat32> inv = tf.math.mul(tf.math.rsqrt(tf.math.add(var, b.constantF(EPS))), gr);
                Operand<TFloat32> yr = tf.math.add(tf.math.mul(xr, inv), tf.math.sub(br, tf.math.mul(mean, inv)));
                Operand<TFloat32> y = tf.reshape(yr, tf.constant(s));
                if (w.op() == Op.GN_FWD) {
                    return b.fetch(y.asOutput());
                }
                return b.fetchGradients(y, b.feed(Data.dy(n), s), List.of(x, gamma, beta));
            }
            case RMS_FWD:
            case RMS_FWD_BWD: {
                int c = s[s.length - 1];
                Operand<TFloat32> x = b.feed(Data.x(n), s);
                Operand<TFloat32> scale = b.feed(Data.param(c, 1, 1), c);
                // keras.ops.rms_normalization: x * rsqrt(mean(square(x), -1, keepdims) + eps) * scale
                Operand<TFloat32> ms = tf.math.mean(tf.math.square(x), tf.constant(-1), Mean.keepDims(true));
                Operand<TFloat32> y = tf.math.mul(tf.math.mul(x, tf.math.rsqrt(tf.math.add(ms,
                        b.constantF(1e-6f)))), scale);
                if (w.op() == Op.RMS_FWD) {
                    return b.fetch(y.asOutput());
                }
                return b.fetchGradients(y, b.feed(Data.dy(n), s), List.of(x, scale));
            }
            case BN_TRAIN_FWD:
            case BN_INFER: {
                int[] s4 = x4(w);
                int c = channels(w);
                Operand<TFloat32> x = b.feed(Data.x(n), s4);
                boolean train = w.op() == Op.BN_TRAIN_FWD;
                Operand<TFloat32> mean = train ? b.constantF() : b.feed(Data.param(c, 3, 0), c);
                Operand<TFloat32> var = train ? b.constantF() : b.feed(Data.param(c, 4, 1), c);
                FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(x, b.feed(Data.param(c, 1, 1), c),
                        b.feed(Data.param(c, 2, 0), c), mean, var, FusedBatchNorm.epsilon(EPS),
                        FusedBatchNorm.dataFormat(w.nchw() ? "NCHW" : "NHWC"), FusedBatchNorm.isTraining(train),
                        FusedBatchNorm.exponentialAvgFactor(1f));
                return b.fetch(bn.y().asOutput(), bn.batchMean().asOutput(), bn.batchVariance().asOutput());
            }
            case BN_TRAIN_BWD: {
                int[] s4 = x4(w);
                int c = channels(w);
                String fmt = w.nchw() ? "NCHW" : "NHWC";
                Operand<TFloat32> x = b.feed(Data.x(n), s4);
                Operand<TFloat32> scale = b.feed(Data.param(c, 1, 1), c);
                FusedBatchNorm<TFloat32, TFloat32> bn = tf.nn.fusedBatchNorm(x, scale, b.feed(Data.param(c, 2, 0), c),
                        b.constantF(), b.constantF(), FusedBatchNorm.epsilon(EPS), FusedBatchNorm.dataFormat(fmt),
                        FusedBatchNorm.isTraining(true), FusedBatchNorm.exponentialAvgFactor(1f));
                // the reserve spaces come from one forward run, then only the gradient op is timed
                Tensor[] rs = new Tensor[3];
                try (Session s0 = new Session(b.g, config)) {
                    Session.Runner r = s0.runner();
                    for (int i = 0; i < b.holders.size(); i++) {
                        r.feed(b.holders.get(i), b.fed.get(i));
                    }
                    Result res = r.fetch(bn.reserveSpace1()).fetch(bn.reserveSpace2()).fetch(bn.reserveSpace3()).run();
                    for (int i = 0; i < 3; i++) {
                        rs[i] = res.get(i);
                    }
                }
                Builder gb = new Builder();
                Ops gt = gb.tf;
                Operand<TFloat32> dy = gb.feed(Data.dy(n), s4);
                Operand<TFloat32> xx = gb.feed(Data.x(n), s4);
                Operand<TFloat32> sc = gb.feed(Data.param(c, 1, 1), c);
                Operand<TFloat32>[] r = feedTensors(gb, rs);
                FusedBatchNormGrad<TFloat32, TFloat32> grad = gt.nn.fusedBatchNormGrad(dy, xx, sc, r[0], r[1], r[2],
                        FusedBatchNormGrad.epsilon(EPS), FusedBatchNormGrad.dataFormat(fmt),
                        FusedBatchNormGrad.isTraining(true));
                b.fetch().close();
                return gb.fetch(grad.xBackprop().asOutput(), grad.scaleBackprop().asOutput(),
                        grad.offsetBackprop().asOutput());
            }
            case MOMENTS: {
                Operand<TFloat32> x = b.feed(Data.x(n), s);
                // tf.nn.moments: mean, then mean(squared_difference(x, stop_gradient(mean)))
                Operand<TFloat32> mean = tf.math.mean(x, tf.constant(new int[] {0}), Mean.keepDims(true));
                Operand<TFloat32> var = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)),
                        tf.constant(new int[] {0}), Mean.keepDims(true));
                return b.fetch(mean.asOutput(), var.asOutput());
            }
            case MATMUL:
            case MATMUL_TN:
            case MATMUL_NT: {
                boolean ta = w.op() == Op.MATMUL_TN;
                boolean tb = w.op() == Op.MATMUL_NT;
                Operand<TFloat32> a = ta ? b.feed(Data.x((long) s[0] * s[1]), s[1], s[0])
                        : b.feed(Data.x((long) s[0] * s[1]), s[0], s[1]);
                Operand<TFloat32> m = tb ? b.feed(Data.dy((long) s[1] * s[2]), s[2], s[1])
                        : b.feed(Data.dy((long) s[1] * s[2]), s[1], s[2]);
                return b.fetch(tf.linalg.matMul(a, m, MatMul.transposeA(ta), MatMul.transposeB(tb)).asOutput());
            }
            case CONV_FWD:
            case CONV_BWD_INPUT:
            case CONV_BWD_FILTER: {
                int oh = s[1] - s[4] + 1;
                int ow = s[2] - s[4] + 1;
                java.util.List<Long> one = java.util.List.of(1L, 1L, 1L, 1L);
                int[] xs = {s[0], s[1], s[2], s[3]};
                int[] fs = {s[4], s[4], s[3], s[5]};
                Operand<TFloat32> f = b.feed(Data.param(s[4] * s[4] * s[3] * s[5], 3, 0), fs);
                Operand<TFloat32> dy = b.feed(Data.dy((long) s[0] * oh * ow * s[5]), s[0], oh, ow, s[5]);
                Operand<TFloat32> x = b.feed(Data.x((long) s[0] * s[1] * s[2] * s[3]), xs);
                if (w.op() == Op.CONV_FWD) {
                    return b.fetch(tf.nn.conv2d(x, f, one, "VALID").asOutput());
                }
                if (w.op() == Op.CONV_BWD_INPUT) {
                    return b.fetch(tf.nn.conv2dBackpropInput(tf.constant(xs), f, dy, one, "VALID").asOutput());
                }
                return b.fetch(tf.nn.conv2dBackpropFilter(x, tf.constant(fs), dy, one, "VALID").asOutput());
            }
            default:
                b.g.close();
                return null;
        }
    }

    private Task prepareComposedLn(Builder b, Workload w, int[] s, long n, int c) {
        Operand<TFloat32> x = b.feed(Data.x(n), s);
        Operand<TFloat32> gamma = b.feed(Data.param(c, 1, 1), c);
        Operand<TFloat32> beta = b.feed(Data.param(c, 2, 0), c);
        return b.fetch(layerNorm(b.tf, x, gamma, beta, -1).asOutput());
    }

    /** Keras 3's TensorFlow layer_normalization: moments, then tf.nn.batch_normalization's order. */
    private static Operand<TFloat32> layerNorm(Ops tf, Operand<TFloat32> x, Operand<TFloat32> gamma,
            Operand<TFloat32> beta, int axis) {
        Operand<TFloat32> mean = tf.math.mean(x, tf.constant(axis), Mean.keepDims(true));
        Operand<TFloat32> var = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), tf.constant(axis),
                Mean.keepDims(true));
        Operand<TFloat32> inv = tf.math.mul(tf.math.rsqrt(tf.math.add(var, tf.constant(EPS))), gamma);
        return tf.math.add(tf.math.mul(x, inv), tf.math.sub(beta, tf.math.mul(mean, inv)));
    }

    @SuppressWarnings("unchecked")
    private static Operand<TFloat32>[] feedTensors(Builder b, Tensor[] ts) {
        Operand<TFloat32>[] out = new Operand[ts.length];
        for (int i = 0; i < ts.length; i++) {
            Placeholder<TFloat32> p = b.tf.placeholder(TFloat32.class, Placeholder.shape(ts[i].shape()));
            b.holders.add(p);
            b.fed.add(ts[i]);
            out[i] = p;
        }
        return out;
    }

    private static int[] x4(Workload w) {
        int[] s = w.shape();
        return s.length == 4 ? s : new int[] {s[0], 1, 1, s[1]};
    }

    private static int channels(Workload w) {
        return w.nchw() ? w.shape()[1] : w.shape()[w.shape().length - 1];
    }
}
