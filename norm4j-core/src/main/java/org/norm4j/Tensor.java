package org.norm4j;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.norm4j.ops.Elementwise;
import org.norm4j.ops.Linalg;
import org.norm4j.ops.Manipulation;
import org.norm4j.ops.Reductions;

/**
 * An immutable, dense, row-major array of FLOAT32 or FLOAT64 values, like an eager {@code tf.Tensor}.
 *
 * <p>Tensors are values: every operation returns a new tensor and never changes its inputs. Only
 * {@link #reshape} shares storage, which is safe because nothing writes to it. The instance methods here
 * are shortcuts for the static operations in {@code org.norm4j.ops} ({@link Elementwise},
 * {@link Reductions}, {@link Manipulation}, {@link Linalg}); they broadcast like NumPy and TensorFlow.
 *
 * <pre>{@code
 * Tensor x = Tensor.of(new float[][] {{1, 2, 3}, {4, 5, 6}});
 * Tensor mean = x.mean(0);                 // (3,) [2.5 3.5 4.5]
 * Tensor centred = x.sub(mean);            // broadcasts over rows
 * }</pre>
 */
public final class Tensor {
    private final Shape shape;
    private final DType dtype;
    private final float[] f;
    private final double[] d;

    private Tensor(Shape shape, float[] f, double[] d) {
        this.shape = shape;
        this.f = f;
        this.d = d;
        this.dtype = f != null ? DType.FLOAT32 : DType.FLOAT64;
    }

    // ---- creation ----------------------------------------------------------------------------------

    /**
     * Wraps a float array without copying; the caller must not modify it afterwards. This is the zero-copy
     * entry point used by the ops tier.
     */
    public static Tensor wrap(float[] data, Shape shape) {
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(shape, "shape must not be null");
        checkLength(data.length, shape);
        return new Tensor(shape, data, null);
    }

    /** Double version of {@link #wrap(float[], Shape)}. */
    public static Tensor wrap(double[] data, Shape shape) {
        Objects.requireNonNull(data, "data must not be null");
        Objects.requireNonNull(shape, "shape must not be null");
        checkLength(data.length, shape);
        return new Tensor(shape, null, data);
    }

    /**
     * A new array of zeros of the given dtype and shape, wrapped; for the ops tier. Inside a {@link StepArrays}
     * step the array is recycled from the previous step (see {@link #newFloats}).
     */
    public static Tensor wrapNew(DType dtype, Shape shape) {
        return dtype == DType.FLOAT32 ? new Tensor(shape, StepArrays.floats(shape.size()), null)
                : new Tensor(shape, null, StepArrays.doubles(shape.size()));
    }

    /**
     * A float array of zeros for an op's output or scratch; for the ops tier. Inside a {@link StepArrays#step} on
     * this thread it is the array of the same length the previous step asked for at this point, zero-filled
     * (same values, no garbage); elsewhere a new array.
     */
    public static float[] newFloats(int length) {
        return StepArrays.floats(length);
    }

    /** Double version of {@link #newFloats}. */
    public static double[] newDoubles(int length) {
        return StepArrays.doubles(length);
    }

    /** {@link #newFloats} or {@link #newDoubles} by dtype: a {@code float[]} for FLOAT32, else a {@code double[]}. */
    public static Object newArray(DType dtype, int length) {
        return dtype == DType.FLOAT32 ? StepArrays.floats(length) : StepArrays.doubles(length);
    }

    private static void checkLength(int length, Shape shape) {
        if (length != shape.size()) {
            throw new IllegalArgumentException("data has " + length + " elements but shape " + shape + " needs "
                    + shape.size() + ": expected data.length == product of the shape");
        }
    }

    /** A FLOAT32 tensor holding a copy of {@code data}; with no shape given, a vector. */
    public static Tensor of(float[] data, int... shape) {
        Objects.requireNonNull(data, "data must not be null");
        Shape s = shape == null || shape.length == 0 ? Shape.of(data.length) : Shape.of(shape);
        return wrap(data.clone(), s);
    }

    /** A FLOAT64 tensor holding a copy of {@code data}; with no shape given, a vector. */
    public static Tensor of(double[] data, int... shape) {
        Objects.requireNonNull(data, "data must not be null");
        Shape s = shape == null || shape.length == 0 ? Shape.of(data.length) : Shape.of(shape);
        return wrap(data.clone(), s);
    }

    /** A FLOAT32 matrix from rows of equal length. */
    public static Tensor of(float[][] rows) {
        Objects.requireNonNull(rows, "rows must not be null");
        int cols = rows.length == 0 ? 0 : rows[0].length;
        float[] out = new float[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            Objects.requireNonNull(rows[r], "rows[" + r + "] must not be null");
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("rows[" + r + "] has length " + rows[r].length
                        + ": expected " + cols + " like rows[0] (a ragged array is not a matrix)");
            }
            System.arraycopy(rows[r], 0, out, r * cols, cols);
        }
        return wrap(out, Shape.of(rows.length, cols));
    }

    /** A FLOAT64 matrix from rows of equal length. */
    public static Tensor of(double[][] rows) {
        Objects.requireNonNull(rows, "rows must not be null");
        int cols = rows.length == 0 ? 0 : rows[0].length;
        double[] out = new double[rows.length * cols];
        for (int r = 0; r < rows.length; r++) {
            Objects.requireNonNull(rows[r], "rows[" + r + "] must not be null");
            if (rows[r].length != cols) {
                throw new IllegalArgumentException("rows[" + r + "] has length " + rows[r].length
                        + ": expected " + cols + " like rows[0] (a ragged array is not a matrix)");
            }
            System.arraycopy(rows[r], 0, out, r * cols, cols);
        }
        return wrap(out, Shape.of(rows.length, cols));
    }

    /** A rank-0 FLOAT32 tensor. */
    public static Tensor scalar(float value) {
        return wrap(new float[] {value}, Shape.scalar());
    }

    /** A rank-0 tensor of the given dtype. */
    public static Tensor scalar(double value, DType dtype) {
        return full(dtype, value);
    }

    /** All zeros. */
    public static Tensor zeros(DType dtype, int... shape) {
        return wrapNew(Objects.requireNonNull(dtype, "dtype must not be null"), Shape.of(shape));
    }

    /** All ones. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1.0, shape);
    }

    /** Every element equal to {@code value} (rounded to float for FLOAT32). */
    public static Tensor full(DType dtype, double value, int... shape) {
        Objects.requireNonNull(dtype, "dtype must not be null");
        Shape s = Shape.of(shape);
        if (dtype == DType.FLOAT32) {
            float[] a = new float[s.size()];
            Arrays.fill(a, (float) value);
            return wrap(a, s);
        }
        double[] a = new double[s.size()];
        Arrays.fill(a, value);
        return wrap(a, s);
    }

    /**
     * Normal random values (Box-Muller over {@link SplittableRandom}); the same seed gives the same tensor
     * on every platform and JDK.
     */
    public static Tensor randomNormal(DType dtype, double mean, double stddev, long seed, int... shape) {
        Objects.requireNonNull(dtype, "dtype must not be null");
        if (!(stddev >= 0) || Double.isInfinite(stddev)) {
            throw new IllegalArgumentException("stddev = " + stddev + ": expected a finite value >= 0");
        }
        Shape s = Shape.of(shape);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i += 2) {
            double u1 = 1.0 - rnd.nextDouble(); // (0, 1]
            double u2 = rnd.nextDouble();
            double rad = Math.sqrt(-2.0 * Math.log(u1));
            v[i] = mean + stddev * rad * Math.cos(2 * Math.PI * u2);
            if (i + 1 < v.length) {
                v[i + 1] = mean + stddev * rad * Math.sin(2 * Math.PI * u2);
            }
        }
        return fromDoubles(dtype, v, s);
    }

    /** Uniform random values in {@code [min, max)}; the same seed gives the same tensor everywhere. */
    public static Tensor randomUniform(DType dtype, double min, double max, long seed, int... shape) {
        Objects.requireNonNull(dtype, "dtype must not be null");
        if (!(max >= min) || Double.isInfinite(max - min)) {
            throw new IllegalArgumentException("[min, max) = [" + min + ", " + max
                    + "): expected finite bounds with min <= max");
        }
        Shape s = Shape.of(shape);
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] v = new double[s.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = min + (max - min) * rnd.nextDouble();
        }
        return fromDoubles(dtype, v, s);
    }

    private static Tensor fromDoubles(DType dtype, double[] v, Shape s) {
        if (dtype == DType.FLOAT64) {
            return wrap(v, s);
        }
        float[] a = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            a[i] = (float) v[i];
        }
        return wrap(a, s);
    }

    // ---- accessors ---------------------------------------------------------------------------------

    /** The shape. */
    public Shape shape() {
        return shape;
    }

    /** The element type. */
    public DType dtype() {
        return dtype;
    }

    /** Number of dimensions. */
    public int rank() {
        return shape.rank();
    }

    /** Number of elements. */
    public int size() {
        return shape.size();
    }

    /**
     * The backing array of a FLOAT32 tensor, not a copy: read it, never write it. For the ops tier and
     * for zero-copy hand-off; users should prefer {@link #toFloatArray()}.
     *
     * @throws IllegalStateException if this tensor is FLOAT64
     */
    public float[] rawFloats() {
        if (f == null) {
            throw new IllegalStateException("rawFloats() on a float64 tensor: expected float32; use asType");
        }
        return f;
    }

    /** The backing array of a FLOAT64 tensor, not a copy (see {@link #rawFloats()}). */
    public double[] rawDoubles() {
        if (d == null) {
            throw new IllegalStateException("rawDoubles() on a float32 tensor: expected float64; use asType");
        }
        return d;
    }

    /** The backing array, {@code float[]} or {@code double[]}; not a copy. */
    public Object raw() {
        return f != null ? f : d;
    }

    /** A copy of the values as floats (FLOAT64 values are rounded). */
    public float[] toFloatArray() {
        if (f != null) {
            return f.clone();
        }
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    /** A copy of the values as doubles. */
    public double[] toDoubleArray() {
        if (d != null) {
            return d.clone();
        }
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /**
     * The values of a rank-2 tensor as rows of floats.
     *
     * @throws IllegalArgumentException if the rank is not 2
     */
    public float[][] toFloat2D() {
        if (rank() != 2) {
            throw new IllegalArgumentException("toFloat2D() on a tensor of shape " + shape
                    + ": expected rank 2");
        }
        int rows = shape.dim(0);
        int cols = shape.dim(1);
        float[] all = toFloatArray();
        float[][] out = new float[rows][cols];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(all, r * cols, out[r], 0, cols);
        }
        return out;
    }

    /** The element at the given index (one index per axis), as a double. */
    public double getDouble(int... index) {
        return f != null ? f[flatIndex(index)] : d[flatIndex(index)];
    }

    /** The element at the given index, as a float. */
    public float getFloat(int... index) {
        return (float) getDouble(index);
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (size() != 1) {
            throw new IllegalArgumentException("item() on a tensor of shape " + shape
                    + ": expected exactly one element");
        }
        return f != null ? f[0] : d[0];
    }

    private int flatIndex(int[] index) {
        Objects.requireNonNull(index, "index must not be null");
        if (index.length != rank()) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " entries: expected " + rank() + " for shape " + shape);
        }
        int[] st = shape.strides();
        int flat = 0;
        for (int i = 0; i < index.length; i++) {
            int dim = shape.dim(i);
            if (index[i] < 0 || index[i] >= dim) {
                throw new IndexOutOfBoundsException("index[" + i + "] = " + index[i] + " for shape " + shape
                        + ": expected 0 <= index < " + dim);
            }
            flat += index[i] * st[i];
        }
        return flat;
    }

    // ---- shortcuts to the ops tier -----------------------------------------------------------------

    /** {@link Manipulation#reshape}: same data, new shape; one dimension may be -1. Shares storage. */
    public Tensor reshape(int... newShape) {
        return Manipulation.reshape(this, newShape);
    }

    /** {@link Manipulation#cast}: this tensor converted to {@code dtype} (itself if already so). */
    public Tensor asType(DType dtype) {
        return Manipulation.cast(this, dtype);
    }

    /** {@link Manipulation#transpose}: axes permuted; no argument reverses them. */
    public Tensor transpose(int... perm) {
        return Manipulation.transpose(this, perm);
    }

    /** {@link Manipulation#slice}: rows {@code [start, end)} along axis 0 (a batch). */
    public Tensor slice(int start, int end) {
        return Manipulation.slice(this, start, end);
    }

    /** {@link Elementwise#add}. */
    public Tensor add(Tensor o) {
        return Elementwise.add(this, o);
    }

    /** Adds a scalar. */
    public Tensor add(double v) {
        return Elementwise.add(this, scalar(v, dtype));
    }

    /** {@link Elementwise#sub}. */
    public Tensor sub(Tensor o) {
        return Elementwise.sub(this, o);
    }

    /** Subtracts a scalar. */
    public Tensor sub(double v) {
        return Elementwise.sub(this, scalar(v, dtype));
    }

    /** {@link Elementwise#mul}. */
    public Tensor mul(Tensor o) {
        return Elementwise.mul(this, o);
    }

    /** Multiplies by a scalar. */
    public Tensor mul(double v) {
        return Elementwise.mul(this, scalar(v, dtype));
    }

    /** {@link Elementwise#div}. */
    public Tensor div(Tensor o) {
        return Elementwise.div(this, o);
    }

    /** Divides by a scalar. */
    public Tensor div(double v) {
        return Elementwise.div(this, scalar(v, dtype));
    }

    /** {@link Elementwise#pow}. */
    public Tensor pow(Tensor o) {
        return Elementwise.pow(this, o);
    }

    /** Raises to a scalar power. */
    public Tensor pow(double v) {
        return Elementwise.pow(this, scalar(v, dtype));
    }

    /** {@link Elementwise#maximum}. */
    public Tensor maximum(Tensor o) {
        return Elementwise.maximum(this, o);
    }

    /** {@link Elementwise#minimum}. */
    public Tensor minimum(Tensor o) {
        return Elementwise.minimum(this, o);
    }

    /** {@link Elementwise#neg}. */
    public Tensor neg() {
        return Elementwise.neg(this);
    }

    /** {@link Elementwise#abs}. */
    public Tensor abs() {
        return Elementwise.abs(this);
    }

    /** {@link Elementwise#square}. */
    public Tensor square() {
        return Elementwise.square(this);
    }

    /** {@link Elementwise#sqrt}. */
    public Tensor sqrt() {
        return Elementwise.sqrt(this);
    }

    /** {@link Elementwise#rsqrt}. */
    public Tensor rsqrt() {
        return Elementwise.rsqrt(this);
    }

    /** {@link Elementwise#exp}. */
    public Tensor exp() {
        return Elementwise.exp(this);
    }

    /** {@link Elementwise#log}. */
    public Tensor log() {
        return Elementwise.log(this);
    }

    /** {@link Reductions#sum}: over the given axes (none = all), dropping them. */
    public Tensor sum(int... axes) {
        return Reductions.sum(this, axesOrAll(axes), false);
    }

    /** {@link Reductions#mean}: over the given axes (none = all), dropping them. */
    public Tensor mean(int... axes) {
        return Reductions.mean(this, axesOrAll(axes), false);
    }

    /** {@link Reductions#max}: over the given axes (none = all), dropping them. */
    public Tensor max(int... axes) {
        return Reductions.max(this, axesOrAll(axes), false);
    }

    /** {@link Reductions#min}: over the given axes (none = all), dropping them. */
    public Tensor min(int... axes) {
        return Reductions.min(this, axesOrAll(axes), false);
    }

    /** {@link Reductions#variance} (biased, like {@code tf.math.reduce_variance}). */
    public Tensor variance(int... axes) {
        return Reductions.variance(this, axesOrAll(axes), false);
    }

    /** {@link Reductions#std} (biased, like {@code tf.math.reduce_std}). */
    public Tensor std(int... axes) {
        return Reductions.std(this, axesOrAll(axes), false);
    }

    /** {@link Reductions#sum} over {@code axes} (null = all), keeping them as size 1 when {@code keepDims}. */
    public Tensor sum(int[] axes, boolean keepDims) {
        return Reductions.sum(this, axes, keepDims);
    }

    /** {@link Reductions#mean} over {@code axes} (null = all), e.g. {@code x.mean(new int[] {-1}, true)}. */
    public Tensor mean(int[] axes, boolean keepDims) {
        return Reductions.mean(this, axes, keepDims);
    }

    /** {@link Reductions#variance} over {@code axes} (null = all) with {@code keepDims}. */
    public Tensor variance(int[] axes, boolean keepDims) {
        return Reductions.variance(this, axes, keepDims);
    }

    /** {@link Linalg#matmul}. */
    public Tensor matmul(Tensor o) {
        return Linalg.matmul(this, o);
    }

    private static int[] axesOrAll(int[] axes) {
        return axes == null || axes.length == 0 ? null : axes;
    }

    // ---- printing ----------------------------------------------------------------------------------

    /**
     * Formats like an eager TensorFlow tensor, with NumPy's layout and summarization of large tensors:
     * <pre>
     * tf.Tensor(
     * [[1. 2. 3.]
     *  [4. 5. 6.]], shape=(2, 3), dtype=float32)
     * </pre>
     */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
