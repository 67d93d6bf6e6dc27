package org.norm4j.kernel;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Differential test of the Vector API kernels against {@link ScalarKernels}, at every vector width and at
 * lengths around the lane counts (1..1000, odd offsets, odd column counts), on seeded random data.
 *
 * <p>What must hold:
 * <ul>
 *   <li>elementwise, fused normalize, matmul and max/min (row and column): bit-identical, NaN included
 *       (compared with {@code floatToIntBits}/{@code doubleToLongBits}, so all NaNs are one value but
 *       {@code -0.0 != +0.0}); the padding around each output must be left untouched;
 *   <li>sums (row and column): {@code |vector - scalar| <= REL_TOL * sum of |terms|} with
 *       {@link #REL_TOL} {@code = 1e-12}. Reordering n double additions moves the result by at most about
 *       {@code n * 2^-53 * sum|terms|}, about {@code 1.1e-13} relative for n = 1000, so 1e-12 leaves margin
 *       while still catching any float-precision accumulation ({@code ~6e-8}) or a lost term.
 *       Non-finite results (an Inf or NaN input) must match exactly.
 * </ul>
 *
 * <p>The vector kernels choose their width once per class initialization (the species are {@code static
 * final} so that C2 can compile them), so each width gets its own copy of {@code org.norm4j.kernel.vector}
 * in a child-first class loader, initialized with {@code -Dnorm4j.vectorBits} set to that width. A width
 * wider than this CPU's preferred one is clamped by the kernels; those cases are skipped.
 */
class KernelsDifferentialTest {
    /** Relative tolerance of reductions, against the sum of the absolute values of the summed terms. */
    static final double REL_TOL = 1e-12;

    static final int[] LENGTHS = {1, 3, 7, 8, 13, 16, 31, 33, 100, 127, 257, 1000};
    static final int[] WIDTHS = {128, 256, 512};

    /** Offsets into the arrays (odd, so vectors are unaligned) and padding after the used region. */
    private static final int OFF = 3;
    private static final int PAD = 5;

    private static final Kernels SCALAR = new ScalarKernels();
    private static final Map<Integer, Kernels> BY_WIDTH = new ConcurrentHashMap<>();

    private static final float[] SPECIAL_F = {0f, -0f, Float.NaN, Float.POSITIVE_INFINITY,
        Float.NEGATIVE_INFINITY, Float.MIN_VALUE, -1e-40f, Float.MAX_VALUE, -Float.MAX_VALUE, 1f, -1f};
    private static final double[] SPECIAL_D = {0.0, -0.0, Double.NaN, Double.POSITIVE_INFINITY,
        Double.NEGATIVE_INFINITY, Double.MIN_VALUE, -1e-310, Double.MAX_VALUE, -Double.MAX_VALUE, 1.0, -1.0};

    static Stream<Arguments> widthsAndLengths() {
        List<Arguments> out = new ArrayList<>();
        for (int w : WIDTHS) {
            for (int n : LENGTHS) {
                out.add(Arguments.of(w, n));
            }
        }
        return out.stream();
    }

    // ---- obtaining the kernels at a given width -----------------------------------------------------

    static Kernels vector(int bits) {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "jdk.incubator.vector is not in the boot layer: no vector kernels to test");
        Kernels k = BY_WIDTH.computeIfAbsent(bits, KernelsDifferentialTest::load);
        assumeTrue(k.name().contains(bits + "-bit float species"),
                () -> bits + "-bit is wider than this CPU's preferred species: " + k.name());
        return k;
    }

    private static Kernels load(int bits) {
        return load("norm4j.vectorBits", bits);
    }

    /** A fresh copy of the vector kernels, initialized with the system property {@code key} set to {@code bits}. */
    private static synchronized Kernels load(String key, int bits) {
        String old = System.getProperty(key);
        System.setProperty(key, Integer.toString(bits));
        try {
            Class<?> cls = Class.forName(KernelProvider.VECTOR_CLASS, true,
                    new WidthLoader(KernelsDifferentialTest.class.getClassLoader()));
            return (Kernels) cls.getConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("cannot load " + KernelProvider.VECTOR_CLASS + " at " + bits + " bits", e);
        } finally {
            if (old == null) {
                System.clearProperty(key);
            } else {
                System.setProperty(key, old);
            }
        }
    }

    /** Defines its own copy of the classes of {@code org.norm4j.kernel.vector}; delegates everything else. */
    private static final class WidthLoader extends ClassLoader {
        private static final String PACKAGE = "org.norm4j.kernel.vector.";

        WidthLoader(ClassLoader parent) {
            super("norm4j-vector-width", parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.startsWith(PACKAGE)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                        if (in == null) {
                            throw new ClassNotFoundException(name);
                        }
                        byte[] bytes = in.readAllBytes();
                        c = defineClass(name, bytes, 0, bytes.length);
                    } catch (IOException e) {
                        throw new ClassNotFoundException(name, e);
                    }
                }
                if (resolve) {
                    resolveClass(c);
                }
                return c;
            }
        }
    }

    // ---- data -------------------------------------------------------------------------------------

    private static Random random(int bits, int n, int salt) {
        return new Random(bits * 1_000_003L + n * 7919L + salt);
    }

    /** {@code OFF + len + PAD} values, gaussian-ish; one in {@code specialEvery} is special (0 = none). */
    private static float[] floats(Random r, int len, int specialEvery) {
        float[] x = new float[OFF + len + PAD];
        for (int i = 0; i < x.length; i++) {
            x[i] = specialEvery > 0 && r.nextInt(specialEvery) == 0 ? SPECIAL_F[r.nextInt(SPECIAL_F.length)]
                    : (float) (r.nextGaussian() * 10 + 0.5);
        }
        return x;
    }

    private static double[] doubles(Random r, int len, int specialEvery) {
        double[] x = new double[OFF + len + PAD];
        for (int i = 0; i < x.length; i++) {
            x[i] = specialEvery > 0 && r.nextInt(specialEvery) == 0 ? SPECIAL_D[r.nextInt(SPECIAL_D.length)]
                    : r.nextGaussian() * 10 + 0.5;
        }
        return x;
    }

    static float[] filled(int len, float v) {
        float[] a = new float[len];
        Arrays.fill(a, v);
        return a;
    }

    static double[] filled(int len, double v) {
        double[] a = new double[len];
        Arrays.fill(a, v);
        return a;
    }

    /** Reductions: exact when non-finite, else within {@link #REL_TOL} of {@code scale} (sum of |terms|). */
    private static void assertClose(double expected, double actual, double scale, String what) {
        if (!Double.isFinite(expected) || !Double.isFinite(actual)) {
            assertEquals(expected, actual, what);
        } else {
            double tol = REL_TOL * scale;
            assertTrue(Math.abs(expected - actual) <= tol,
                    () -> what + ": scalar " + expected + ", vector " + actual + ", tolerance " + tol);
        }
    }

    // ---- elementwise ------------------------------------------------------------------------------

    private static final int[][] STRIDES = {{1, 1}, {1, 0}, {0, 1}, {0, 0}};

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("widthsAndLengths")
    void binaryIsBitIdentical(int bits, int n) {
        Kernels v = vector(bits);
        Random r = random(bits, n, 1);
        float[] af = floats(r, n, 9);
        float[] bf = floats(r, n, 9);
        double[] ad = doubles(r, n, 9);
        double[] bd = doubles(r, n, 9);
        for (BinaryOp op : BinaryOp.values()) {
            for (int[] s : STRIDES) {
                String what = op + " strides " + s[0] + "," + s[1];
                float[] cs = filled(OFF + n + PAD, 7f);
                float[] cv = cs.clone();
                SCALAR.binary(op, af, OFF, s[0], bf, OFF + 1, s[1], cs, OFF, n);
                v.binary(op, af, OFF, s[0], bf, OFF + 1, s[1], cv, OFF, n);
                assertArrayEquals(cs, cv, "float " + what);

                double[] ds = filled(OFF + n + PAD, 7.0);
                double[] dv = ds.clone();
                SCALAR.binary(op, ad, OFF, s[0], bd, OFF + 1, s[1], ds, OFF, n);
                v.binary(op, ad, OFF, s[0], bd, OFF + 1, s[1], dv, OFF, n);
                assertArrayEquals(ds, dv, "double " + what);
            }
        }
    }

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("widthsAndLengths")
    void unaryIsBitIdentical(int bits, int n) {
        Kernels v = vector(bits);
        Random r = random(bits, n, 2);
        float[] af = floats(r, n, 6);
        double[] ad = doubles(r, n, 6);
        for (UnaryOp op : UnaryOp.values()) {
            float[] cs = filled(OFF + n + PAD, 7f);
            float[] cv = cs.clone();
            SCALAR.unary(op, af, OFF, cs, OFF - 1, n);
            v.unary(op, af, OFF, cv, OFF - 1, n);
            assertArrayEquals(cs, cv, "float " + op);

            double[] ds = filled(OFF + n + PAD, 7.0);
            double[] dv = ds.clone();
            SCALAR.unary(op, ad, OFF, ds, OFF - 1, n);
            v.unary(op, ad, OFF, dv, OFF - 1, n);
            assertArrayEquals(ds, dv, "double " + op);
        }
    }

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("widthsAndLengths")
    void inPlaceElementwiseIsBitIdentical(int bits, int n) {
        Kernels v = vector(bits);
        Random r = random(bits, n, 3);
        float[] as = floats(r, n, 0);
        float[] av = as.clone();
        float[] b = floats(r, n, 0);
        SCALAR.binary(BinaryOp.MUL, as, OFF, 1, b, OFF, 1, as, OFF, n);
        v.binary(BinaryOp.MUL, av, OFF, 1, b, OFF, 1, av, OFF, n);
        SCALAR.unary(UnaryOp.SQUARE, as, OFF, as, OFF, n);
        v.unary(UnaryOp.SQUARE, av, OFF, av, OFF, n);
        assertArrayEquals(as, av);
    }

    // ---- row reductions ---------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("widthsAndLengths")
    void rowSumsWithinTolerance(int bits, int n) {
        Kernels v = vector(bits);
        Random r = random(bits, n, 4);
        for (int scenario = 0; scenario < 4; scenario++) {
            float[] xf = floats(r, n, 0);
            float[] dyf = floats(r, n, 0);
            double[] xd = doubles(r, n, 0);
            double[] dyd = doubles(r, n, 0);
            if (scenario == 1) { // large offset: cancellation-prone variance
                for (int i = 0; i < xf.length; i++) {
                    xf[i] += 1e4f;
                    xd[i] += 1e8;
                }
            } else if (scenario >= 2) { // a non-finite input: the result must match exactly
                int at = OFF + r.nextInt(n);
                xf[at] = scenario == 2 ? Float.POSITIVE_INFINITY : Float.NaN;
                xd[at] = scenario == 2 ? Double.NEGATIVE_INFINITY : Double.NaN;
            }
            double meanF = SCALAR.sum(xf, OFF, n) / n;
            double meanD = SCALAR.sum(xd, OFF, n) / n;
            double absF = 0, absD = 0, sqF = 0, sqD = 0, prF = 0, prD = 0;
            for (int i = OFF; i < OFF + n; i++) {
                absF += Math.abs((double) xf[i]);
                absD += Math.abs(xd[i]);
                sqF += (xf[i] - meanF) * (xf[i] - meanF);
                sqD += (xd[i] - meanD) * (xd[i] - meanD);
                prF += Math.abs(dyf[i] * (xf[i] - meanF));
                prD += Math.abs(dyd[i] * (xd[i] - meanD));
            }
            String s = "scenario " + scenario + " ";
            assertClose(SCALAR.sum(xf, OFF, n), v.sum(xf, OFF, n), absF, s + "sum float");
            assertClose(SCALAR.sum(xd, OFF, n), v.sum(xd, OFF, n), absD, s + "sum double");
            assertClose(SCALAR.sumSquaredDeviations(xf, OFF, n, meanF), v.sumSquaredDeviations(xf, OFF, n, meanF),
                    sqF, s + "ssd float");
            assertClose(SCALAR.sumSquaredDeviations(xd, OFF, n, meanD), v.sumSquaredDeviations(xd, OFF, n, meanD),
                    sqD, s + "ssd double");
            assertClose(SCALAR.sumProductDeviations(dyf, xf, OFF, n, meanF),
                    v.sumProductDeviations(dyf, xf, OFF, n, meanF), prF, s + "spd float");
            assertClose(SCALAR.sumProductDeviations(dyd, xd, OFF, n, meanD),
                    v.sumProductDeviations(dyd, xd, OFF, n, meanD), prD, s + "spd double");
        }
    }

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("widthsAndLengths")
    void rowExtremesAreExactWithNaNAndSignedZeros(int bits, int n) {
        Kernels v = vector(bits);
        Random r = random(bits, n, 5);
        for (int scenario = 0; scenario < 7; scenario++) {
            float[] xf;
            double[] xd;
            if (scenario == 0) { // plain data
                xf = floats(r, n, 0);
                xd = doubles(r, n, 0);
            } else if (scenario == 1) { // only signed zeros: +0.0 must win max, -0.0 min
                xf = new float[OFF + n + PAD];
                xd = new double[OFF + n + PAD];
                for (int i = 0; i < xf.length; i++) {
                    xf[i] = r.nextBoolean() ? 0f : -0f;
                    xd[i] = r.nextBoolean() ? 0.0 : -0.0;
                }
            } else { // specials everywhere, or one NaN at the first, last or a random position
                xf = floats(r, n, scenario == 2 ? 3 : 0);
                xd = doubles(r, n, scenario == 2 ? 3 : 0);
                if (scenario >= 3) {
                    int at = OFF + (scenario == 3 ? 0 : scenario == 4 ? n - 1 : r.nextInt(n));
                    xf[at] = Float.NaN;
                    xd[at] = Double.NaN;
                    if (scenario == 6) {
                        xf[OFF + r.nextInt(n)] = Float.POSITIVE_INFINITY;
                        xd[OFF + r.nextInt(n)] = Double.NEGATIVE_INFINITY;
                    }
                }
            }
            for (boolean max : new boolean[] {true, false}) {
                String what = "scenario " + scenario + (max ? " max" : " min");
                assertEquals(SCALAR.extreme(xf, OFF, n, max), v.extreme(xf, OFF, n, max), what + " float");
                assertEquals(SCALAR.extreme(xd, OFF, n, max), v.extreme(xd, OFF, n, max), what + " double");
            }
        }
    }

    // ---- column reductions ------------------------------------------------------------------------

    private static final int[] ROWS = {1, 2, 5};

    @ParameterizedTest(name = "{0}-bit, cols={1}")
    @MethodSource("widthsAndLengths")
    void columnSumsWithinTolerance(int bits, int cols) {
        Kernels v = vector(bits);
        Random r = random(bits, cols, 6);
        for (int rows : ROWS) {
            int len = rows * cols;
            float[] xf = floats(r, len, 0);
            float[] dyf = floats(r, len, 0);
            double[] xd = doubles(r, len, 0);
            double[] dyd = doubles(r, len, 0);
            double[] mean = doubles(r, cols, 0); // used from offset 1
            double[] seed = doubles(r, cols, 0); // accumulators start non-zero, at offset 2

            double[][] scaleF = new double[3][cols];
            double[][] scaleD = new double[3][cols];
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    int p = OFF + i * cols + j;
                    double m = mean[1 + j];
                    scaleF[0][j] += Math.abs((double) xf[p]);
                    scaleD[0][j] += Math.abs(xd[p]);
                    scaleF[1][j] += (xf[p] - m) * (xf[p] - m);
                    scaleD[1][j] += (xd[p] - m) * (xd[p] - m);
                    scaleF[2][j] += Math.abs(dyf[p] * (xf[p] - m));
                    scaleD[2][j] += Math.abs(dyd[p] * (xd[p] - m));
                }
            }
            for (int kind = 0; kind < 3; kind++) {
                double[] sf = seed.clone(), vf = seed.clone(), sd = seed.clone(), vd = seed.clone();
                if (kind == 0) {
                    SCALAR.sumColumns(xf, OFF, rows, cols, sf, 2);
                    v.sumColumns(xf, OFF, rows, cols, vf, 2);
                    SCALAR.sumColumns(xd, OFF, rows, cols, sd, 2);
                    v.sumColumns(xd, OFF, rows, cols, vd, 2);
                } else if (kind == 1) {
                    SCALAR.sumSquaredDeviationsColumns(xf, OFF, rows, cols, mean, 1, sf, 2);
                    v.sumSquaredDeviationsColumns(xf, OFF, rows, cols, mean, 1, vf, 2);
                    SCALAR.sumSquaredDeviationsColumns(xd, OFF, rows, cols, mean, 1, sd, 2);
                    v.sumSquaredDeviationsColumns(xd, OFF, rows, cols, mean, 1, vd, 2);
                } else {
                    SCALAR.sumProductDeviationsColumns(dyf, xf, OFF, rows, cols, mean, 1, sf, 2);
                    v.sumProductDeviationsColumns(dyf, xf, OFF, rows, cols, mean, 1, vf, 2);
                    SCALAR.sumProductDeviationsColumns(dyd, xd, OFF, rows, cols, mean, 1, sd, 2);
                    v.sumProductDeviationsColumns(dyd, xd, OFF, rows, cols, mean, 1, vd, 2);
                }
                for (int j = 0; j < seed.length; j++) {
                    boolean used = j >= 2 && j < 2 + cols;
                    double s0 = Math.abs(seed[j]);
                    String what = "kind " + kind + " rows " + rows + " acc[" + j + "]";
                    assertClose(sf[j], vf[j], used ? s0 + scaleF[kind][j - 2] : 0, what + " float");
                    assertClose(sd[j], vd[j], used ? s0 + scaleD[kind][j - 2] : 0, what + " double");
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}-bit, cols={1}")
    @MethodSource("widthsAndLengths")
    void columnExtremesAreExact(int bits, int cols) {
        Kernels v = vector(bits);
        Random r = random(bits, cols, 7);
        for (int rows : ROWS) {
            int len = rows * cols;
            float[] xf = floats(r, len, 4);
            double[] xd = doubles(r, len, 4);
            double[] seed = doubles(r, cols, 5);
            for (boolean max : new boolean[] {true, false}) {
                double[] sf = seed.clone(), vf = seed.clone(), sd = seed.clone(), vd = seed.clone();
                SCALAR.extremeColumns(xf, OFF, rows, cols, max, sf, 2);
                v.extremeColumns(xf, OFF, rows, cols, max, vf, 2);
                SCALAR.extremeColumns(xd, OFF, rows, cols, max, sd, 2);
                v.extremeColumns(xd, OFF, rows, cols, max, vd, 2);
                assertArrayEquals(sf, vf, "float rows " + rows + (max ? " max" : " min"));
                assertArrayEquals(sd, vd, "double rows " + rows + (max ? " max" : " min"));
            }
        }
    }

    // ---- fused normalize --------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("widthsAndLengths")
    void normalizationRowsMatchScalar(int bits, int n) {
        Kernels v = vector(bits);
        Random r = random(bits, n, 21);
        float[] xf = floats(r, n, 11);
        float[] dyf = floats(r, n, 11);
        float[] gf = Arrays.copyOfRange(floats(r, n, 0), OFF, OFF + n);
        float[] bf = Arrays.copyOfRange(floats(r, n, 0), OFF, OFF + n);
        double[] xd = doubles(r, n, 11);
        double[] dyd = doubles(r, n, 11);
        double[] gd = Arrays.copyOfRange(doubles(r, n, 0), OFF, OFF + n);
        double[] bd = Arrays.copyOfRange(doubles(r, n, 0), OFF, OFF + n);
        float mean = 0.37f, inv = 1.7f / 3f, res = 3e-9f;
        double meanD = 0.37, invD = 1.7 / 3;
        for (int variant = 0; variant < 4; variant++) { // gamma and beta present or null
            float[] g = (variant & 1) == 0 ? gf : null;
            float[] b = (variant & 2) == 0 ? bf : null;
            double[] g2 = (variant & 1) == 0 ? gd : null;
            double[] b2 = (variant & 2) == 0 ? bd : null;
            String s = "variant " + variant + ": ";
            float[] ys = filled(OFF + n + PAD, 7f), yv = ys.clone();
            SCALAR.normalizeRowAffine(xf, OFF, n, mean, inv, res, g, b, ys);
            v.normalizeRowAffine(xf, OFF, n, mean, inv, res, g, b, yv);
            assertArrayEquals(ys, yv, s + "normalizeRowAffine float");
            double[] zs = filled(OFF + n + PAD, 7.0), zv = zs.clone();
            SCALAR.normalizeRowAffine(xd, OFF, n, meanD, invD, g2, b2, zs);
            v.normalizeRowAffine(xd, OFF, n, meanD, invD, g2, b2, zv);
            assertArrayEquals(zs, zv, s + "normalizeRowAffine double");

            ys = filled(OFF + n + PAD, 7f);
            yv = ys.clone();
            SCALAR.normalizeRowScale(xf, OFF, n, inv, g, ys);
            v.normalizeRowScale(xf, OFF, n, inv, g, yv);
            assertArrayEquals(ys, yv, s + "normalizeRowScale float");
            zs = filled(OFF + n + PAD, 7.0);
            zv = zs.clone();
            SCALAR.normalizeRowScale(xd, OFF, n, invD, g2, zs);
            v.normalizeRowScale(xd, OFF, n, invD, g2, zv);
            assertArrayEquals(zs, zv, s + "normalizeRowScale double");

            ys = filled(OFF + n + PAD, 7f);
            yv = ys.clone();
            SCALAR.normalizeRowBackward(dyf, xf, OFF, n, g, 0.9, meanD, -0.013, 0.25, ys);
            v.normalizeRowBackward(dyf, xf, OFF, n, g, 0.9, meanD, -0.013, 0.25, yv);
            assertArrayEquals(ys, yv, s + "normalizeRowBackward float");
            zs = filled(OFF + n + PAD, 7.0);
            zv = zs.clone();
            SCALAR.normalizeRowBackward(dyd, xd, OFF, n, g2, 0.9, meanD, -0.013, 0.25, zs);
            v.normalizeRowBackward(dyd, xd, OFF, n, g2, 0.9, meanD, -0.013, 0.25, zv);
            assertArrayEquals(zs, zv, s + "normalizeRowBackward double");
        }
    }

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("widthsAndLengths")
    void normalizationRowGradSumsAreClose(int bits, int n) {
        Kernels v = vector(bits);
        Random r = random(bits, n, 23);
        float[] xf = floats(r, n, 0);
        float[] dyf = floats(r, n, 0);
        float[] gf = Arrays.copyOfRange(floats(r, n, 0), OFF, OFF + n);
        double[] xd = doubles(r, n, 0);
        double[] dyd = doubles(r, n, 0);
        double[] gd = Arrays.copyOfRange(doubles(r, n, 0), OFF, OFF + n);
        double cf = SCALAR.sum(xf, OFF, n) / n;
        double cd = SCALAR.sum(xd, OFF, n) / n;
        for (int variant = 0; variant < 2; variant++) {
            float[] g = variant == 0 ? gf : null;
            double[] g2 = variant == 0 ? gd : null;
            double a0 = 0, a1 = 0, b0 = 0, b1 = 0;
            for (int i = 0; i < n; i++) {
                double ef = (double) dyf[OFF + i] * (g == null ? 1.0 : g[i]);
                double ed = dyd[OFF + i] * (g2 == null ? 1.0 : g2[i]);
                a0 += Math.abs(ef);
                a1 += Math.abs(ef * (xf[OFF + i] - cf));
                b0 += Math.abs(ed);
                b1 += Math.abs(ed * (xd[OFF + i] - cd));
            }
            double[] ss = new double[4], vs = new double[4];
            SCALAR.normalizeRowGradSums(dyf, xf, OFF, n, g, cf, ss, 1);
            v.normalizeRowGradSums(dyf, xf, OFF, n, g, cf, vs, 1);
            assertEquals(0.0, vs[0], "slot before the sums untouched");
            assertEquals(0.0, vs[3], "slot after the sums untouched");
            assertClose(ss[1], vs[1], a0, "variant " + variant + ": sum(g) float");
            assertClose(ss[2], vs[2], a1, "variant " + variant + ": sum(g * xc) float");
            SCALAR.normalizeRowGradSums(dyd, xd, OFF, n, g2, cd, ss, 1);
            v.normalizeRowGradSums(dyd, xd, OFF, n, g2, cd, vs, 1);
            assertClose(ss[1], vs[1], b0, "variant " + variant + ": sum(g) double");
            assertClose(ss[2], vs[2], b1, "variant " + variant + ": sum(g * xc) double");
        }
    }

    @ParameterizedTest(name = "{0}-bit, cols={1}")
    @MethodSource("widthsAndLengths")
    void normalizationColumnGradSumsAreBitIdentical(int bits, int cols) {
        Kernels v = vector(bits);
        for (int rows : ROWS) {
            Random r = random(bits, cols * 31 + rows, 25);
            float[] dyf = floats(r, rows * cols, 13);
            float[] xf = floats(r, rows * cols, 13);
            double[] dyd = doubles(r, rows * cols, 13);
            double[] xd = doubles(r, rows * cols, 13);
            double[] center = new double[rows + 2];
            double[] weight = new double[rows + 2];
            for (int i = 0; i < center.length; i++) {
                center[i] = r.nextGaussian();
                weight[i] = 0.5 + r.nextDouble();
            }
            double[] sg = filled(cols + 3, 0.25), sb = filled(cols + 3, -1.5);
            double[] vg = sg.clone(), vb = sb.clone();
            SCALAR.normalizeColumnGradSums(dyf, xf, OFF, rows, cols, center, weight, 2, sg, sb, 1);
            v.normalizeColumnGradSums(dyf, xf, OFF, rows, cols, center, weight, 2, vg, vb, 1);
            assertArrayEquals(sg, vg, "float dgamma, rows " + rows);
            assertArrayEquals(sb, vb, "float dbeta, rows " + rows);
            SCALAR.normalizeColumnGradSums(dyd, xd, OFF, rows, cols, center, weight, 2, sg, sb, 1);
            v.normalizeColumnGradSums(dyd, xd, OFF, rows, cols, center, weight, 2, vg, vb, 1);
            assertArrayEquals(sg, vg, "double dgamma, rows " + rows);
            assertArrayEquals(sb, vb, "double dbeta, rows " + rows);
        }
    }

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("widthsAndLengths")
    void rowNormalizeIsBitIdentical(int bits, int n) {
        Kernels v = vector(bits);
        Random r = random(bits, n, 8);
        float[] xf = floats(r, n, 11);
        float[] dyf = floats(r, n, 11);
        double[] xd = doubles(r, n, 11);
        double[] dyd = doubles(r, n, 11);
        float c = 0.37f, s = 1.7f / 3f, t = -2.1f, a = 0.9f;
        double cd = 0.37, sd = 1.7 / 3, td = -2.1, ad = 0.9;

        float[] ys = filled(OFF + n + PAD, 7f), yv = ys.clone();
        SCALAR.scaleShift(xf, OFF, n, c, s, t, ys);
        v.scaleShift(xf, OFF, n, c, s, t, yv);
        assertArrayEquals(ys, yv, "scaleShift float");
        double[] zs = filled(OFF + n + PAD, 7.0), zv = zs.clone();
        SCALAR.scaleShift(xd, OFF, n, cd, sd, td, zs);
        v.scaleShift(xd, OFF, n, cd, sd, td, zv);
        assertArrayEquals(zs, zv, "scaleShift double");

        ys = filled(OFF + n + PAD, 7f);
        yv = ys.clone();
        SCALAR.normalizeBackward(dyf, xf, OFF, n, a, c, s, t, ys);
        v.normalizeBackward(dyf, xf, OFF, n, a, c, s, t, yv);
        assertArrayEquals(ys, yv, "normalizeBackward float");
        zs = filled(OFF + n + PAD, 7.0);
        zv = zs.clone();
        SCALAR.normalizeBackward(dyd, xd, OFF, n, ad, cd, sd, td, zs);
        v.normalizeBackward(dyd, xd, OFF, n, ad, cd, sd, td, zv);
        assertArrayEquals(zs, zv, "normalizeBackward double");

        float[] inPlace = xf.clone(); // y == x, as the ops tier may do
        SCALAR.scaleShift(xf, OFF, n, c, s, t, xf);
        v.scaleShift(inPlace, OFF, n, c, s, t, inPlace);
        assertArrayEquals(xf, inPlace, "scaleShift in place");
    }

    @ParameterizedTest(name = "{0}-bit, cols={1}")
    @MethodSource("widthsAndLengths")
    void columnNormalizeIsBitIdentical(int bits, int cols) {
        Kernels v = vector(bits);
        Random r = random(bits, cols, 9);
        for (int rows : ROWS) {
            int len = rows * cols;
            float[] xf = floats(r, len, 13);
            float[] dyf = floats(r, len, 13);
            double[] xd = doubles(r, len, 13);
            double[] dyd = doubles(r, len, 13);
            float[][] pf = new float[4][];
            double[][] pd = new double[4][];
            for (int q = 0; q < 4; q++) {
                pf[q] = Arrays.copyOf(floats(r, cols, 0), cols);
                pd[q] = Arrays.copyOf(doubles(r, cols, 0), cols);
            }
            String what = " rows " + rows;

            float[] ys = filled(OFF + len + PAD, 7f), yv = ys.clone();
            SCALAR.scaleShiftColumns(xf, OFF, rows, cols, pf[0], pf[1], pf[2], ys);
            v.scaleShiftColumns(xf, OFF, rows, cols, pf[0], pf[1], pf[2], yv);
            assertArrayEquals(ys, yv, "scaleShiftColumns float" + what);
            double[] zs = filled(OFF + len + PAD, 7.0), zv = zs.clone();
            SCALAR.scaleShiftColumns(xd, OFF, rows, cols, pd[0], pd[1], pd[2], zs);
            v.scaleShiftColumns(xd, OFF, rows, cols, pd[0], pd[1], pd[2], zv);
            assertArrayEquals(zs, zv, "scaleShiftColumns double" + what);

            ys = filled(OFF + len + PAD, 7f);
            yv = ys.clone();
            SCALAR.normalizeBackwardColumns(dyf, xf, OFF, rows, cols, pf[0], pf[1], pf[2], pf[3], ys);
            v.normalizeBackwardColumns(dyf, xf, OFF, rows, cols, pf[0], pf[1], pf[2], pf[3], yv);
            assertArrayEquals(ys, yv, "normalizeBackwardColumns float" + what);
            zs = filled(OFF + len + PAD, 7.0);
            zv = zs.clone();
            SCALAR.normalizeBackwardColumns(dyd, xd, OFF, rows, cols, pd[0], pd[1], pd[2], pd[3], zs);
            v.normalizeBackwardColumns(dyd, xd, OFF, rows, cols, pd[0], pd[1], pd[2], pd[3], zv);
            assertArrayEquals(zs, zv, "normalizeBackwardColumns double" + what);
        }
    }

    // ---- matmul -----------------------------------------------------------------------------------

    @ParameterizedTest(name = "{0}-bit, n={1}")
    @MethodSource("widthsAndLengths")
    void matmulIsBitIdentical(int bits, int n) {
        Kernels v = vector(bits);
        Random r = random(bits, n, 10);
        int m = 5;
        for (int k : new int[] {0, 1, 4, 19}) {
            float[] af = Arrays.copyOf(floats(r, m * k, 0), m * k);
            float[] bf = Arrays.copyOf(floats(r, k * n, 0), k * n);
            double[] ad = Arrays.copyOf(doubles(r, m * k, 0), m * k);
            double[] bd = Arrays.copyOf(doubles(r, k * n, 0), k * n);
            // rows [1, 4) only: rows 0 and 4 must keep their sentinel
            float[] cs = filled(m * n, 7f), cv = cs.clone();
            SCALAR.matmul(af, bf, cs, m, k, n, 1, 4);
            v.matmul(af, bf, cv, m, k, n, 1, 4);
            assertArrayEquals(cs, cv, "float k=" + k);
            double[] ds = filled(m * n, 7.0), dv = ds.clone();
            SCALAR.matmul(ad, bd, ds, m, k, n, 1, 4);
            v.matmul(ad, bd, dv, m, k, n, 1, 4);
            assertArrayEquals(ds, dv, "double k=" + k);
        }
    }

    @ParameterizedTest(name = "{0}-bit")
    @ValueSource(ints = {128, 256, 512})
    void eachWidthGetsItsOwnSpecies(int bits) {
        Kernels v = vector(bits);
        assertTrue(v.name().startsWith("vector (" + bits + "-bit float species, " + bits + "-bit double species"),
                v.name());
    }

    /**
     * The matrix products on a species of their own ({@code -Dnorm4j.matmulBits}, narrower than the other kernels'):
     * still the scalar reference's bits, for plain and transposed operands, float and double.
     */
    @ParameterizedTest(name = "matmul {0}-bit")
    @ValueSource(ints = {128, 256})
    void matmulSpeciesOfItsOwnIsBitIdentical(int matmulBits) {
        assumeTrue(ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent(),
                "jdk.incubator.vector is not in the boot layer: no vector kernels to test");
        String preferred = KernelProvider.vectorOrNull().name(); // "vector (512-bit float species, ..."
        int preferredBits = Integer.parseInt(preferred.substring("vector (".length(), preferred.indexOf("-bit")));
        assumeTrue(matmulBits < preferredBits, () -> matmulBits + "-bit is not narrower than " + preferred);
        Kernels v = load("norm4j.matmulBits", matmulBits);
        assertTrue(v.name().contains("; " + matmulBits + "-bit matmul species"), v.name());
        Random r = random(matmulBits, 3, 11);
        for (int[] mkn : new int[][] {{32, 78, 40}, {7, 33, 70}, {40, 5, 3}}) {
            int m = mkn[0];
            int k = mkn[1];
            int n = mkn[2];
            float[] af = floats(r, m * k, 0);
            float[] bf = floats(r, k * n, 0);
            double[] ad = doubles(r, m * k, 0);
            double[] bd = doubles(r, k * n, 0);
            for (int t = 0; t < 4; t++) {
                boolean ta = (t & 1) != 0;
                boolean tb = (t & 2) != 0;
                String what = m + "x" + k + "x" + n + (ta ? " transposeA" : "") + (tb ? " transposeB" : "");
                float[] cs = new float[m * n];
                float[] cv = new float[m * n];
                SCALAR.matmul(af, bf, cs, m, k, n, ta, tb, 0, m);
                v.matmul(af, bf, cv, m, k, n, ta, tb, 0, m);
                assertArrayEquals(cs, cv, "float " + what);
                double[] ds = new double[m * n];
                double[] dv = new double[m * n];
                SCALAR.matmul(ad, bd, ds, m, k, n, ta, tb, 0, m);
                v.matmul(ad, bd, dv, m, k, n, ta, tb, 0, m);
                assertArrayEquals(ds, dv, "double " + what);
            }
        }
    }
}
