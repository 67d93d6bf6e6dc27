package org.norm4j.bench;

import java.util.ArrayList;
import java.util.List;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.data.Mnist;
import org.norm4j.kernel.KernelProvider;
import org.norm4j.kernel.Parallel;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Input;
import org.norm4j.layers.Layer;
import org.norm4j.models.FitOptions;
import org.norm4j.models.Sequential;
import org.norm4j.ops.Convolutions;
import org.norm4j.ops.DataFormat;
import org.norm4j.ops.LayerNorms;
import org.norm4j.ops.Linalg;
import org.norm4j.ops.Manipulation;
import org.norm4j.ops.Nn;
import org.norm4j.ops.Padding;

/**
 * norm4j through its public API, as a user calls it: every call allocates its outputs (Java zeroes them), or,
 * with {@link #INTO_PROPERTY}, writes them into arrays allocated once. The variant (vector or scalar kernels,
 * thread count) is chosen by the forked JVM's flags.
 */
public final class Norm4jEngine implements Engine {
    /**
     * System property: when true, the ops that have a destination-taking variant write into one output array
     * allocated once (what a serving loop or a training framework that recycles buffers does), so no call pays
     * for zeroing a fresh array.
     */
    public static final String INTO_PROPERTY = "norm4j.bench.into";
    private static final boolean INTO = Boolean.getBoolean(INTO_PROPERTY);
    private static final double EPS = 1e-3;

    @Override
    public String name() {
        return "norm4j";
    }

    @Override
    public String describe() {
        return "kernels " + KernelProvider.describe() + ", " + Parallel.threads() + " thread(s)";
    }

    @Override
    public Task prepare(Workload w) {
        int[] s = w.shape();
        switch (w.op()) {
            case LN_FWD: {
                Tensor x = x(s);
                int c = s[s.length - 1];
                Tensor g = vec(c, 1, 1);
                Tensor b = vec(c, 2, 0);
                if (INTO) {
                    float[] out = new float[x.size()];
                    return () -> LayerNorms.layerNormalization(x, new int[] {-1}, g, b, EPS, false, out);
                }
                return () -> LayerNorms.layerNormalization(x, new int[] {-1}, g, b, EPS, false);
            }
            case LN_FWD_BWD: {
                Tensor x = x(s);
                int c = s[s.length - 1];
                Tensor g = vec(c, 1, 1);
                Tensor b = vec(c, 2, 0);
                Tensor dy = dy(s);
                return () -> fwdBwd(dy, new Tensor[] {x, g, b},
                    () -> LayerNorms.layerNormalization(x, new int[] {-1}, g, b, EPS, false));
            }
            case GN_FWD: {
                Tensor x = x(s);
                int c = s[s.length - 1];
                Tensor g = vec(c, 1, 1);
                Tensor b = vec(c, 2, 0);
                return () -> LayerNorms.groupNormalization(x, 32, -1, g, b, EPS);
            }
            case GN_FWD_BWD: {
                Tensor x = x(s);
                int c = s[s.length - 1];
                Tensor g = vec(c, 1, 1);
                Tensor b = vec(c, 2, 0);
                Tensor dy = dy(s);
                return () -> fwdBwd(dy, new Tensor[] {x, g, b},
                    () -> LayerNorms.groupNormalization(x, 32, -1, g, b, EPS));
            }
            case RMS_FWD: {
                Tensor x = x(s);
                Tensor g = vec(s[s.length - 1], 1, 1);
                if (INTO) {
                    float[] out = new float[x.size()];
                    return () -> LayerNorms.rmsNormalization(x, new int[] {-1}, g, 1e-6, out);
                }
                return () -> LayerNorms.rmsNormalization(x, new int[] {-1}, g, 1e-6);
            }
            case RMS_FWD_BWD: {
                Tensor x = x(s);
                Tensor g = vec(s[s.length - 1], 1, 1);
                Tensor dy = dy(s);
                return () -> fwdBwd(dy, new Tensor[] {x, g},
                    () -> LayerNorms.rmsNormalization(x, new int[] {-1}, g, 1e-6));
            }
            case BN_TRAIN_FWD: {
                Tensor x = x(s);
                int c = channels(w);
                Tensor g = vec(c, 1, 1);
                Tensor b = vec(c, 2, 0);
                String fmt = format(w);
                if (INTO) {
                    Tensor x4 = x4(x, w);
                    float[] out = new float[x.size()];
                    return () -> Nn.fusedBatchNorm(x4, g, b, null, null, EPS, fmt, true, 1.0, out).y();
                }
                return () -> Nn.fusedBatchNorm(x4(x, w), g, b, null, null, EPS, fmt, true, 1.0).y();
            }
            case BN_INFER: {
                Tensor x = x(s);
                int c = channels(w);
                Tensor g = vec(c, 1, 1);
                Tensor b = vec(c, 2, 0);
                Tensor m = vec(c, 3, 0);
                Tensor v = vec(c, 4, 1);
                String fmt = format(w);
                if (INTO) {
                    Tensor x4 = x4(x, w);
                    float[] out = new float[x.size()];
                    return () -> Nn.fusedBatchNorm(x4, g, b, m, v, EPS, fmt, false, 1.0, out).y();
                }
                return () -> Nn.fusedBatchNorm(x4(x, w), g, b, m, v, EPS, fmt, false, 1.0).y();
            }
            case BN_TRAIN_BWD: {
                Tensor x = x4(x(s), w);
                int c = channels(w);
                Tensor g = vec(c, 1, 1);
                Tensor b = vec(c, 2, 0);
                Tensor dy = x4(dy(s), w);
                String fmt = format(w);
                Nn.FusedBatchNormResult f = Nn.fusedBatchNorm(x, g, b, null, null, EPS, fmt, true, 1.0);
                if (INTO) {
                    float[] out = new float[x.size()];
                    return () -> Nn.fusedBatchNormGrad(dy, x, g, f.reserveSpace1(), f.reserveSpace2(), EPS, fmt, true,
                            out).xBackprop();
                }
                return () -> Nn.fusedBatchNormGrad(dy, x, g, f.reserveSpace1(), f.reserveSpace2(), EPS, fmt, true)
                        .xBackprop();
            }
            case MOMENTS: {
                Tensor x = x(s);
                return () -> Nn.moments(x, 0).variance();
            }
            case MATMUL: {
                Tensor a = x(s[0], s[1]);
                Tensor b = dy(s[1], s[2]);
                return () -> Linalg.matmul(a, b);
            }
            case MATMUL_TN: { // x^T g: x is [k, m] as stored, the product is [m, k] x [k, n]
                Tensor a = x(s[1], s[0]);
                Tensor b = dy(s[1], s[2]);
                return () -> Linalg.matmul(a, b, true, false); // transpose_a: no transposed copy
            }
            case MATMUL_NT: { // g W^T: W is [n, k] as stored
                Tensor a = x(s[0], s[1]);
                Tensor b = dy(s[2], s[1]);
                return () -> Linalg.matmul(a, b, false, true); // transpose_b: no transposed copy
            }
            case CONV_FWD:
            case CONV_BWD_INPUT:
            case CONV_BWD_FILTER: {
                int[] one = {1};
                Tensor x = x(s[0], s[1], s[2], s[3]);
                Tensor f = x(s[4], s[4], s[3], s[5]);
                Tensor dy = dy(s[0], s[1] - s[4] + 1, s[2] - s[4] + 1, s[5]);
                if (w.op() == Op.CONV_FWD) {
                    return () -> Convolutions.conv2d(x, f, one, Padding.VALID);
                }
                if (w.op() == Op.CONV_BWD_INPUT) {
                    return () -> Convolutions.conv2dBackpropInput(x.shape().dims(), f, dy, one, Padding.VALID,
                            DataFormat.NHWC, one);
                }
                return () -> Convolutions.conv2dBackpropFilter(x, f.shape().dims(), dy, one, Padding.VALID,
                        DataFormat.NHWC, one);
            }
            case TRAIN_STEP:
            case TRAIN_EPOCH:
            case TRAIN_EPOCH_FASHION: {
                Mnist data = Data.training(w.op());
                int n = w.op() == Op.TRAIN_STEP ? 32 : data.xTrain().shape().dim(0);
                Tensor x = data.xTrain().slice(0, n);
                Tensor y = Mnist.oneHot(java.util.Arrays.copyOf(data.yTrain(), n), 10);
                Sequential model = seedModel();
                FitOptions opts = FitOptions.builder().epochs(1).batchSize(32).shuffle(false).verbose(0).build();
                model.fit(x, y, opts); // builds the layers and the optimizer slots
                return () -> model.fit(x, y, opts);
            }
            default:
                return null;
        }
    }

    /** The seed's model: BatchNormalization, Dense(128, relu), BatchNormalization, Dense(10, softmax), Adam. */
    static Sequential seedModel() {
        List<Layer> layers = new ArrayList<>();
        layers.add(new Input(784));
        Layer bn1 = batchNormalization();
        if (bn1 != null) {
            layers.add(bn1);
        }
        layers.add(new Dense(128, "relu"));
        Layer bn2 = batchNormalization();
        if (bn2 != null) {
            layers.add(bn2);
        }
        layers.add(new Dense(10, "softmax"));
        Sequential model = new Sequential(layers.toArray(new Layer[0]));
        model.compile("adam", "categorical_crossentropy", "accuracy");
        return model;
    }

    /** A Keras-default BatchNormalization layer, or null while the layer is not in the build. */
    static Layer batchNormalization() {
        try {
            return (Layer) Class.forName("org.norm4j.layers.BatchNormalization").getDeclaredConstructor()
                    .newInstance();
        } catch (ReflectiveOperationException e) {
            return null;
        }
    }

    private static Object fwdBwd(Tensor dy, Tensor[] sources, java.util.function.Supplier<Tensor> fwd) {
        try (GradientTape tape = new GradientTape()) {
            for (Tensor t : sources) {
                tape.watch(t);
            }
            Tensor y = fwd.get();
            return tape.gradient(y, sources, dy);
        }
    }

    private static Tensor x4(Tensor x, Workload w) {
        if (x.rank() == 4) {
            return x;
        }
        int[] s = w.shape(); // rank-2 [n, c] as NHWC [n, 1, 1, c]: what a Keras BN layer on Dense output does
        return Manipulation.reshape(x, s[0], 1, 1, s[1]);
    }

    private static int channels(Workload w) {
        return w.nchw() ? w.shape()[1] : w.shape()[w.shape().length - 1];
    }

    private static String format(Workload w) {
        return w.nchw() ? "NCHW" : "NHWC";
    }

    private static Tensor x(int... s) {
        return Tensor.wrap(Data.x(Data.size(s)), Shape.of(s));
    }

    private static Tensor dy(int... s) {
        return Tensor.wrap(Data.dy(Data.size(s)), Shape.of(s));
    }

    private static Tensor vec(int c, long seed, double center) {
        return Tensor.wrap(Data.param(c, seed, center), Shape.of(c));
    }

}
