package org.norm4j;

import java.util.Arrays;

/**
 * An immutable tensor shape: a list of non-negative dimension sizes. Rank 0 is a scalar.
 *
 * <p>Axis arguments everywhere in norm4j follow NumPy and TensorFlow: {@code -1} is the last axis,
 * and an axis must lie in {@code [-rank, rank)}.
 */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);

    private final int[] dims;
    private final long size;

    private Shape(int[] dims) {
        this.dims = dims;
        long s = 1;
        for (int d : dims) {
            s *= d;
        }
        this.size = s;
    }

    /**
     * Creates a shape.
     *
     * @param dims the dimension sizes, each {@code >= 0}
     * @throws IllegalArgumentException if a dimension is negative or the element count exceeds
     *     {@link Integer#MAX_VALUE} - 8 (the largest Java array)
     */
    public static Shape of(int... dims) {
        if (dims == null) {
            throw new NullPointerException("dims must not be null");
        }
        if (dims.length == 0) {
            return SCALAR;
        }
        long s = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException(
                        "dims[" + i + "] = " + dims[i] + " in " + Arrays.toString(dims)
                                + ": expected a dimension size >= 0");
            }
            s *= dims[i];
            if (s > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + " has more than "
                        + (Integer.MAX_VALUE - 8) + " elements: expected a shape that fits one Java array");
            }
        }
        return new Shape(dims.clone());
    }

    /** The rank-0 shape {@code []}. */
    public static Shape scalar() {
        return SCALAR;
    }

    /** Number of dimensions. */
    public int rank() {
        return dims.length;
    }

    /** Total number of elements (1 for a scalar). */
    public int size() {
        return (int) size;
    }

    /** The product of {@code dims[from]} to {@code dims[to - 1]} (1 when {@code from >= to}). */
    public static int product(int[] dims, int from, int to) {
        int p = 1;
        for (int i = from; i < to; i++) {
            p *= dims[i];
        }
        return p;
    }

    /** Size of dimension {@code axis}; negative axes count from the end. */
    public int dim(int axis) {
        return dims[normalizeAxis(axis, "axis")];
    }

    /** A copy of the dimension sizes. */
    public int[] dims() {
        return dims.clone();
    }

    /**
     * Row-major strides in elements: {@code strides()[i]} is the distance between neighbours along axis i.
     */
    public int[] strides() {
        int[] st = new int[dims.length];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            st[i] = s;
            s *= dims[i];
        }
        return st;
    }

    /**
     * Resolves a possibly negative axis against this shape's rank.
     *
     * @param axis an axis in {@code [-rank, rank)}
     * @param argName the argument name used in the error message
     * @return the axis in {@code [0, rank)}
     */
    public int normalizeAxis(int axis, String argName) {
        int r = dims.length;
        if (axis < -r || axis >= r) {
            throw new IllegalArgumentException(argName + " = " + axis + " is out of bounds for a tensor of rank "
                    + r + " with shape " + this + ": expected an axis in [" + (-r) + ", " + r + ")");
        }
        return axis < 0 ? axis + r : axis;
    }

    /**
     * Resolves a set of axes: negative axes count from the end, duplicates are rejected, and the
     * result is sorted. A {@code null} array means all axes.
     *
     * @param axes the axes, or {@code null} for all
     * @param argName the argument name used in error messages
     * @return a sorted array of distinct axes in {@code [0, rank)}
     */
    public int[] normalizeAxes(int[] axes, String argName) {
        if (axes == null) {
            int[] all = new int[dims.length];
            for (int i = 0; i < all.length; i++) {
                all[i] = i;
            }
            return all;
        }
        boolean[] seen = new boolean[dims.length];
        int[] out = new int[axes.length];
        for (int i = 0; i < axes.length; i++) {
            int a = normalizeAxis(axes[i], argName + "[" + i + "]");
            if (seen[a]) {
                throw new IllegalArgumentException("Duplicate axes in " + argName + " = " + Arrays.toString(axes)
                        + " for a tensor of rank " + dims.length + ": axis " + a
                        + " appears twice; expected distinct axes");
            }
            seen[a] = true;
            out[i] = a;
        }
        Arrays.sort(out);
        return out;
    }

    /**
     * The NumPy/TensorFlow broadcast of two shapes: dimensions are aligned from the right, and each
     * pair must be equal or contain a 1.
     *
     * @throws IllegalArgumentException if the shapes do not broadcast
     */
    public static Shape broadcast(Shape a, Shape b) {
        int r = Math.max(a.rank(), b.rank());
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.rank() ? 1 : a.dims[i - (r - a.rank())];
            int db = i < r - b.rank() ? 1 : b.dims[i - (r - b.rank())];
            if (da == db || db == 1) {
                out[i] = da;
            } else if (da == 1) {
                out[i] = db;
            } else {
                throw new IllegalArgumentException("shapes " + a + " and " + b
                        + " are not broadcastable: dimension " + da + " vs " + db + " at output axis " + i
                        + "; expected equal sizes or a size of 1");
            }
        }
        return new Shape(out);
    }

    /** The shape with the given (normalized, sorted) axes removed, or set to 1 when keepDims. */
    public Shape reduce(int[] sortedAxes, boolean keepDims) {
        boolean[] red = new boolean[dims.length];
        for (int a : sortedAxes) {
            red[a] = true;
        }
        int[] out = new int[keepDims ? dims.length : dims.length - sortedAxes.length];
        int j = 0;
        for (int i = 0; i < dims.length; i++) {
            if (!red[i]) {
                out[j++] = dims[i];
            } else if (keepDims) {
                out[j++] = 1;
            }
        }
        return new Shape(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    /** Formats like TensorFlow: {@code (2, 3)}; a scalar is {@code ()}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) {
                sb.append(", ");
            }
            sb.append(dims[i]);
        }
        if (dims.length == 1) {
            sb.append(',');
        }
        return sb.append(')').toString();
    }
}
