package org.norm4j.layers;

import java.util.ArrayList;
import java.util.List;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * Tensors as JSON-friendly values, like NumPy's {@code ndarray.tolist()}: a scalar is a number, a tensor of rank
 * r is r levels of nested lists. Used for array-valued layer config keys (Normalization's {@code mean} and
 * {@code variance}).
 */
final class NestedLists {
    private NestedLists() {
    }

    /** {@code np.array(t).tolist()}: null for null, a Double for a scalar, nested lists of Doubles otherwise. */
    static Object fromTensor(Tensor t) {
        if (t == null) {
            return null;
        }
        double[] v = t.toDoubleArray();
        int[] dims = t.shape().dims();
        if (dims.length == 0) {
            return v[0];
        }
        return level(v, dims, 0, 0);
    }

    private static List<Object> level(double[] v, int[] dims, int axis, int offset) {
        int stride = 1;
        for (int i = axis + 1; i < dims.length; i++) {
            stride *= dims[i];
        }
        List<Object> out = new ArrayList<>(dims[axis]);
        for (int i = 0; i < dims[axis]; i++) {
            if (axis == dims.length - 1) {
                out.add(v[offset + i]);
            } else {
                out.add(level(v, dims, axis + 1, offset + i * stride));
            }
        }
        return out;
    }

    /**
     * The inverse of {@link #fromTensor}: a float64 tensor from null, a number or rectangular nested lists of
     * numbers.
     *
     * @param what the config key, for error messages
     * @throws IllegalArgumentException if the lists are ragged or hold something other than numbers
     */
    static Tensor toTensor(Object o, String what) {
        if (o == null) {
            return null;
        }
        if (o instanceof Number) {
            return Tensor.scalar(((Number) o).doubleValue(), DType.FLOAT64);
        }
        List<Integer> dims = new ArrayList<>();
        Object cur = o;
        while (cur instanceof List) {
            List<?> l = (List<?>) cur;
            dims.add(l.size());
            cur = l.isEmpty() ? null : l.get(0);
        }
        int[] shape = dims.stream().mapToInt(Integer::intValue).toArray();
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        double[] data = new double[n];
        int[] pos = {0};
        fill(o, shape, 0, data, pos, what);
        return Tensor.wrap(data, Shape.of(shape));
    }

    private static void fill(Object o, int[] shape, int axis, double[] data, int[] pos, String what) {
        if (axis == shape.length) {
            if (!(o instanceof Number)) {
                throw new IllegalArgumentException(what + ": expected a number or nested lists of numbers, found "
                        + (o == null ? "null" : o.getClass().getSimpleName() + " " + o));
            }
            data[pos[0]++] = ((Number) o).doubleValue();
            return;
        }
        if (!(o instanceof List) || ((List<?>) o).size() != shape[axis]) {
            throw new IllegalArgumentException(what + ": ragged nested lists: expected " + shape[axis]
                    + " entries at depth " + axis + ", found " + o);
        }
        for (Object e : (List<?>) o) {
            fill(e, shape, axis + 1, data, pos, what);
        }
    }
}
