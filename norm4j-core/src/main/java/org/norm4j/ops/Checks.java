package org.norm4j.ops;

import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Tensor;

/** Argument checks shared by the ops: every message names the argument, the value and what was expected. */
final class Checks {
    private Checks() {
    }

    static Tensor notNull(Tensor t, String name) {
        return Objects.requireNonNull(t, () -> name + " must not be null");
    }

    static void sameDType(Tensor a, String an, Tensor b, String bn) {
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException(bn + " has dtype " + b.dtype().pyName() + " but " + an + " has "
                    + a.dtype().pyName() + ": expected the same dtype (cast one with asType)");
        }
    }

    static double epsilon(double eps, String name) {
        if (!(eps >= 0) || Double.isInfinite(eps)) {
            throw new IllegalArgumentException(name + " = " + eps + ": expected a finite value >= 0");
        }
        return eps;
    }

    static void rank(Tensor t, String name, int expected) {
        if (t.rank() != expected) {
            throw new IllegalArgumentException(name + " has shape " + t.shape() + " (rank " + t.rank()
                    + "): expected rank " + expected);
        }
    }

    static void dtype(Tensor t, String name, DType expected) {
        if (t.dtype() != expected) {
            throw new IllegalArgumentException(name + " has dtype " + t.dtype().pyName() + ": expected "
                    + expected.pyName());
        }
    }
}
