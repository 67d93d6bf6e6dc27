package org.norm4j.ops;

import java.util.Arrays;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Strided;

/** Shape manipulation: reshape, transpose, slicing along the batch axis, casts. */
public final class Manipulation {
    private Manipulation() {
    }

    /**
     * {@code tf.reshape}: the same elements in row-major order under a new shape; one dimension may be -1
     * and is inferred. Shares storage with {@code x}.
     */
    public static Tensor reshape(Tensor x, int... newShape) {
        Checks.notNull(x, "x");
        Objects.requireNonNull(newShape, "newShape must not be null");
        int[] dims = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("newShape = " + Arrays.toString(newShape)
                            + " has more than one -1: expected at most one inferred dimension");
                }
                infer = i;
            } else if (dims[i] < 0) {
                throw new IllegalArgumentException("newShape[" + i + "] = " + dims[i]
                        + ": expected a size >= 0 or -1");
            } else {
                known *= dims[i];
            }
        }
        if (infer >= 0) {
            if (known == 0 || x.size() % known != 0) {
                throw new IllegalArgumentException("cannot reshape a tensor of shape " + x.shape() + " ("
                        + x.size() + " elements) to " + Arrays.toString(newShape)
                        + ": expected the known sizes to divide " + x.size());
            }
            dims[infer] = (int) (x.size() / known);
        } else if (known != x.size()) {
            throw new IllegalArgumentException("cannot reshape a tensor of shape " + x.shape() + " ("
                    + x.size() + " elements) to " + Arrays.toString(newShape) + " (" + known
                    + " elements): expected the same number of elements");
        }
        Shape s = Shape.of(dims);
        return x.dtype() == DType.FLOAT32 ? Tensor.wrap(x.rawFloats(), s) : Tensor.wrap(x.rawDoubles(), s);
    }

    /** {@code tf.cast} between float dtypes: returns {@code x} itself if it already has {@code dtype}. */
    public static Tensor cast(Tensor x, DType dtype) {
        Checks.notNull(x, "x");
        Objects.requireNonNull(dtype, "dtype must not be null");
        if (x.dtype() == dtype) {
            return x;
        }
        return dtype == DType.FLOAT32 ? Tensor.wrap(x.toFloatArray(), x.shape())
                : Tensor.wrap(x.toDoubleArray(), x.shape());
    }

    /**
     * {@code tf.transpose}: output axis i is input axis {@code perm[i]}; an empty or null {@code perm}
     * reverses the axes.
     */
    public static Tensor transpose(Tensor x, int... perm) {
        Checks.notNull(x, "x");
        int r = x.rank();
        int[] p;
        if (perm == null || perm.length == 0) {
            p = new int[r];
            for (int i = 0; i < r; i++) {
                p[i] = r - 1 - i;
            }
        } else {
            if (perm.length != r) {
                throw new IllegalArgumentException("perm = " + Arrays.toString(perm) + " has " + perm.length
                        + " entries: expected " + r + " (the rank of x, shape " + x.shape() + ")");
            }
            int[] sorted = x.shape().normalizeAxes(perm, "perm");
            p = new int[r];
            for (int i = 0; i < r; i++) {
                p[i] = x.shape().normalizeAxis(perm[i], "perm[" + i + "]");
            }
            assert sorted.length == r;
        }
        int[] dims = x.shape().dims();
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            out[i] = dims[p[i]];
        }
        Tensor y = Tensor.wrapNew(x.dtype(), Shape.of(out));
        Strided.permute(x.raw(), dims, p, y.raw());
        return y;
    }

    /**
     * Rows {@code [start, end)} along axis 0: {@code x[start:end]} in Python. A copy.
     *
     * @throws IllegalArgumentException if x is a scalar or the range is outside {@code [0, x.shape[0]]}
     */
    public static Tensor slice(Tensor x, int start, int end) {
        Checks.notNull(x, "x");
        if (x.rank() == 0) {
            throw new IllegalArgumentException("slice of a scalar: expected a tensor of rank >= 1");
        }
        int n = x.shape().dim(0);
        if (start < 0 || end > n || start > end) {
            throw new IllegalArgumentException("slice [" + start + ", " + end + ") of axis 0 with size " + n
                    + ": expected 0 <= start <= end <= " + n);
        }
        int[] dims = x.shape().dims();
        int row = n == 0 ? 0 : x.size() / n;
        dims[0] = end - start;
        Shape s = Shape.of(dims);
        if (x.dtype() == DType.FLOAT32) {
            return Tensor.wrap(Arrays.copyOfRange(x.rawFloats(), start * row, end * row), s);
        }
        return Tensor.wrap(Arrays.copyOfRange(x.rawDoubles(), start * row, end * row), s);
    }
}
