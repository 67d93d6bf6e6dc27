package org.norm4j.ops;

import java.util.Arrays;
import java.util.Objects;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Strided;

/**
 * Shape manipulation: reshape, transpose, slicing along the batch axis, broadcasting, casts. All are
 * differentiable (see {@link GradientTape}), with the backward function next to each op.
 */
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
        Tensor y = x.dtype() == DType.FLOAT32 ? Tensor.wrap(x.rawFloats(), s) : Tensor.wrap(x.rawDoubles(), s);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Reshape", y, (g, need) -> new Tensor[] {reshape(g, x.shape().dims())}, x);
        }
        return y;
    }

    /** {@code tf.cast} between float dtypes: returns {@code x} itself if it already has {@code dtype}. */
    public static Tensor cast(Tensor x, DType dtype) {
        Checks.notNull(x, "x");
        Objects.requireNonNull(dtype, "dtype must not be null");
        if (x.dtype() == dtype) {
            return x;
        }
        Tensor y = dtype == DType.FLOAT32 ? Tensor.wrap(x.toFloatArray(), x.shape())
                : Tensor.wrap(x.toDoubleArray(), x.shape());
        if (GradientTape.anyRecording()) {
            GradientTape.record("Cast", y, (g, need) -> new Tensor[] {cast(g, x.dtype())}, x);
        }
        return y;
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
        if (GradientTape.anyRecording()) {
            int[] inverse = new int[r];
            for (int i = 0; i < r; i++) {
                inverse[p[i]] = i;
            }
            GradientTape.record("Transpose", y, (g, need) -> new Tensor[] {transpose(g, inverse)}, x);
        }
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
        Tensor y = x.dtype() == DType.FLOAT32
                ? Tensor.wrap(Arrays.copyOfRange(x.rawFloats(), start * row, end * row), s)
                : Tensor.wrap(Arrays.copyOfRange(x.rawDoubles(), start * row, end * row), s);
        if (GradientTape.anyRecording()) {
            GradientTape.record("StridedSlice", y, (g, need) -> new Tensor[] {padRows(g, start, n)}, x);
        }
        return y;
    }

    /**
     * {@code g} placed at rows {@code [start, start + g.shape[0])} of a zero tensor with {@code rows} rows: the
     * backward of {@link #slice}, recorded with {@code slice} as its own backward.
     */
    private static Tensor padRows(Tensor g, int start, int rows) {
        int[] dims = g.shape().dims();
        int len = dims[0];
        int row = Shape.of(Arrays.copyOfRange(dims, 1, dims.length)).size();
        dims[0] = rows;
        Tensor y = Tensor.wrapNew(g.dtype(), Shape.of(dims));
        System.arraycopy(g.raw(), 0, y.raw(), start * row, len * row);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Pad", y, (gg, need) -> new Tensor[] {slice(gg, start, start + len)}, g);
        }
        return y;
    }

    /**
     * {@code tf.broadcast_to(x, shape)}: {@code x} repeated along the axes where it has size 1 (or is missing on
     * the left) to the given shape. A copy. Gradient: {@code g} summed back to x's shape.
     *
     * @throws IllegalArgumentException if x does not broadcast to {@code shape}
     */
    public static Tensor broadcastTo(Tensor x, int... shape) {
        Checks.notNull(x, "x");
        Objects.requireNonNull(shape, "shape must not be null");
        Shape target = Shape.of(shape);
        Shape b;
        try {
            b = Shape.broadcast(x.shape(), target);
        } catch (IllegalArgumentException e) {
            b = null;
        }
        if (b == null || !b.equals(target)) {
            throw new IllegalArgumentException("x of shape " + x.shape() + " cannot be broadcast to shape "
                    + target + ": expected each dimension of x to equal the target's or be 1");
        }
        Tensor y = Elementwise.broadcastConstant(x, target);
        if (y == x) {
            y = x.dtype() == DType.FLOAT32 ? Tensor.wrap(x.rawFloats(), target) : Tensor.wrap(x.rawDoubles(), target);
        }
        if (GradientTape.anyRecording()) {
            GradientTape.record("BroadcastTo", y, (g, need) -> new Tensor[] {g}, x);
        }
        return y;
    }

    /**
     * {@code tf.pad(x, paddings)} with zeros (mode {@code "CONSTANT"}): {@code paddings[i] = {before, after}} for
     * every axis. Gradient: the middle box of g.
     *
     * @throws IllegalArgumentException if paddings has not one pair per axis or a value is negative
     */
    public static Tensor pad(Tensor x, int[][] paddings) {
        Checks.notNull(x, "x");
        int r = x.rank();
        if (paddings == null || paddings.length != r) {
            throw new IllegalArgumentException("paddings has " + (paddings == null ? "null" : paddings.length
                    + " rows") + ": expected " + r + " pairs {before, after}, one per axis of x " + x.shape());
        }
        int[] dims = x.shape().dims();
        int[] out = new int[r];
        int[] before = new int[r];
        for (int i = 0; i < r; i++) {
            if (paddings[i] == null || paddings[i].length != 2 || paddings[i][0] < 0 || paddings[i][1] < 0) {
                throw new IllegalArgumentException("paddings[" + i + "] = " + Arrays.toString(paddings[i])
                        + ": expected {before, after}, both >= 0");
            }
            before[i] = paddings[i][0];
            out[i] = dims[i] + paddings[i][0] + paddings[i][1];
        }
        Tensor y = Tensor.wrapNew(x.dtype(), Shape.of(out));
        Strided.copyBox(x.raw(), dims, new int[r], y.raw(), out, before, dims);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Pad", y, (g, need) -> new Tensor[] {crop(g, before, dims, paddings)}, x);
        }
        return y;
    }

    /** The box of size {@code dims} at {@code offset} of g: the backward of {@link #pad}, pad its own backward. */
    private static Tensor crop(Tensor g, int[] offset, int[] dims, int[][] paddings) {
        Tensor y = Tensor.wrapNew(g.dtype(), Shape.of(dims));
        Strided.copyBox(g.raw(), g.shape().dims(), offset, y.raw(), dims, new int[dims.length], dims);
        if (GradientTape.anyRecording()) {
            GradientTape.record("Slice", y, (gg, need) -> new Tensor[] {pad(gg, paddings)}, g);
        }
        return y;
    }
}
