package org.norm4j.ops;

import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.GradientTape;
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

    /**
     * Checks a destination array of the {@code ...Out} variants: not null, x's element type, exactly
     * {@code x.size()} elements, not the backing array of {@code x} or {@code other} (read while it is
     * written), and no tape recording.
     */
    static void destination(Object out, String name, Tensor x, String xName, Tensor other, String otherName) {
        String type = x.dtype() == DType.FLOAT32 ? "float[]" : "double[]";
        if (out == null) {
            throw new NullPointerException(name + " must not be null: expected a " + type + " of length "
                    + x.size() + " (or use the allocating variant)");
        }
        boolean isFloat = out instanceof float[];
        if (isFloat != (x.dtype() == DType.FLOAT32)) {
            throw new IllegalArgumentException(name + " is a " + (isFloat ? "float[]" : "double[]") + " but "
                    + xName + " has dtype " + x.dtype().pyName() + ": expected a " + type + " ("
                    + type.replace("[]", "[" + x.size() + "]") + ")");
        }
        int length = isFloat ? ((float[]) out).length : ((double[]) out).length;
        if (length != x.size()) {
            throw new IllegalArgumentException(name + " has length " + length + " but " + xName + " has shape "
                    + x.shape() + ": expected length " + x.size());
        }
        if (out == x.raw() || (other != null && out == other.raw())) {
            String whose = out == x.raw() ? xName : otherName;
            throw new IllegalArgumentException(name + " is the backing array of " + whose
                    + ": expected a separate array (" + whose + " is read while " + name + " is written)");
        }
        if (GradientTape.anyRecording()) {
            throw new IllegalStateException("destination variants are not recorded on a GradientTape: " + name
                    + " is a caller-owned array that later calls may overwrite, so no gradient could be taken "
                    + "through it; use the allocating variant inside a tape");
        }
    }
}
