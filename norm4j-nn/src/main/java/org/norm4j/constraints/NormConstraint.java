package org.norm4j.constraints;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.norm4j.Tensor;

/** Shared parts of the norm constraints: the axes and the L2 norm over them. */
abstract class NormConstraint implements Constraint {
    final int[] axis;

    NormConstraint(int[] axis) {
        Objects.requireNonNull(axis, "axis must not be null");
        if (axis.length == 0) {
            throw new IllegalArgumentException("axis = []: expected at least one axis");
        }
        this.axis = axis.clone();
    }

    /** {@code sqrt(sum(w^2, axis, keepdims=True))}. */
    Tensor norms(Tensor w) {
        return w.square().sum(axis, true).sqrt();
    }

    /** {@code w * (desired / (epsilon + norms))}. */
    static Tensor rescale(Tensor w, Tensor desired, Tensor norms) {
        return w.mul(desired.div(norms.add(EPSILON)));
    }

    /** The axis as Keras writes it: an int for one axis, else a list. */
    Object axisConfig() {
        if (axis.length == 1) {
            return axis[0];
        }
        List<Integer> l = Arrays.stream(axis).boxed().toList();
        return l;
    }
}
