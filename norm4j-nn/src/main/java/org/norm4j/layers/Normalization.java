package org.norm4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.initializers.Initializer;
import org.norm4j.ops.Manipulation;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.ExactMoments;
import org.norm4j.stats.StreamingMoments;
import org.norm4j.stats.ZeroVariancePolicy;

/**
 * {@code keras.layers.Normalization}, the preprocessing layer: shifts and scales each feature by a mean and a
 * variance that are either given or learned with {@link #adapt}.
 *
 * <pre>
 *   output = (x - mean) / max(sqrt(variance), 1e-7)          (invert = false)
 *   output = mean + x * max(sqrt(variance), 1e-7)            (invert = true)
 * </pre>
 *
 * computed in float32 in exactly that order, as Keras does (inputs of another dtype are cast to float32
 * first). The floor {@code 1e-7} is Keras's {@code backend.epsilon()}; a zero-variance feature is therefore
 * divided by 1e-7 unless another {@link ZeroVariancePolicy} is chosen.
 *
 * <p>Arguments (Keras 3 names and defaults, then norm4j's):
 * <ul>
 *   <li>{@code axis = -1}: the axis or axes that get their own mean and variance (the <em>kept</em> axes);
 *       every other axis is reduced. An empty list ({@code axis=None} in Keras) keeps none: one scalar mean and
 *       variance for all elements. The batch axis 0 cannot be kept (its size is unknown).</li>
 *   <li>{@code mean = null}, {@code variance = null}: explicit statistics, both or neither. Their shapes must be
 *       equal and of rank at most the number of kept axes; they are aligned with the kept axes from the right and
 *       broadcast onto them (a scalar applies to every feature). With explicit statistics the layer has no weights
 *       and cannot be adapted.</li>
 *   <li>{@code invert = false}: apply the inverse transformation (turn normalized values back).</li>
 *   <li>{@code zero_variance_policy = KERAS} (norm4j): what a zero-variance feature does; see
 *       {@link ZeroVariancePolicy} (KERAS divides by 1e-7, SKLEARN by 1 where scikit-learn's constant-feature
 *       test holds and by the exact standard deviation elsewhere, SPARK outputs 0).</li>
 *   <li>{@code nan_policy = PROPAGATE} (norm4j): what {@code adapt} does with NaN; see {@link NanPolicy}
 *       (PROPAGATE, TensorFlow's rule: a feature with a NaN gets NaN statistics; IGNORE, scikit-learn's rule:
 *       NaN values are skipped when adapting, and stay NaN in the output).</li>
 *   <li>{@code ddof = 0} (norm4j): the variance estimator used by {@code adapt}, {@code M2 / (n - ddof)}: 0 is
 *       the population (biased) variance of Keras, TensorFlow and scikit-learn; 1 the sample (unbiased) variance
 *       of Spark MLlib. It does not touch explicit statistics.</li>
 * </ul>
 *
 * <p>Weights (without explicit statistics), all non-trainable: {@code mean} and {@code variance}, float32 of
 * the kept shape (initially 0 and 1, so an un-adapted layer is the identity), and {@code count}, a scalar
 * holding the number of values per feature that the last {@code adapt} saw (float64 here, an int in Keras; Keras
 * 3 keeps it only for old saved models and leaves it 0). They are saved and loaded with the model.
 *
 * <p>{@code adapt} computes exactly rounded statistics ({@link ExactMoments}: the true mean and variance of the
 * float64 values, rounded once), so a stream of batches of any sizes gives the same bits as one batch, as
 * {@code norm4j fit} and the Spark scalers on the same data, whatever the offset; it <em>replaces</em> earlier
 * statistics. A feature whose values are all
 * equal (min == max) gets exactly its value as mean and exactly 0 as variance; a warning (java.util.logging,
 * WARNING, logger {@code org.norm4j.layers.Normalization}) names every constant feature: stored variance 0, or
 * under SKLEARN scikit-learn's constant-feature test.
 * Differences from Keras: Keras accumulates in float32 (so a constant feature can come out with a tiny non-zero
 * variance and a mean one ulp off, which the 1e-7 floor magnifies) and converts the batches of an iterable to
 * float32 first; it does not reject duplicate axes; and it can keep axis 0 when adapting on a fixed-size array.
 *
 * <pre>{@code
 * Normalization norm = new Normalization();          // axis = -1: one mean/variance per last-axis index
 * norm.adapt(batches);                               // Iterable<Tensor>, any batch sizes
 * Tensor y = norm.apply(x);
 * Normalization spark = Normalization.builder().zeroVariancePolicy(ZeroVariancePolicy.SPARK).ddof(1).build();
 * }</pre>
 */
public class Normalization extends Layer {
    /** The floor of the standard deviation, Keras's {@code backend.epsilon()} in float32. */
    public static final float EPSILON = 1e-7f;
    private static final Logger LOG = Logger.getLogger(Normalization.class.getName());
    private static final int MAX_LISTED = 20;
    /** A float64 zero scalar for the {@code count} weight (Keras: an int). */
    private static final Initializer COUNT_INITIALIZER = new Initializer() {
        @Override
        public Tensor apply(Shape shape, DType dtype) {
            return Tensor.zeros(DType.FLOAT64, shape.dims());
        }

        @Override
        public String className() {
            return "Zeros";
        }

        @Override
        public Map<String, Object> getConfig() {
            return new LinkedHashMap<>();
        }
    };

    private final int[] axis;
    private final Tensor inputMean;
    private final Tensor inputVariance;
    private final boolean invert;
    private final ZeroVariancePolicy zeroVariancePolicy;
    private final int ddof;
    private final NanPolicy nanPolicy;

    private int[] keepAxis;
    private int[] reduceAxis;
    private int[] keptShape;
    private int[] broadcastShape;
    private Variable adaptMean;
    private Variable adaptVariance;
    private Variable count;
    private Tensor fixedMean;
    private Tensor fixedVariance;
    private StreamingMoments lastMoments;

    /** {@code Normalization()}: axis -1, to be adapted. */
    public Normalization() {
        this(builder());
    }

    /**
     * {@code Normalization(axis=...)}, to be adapted.
     *
     * @param axis the kept axes; none ({@code new Normalization(new int[0])}) means one global mean and variance
     */
    public Normalization(int... axis) {
        this(builder().axis(axis));
    }

    private Normalization(Builder b) {
        this.axis = b.axis.clone();
        this.invert = b.invert;
        this.zeroVariancePolicy = b.zeroVariancePolicy;
        this.ddof = b.ddof;
        this.nanPolicy = b.nanPolicy;
        if ((b.mean == null) != (b.variance == null)) {
            throw new IllegalArgumentException("When setting values directly, both `mean` and `variance` must be "
                    + "set. Received: mean=" + (b.mean == null ? "null" : b.mean.shape())
                    + " and variance=" + (b.variance == null ? "null" : b.variance.shape()));
        }
        if (b.mean != null) {
            if (!b.mean.shape().equals(b.variance.shape())) {
                throw new IllegalArgumentException("When setting values directly, `mean` and `variance` must have "
                        + "the same shape. Received: mean shape " + b.mean.shape() + " and variance shape "
                        + b.variance.shape());
            }
            if (b.mean.rank() > axis.length) {
                throw new IllegalArgumentException("The rank of `mean` must be less than or equal to the number of "
                        + "axes (" + axis.length + "). Received: mean shape " + b.mean.shape() + " for axis "
                        + Arrays.toString(axis));
            }
        }
        this.inputMean = b.mean == null ? null : b.mean.asType(DType.FLOAT64);
        this.inputVariance = b.variance == null ? null : b.variance.asType(DType.FLOAT64);
    }

    /** A builder with Keras's defaults: axis -1, no explicit statistics, invert false, KERAS policy, ddof 0. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Rebuilds a layer from {@link #getConfig()}: the Keras keys {@code axis} (int, list, or null/empty for
     * None), {@code mean}, {@code variance} (null, a number or nested lists), {@code invert}, and norm4j's
     * {@code zero_variance_policy} and {@code ddof} (defaults KERAS and 0 when absent, as in a Keras config).
     */
    public static Normalization fromConfig(Map<String, Object> config) {
        Builder b = builder();
        Object a = config.get("axis");
        if (a == null) {
            b.axis(new int[0]);
        } else if (a instanceof Number) {
            b.axis(((Number) a).intValue());
        } else if (a instanceof List) {
            List<?> l = (List<?>) a;
            int[] ax = new int[l.size()];
            for (int i = 0; i < ax.length; i++) {
                ax[i] = ((Number) l.get(i)).intValue();
            }
            b.axis(ax);
        } else {
            throw new IllegalArgumentException("axis = " + a + ": expected an int, a list of ints or null");
        }
        Tensor mean = NestedLists.toTensor(config.get("mean"), "mean");
        Tensor variance = NestedLists.toTensor(config.get("variance"), "variance");
        if (mean != null) {
            b.mean(mean);
        }
        if (variance != null) {
            b.variance(variance);
        }
        b.invert(Boolean.TRUE.equals(config.get("invert")));
        Object p = config.get("zero_variance_policy");
        if (p != null) {
            b.zeroVariancePolicy(ZeroVariancePolicy.parse(p.toString()));
        }
        Object d = config.get("ddof");
        if (d != null) {
            b.ddof(((Number) d).intValue());
        }
        Object np = config.get("nan_policy");
        if (np != null) {
            b.nanPolicy(NanPolicy.parse(np.toString()));
        }
        Normalization n = b.build();
        LayerConfigs.applyBase(n, config);
        return n;
    }

    // ---- build -------------------------------------------------------------------------------------

    @Override
    protected void build(int[] inputShape) {
        int ndim = inputShape.length;
        boolean[] kept = new boolean[ndim];
        for (int a : axis) {
            if (a < -ndim || a >= ndim) {
                throw new IllegalArgumentException("Normalization layer '" + name() + "': axis " + a
                        + " is out of range for inputs of rank " + ndim + " (shape " + showShape(inputShape)
                        + "): all `axis` values must be in the range [" + (-ndim) + ", " + ndim + ")");
            }
            int c = a < 0 ? a + ndim : a;
            if (kept[c]) {
                throw new IllegalArgumentException("Normalization layer '" + name() + "': duplicate axes in axis = "
                        + Arrays.toString(axis) + " for inputs of rank " + ndim + ": axis " + c + " appears twice");
            }
            kept[c] = true;
        }
        int nk = 0;
        for (boolean k : kept) {
            nk += k ? 1 : 0;
        }
        keepAxis = new int[nk];
        reduceAxis = new int[ndim - nk];
        keptShape = new int[nk];
        broadcastShape = new int[ndim];
        for (int d = 0, i = 0, j = 0; d < ndim; d++) {
            if (kept[d]) {
                if (inputShape[d] < 0) {
                    throw new IllegalArgumentException("Normalization layer '" + name() + "': all `axis` values to be "
                            + "kept must have a known shape; axis " + d + " of inputs " + showShape(inputShape)
                            + " is unknown" + (d == 0 ? " (it is the batch axis; for batched scalars use an empty "
                            + "axis list, Keras's axis=None)" : ""));
                }
                keepAxis[i] = d;
                keptShape[i++] = inputShape[d];
                broadcastShape[d] = inputShape[d];
            } else {
                reduceAxis[j++] = d;
                broadcastShape[d] = 1;
            }
        }
        if (inputMean == null) {
            adaptMean = addWeight("mean", keptShape, "zeros", false);
            adaptVariance = addWeight("variance", keptShape, "ones", false);
            count = addWeight("count", new int[0], COUNT_INITIALIZER, false);
        } else {
            fixedMean = broadcastStat(inputMean, "mean");
            fixedVariance = broadcastStat(inputVariance, "variance");
        }
    }

    /** Keras's rule: align the statistic with the kept axes from the right, broadcast, cast to float32. */
    private Tensor broadcastStat(Tensor s, String what) {
        try {
            return Manipulation.broadcastTo(s, keptShape).asType(DType.FLOAT32);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Normalization layer '" + name() + "': `" + what + "` of shape "
                    + s.shape() + " cannot be broadcast to the kept axes " + Arrays.toString(keepAxis) + " of shape "
                    + showShape(keptShape) + ": expected its dimensions, aligned from the right, to equal those or "
                    + "be 1", e);
        }
    }

    // ---- adapt -------------------------------------------------------------------------------------

    /**
     * Computes the mean and variance of {@code data} (a whole data set in one tensor, first axis the batch) and
     * stores them, replacing earlier statistics. Builds the layer from the data's shape if needed.
     *
     * @throws IllegalStateException if the layer was given explicit mean and variance
     * @throws IllegalArgumentException if the kept dimensions differ from those the layer was built for
     */
    public Normalization adapt(Tensor data) {
        Objects.requireNonNull(data, "data must not be null");
        return adapt(List.of(data).iterator());
    }

    /** {@link #adapt(Iterator)} over an iterable of batches. */
    public Normalization adapt(Iterable<Tensor> batches) {
        Objects.requireNonNull(batches, "batches must not be null");
        return adapt(batches.iterator());
    }

    /**
     * Computes the mean and variance over a stream of batches and stores them, replacing earlier statistics. The
     * batches may have any sizes along the reduced axes (the data may be larger than memory: one batch is held at
     * a time) but must all have the rank and the kept dimensions of the first. The stored statistics change only
     * if the whole stream was read without error.
     *
     * @throws IllegalArgumentException if the stream is empty, holds no values, or a batch has another rank or
     *     kept dimensions
     * @throws IllegalStateException if the layer was given explicit mean and variance
     */
    public Normalization adapt(Iterator<Tensor> batches) {
        Objects.requireNonNull(batches, "batches must not be null");
        requireAdaptable();
        if (!batches.hasNext()) {
            throw new IllegalArgumentException("Normalization layer '" + name() + "': adapt() received an empty "
                    + "iterable (no batches): expected at least one batch");
        }
        ExactMoments acc = null;
        long index = 0;
        while (batches.hasNext()) {
            Tensor batch = batches.next();
            if (batch == null) {
                throw new IllegalArgumentException("Normalization layer '" + name() + "': adapt() batch " + index
                        + " is null");
            }
            if (!built()) {
                buildFor(batch.shape().dims());
            }
            checkAdaptShape(batch, index);
            if (acc == null) {
                acc = new ExactMoments(Math.max(1, sizeOf(keptShape)), nanPolicy);
            }
            double[] rows = toRows(batch).toDoubleArray();
            acc.update(rows, rows.length / acc.features());
            index++;
        }
        StreamingMoments moments = acc.toStreamingMoments();
        if (moments.count() == 0) {
            throw new IllegalArgumentException("Normalization layer '" + name() + "': adapt() received " + index
                    + " batch(es) holding no values: expected at least one value per feature");
        }
        store(moments);
        return this;
    }

    /**
     * Stores statistics computed elsewhere (for example partial {@link StreamingMoments} merged across workers),
     * replacing earlier ones. The features are the kept positions in row-major order of the kept axes; the layer
     * must be built (by {@code buildFor}, a first call, or an earlier adapt).
     *
     * @throws IllegalStateException if the layer is not built or has explicit statistics
     * @throws IllegalArgumentException if the number of features differs or the moments are empty
     */
    public Normalization adapt(StreamingMoments moments) {
        Objects.requireNonNull(moments, "moments must not be null");
        requireAdaptable();
        if (!built()) {
            throw new IllegalStateException("Normalization layer '" + name() + "' is not built: call buildFor(shape) "
                    + "or adapt it on data before adapting from StreamingMoments");
        }
        int f = Math.max(1, sizeOf(keptShape));
        if (moments.features() != f || moments.count() == 0) {
            throw new IllegalArgumentException("Normalization layer '" + name() + "': moments have "
                    + moments.features() + " features and count " + moments.count() + ": expected " + f
                    + " features (kept shape " + showShape(keptShape) + ") and count > 0");
        }
        store(StreamingMoments.fromState(moments.state()));
        return this;
    }

    private void requireAdaptable() {
        if (inputMean != null) {
            throw new IllegalStateException("Normalization layer '" + name() + "' was given explicit mean and "
                    + "variance: adapt() only applies to a layer built without them");
        }
    }

    private void checkAdaptShape(Tensor batch, long index) {
        int[] dims = batch.shape().dims();
        int[] built = buildShape();
        boolean ok = dims.length == built.length;
        for (int i = 0; ok && i < keepAxis.length; i++) {
            ok = dims[keepAxis[i]] == keptShape[i];
        }
        if (!ok) {
            throw new IllegalArgumentException("Normalization layer '" + name() + "' was built with input_shape="
                    + showShape(built) + " (kept axes " + Arrays.toString(keepAxis) + "), but adapt() batch " + index
                    + " has an incompatible shape " + Arrays.toString(dims));
        }
    }

    /** The batch as (rows, features): kept axes moved last (in order), everything else flattened into rows. */
    private Tensor toRows(Tensor batch) {
        int ndim = batch.rank();
        int[] perm = new int[ndim];
        int p = 0;
        for (int d : reduceAxis) {
            perm[p++] = d;
        }
        for (int d : keepAxis) {
            perm[p++] = d;
        }
        boolean identity = true;
        for (int i = 0; i < ndim; i++) {
            identity &= perm[i] == i;
        }
        Tensor t = identity ? batch : batch.transpose(perm);
        int f = Math.max(1, sizeOf(keptShape));
        return t.reshape(t.size() / f, f);
    }

    private void store(StreamingMoments acc) {
        double[] mean = acc.mean();
        double[] var = acc.variance(ddof);
        double[] min = acc.min();
        double[] max = acc.max();
        float[] m32 = new float[mean.length];
        float[] v32 = new float[mean.length];
        List<Integer> zero = new ArrayList<>();
        for (int j = 0; j < mean.length; j++) {
            boolean constant = min[j] == max[j];
            m32[j] = (float) (constant ? min[j] : mean[j]);
            v32[j] = constant ? 0f : (float) var[j];
            if (v32[j] == 0f || zeroVariancePolicy == ZeroVariancePolicy.SKLEARN
                    && ZeroVariancePolicy.isConstantFeature(v32[j], m32[j], acc.counts()[j])) {
                zero.add(j);
            }
        }
        adaptMean.assign(Tensor.wrap(m32, Shape.of(keptShape)));
        adaptVariance.assign(Tensor.wrap(v32, Shape.of(keptShape)));
        count.assign(Tensor.scalar((double) acc.count(), DType.FLOAT64));
        lastMoments = acc;
        if (!zero.isEmpty() && LOG.isLoggable(Level.WARNING)) {
            LOG.warning(zeroVarianceMessage(zero, mean.length));
        }
    }

    private String zeroVarianceMessage(List<Integer> zero, int features) {
        StringBuilder sb = new StringBuilder("Normalization layer '").append(name()).append("': adapt found zero ")
                .append("variance in ").append(zero.size()).append(" of ").append(features).append(" feature(s), at ")
                .append(zero.size() == 1 ? "index " : "indices ");
        for (int i = 0; i < zero.size() && i < MAX_LISTED; i++) {
            sb.append(i > 0 ? ", " : "").append(featureIndex(zero.get(i)));
        }
        if (zero.size() > MAX_LISTED) {
            sb.append(", ... (").append(zero.size() - MAX_LISTED).append(" more)");
        }
        sb.append("; zero_variance_policy=").append(zeroVariancePolicy.configName()).append(": ");
        switch (zeroVariancePolicy) {
            case KERAS:
                sb.append("they are divided by 1e-7, so any value other than the mean becomes huge (choose SKLEARN "
                        + "for scale 1 or SPARK for output 0)");
                break;
            case SKLEARN:
                sb.append("they are only centred (scale 1)");
                break;
            default:
                sb.append("their output is 0");
                break;
        }
        return sb.toString();
    }

    /** A flat feature index as Keras would print it: an int for one kept axis, a tuple for several. */
    private String featureIndex(int flat) {
        if (keptShape.length == 1) {
            return Integer.toString(flat);
        }
        int[] idx = new int[keptShape.length];
        for (int i = keptShape.length - 1, r = flat; i >= 0; i--) {
            idx[i] = r % keptShape[i];
            r /= keptShape[i];
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < idx.length; i++) {
            sb.append(i > 0 ? ", " : "").append(idx[i]);
        }
        return sb.append(')').toString();
    }

    private static int sizeOf(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    // ---- call --------------------------------------------------------------------------------------

    @Override
    protected Tensor call(Tensor inputs, boolean training) {
        Tensor x = inputs.dtype() == DType.FLOAT32 ? inputs : inputs.asType(DType.FLOAT32);
        Tensor mean = meanTensor().reshape(broadcastShape);
        Tensor scale = Tensor.wrap(scales(varianceTensor().rawFloats(), meanTensor().rawFloats(), invert),
                Shape.of(broadcastShape));
        if (invert) {
            return mean.add(x.mul(scale));
        }
        return x.sub(mean).div(scale);
    }

    /**
     * The per-feature divisor (or, inverted, multiplier) in float32: {@link ZeroVariancePolicy#standardDivisor}
     * of the stored variance and mean with the adapted count (so {@code max(sqrt(variance), 1e-7)} under KERAS),
     * rounded to float32; Spark's multiplier 0 divides by +Infinity (the same signed zeros as
     * {@code (x - mean) * 0}) and multiplies by 0 when inverted.
     */
    private float[] scales(float[] variance, float[] mean, boolean inverse) {
        long n = count == null ? 0 : (long) count.value().item();
        float[] s = new float[variance.length];
        for (int j = 0; j < s.length; j++) {
            double d = zeroVariancePolicy.standardDivisor(variance[j], mean[j], n);
            s[j] = d != 0 ? (float) d : inverse ? 0f : Float.POSITIVE_INFINITY;
        }
        return s;
    }

    @Override
    public int[] computeOutputShape(int[] inputShape) {
        return inputShape.clone();
    }

    @Override
    public Map<String, Object> getConfig() {
        Map<String, Object> c = super.getConfig();
        List<Integer> ax = new ArrayList<>();
        for (int a : axis) {
            ax.add(a);
        }
        c.put("axis", ax);
        c.put("invert", invert);
        c.put("mean", NestedLists.fromTensor(inputMean));
        c.put("variance", NestedLists.fromTensor(inputVariance));
        c.put("zero_variance_policy", zeroVariancePolicy.configName());
        c.put("ddof", ddof);
        c.put("nan_policy", nanPolicy.configName());
        return c;
    }

    // ---- accessors ---------------------------------------------------------------------------------

    /** The kept axes as given (empty for Keras's {@code axis=None}). */
    public int[] axis() {
        return axis.clone();
    }

    /** Whether the layer applies the inverse transformation. */
    public boolean invert() {
        return invert;
    }

    /** The zero-variance policy. */
    public ZeroVariancePolicy zeroVariancePolicy() {
        return zeroVariancePolicy;
    }

    /** The delta degrees of freedom of the variance computed by {@code adapt} (0 population, 1 sample). */
    public int ddof() {
        return ddof;
    }

    /** What {@code adapt} does with NaN values. */
    public NanPolicy nanPolicy() {
        return nanPolicy;
    }

    /** The mean in use, float32 of the kept shape (adapted, loaded or explicit); requires a built layer. */
    public Tensor meanTensor() {
        requireBuilt();
        return fixedMean != null ? fixedMean : adaptMean.value();
    }

    /** The variance in use, float32 of the kept shape; requires a built layer. */
    public Tensor varianceTensor() {
        requireBuilt();
        return fixedVariance != null ? fixedVariance : adaptVariance.value();
    }

    /**
     * The float64 statistics of the last {@code adapt} in this JVM (a copy), or null if the layer was never
     * adapted here (explicit statistics, or weights loaded from a file).
     */
    public StreamingMoments adaptedMoments() {
        return lastMoments == null ? null : StreamingMoments.fromState(lastMoments.state());
    }

    private void requireBuilt() {
        if (!built()) {
            throw new IllegalStateException("Normalization layer '" + name() + "' is not built: call it, adapt it "
                    + "or call buildFor(shape) first");
        }
    }

    /** Builder for {@link Normalization}; setters carry the Keras argument names. */
    public static final class Builder {
        private int[] axis = {-1};
        private Tensor mean;
        private Tensor variance;
        private boolean invert;
        private ZeroVariancePolicy zeroVariancePolicy = ZeroVariancePolicy.KERAS;
        private int ddof;
        private NanPolicy nanPolicy = NanPolicy.PROPAGATE;

        private Builder() {
        }

        /** The kept axes (default {@code -1}); none, or null, means Keras's {@code axis=None}. */
        public Builder axis(int... axes) {
            this.axis = axes == null ? new int[0] : axes.clone();
            return this;
        }

        /** A scalar mean for every feature. */
        public Builder mean(double value) {
            return mean(Tensor.scalar(value, DType.FLOAT64));
        }

        /** A 1-D mean, aligned with the last kept axis. */
        public Builder mean(double[] values) {
            return mean(Tensor.of(Objects.requireNonNull(values, "mean must not be null").clone(), values.length));
        }

        /** A mean of any shape that broadcasts onto the kept axes (aligned from the right); null for none. */
        public Builder mean(Tensor value) {
            this.mean = value;
            return this;
        }

        /** A scalar variance for every feature. */
        public Builder variance(double value) {
            return variance(Tensor.scalar(value, DType.FLOAT64));
        }

        /** A 1-D variance, aligned with the last kept axis. */
        public Builder variance(double[] values) {
            return variance(Tensor.of(Objects.requireNonNull(values, "variance must not be null").clone(),
                    values.length));
        }

        /** A variance of the same shape as the mean; null for none. */
        public Builder variance(Tensor value) {
            this.variance = value;
            return this;
        }

        /** Whether to apply the inverse transformation (default false). */
        public Builder invert(boolean value) {
            this.invert = value;
            return this;
        }

        /** The zero-variance policy (default {@link ZeroVariancePolicy#KERAS}). */
        public Builder zeroVariancePolicy(ZeroVariancePolicy value) {
            this.zeroVariancePolicy = Objects.requireNonNull(value, "zeroVariancePolicy must not be null");
            return this;
        }

        /** The variance estimator of {@code adapt}: 0 population (default), 1 sample (Spark). */
        public Builder ddof(int value) {
            if (value != 0 && value != 1) {
                throw new IllegalArgumentException("ddof = " + value + ": expected 0 (population variance, Keras) "
                        + "or 1 (sample variance, Spark)");
            }
            this.ddof = value;
            return this;
        }

        /**
         * What {@code adapt} does with NaN: {@link NanPolicy#PROPAGATE} (default, TensorFlow) or
         * {@link NanPolicy#IGNORE} (scikit-learn: skipped, per-feature counts).
         */
        public Builder nanPolicy(NanPolicy value) {
            this.nanPolicy = Objects.requireNonNull(value, "nanPolicy must not be null");
            return this;
        }

        /**
         * The layer.
         *
         * @throws IllegalArgumentException if only one of mean and variance is set, their shapes differ, or their
         *     rank exceeds the number of kept axes
         */
        public Normalization build() {
            return new Normalization(this);
        }
    }
}
