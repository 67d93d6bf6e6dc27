package org.norm4j.kernel.vector;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.norm4j.kernel.BinaryOp;
import org.norm4j.kernel.ScalarKernels;
import org.norm4j.kernel.UnaryOp;

/**
 * {@link org.norm4j.kernel.Kernels} on the incubating Vector API ({@code jdk.incubator.vector}). Loaded by
 * {@link org.norm4j.kernel.KernelProvider} through reflection only when that module is present, so no other
 * class of norm4j refers to this one.
 *
 * <p>What is vectorized, and how it relates to {@link ScalarKernels}:
 * <ul>
 *   <li>Elementwise ops ({@code ADD SUB MUL DIV MAX MIN SQUARED_DIFFERENCE}, {@code NEG ABS SQUARE SQRT}),
 *       the fused normalize kernels and {@code matmul} perform exactly the same IEEE operations on every
 *       element as the scalar reference (separate multiply and add, never FMA; matmul accumulates each
 *       output in increasing {@code k}), so their results are bit-identical. Other ops use the scalar code.
 *   <li>Row reductions reorder their additions (several vector accumulators, then a lane reduction), so
 *       they match the scalar reference to within a few double ulps, as {@code Kernels} allows. Float data
 *       is widened to double lanes before any arithmetic. Column reductions keep one accumulator per
 *       column and add rows in order, so they too match the scalar reference exactly.
 *   <li>Max/min use the Vector API's lanewise {@code MAX}/{@code MIN}, which have {@link Math#max}/
 *       {@link Math#min} semantics (NaN-propagating, {@code -0.0 < +0.0}).
 * </ul>
 * Rows no longer than two vectors (row reductions of doubles: shorter than four) run the scalar code:
 * set-up and tails would cost more than they save. Products narrower than one vector in both {@code m}
 * and {@code n} run the scalar code too (see {@link FloatMatmul}).
 *
 * <p><b>Vector width.</b> By default the species are the platform's preferred width ({@code
 * FloatVector.SPECIES_PREFERRED}). The system property {@code norm4j.vectorBits} ({@code 128}, {@code 256}
 * or {@code 512}) forces a narrower width, e.g. to test every width on a wide machine; a value wider than
 * the preferred width is clamped to it, since wider species would run on the Vector API's slow
 * non-intrinsified path. The property is read once, when this class is initialized: the species must be
 * {@code static final} constants, because C2 only compiles Vector API calls to vector instructions when the
 * species is a compile-time constant (with the species passed in as values, {@code sum} over 1M floats
 * ran about 150x slower than with constant species, and 10x slower than the scalar loop). A JVM therefore
 * uses one width; a test that wants several loads this class once per width in its own class loader. The matrix
 * products have their own width, {@link #MATMUL_BITS} ({@code norm4j.matmulBits}; by default the same).
 *
 * <p>Layout of the code: the public methods choose between the scalar and the vector path (those whose float and
 * double versions are twins in {@link FloatVectorKernels} and its generated double twin, which this class
 * extends; the others here); the loops
 * live in small static methods: {@link FloatElementwise} and its generated double twin (elementwise ops and
 * the normalize passes, in the element type), {@link VectorLoops} (reductions, widened to double),
 * {@link VectorColumns} (float column reductions, accumulators in registers), {@link VectorRows} (the
 * last-axis normalization rows) and {@link FloatMatmul} with its generated twin (matrix products). Each has the same shape: a main
 * vector loop up to a {@code loopBound}, then a scalar tail; reductions add a single-vector loop between their unrolled loop and the scalar tail.
 * {@link VectorLoops} explains what that code avoids so that the JIT keeps vectors in registers.
 */
public final class VectorKernels extends DoubleVectorKernels {

    /** Bit size of the platform's preferred species. */
    static final int PREFERRED_BITS = FloatVector.SPECIES_PREFERRED.vectorBitSize();

    /** Why this platform cannot use the vector kernels, or {@code null}. */
    private static final String UNUSABLE;

    /** The bit size in use: the preferred size, or a narrower one from {@code norm4j.vectorBits}. */
    static final int BITS;

    /**
     * The bit size of the matrix-product species ({@link FloatMatmul} and its twin): {@code norm4j.matmulBits}
     * (128, 256 or 512, clamped to the preferred size) when set, else {@link #BITS}. Decided once, like
     * {@link #BITS}. The default follows measurement: on an AMD Zen 5 host (family 26, full-width AVX-512) the
     * 512-bit species ran the [32,784]x[784,128] Dense product in 58 us against 99-129 us at 256 bits (JDK 17,
     * one thread, 2026-12-02; docs/architecture.md). On a CPU that executes 512-bit operations as two 256-bit halves (Zen 4,
     * family 25) compare both with {@code -Dnorm4j.matmulBits=256}; the bench records the CPU of every run.
     */
    static final int MATMUL_BITS;

    static {
        String unusable = null;
        int bits = PREFERRED_BITS;
        int matmul = -1;
        if (PREFERRED_BITS < 128) {
            unusable = "preferred vector size is " + PREFERRED_BITS + " bits (< 128)";
        } else {
            int req = requestedBits("norm4j.vectorBits");
            int reqMatmul = requestedBits("norm4j.matmulBits");
            if (req == -1 || reqMatmul == -1) {
                String key = req == -1 ? "norm4j.vectorBits" : "norm4j.matmulBits";
                unusable = "-D" + key + "=" + System.getProperty(key) + " is not one of 128, 256, 512";
            } else {
                bits = req == 0 ? PREFERRED_BITS : Math.min(req, PREFERRED_BITS);
                matmul = reqMatmul == 0 ? bits : Math.min(reqMatmul, PREFERRED_BITS);
            }
        }
        UNUSABLE = unusable;
        BITS = unusable == null ? bits : 128;
        MATMUL_BITS = unusable == null ? matmul : 128;
    }

    /** The width a system property asks for: 128, 256 or 512; 0 when unset; -1 when it is anything else. */
    private static int requestedBits(String key) {
        String prop = System.getProperty(key);
        if (prop == null || prop.isBlank()) {
            return 0;
        }
        try {
            int req = Integer.parseInt(prop.trim());
            return req == 128 || req == 256 || req == 512 ? req : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** Float species for elementwise float work. */
    static final VectorSpecies<Float> F = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS));
    /** Double species for double work and for every accumulation. */
    static final VectorSpecies<Double> D = VectorSpecies.of(double.class, VectorShape.forBitSize(BITS));
    /** Half-width float species with as many lanes as {@link #D}: loaded, then widened to double lanes. */
    static final VectorSpecies<Float> FH = VectorSpecies.of(float.class, VectorShape.forBitSize(BITS / 2));

    static final int FL = F.length();
    static final int DL = D.length();

    /** Float species of the matrix products ({@link #MATMUL_BITS}). */
    static final VectorSpecies<Float> MF = VectorSpecies.of(float.class, VectorShape.forBitSize(MATMUL_BITS));
    /** Double species of the matrix products. */
    static final VectorSpecies<Double> MD = VectorSpecies.of(double.class, VectorShape.forBitSize(MATMUL_BITS));

    static final int MFL = MF.length();
    static final int MDL = MD.length();

    /** The scalar reference, for the shapes the vector code leaves to it. */
    static final ScalarKernels SCALAR = new ScalarKernels();

    private final String name;

    /**
     * Creates the kernels at the width chosen when the class was initialized (see the class comment).
     *
     * @throws UnsupportedOperationException if the preferred species is narrower than 128 bits or
     *         {@code norm4j.vectorBits} or {@code norm4j.matmulBits} is not 128, 256 or 512; {@code KernelProvider}
     *         then uses the scalar kernels
     */
    public VectorKernels() {
        if (UNUSABLE != null) {
            throw new UnsupportedOperationException(UNUSABLE);
        }
        String forced = BITS == PREFERRED_BITS ? "" : "; -Dnorm4j.vectorBits, preferred " + PREFERRED_BITS;
        String matmul = MATMUL_BITS == BITS ? "" : "; " + MATMUL_BITS + "-bit matmul species (-Dnorm4j.matmulBits)";
        name = "vector (" + F.vectorBitSize() + "-bit float species, " + D.vectorBitSize()
                + "-bit double species, " + FH.vectorBitSize() + "-bit float lanes widened to double"
                + forced + matmul + ")";
    }

    @Override
    public String name() {
        return name;
    }

    // ---- elementwise -------------------------------------------------------------------------------

    // ---- row reductions ----------------------------------------------------------------------------
    // The unrolled loops run at least once (see VectorLoops): four double vectors. A float row longer
    // than two float vectors is at least that; a double row needs four vectors.

    @Override
    public double sum(float[] x, int off, int n) {
        return n > 2 * FL ? VectorLoops.sum(x, off, n) : super.sum(x, off, n);
    }

    @Override
    public double sum(double[] x, int off, int n) {
        return n >= 4 * DL ? VectorLoops.sum(x, off, n) : super.sum(x, off, n);
    }

    @Override
    public double sumSquaredDeviations(float[] x, int off, int n, double mean) {
        return n > 2 * FL ? VectorLoops.sumSquaredDeviations(x, off, n, mean)
                : super.sumSquaredDeviations(x, off, n, mean);
    }

    @Override
    public void shiftedSums(float[] x, int off, int n, double shift, double[] out, int oo) {
        if (n > 2 * FL) {
            VectorLoops.shiftedSums(x, off, n, shift, out, oo);
        } else {
            super.shiftedSums(x, off, n, shift, out, oo);
        }
    }

    @Override
    public double sumSquaredDeviations(double[] x, int off, int n, double mean) {
        return n >= 4 * DL ? VectorLoops.sumSquaredDeviations(x, off, n, mean)
                : super.sumSquaredDeviations(x, off, n, mean);
    }

    @Override
    public double sumProductDeviations(float[] dy, float[] x, int off, int n, double mean) {
        return n > 2 * FL ? VectorLoops.sumProductDeviations(dy, x, off, n, mean)
                : super.sumProductDeviations(dy, x, off, n, mean);
    }

    @Override
    public double sumProductDeviations(double[] dy, double[] x, int off, int n, double mean) {
        return n >= 4 * DL ? VectorLoops.sumProductDeviations(dy, x, off, n, mean)
                : super.sumProductDeviations(dy, x, off, n, mean);
    }

    // ---- column reductions (vectorized over the columns j) -----------------------------------------

    @Override
    public void sumColumns(float[] x, int off, int rows, int cols, double[] acc, int ao) {
        if (rows > 0) {
            VectorColumns.sumColumns(x, off, rows, cols, acc, ao);
        }
    }

    @Override
    public void sumColumns(double[] x, int off, int rows, int cols, double[] acc, int ao) {
        if (cols > 2 * DL) {
            VectorLoops.sumColumns(x, off, rows, cols, acc, ao);
        } else {
            super.sumColumns(x, off, rows, cols, acc, ao);
        }
    }

    @Override
    public void sumSquaredDeviationsColumns(float[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao) {
        if (rows > 0) {
            VectorColumns.sumSquaredDeviationsColumns(x, off, rows, cols, mean, mo, acc, ao);
        }
    }

    @Override
    public void sumSquaredDeviationsColumns(double[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao) {
        if (cols > 2 * DL) {
            VectorLoops.sumSquaredDeviationsColumns(x, off, rows, cols, mean, mo, acc, ao);
        } else {
            super.sumSquaredDeviationsColumns(x, off, rows, cols, mean, mo, acc, ao);
        }
    }

    @Override
    public void sumProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean,
            int mo, double[] acc, int ao) {
        if (rows > 0) {
            VectorColumns.sumProductDeviationsColumns(dy, x, off, rows, cols, mean, mo, acc, ao);
        }
    }

    @Override
    public void sumAndProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean,
            int mo, double[] accSum, double[] accProduct, int ao) {
        if (rows > 0) {
            VectorColumns.sumAndProductDeviationsColumns(dy, x, off, rows, cols, mean, mo, accSum, accProduct, ao);
        }
    }

    @Override
    public void sumProductDeviationsColumns(double[] dy, double[] x, int off, int rows, int cols, double[] mean,
            int mo, double[] acc, int ao) {
        if (cols > 2 * DL) {
            VectorLoops.sumProductDeviationsColumns(dy, x, off, rows, cols, mean, mo, acc, ao);
        } else {
            super.sumProductDeviationsColumns(dy, x, off, rows, cols, mean, mo, acc, ao);
        }
    }

    // ---- fused normalize ---------------------------------------------------------------------------

    // ---- matrix product ----------------------------------------------------------------------------

    // ---- normalization rows (loops in VectorRows) ----------------------------------------------------

    @Override
    public void normalizeRowAffine(float[] x, int off, int n, float mean, float inv, float residual,
            float[] gamma, float[] beta, float[] y) {
        if (n <= 2 * FL || (gamma == null) != (beta == null)) {
            super.normalizeRowAffine(x, off, n, mean, inv, residual, gamma, beta, y);
        } else if (gamma == null) { // a = inv, b = 0 - residual * inv: the scaleShift order
            FloatElementwise.scaleShift(x, off, n, mean, inv, 0f - residual * inv, y);
        } else {
            VectorRows.affine(x, off, n, mean, inv, residual, gamma, beta, y);
        }
    }

    @Override
    public void normalizeRowAffine(double[] x, int off, int n, double mean, double inv, double[] gamma,
            double[] beta, double[] y) {
        if (n <= 2 * DL || (gamma == null) != (beta == null)) {
            super.normalizeRowAffine(x, off, n, mean, inv, gamma, beta, y);
        } else if (gamma == null) {
            DoubleElementwise.scaleShift(x, off, n, mean, inv, 0.0, y);
        } else {
            VectorRows.affine(x, off, n, mean, inv, gamma, beta, y);
        }
    }

    @Override
    public void normalizeRowGradSums(float[] dy, float[] x, int off, int n, float[] gamma, double center,
            double[] out, int oo) {
        if (n <= 2 * FL || gamma == null) {
            super.normalizeRowGradSums(dy, x, off, n, gamma, center, out, oo);
        } else {
            VectorRows.gradSums(dy, x, off, n, gamma, center, out, oo);
        }
    }

    @Override
    public void normalizeRowGradSums(double[] dy, double[] x, int off, int n, double[] gamma, double center,
            double[] out, int oo) {
        if (n < 4 * DL || gamma == null) {
            super.normalizeRowGradSums(dy, x, off, n, gamma, center, out, oo);
        } else {
            VectorRows.gradSums(dy, x, off, n, gamma, center, out, oo);
        }
    }

    @Override
    public void normalizeRowBackward(float[] dy, float[] x, int off, int n, float[] gamma, double a,
            double center, double b, double c, float[] dx) {
        if (n <= 2 * FL || gamma == null) {
            super.normalizeRowBackward(dy, x, off, n, gamma, a, center, b, c, dx);
        } else {
            VectorRows.backward(dy, x, off, n, gamma, a, center, b, c, dx);
        }
    }

    @Override
    public void normalizeRowBackward(double[] dy, double[] x, int off, int n, double[] gamma, double a,
            double center, double b, double c, double[] dx) {
        if (n < 4 * DL || gamma == null) {
            super.normalizeRowBackward(dy, x, off, n, gamma, a, center, b, c, dx);
        } else {
            VectorRows.backward(dy, x, off, n, gamma, a, center, b, c, dx);
        }
    }

    @Override
    public void normalizeColumnBackward(float[] dy, float[] x, int off, int rows, int cols, double[] w, double[] a,
            double[] center, double[] b, double[] c, float[] dx) {
        if (cols < DL) {
            super.normalizeColumnBackward(dy, x, off, rows, cols, w, a, center, b, c, dx);
        } else {
            VectorRows.columnBackward(dy, x, off, rows, cols, w, a, center, b, c, dx);
        }
    }

}
