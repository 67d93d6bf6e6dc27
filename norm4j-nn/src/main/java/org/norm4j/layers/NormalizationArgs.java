package org.norm4j.layers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.constraints.Constraint;
import org.norm4j.constraints.Constraints;
import org.norm4j.initializers.Initializer;
import org.norm4j.initializers.Initializers;
import org.norm4j.ops.LayerNorms;
import org.norm4j.regularizers.Regularizer;
import org.norm4j.regularizers.Regularizers;

/**
 * The arguments {@link LayerNormalization}, {@link GroupNormalization}, {@link InstanceNormalization} and
 * {@link BatchNormalization} share,
 * with Keras's names and defaults ({@code epsilon=1e-3}, {@code center=true}, {@code scale=true},
 * {@code beta_initializer="zeros"}, {@code gamma_initializer="ones"}, regularizers and constraints null), and
 * the axis and config helpers of the per-sample normalization layers. Immutable.
 */
final class NormalizationArgs {
    /** The layer's {@code gamma} and {@code beta} weights after {@link #addGammaBeta}; null when not created. */
    Variable gamma;
    Variable beta;

    final double epsilon;
    final boolean center;
    final boolean scale;
    private final Initializer betaInitializer;
    private final Initializer gammaInitializer;
    private final Regularizer betaRegularizer;
    private final Regularizer gammaRegularizer;
    private final Constraint betaConstraint;
    private final Constraint gammaConstraint;

    NormalizationArgs(Builder<?> b) {
        this(b, LayerNorms.LAYER_EPSILON);
    }

    /** With the layer's own default epsilon, used when the builder's {@code epsilon} was not set. */
    NormalizationArgs(Builder<?> b, double defaultEpsilon) {
        this.epsilon = checkEpsilon(b.epsilon != null ? b.epsilon : defaultEpsilon);
        this.center = b.center;
        this.scale = b.scale;
        this.betaInitializer = Objects.requireNonNull(b.betaInitializer, "betaInitializer must not be null");
        this.gammaInitializer = Objects.requireNonNull(b.gammaInitializer, "gammaInitializer must not be null");
        this.betaRegularizer = b.betaRegularizer;
        this.gammaRegularizer = b.gammaRegularizer;
        this.betaConstraint = b.betaConstraint;
        this.gammaConstraint = b.gammaConstraint;
    }

    /**
     * Creates the {@code gamma} weight of {@code layer} (when {@code withGamma}), then its {@code beta} (when
     * {@code withBeta}), Keras's order; they are {@link #gamma} and {@link #beta} from then on.
     */
    void addGammaBeta(Layer layer, int[] shape, boolean withGamma, boolean withBeta) {
        if (withGamma) {
            gamma = layer.addWeight("gamma", shape, gammaInitializer, true, gammaRegularizer, gammaConstraint);
        }
        if (withBeta) {
            beta = layer.addWeight("beta", shape, betaInitializer, true, betaRegularizer, betaConstraint);
        }
    }

    /** The value of {@code v} as {@code dtype}, or null for a null {@code v} (a weight not created). */
    static Tensor valueAs(Variable v, DType dtype) {
        return v == null ? null : v.value().asType(dtype);
    }

    /** Adds the Keras keys, in Keras's order after the layer's own leading keys. */
    void putConfig(Map<String, Object> c) {
        putConfigHead(c);
        putConfigTail(c);
    }

    /** The keys from {@code epsilon} to {@code gamma_initializer} (a layer may add its own initializers next). */
    void putConfigHead(Map<String, Object> c) {
        c.put("epsilon", epsilon);
        c.put("center", center);
        c.put("scale", scale);
        c.put("beta_initializer", Initializers.serialize(betaInitializer));
        c.put("gamma_initializer", Initializers.serialize(gammaInitializer));
    }

    /** The regularizer and constraint keys. */
    void putConfigTail(Map<String, Object> c) {
        c.put("beta_regularizer", Regularizers.serialize(betaRegularizer));
        c.put("gamma_regularizer", Regularizers.serialize(gammaRegularizer));
        c.put("beta_constraint", Constraints.serialize(betaConstraint));
        c.put("gamma_constraint", Constraints.serialize(gammaConstraint));
    }

    /**
     * The setters of the shared arguments, named after Keras's; the layers' public builders extend it.
     *
     * @param <B> the concrete builder
     */
    abstract static class Builder<B extends Builder<B>> {
        private Double epsilon; // null: the layer's default
        private boolean center = true;
        private boolean scale = true;
        private Initializer betaInitializer = Initializers.get("zeros");
        private Initializer gammaInitializer = Initializers.get("ones");
        private Regularizer betaRegularizer;
        private Regularizer gammaRegularizer;
        private Constraint betaConstraint;
        private Constraint gammaConstraint;

        abstract B self();

        /** {@code epsilon}, added to the variance; default 1e-3 (BatchNormalization under PYTORCH: 1e-5). */
        public B epsilon(double v) {
            this.epsilon = v;
            return self();
        }

        /** {@code center}: create beta and add it; default true. */
        public B center(boolean v) {
            this.center = v;
            return self();
        }

        /** {@code scale}: create gamma and multiply by it; default true. */
        public B scale(boolean v) {
            this.scale = v;
            return self();
        }

        /** {@code beta_initializer}, default zeros. */
        public B betaInitializer(Initializer v) {
            this.betaInitializer = v;
            return self();
        }

        /** {@code gamma_initializer}, default ones. */
        public B gammaInitializer(Initializer v) {
            this.gammaInitializer = v;
            return self();
        }

        /** {@code beta_regularizer}, default null. */
        public B betaRegularizer(Regularizer v) {
            this.betaRegularizer = v;
            return self();
        }

        /** {@code gamma_regularizer}, default null. */
        public B gammaRegularizer(Regularizer v) {
            this.gammaRegularizer = v;
            return self();
        }

        /** {@code beta_constraint}, default null. */
        public B betaConstraint(Constraint v) {
            this.betaConstraint = v;
            return self();
        }

        /** {@code gamma_constraint}, default null. */
        public B gammaConstraint(Constraint v) {
            this.gammaConstraint = v;
            return self();
        }

        /** Reads the shared keys of a config (missing keys keep the defaults). */
        B read(Map<String, Object> c) {
            Object e = c.get("epsilon");
            return epsilon(e == null ? LayerNorms.LAYER_EPSILON : ((Number) e).doubleValue())
                    .center(!Boolean.FALSE.equals(c.get("center"))).scale(!Boolean.FALSE.equals(c.get("scale")))
                    .betaInitializer(initializer(c.get("beta_initializer"), "zeros"))
                    .gammaInitializer(initializer(c.get("gamma_initializer"), "ones"))
                    .betaRegularizer(Regularizers.deserialize(c.get("beta_regularizer")))
                    .gammaRegularizer(Regularizers.deserialize(c.get("gamma_regularizer")))
                    .betaConstraint(Constraints.deserialize(c.get("beta_constraint")))
                    .gammaConstraint(Constraints.deserialize(c.get("gamma_constraint")));
        }
    }

    // ---- helpers ---------------------------------------------------------------------------------------

    static double checkEpsilon(double epsilon) {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) {
            throw new IllegalArgumentException("epsilon = " + epsilon + ": expected a finite value >= 0");
        }
        return epsilon;
    }

    @SuppressWarnings("unchecked")
    private static Initializer initializer(Object v, String dflt) {
        if (v == null) {
            return Initializers.get(dflt);
        }
        return v instanceof String ? Initializers.get((String) v) : Initializers.fromConfig((Map<String, Object>) v);
    }

    /**
     * Resolves Keras-style axes against an input shape (batch included): sorted and distinct; with
     * {@code known}, the dims there must be known (they size a weight).
     */
    static int[] normalizeAxes(int[] axis, int[] inputShape, String layer, boolean known) {
        int rank = inputShape.length;
        int[] out = new int[axis.length];
        for (int i = 0; i < axis.length; i++) {
            if (axis[i] < -rank || axis[i] >= rank) {
                throw new IllegalArgumentException("Layer '" + layer + "': axis " + axis[i] + " is out of bounds "
                        + "for an input of rank " + rank + ", shape " + Layer.showShape(inputShape)
                        + ": expected an axis in [" + (-rank) + ", " + rank + ")");
            }
            out[i] = axis[i] < 0 ? axis[i] + rank : axis[i];
            if (known && inputShape[out[i]] < 0) {
                throw new IllegalArgumentException("Layer '" + layer + "': axis " + axis[i] + " of input shape "
                        + Layer.showShape(inputShape) + " is unknown: expected a known dimension");
            }
        }
        Arrays.sort(out);
        for (int i = 1; i < out.length; i++) {
            if (out[i] == out[i - 1]) {
                throw new IllegalArgumentException("Layer '" + layer + "': Duplicate axis " + out[i] + " in axis = "
                        + Arrays.toString(axis) + " for an input of rank " + rank + ": expected distinct axes");
            }
        }
        return out;
    }

    /** The input dims at (normalized) {@code axes}: the shape of per-axis weights. */
    static int[] dimsAt(int[] inputShape, int[] axes) {
        int[] shape = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            shape[i] = inputShape[axes[i]];
        }
        return shape;
    }

    /** Checks a constructor's {@code axis} argument: at least one axis. */
    static int[] checkAxis(int[] axis) {
        if (Objects.requireNonNull(axis, "axis must not be null").length == 0) {
            throw new IllegalArgumentException("axis = []: expected an axis or a non-empty list of axes");
        }
        return axis.clone();
    }

    /** The config value of {@code axis}: an int, or a list when given as several axes. */
    static Object axisConfig(int[] axis, boolean list) {
        if (!list) {
            return axis[0];
        }
        List<Integer> l = new ArrayList<>();
        for (int a : axis) {
            l.add(a);
        }
        return l;
    }

    /** Reads {@code axis} from a config: an int or a list of ints; null gives -1. */
    static int[] axesOf(Object a) {
        if (a == null) {
            return new int[] {-1};
        }
        if (a instanceof Number) {
            return new int[] {((Number) a).intValue()};
        }
        if (a instanceof List) {
            return ((List<?>) a).stream().mapToInt(v -> ((Number) v).intValue()).toArray();
        }
        throw new IllegalArgumentException("axis = " + a + ": expected an int or a list of ints");
    }
}
