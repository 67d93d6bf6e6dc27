package org.norm4j.conformance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.tensorflow.EagerSession;
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
import org.tensorflow.op.core.Max;
import org.tensorflow.op.core.Min;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.op.core.Sum;
import org.tensorflow.op.math.Mean;
import org.tensorflow.op.nn.FusedBatchNorm;
import org.tensorflow.op.nn.FusedBatchNormGrad;
import org.tensorflow.op.nn.LocalResponseNormalization;
import org.tensorflow.op.nn.LocalResponseNormalizationGrad;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GraphOptions;
import org.tensorflow.proto.OptimizerOptions;
import org.tensorflow.proto.RewriterConfig;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;
import org.norm4j.conformance.Tf.*;

/**
 * Everything that touches TensorFlow Java types lives here, so that {@code Tf} itself (and
 * {@link Tf#available()}) still links when the TF classes or natives are missing.
 */
final class TfImpl {

    private TfImpl() {}

    static void smokeRun() {
        TensorFlow.version();
        try (EagerSession s = EagerSession.create()) {
            Ops.create(s).constant(1f).asTensor();
        }
    }

    static String version() { return TensorFlow.version(); }

    static Arr unary(Op op, Arr a) {
        return eager(tf -> {
            Operand<TFloating> x = in(tf, a);
            return out(switch (op) {
                case NEG -> tf.math.neg(x);
                case SQUARE -> tf.math.square(x);
                case SQRT -> tf.math.sqrt(x);
                case RSQRT -> tf.math.rsqrt(x);
                case EXP -> tf.math.exp(x);
                case LOG -> tf.math.log(x);
                case ABS -> tf.math.abs(x);
                default -> throw new AssertionError(op);
            });
        });
    }

    static Arr binary(Op op, Arr a, Arr b) {
        return eager(tf -> {
            Operand<TFloating> x = in(tf, a);
            Operand<TFloating> y = in(tf, b);
            return out(switch (op) {
                case ADD -> tf.math.add(x, y);
                case SUB -> tf.math.sub(x, y);
                case MUL -> tf.math.mul(x, y);
                case DIV -> tf.math.realDiv(x, y);
                case MAXIMUM -> tf.math.maximum(x, y);
                case MINIMUM -> tf.math.minimum(x, y);
                case POW -> tf.math.pow(x, y);
                case MATMUL -> tf.linalg.matMul(x, y);
                default -> throw new AssertionError(op);
            });
        });
    }

    static Arr reduce(Reduction r, Arr a, int[] axes, boolean keepDims) {
        return eager(tf -> {
            Operand<TFloating> x = in(tf, a);
            Operand<TInt32> ax = axesOp(tf, a.rank(), axes);
            return out(switch (r) {
                case SUM -> tf.sum(x, ax, Sum.keepDims(keepDims));
                case MEAN -> tf.math.mean(x, ax, Mean.keepDims(keepDims));
                case MAX -> tf.max(x, ax, Max.keepDims(keepDims));
                case MIN -> tf.min(x, ax, Min.keepDims(keepDims));
                case VARIANCE -> varianceOp(tf, x, ax, keepDims);
                case STD -> tf.math.sqrt(varianceOp(tf, x, ax, keepDims));
            });
        });
    }

    static Arr transpose(Arr x, int[] perm) {
        return eager(tf -> out(tf.linalg.transpose(in(tf, x), tf.constant(perm))));
    }

    static Moments moments(Arr x, int[] axes, boolean keepDims) {
        return eager(tf -> {
            Operand<TFloating>[] mv = momentsOps(tf, in(tf, x), axes, keepDims);
            return new Moments(out(mv[0]), out(mv[1]));
        });
    }

    static Moments weightedMoments(Arr x, int[] axes, Arr w, boolean keepDims) {
        return eager(tf -> {
            Operand<TFloating> xo = in(tf, x);
            Operand<TFloating> wo = in(tf, w);
            Operand<TInt32> ax = tf.constant(axes);
            Operand<TFloating> wsum = tf.sum(tf.math.mul(wo, xo), ax, Sum.keepDims(true));
            Operand<TFloating> sumW = tf.sum(tf.math.add(wo, tf.zerosLike(xo)), ax, Sum.keepDims(true));
            Operand<TFloating> mean = tf.math.divNoNan(wsum, sumW);
            Operand<TFloating> dist = tf.sum(tf.math.mul(wo, tf.math.squaredDifference(xo, mean)), ax,
                    Sum.keepDims(true));
            Operand<TFloating> var = tf.math.divNoNan(dist, sumW);
            if (!keepDims) {
                mean = squeeze(tf, mean, axes);
                var = squeeze(tf, var, axes);
            }
            return new Moments(out(mean), out(var));
        });
    }

    /** {@code [meanSS, varianceSS]} of tf.nn.sufficient_statistics. */
    static Arr[] sufficientSums(Arr x, int[] axes, Arr shift, boolean keepDims) {
        return eager(tf -> {
            Operand<TFloating> xo = in(tf, x);
            Operand<TFloating> m;
            Operand<TFloating> v;
            if (shift != null) {
                Operand<TFloating> s = in(tf, shift);
                m = tf.math.sub(xo, s);
                v = tf.math.squaredDifference(xo, s);
            } else {
                m = xo;
                v = tf.math.square(xo);
            }
            Operand<TInt32> ax = tf.constant(axes);
            return new Arr[] {out(tf.sum(m, ax, Sum.keepDims(keepDims))),
                out(tf.sum(v, ax, Sum.keepDims(keepDims)))};
        });
    }

    static Moments normalizeMoments(Arr counts, Arr meanSS, Arr varianceSS, Arr shift) {
        return eager(tf -> {
            Operand<TFloating> d = tf.math.reciprocal(in(tf, counts));
            Operand<TFloating> sm = tf.math.mul(in(tf, meanSS), d);
            Operand<TFloating> mean = shift != null ? tf.math.add(sm, in(tf, shift)) : sm;
            Operand<TFloating> var = tf.math.sub(tf.math.mul(in(tf, varianceSS), d), tf.math.square(sm));
            return new Moments(out(mean), out(var));
        });
    }

    static Arr batchNormalization(Arr x, Arr mean, Arr variance, Arr offset, Arr scale, double eps) {
        return eager(tf -> out(batchNormOp(tf, in(tf, x), in(tf, mean), in(tf, variance),
                offset == null ? null : in(tf, offset), scale == null ? null : in(tf, scale), eps)));
    }

    static Arr l2Normalize(Arr x, int[] axes, double eps) {
        return eager(tf -> out(l2NormalizeOp(tf, in(tf, x), axes, eps)));
    }

    static FusedBatchNormResult fusedBatchNorm(Arr x, Arr scale, Arr offset, Arr mean, Arr variance,
            double eps, double factor, String dataFormat, boolean isTraining) {
        return eager(tf -> {
            FusedBatchNorm<TFloating, TFloating> r = fusedBatchNormOp(tf, in(tf, x), in(tf, scale),
                    in(tf, offset), mean == null ? emptyF32(tf) : in(tf, mean),
                    variance == null ? emptyF32(tf) : in(tf, variance), eps, factor, dataFormat, isTraining);
            return new FusedBatchNormResult(out(r.y()), out(r.batchMean()), out(r.batchVariance()),
                    out(r.reserveSpace1()), out(r.reserveSpace2()));
        });
    }

    static FusedBatchNormGradResult fusedBatchNormGrad(Arr dy, Arr x, Arr scale, Arr reserveSpace1,
            Arr reserveSpace2, double eps, String dataFormat, boolean isTraining) {
        return eager(tf -> {
            FusedBatchNormGrad<TFloating, TFloating> g = fusedBatchNormGradOp(tf, in(tf, dy), in(tf, x),
                    in(tf, scale), in(tf, reserveSpace1), in(tf, reserveSpace2), emptyF32(tf), eps, dataFormat,
                    isTraining);
            return new FusedBatchNormGradResult(out(g.xBackprop()), out(g.scaleBackprop()),
                    out(g.offsetBackprop()));
        });
    }

    static Arr lrn(Arr x, int depthRadius, double bias, double alpha, double beta) {
        return eager(tf -> out(lrnOp(tf, in(tf, x), depthRadius, bias, alpha, beta)));
    }

    static Arr lrnGrad(Arr dy, Arr x, Arr y, int depthRadius, double bias, double alpha, double beta) {
        return eager(tf -> out(lrnGradOp(tf, in(tf, dy), in(tf, x), in(tf, y), depthRadius, bias, alpha,
                beta)));
    }

    // -------------------------------------------------------------- gradients (graph mode)

    static GradResult gradients(Fn fn, GradParams p, Arr w, Arr[] in) {
        List<Tensor> owned = new ArrayList<>();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            @SuppressWarnings({"unchecked", "rawtypes"})
            Operand<TFloating>[] ph = new Operand[in.length];
            for (int i = 0; i < in.length; i++) {
                if (in[i] != null) {
                    Class<? extends TFloating> type = in[i].float64() ? TFloat64.class : TFloat32.class;
                    ph[i] = cast(tf.placeholder(type, Placeholder.shape(shapeOf(in[i]))));
                }
            }
            Operand<TFloating> f;
            Output<?>[] dx;
            if (fn == Fn.LRN) { // the C++ registry's LRN gradient drops the attrs: apply Python's _LRNGrad
                f = lrnOp(tf, ph[0], p.depthRadius(), p.bias(), p.alpha(), p.beta());
                dx = new Output<?>[] {lrnGradOp(tf, upstream(g, tf, w, f), ph[0], f, p.depthRadius(), p.bias(),
                        p.alpha(), p.beta()).asOutput()};
            } else if (fn == Fn.FUSED_BATCH_NORM_TRAINING) { // Python's _FusedBatchNormV3Grad, training branch
                FusedBatchNorm<TFloating, TFloating> op = fusedBatchNormOp(tf, ph[0], ph[1], ph[2], emptyF32(tf),
                        emptyF32(tf), p.eps(), 1.0, p.dataFormat(), true);
                f = op.y();
                FusedBatchNormGrad<TFloating, TFloating> gr = fusedBatchNormGradOp(tf, upstream(g, tf, w, f),
                        ph[0], ph[1], op.reserveSpace1(), op.reserveSpace2(), op.reserveSpace3(), p.eps(),
                        p.dataFormat(), true);
                dx = new Output<?>[] {gr.xBackprop(), gr.scaleBackprop(), gr.offsetBackprop()};
            } else {
                f = switch (fn) {
                    case MOMENTS_MEAN -> momentsOps(tf, ph[0], p.axes(), p.keepDims())[0];
                    case MOMENTS_VARIANCE -> momentsOps(tf, ph[0], p.axes(), p.keepDims())[1];
                    case BATCH_NORMALIZATION -> batchNormOp(tf, ph[0], ph[1], ph[2], ph[3], ph[4], p.eps());
                    case L2_NORMALIZE -> l2NormalizeOp(tf, ph[0], p.axes(), p.eps());
                    default -> throw new AssertionError(fn);
                };
                List<Output<?>> xs = new ArrayList<>();
                for (Operand<TFloating> o : ph) if (o != null) xs.add(o.asOutput());
                dx = g.addGradients(loss(tf, w, f).asOutput(), xs.toArray(new Output<?>[0]));
            }
            try (Session s = new Session(g, sessionConfig())) {
                Session.Runner r = s.runner();
                for (int i = 0; i < in.length; i++) {
                    if (in[i] != null) {
                        Tensor t = tensor(in[i]);
                        owned.add(t);
                        r.feed(ph[i], t);
                    }
                }
                r.fetch(f);
                return runGradients(r, dx, in);
            }
        } catch (RuntimeException e) {
            throw wrap(e);
        } finally {
            for (Tensor t : owned) t.close();
        }
    }

    /** Fetches the gradients {@code dx} after the already fetched value, runs, and returns both. */
    private static GradResult runGradients(Session.Runner r, Output<?>[] dx, Arr[] in) {
        for (Output<?> o : dx) r.fetch(o);
        try (Result res = r.run()) {
            Arr[] grads = new Arr[in.length];
            for (int i = 0, k = 1; i < in.length; i++) if (in[i] != null) grads[i] = arr(res.get(k++));
            return new GradResult(arr(res.get(0)), grads);
        }
    }

    static Arr evaluate(Composition f, Arr[] in) {
        return eager(tf -> out(f.build(tf, Arrays.stream(in).map(a -> a == null ? null : in(tf, a)).toList())));
    }

    /** As {@link #gradients(Fn, GradParams, Arr, Arr[])}: placeholders, registry gradients, no Grappler. */
    static GradResult composed(Composition c, Arr w, Arr[] in) {
        List<Tensor> owned = new ArrayList<>();
        try (Graph g = new Graph()) {
            Ops tf = Ops.create(g);
            List<Operand<TFloating>> ph = new ArrayList<>();
            List<Output<?>> xs = new ArrayList<>();
            for (Arr a : in) {
                Class<? extends TFloating> type = a != null && a.float64() ? TFloat64.class : TFloat32.class;
                ph.add(a == null ? null : cast(tf.placeholder(type, Placeholder.shape(shapeOf(a)))));
                if (a != null) xs.add(ph.get(ph.size() - 1).asOutput());
            }
            Operand<TFloating> f = c.build(tf, ph);
            Output<?>[] dx = g.addGradients(loss(tf, w, f).asOutput(), xs.toArray(new Output<?>[0]));
            try (Session s = new Session(g, sessionConfig())) {
                Session.Runner r = s.runner().fetch(f);
                for (int i = 0; i < in.length; i++) if (in[i] != null) owned.add(tensor(in[i]));
                for (int i = 0, k = 0; i < in.length; i++) if (in[i] != null) r.feed(ph.get(i), owned.get(k++));
                return runGradients(r, dx, in);
            }
        } catch (RuntimeException e) {
            throw wrap(e);
        } finally {
            for (Tensor t : owned) t.close();
        }
    }

    /** {@code reduce_sum(w * f)} over all axes ({@code reduce_sum(f)} when w is null). */
    private static Operand<TFloating> loss(Ops tf, Arr w, Operand<TFloating> f) {
        Operand<TFloating> prod = w == null ? f : tf.math.mul(in(tf, w), f);
        return tf.sum(prod, axesOp(tf, prod.shape().numDimensions(), null));
    }

    /** d loss / d f via the registry (Mul/Sum gradients: w broadcast to f's shape). */
    private static Operand<TFloating> upstream(Graph g, Ops tf, Arr w, Operand<TFloating> f) {
        return cast(g.addGradients(loss(tf, w, f).asOutput(), new Output<?>[] {f.asOutput()})[0]);
    }

    /** Session config: no Grappler, no classic graph optimizer (op-by-op kernels, as in eager). */
    private static ConfigProto sessionConfig() {
        return ConfigProto.newBuilder().setGraphOptions(GraphOptions.newBuilder()
                .setRewriteOptions(RewriterConfig.newBuilder().setDisableMetaOptimizer(true))
                .setOptimizerOptions(OptimizerOptions.newBuilder().setOptLevel(OptimizerOptions.Level.L0)
                        .setDoConstantFolding(false).setDoCommonSubexpressionElimination(false)))
                .build();
    }

    // -------------------------------------------------------------- compositions (eager or graph)

    /** {@code [mean, variance]} exactly as tf.nn.moments builds them. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Operand<TFloating>[] momentsOps(Ops tf, Operand<TFloating> x, int[] axes, boolean keepDims) {
        Operand<TInt32> ax = tf.constant(axes);
        Operand<TFloating> mean = tf.math.mean(x, ax, Mean.keepDims(true));
        Operand<TFloating> var = tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), ax,
                Mean.keepDims(true));
        if (!keepDims) {
            mean = squeeze(tf, mean, axes);
            var = squeeze(tf, var, axes);
        }
        return new Operand[] {mean, var};
    }

    private static Operand<TFloating> varianceOp(Ops tf, Operand<TFloating> x, Operand<TInt32> ax,
            boolean keepDims) {
        Operand<TFloating> mean = tf.math.mean(x, ax, Mean.keepDims(true));
        return tf.math.mean(tf.math.squaredDifference(x, tf.stopGradient(mean)), ax, Mean.keepDims(keepDims));
    }

    private static Operand<TFloating> batchNormOp(Ops tf, Operand<TFloating> x, Operand<TFloating> mean,
            Operand<TFloating> variance, Operand<TFloating> offset, Operand<TFloating> scale, double eps) {
        Operand<TFloating> inv = tf.math.rsqrt(tf.math.add(variance, scalarLike(tf, variance, eps)));
        if (scale != null) inv = tf.math.mul(inv, scale);
        Operand<TFloating> shift = offset != null ? tf.math.sub(offset, tf.math.mul(mean, inv))
                : tf.math.mul(tf.math.neg(mean), inv);
        return tf.math.add(tf.math.mul(x, castLike(tf, inv, x)), castLike(tf, shift, x));
    }

    private static Operand<TFloating> l2NormalizeOp(Ops tf, Operand<TFloating> x, int[] axes, double eps) {
        Operand<TFloating> sq = tf.sum(tf.math.square(x), axesOp(tf, x.shape().numDimensions(), axes),
                Sum.keepDims(true));
        return tf.math.mul(x, tf.math.rsqrt(tf.math.maximum(sq, scalarLike(tf, sq, eps))));
    }

    private static Operand<TFloating> lrnOp(Ops tf, Operand<TFloating> x, int r, double bias, double alpha,
            double beta) {
        return tf.nn.localResponseNormalization(x, LocalResponseNormalization.depthRadius((long) r),
                LocalResponseNormalization.bias((float) bias), LocalResponseNormalization.alpha((float) alpha),
                LocalResponseNormalization.beta((float) beta));
    }

    private static Operand<TFloating> lrnGradOp(Ops tf, Operand<TFloating> dy, Operand<TFloating> x,
            Operand<TFloating> y, int r, double bias, double alpha, double beta) {
        return tf.nn.localResponseNormalizationGrad(dy, x, y, LocalResponseNormalizationGrad.depthRadius((long) r),
                LocalResponseNormalizationGrad.bias((float) bias),
                LocalResponseNormalizationGrad.alpha((float) alpha),
                LocalResponseNormalizationGrad.beta((float) beta));
    }

    private static FusedBatchNorm<TFloating, TFloating> fusedBatchNormOp(Ops tf, Operand<TFloating> x,
            Operand<TFloating> scale, Operand<TFloating> offset, Operand<TFloating> mean, Operand<TFloating> var,
            double eps, double factor, String dataFormat, boolean isTraining) {
        return tf.nn.fusedBatchNorm(x, scale, offset, mean, var, FusedBatchNorm.epsilon((float) eps),
                FusedBatchNorm.exponentialAvgFactor((float) factor), FusedBatchNorm.dataFormat(dataFormat),
                FusedBatchNorm.isTraining(isTraining));
    }

    private static FusedBatchNormGrad<TFloating, TFloating> fusedBatchNormGradOp(Ops tf, Operand<TFloating> dy,
            Operand<TFloating> x, Operand<TFloating> scale, Operand<TFloating> r1, Operand<TFloating> r2,
            Operand<TFloating> r3, double eps, String dataFormat, boolean isTraining) {
        return tf.nn.fusedBatchNormGrad(dy, x, cast(scale), r1, r2, r3, FusedBatchNormGrad.epsilon((float) eps),
                FusedBatchNormGrad.dataFormat(dataFormat), FusedBatchNormGrad.isTraining(isTraining));
    }

    // -------------------------------------------------------------- plumbing

    interface EagerBody<R> {
        R apply(Ops tf);
    }

    /** Runs {@code body} in a fresh EagerSession; everything it allocated is freed on return. */
    static <R> R eager(EagerBody<R> body) {
        try (EagerSession s = EagerSession.create()) {
            return body.apply(Ops.create(s));
        } catch (RuntimeException e) {
            throw wrap(e);
        }
    }

    /** TF Java's exceptions (TensorFlowException, TFInvalidArgumentException, ...) become TfError. */
    private static RuntimeException wrap(RuntimeException e) {
        return e.getClass().getName().startsWith("org.tensorflow.") ? new TfError(e) : e;
    }

    @SuppressWarnings("unchecked")
    private static <T extends TType> Operand<T> cast(Operand<?> o) { return (Operand<T>) o; }

    private static Shape shapeOf(Arr a) {
        long[] d = new long[a.rank()];
        for (int i = 0; i < d.length; i++) d[i] = a.shape()[i];
        return Shape.of(d);
    }

    /** A constant (eager or graph) holding {@code a}. */
    static Operand<TFloating> in(Ops tf, Arr a) {
        if (a.float64()) return cast(tf.constant(shapeOf(a), DataBuffers.of(a.data(), true, false)));
        return cast(tf.constant(shapeOf(a), DataBuffers.of(a.toFloats(), true, false)));
    }

    /** A host tensor holding {@code a}; the caller closes it. */
    private static Tensor tensor(Arr a) {
        if (a.float64()) return TFloat64.tensorOf(shapeOf(a), DataBuffers.of(a.data(), true, false));
        return TFloat32.tensorOf(shapeOf(a), DataBuffers.of(a.toFloats(), true, false));
    }

    private static Operand<TFloating> emptyF32(Ops tf) { return cast(tf.constant(new float[0])); }

    private static Operand<TFloating> scalarLike(Ops tf, Operand<TFloating> like, double v) {
        return TFloat64.class.equals(like.type()) ? cast(tf.constant(v)) : cast(tf.constant((float) v));
    }

    private static Operand<TFloating> castLike(Ops tf, Operand<TFloating> o, Operand<TFloating> like) {
        return o.type().equals(like.type()) ? o : cast(tf.dtypes.cast(o, like.type()));
    }

    /** Python {@code axis=None} (null) becomes {@code range(rank)}. */
    private static Operand<TInt32> axesOp(Ops tf, int rank, int[] axes) {
        if (axes != null) return tf.constant(axes);
        int[] all = new int[rank];
        for (int i = 0; i < rank; i++) all[i] = i;
        return tf.constant(all);
    }

    private static Operand<TFloating> squeeze(Ops tf, Operand<TFloating> x, int[] axes) {
        List<Long> dims = new ArrayList<>();
        for (int a : axes) dims.add((long) a);
        return tf.squeeze(x, Squeeze.axis(dims));
    }

    static Arr out(Operand<?> o) { return arr(o.asTensor()); }

    private static Arr arr(Tensor t) {
        long[] s = t.shape().asArray();
        int[] shape = new int[s.length];
        for (int i = 0; i < s.length; i++) shape[i] = Math.toIntExact(s[i]);
        int n = Math.toIntExact(t.shape().size());
        double[] data = new double[n];
        if (t instanceof TFloat32 f) {
            float[] buf = new float[n];
            f.copyTo(DataBuffers.of(buf, false, false));
            for (int i = 0; i < n; i++) data[i] = buf[i];
            return new Arr(data, shape, false);
        }
        if (t instanceof TFloat64 d) {
            d.copyTo(DataBuffers.of(data, false, false));
            return new Arr(data, shape, true);
        }
        throw new IllegalStateException("unsupported output dtype " + t.dataType());
    }
}
