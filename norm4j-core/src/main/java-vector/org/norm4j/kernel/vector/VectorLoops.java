package org.norm4j.kernel.vector;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.FMA;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.MUL;
import static jdk.incubator.vector.VectorOperators.SUB;
import static org.norm4j.kernel.vector.VectorKernels.D;
import static org.norm4j.kernel.vector.VectorKernels.DL;
import static org.norm4j.kernel.vector.VectorKernels.F;
import static org.norm4j.kernel.vector.VectorKernels.FH;
import static org.norm4j.kernel.vector.VectorKernels.FL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The reduction and normalize loops of {@link VectorKernels}, on its species (the matrix product lives in
 * {@link FloatMatmul}). Callers guarantee that the row (for column kernels: the column count) is longer
 * than two vectors.
 *
 * <p>Float data is always widened to double lanes (a {@link VectorKernels#FH} load converted to
 * {@link VectorKernels#D}) before any arithmetic, so float statistics are accumulated exactly as in the
 * scalar reference, only in another order.
 *
 * <p>Row reductions keep four independent vector accumulators. With one, every vector add would wait for
 * the previous one (a floating-point add has a latency of about four cycles, yet a core can start one or
 * two per cycle), so the loop would run at the adder's latency instead of its throughput; four chains in
 * flight hide that latency. This reordering is why row sums differ from the scalar ones by a few ulps.
 *
 * <p>Column reductions go over the rows in order and across the columns in lanes, one lane per column, so
 * every column sees the same additions in the same order as in the scalar reference (bit-identical).
 *
 * <p>Code shape, for the JIT. C2 (JDK 17) turns a Vector API call into vector instructions only once it
 * has devirtualized it, which for most values takes a type profile; a call it cannot devirtualize stays a
 * real call and its vectors get boxed, on every iteration when they are loop-carried (measured: 10-20x
 * slower and about 20 MB allocated per 1M-element call, depending on which kernel warmed up first).
 * Hence these rules, here and in {@link FloatElementwise}:
 * <ul>
 *   <li>no helper methods taking or returning vectors;
 *   <li>{@code x.lanewise(ADD, y)} rather than {@code x.add(y)}: the convenience methods dispatch inside
 *       JDK code, on a type profile shared by all callers that can be missing; {@code lanewise} dispatches
 *       here, on this class's own profile;
 *   <li>a loop-carried accumulator is the argument, never the receiver ({@code t.lanewise(ADD, s0)}), and
 *       unrolled loops are do-while loops that run at least once, so that after the loop the
 *       accumulators are the values computed in its body, of a known type. IEEE add, max and min are
 *       commutative, so swapping operands changes no bit;
 *   <li>vector tails carry no vector from one iteration to the next (each tail vector is reduced alone);
 *   <li>max and min are separate methods, so a path never run before compilation shares no vector with
 *       the hot loop.
 * </ul>
 */
final class VectorLoops {
    private VectorLoops() {
    }

    // ---- sum ---------------------------------------------------------------------------------------

    static double sum(float[] x, int off, int n) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        int bound = n & -(4 * DL);
        do { // the caller guarantees one iteration; see the class comment for why do-while
            int p = off + i;
            s0 = ((DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0)).lanewise(ADD, s0);
            s1 = ((DoubleVector) FloatVector.fromArray(FH, x, p + DL).convertShape(F2D, D, 0)).lanewise(ADD, s1);
            s2 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 2 * DL).convertShape(F2D, D, 0)).lanewise(ADD, s2);
            s3 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 3 * DL).convertShape(F2D, D, 0)).lanewise(ADD, s3);
            i += 4 * DL;
        } while (i < bound);
        double s = s0.lanewise(ADD, s1).lanewise(ADD, s2.lanewise(ADD, s3)).reduceLanes(ADD);
        for (int tail = D.loopBound(n); i < tail; i += DL) { // no loop-carried vector here
            DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, off + i).convertShape(F2D, D, 0);
            s += v.reduceLanes(ADD);
        }
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    static double sum(double[] x, int off, int n) {
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        int bound = n & -(4 * DL);
        do { // the caller guarantees one iteration; see the class comment for why do-while
            int p = off + i;
            s0 = DoubleVector.fromArray(D, x, p).lanewise(ADD, s0);
            s1 = DoubleVector.fromArray(D, x, p + DL).lanewise(ADD, s1);
            s2 = DoubleVector.fromArray(D, x, p + 2 * DL).lanewise(ADD, s2);
            s3 = DoubleVector.fromArray(D, x, p + 3 * DL).lanewise(ADD, s3);
            i += 4 * DL;
        } while (i < bound);
        double s = s0.lanewise(ADD, s1).lanewise(ADD, s2.lanewise(ADD, s3)).reduceLanes(ADD);
        for (int tail = D.loopBound(n); i < tail; i += DL) { // no loop-carried vector here
            s += DoubleVector.fromArray(D, x, off + i).reduceLanes(ADD);
        }
        for (; i < n; i++) {
            s += x[off + i];
        }
        return s;
    }

    // ---- sum of squared deviations: d = x - mean in double, sum d*d --------------------------------

    static double sumSquaredDeviations(float[] x, int off, int n, double mean) {
        DoubleVector m = DoubleVector.broadcast(D, mean);
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        int bound = n & -(4 * DL);
        do { // the caller guarantees one iteration; see the class comment for why do-while
            int p = off + i;
            DoubleVector d0 = ((DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0)).lanewise(SUB, m);
            DoubleVector d1 = ((DoubleVector) FloatVector.fromArray(FH, x, p + DL).convertShape(F2D, D, 0))
                    .lanewise(SUB, m);
            DoubleVector d2 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 2 * DL).convertShape(F2D, D, 0))
                    .lanewise(SUB, m);
            DoubleVector d3 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 3 * DL).convertShape(F2D, D, 0))
                    .lanewise(SUB, m);
            s0 = d0.lanewise(MUL, d0).lanewise(ADD, s0);
            s1 = d1.lanewise(MUL, d1).lanewise(ADD, s1);
            s2 = d2.lanewise(MUL, d2).lanewise(ADD, s2);
            s3 = d3.lanewise(MUL, d3).lanewise(ADD, s3);
            i += 4 * DL;
        } while (i < bound);
        double s = s0.lanewise(ADD, s1).lanewise(ADD, s2.lanewise(ADD, s3)).reduceLanes(ADD);
        for (int tail = D.loopBound(n); i < tail; i += DL) { // no loop-carried vector here
            DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, off + i).convertShape(F2D, D, 0);
            DoubleVector d = v.lanewise(SUB, m);
            s += d.lanewise(MUL, d).reduceLanes(ADD);
        }
        for (; i < n; i++) {
            double d = x[off + i] - mean;
            s += d * d;
        }
        return s;
    }

    static double sumSquaredDeviations(double[] x, int off, int n, double mean) {
        DoubleVector m = DoubleVector.broadcast(D, mean);
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        int bound = n & -(4 * DL);
        do { // the caller guarantees one iteration; see the class comment for why do-while
            int p = off + i;
            DoubleVector d0 = DoubleVector.fromArray(D, x, p).lanewise(SUB, m);
            DoubleVector d1 = DoubleVector.fromArray(D, x, p + DL).lanewise(SUB, m);
            DoubleVector d2 = DoubleVector.fromArray(D, x, p + 2 * DL).lanewise(SUB, m);
            DoubleVector d3 = DoubleVector.fromArray(D, x, p + 3 * DL).lanewise(SUB, m);
            s0 = d0.lanewise(MUL, d0).lanewise(ADD, s0);
            s1 = d1.lanewise(MUL, d1).lanewise(ADD, s1);
            s2 = d2.lanewise(MUL, d2).lanewise(ADD, s2);
            s3 = d3.lanewise(MUL, d3).lanewise(ADD, s3);
            i += 4 * DL;
        } while (i < bound);
        double s = s0.lanewise(ADD, s1).lanewise(ADD, s2.lanewise(ADD, s3)).reduceLanes(ADD);
        for (int tail = D.loopBound(n); i < tail; i += DL) { // no loop-carried vector here
            DoubleVector d = DoubleVector.fromArray(D, x, off + i).lanewise(SUB, m);
            s += d.lanewise(MUL, d).reduceLanes(ADD);
        }
        for (; i < n; i++) {
            double d = x[off + i] - mean;
            s += d * d;
        }
        return s;
    }

    // ---- shifted sums: d = x - shift in double, sum d and sum d*d from one read ----------------------

    static void shiftedSums(float[] x, int off, int n, double shift, double[] out, int oo) {
        DoubleVector k = DoubleVector.broadcast(D, shift);
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        DoubleVector q0 = s0, q1 = s0, q2 = s0, q3 = s0;
        int i = 0;
        int bound = n & -(4 * DL);
        do { // the caller guarantees one iteration; see the class comment for why do-while
            int p = off + i;
            DoubleVector d0 = ((DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0)).lanewise(SUB, k);
            DoubleVector d1 = ((DoubleVector) FloatVector.fromArray(FH, x, p + DL).convertShape(F2D, D, 0))
                    .lanewise(SUB, k);
            DoubleVector d2 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 2 * DL).convertShape(F2D, D, 0))
                    .lanewise(SUB, k);
            DoubleVector d3 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 3 * DL).convertShape(F2D, D, 0))
                    .lanewise(SUB, k);
            s0 = d0.lanewise(ADD, s0);
            s1 = d1.lanewise(ADD, s1);
            s2 = d2.lanewise(ADD, s2);
            s3 = d3.lanewise(ADD, s3);
            q0 = d0.lanewise(FMA, d0, q0);
            q1 = d1.lanewise(FMA, d1, q1);
            q2 = d2.lanewise(FMA, d2, q2);
            q3 = d3.lanewise(FMA, d3, q3);
            i += 4 * DL;
        } while (i < bound);
        double s = s0.lanewise(ADD, s1).lanewise(ADD, s2.lanewise(ADD, s3)).reduceLanes(ADD);
        double q = q0.lanewise(ADD, q1).lanewise(ADD, q2.lanewise(ADD, q3)).reduceLanes(ADD);
        for (int tail = D.loopBound(n); i < tail; i += DL) { // no loop-carried vector here
            DoubleVector d = ((DoubleVector) FloatVector.fromArray(FH, x, off + i).convertShape(F2D, D, 0))
                    .lanewise(SUB, k);
            s += d.reduceLanes(ADD);
            q += d.lanewise(FMA, d, DoubleVector.zero(D)).reduceLanes(ADD);
        }
        for (; i < n; i++) {
            double d = x[off + i] - shift;
            s += d;
            q = Math.fma(d, d, q);
        }
        out[oo] = s;
        out[oo + 1] = q;
    }

    // ---- sum of dy * (x - mean), products in double ------------------------------------------------

    static double sumProductDeviations(float[] dy, float[] x, int off, int n, double mean) {
        DoubleVector m = DoubleVector.broadcast(D, mean);
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        int bound = n & -(4 * DL);
        do { // the caller guarantees one iteration; see the class comment for why do-while
            int p = off + i;
            DoubleVector g0 = (DoubleVector) FloatVector.fromArray(FH, dy, p).convertShape(F2D, D, 0);
            DoubleVector g1 = (DoubleVector) FloatVector.fromArray(FH, dy, p + DL).convertShape(F2D, D, 0);
            DoubleVector g2 = (DoubleVector) FloatVector.fromArray(FH, dy, p + 2 * DL).convertShape(F2D, D, 0);
            DoubleVector g3 = (DoubleVector) FloatVector.fromArray(FH, dy, p + 3 * DL).convertShape(F2D, D, 0);
            DoubleVector v0 = (DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0);
            DoubleVector v1 = (DoubleVector) FloatVector.fromArray(FH, x, p + DL).convertShape(F2D, D, 0);
            DoubleVector v2 = (DoubleVector) FloatVector.fromArray(FH, x, p + 2 * DL).convertShape(F2D, D, 0);
            DoubleVector v3 = (DoubleVector) FloatVector.fromArray(FH, x, p + 3 * DL).convertShape(F2D, D, 0);
            s0 = g0.lanewise(MUL, v0.lanewise(SUB, m)).lanewise(ADD, s0);
            s1 = g1.lanewise(MUL, v1.lanewise(SUB, m)).lanewise(ADD, s1);
            s2 = g2.lanewise(MUL, v2.lanewise(SUB, m)).lanewise(ADD, s2);
            s3 = g3.lanewise(MUL, v3.lanewise(SUB, m)).lanewise(ADD, s3);
            i += 4 * DL;
        } while (i < bound);
        double s = s0.lanewise(ADD, s1).lanewise(ADD, s2.lanewise(ADD, s3)).reduceLanes(ADD);
        for (int tail = D.loopBound(n); i < tail; i += DL) { // no loop-carried vector here
            DoubleVector g = (DoubleVector) FloatVector.fromArray(FH, dy, off + i).convertShape(F2D, D, 0);
            DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, off + i).convertShape(F2D, D, 0);
            s += g.lanewise(MUL, v.lanewise(SUB, m)).reduceLanes(ADD);
        }
        for (; i < n; i++) {
            s += (double) dy[off + i] * (x[off + i] - mean);
        }
        return s;
    }

    static double sumProductDeviations(double[] dy, double[] x, int off, int n, double mean) {
        DoubleVector m = DoubleVector.broadcast(D, mean);
        DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
        int i = 0;
        int bound = n & -(4 * DL);
        do { // the caller guarantees one iteration; see the class comment for why do-while
            int p = off + i;
            DoubleVector v0 = DoubleVector.fromArray(D, x, p).lanewise(SUB, m);
            DoubleVector v1 = DoubleVector.fromArray(D, x, p + DL).lanewise(SUB, m);
            DoubleVector v2 = DoubleVector.fromArray(D, x, p + 2 * DL).lanewise(SUB, m);
            DoubleVector v3 = DoubleVector.fromArray(D, x, p + 3 * DL).lanewise(SUB, m);
            DoubleVector t0 = DoubleVector.fromArray(D, dy, p).lanewise(MUL, v0);
            DoubleVector t1 = DoubleVector.fromArray(D, dy, p + DL).lanewise(MUL, v1);
            DoubleVector t2 = DoubleVector.fromArray(D, dy, p + 2 * DL).lanewise(MUL, v2);
            DoubleVector t3 = DoubleVector.fromArray(D, dy, p + 3 * DL).lanewise(MUL, v3);
            s0 = t0.lanewise(ADD, s0);
            s1 = t1.lanewise(ADD, s1);
            s2 = t2.lanewise(ADD, s2);
            s3 = t3.lanewise(ADD, s3);
            i += 4 * DL;
        } while (i < bound);
        double s = s0.lanewise(ADD, s1).lanewise(ADD, s2.lanewise(ADD, s3)).reduceLanes(ADD);
        for (int tail = D.loopBound(n); i < tail; i += DL) { // no loop-carried vector here
            DoubleVector g = DoubleVector.fromArray(D, dy, off + i);
            s += g.lanewise(MUL, DoubleVector.fromArray(D, x, off + i).lanewise(SUB, m)).reduceLanes(ADD);
        }
        for (; i < n; i++) {
            s += dy[off + i] * (x[off + i] - mean);
        }
        return s;
    }

    // ---- column reductions: rows in order, columns across lanes ------------------------------------

    static void sumColumns(double[] x, int off, int rows, int cols, double[] acc, int ao) {
        int bound = D.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            int j = 0;
            for (; j < bound; j += DL) {
                DoubleVector v = DoubleVector.fromArray(D, x, base + j);
                DoubleVector.fromArray(D, acc, ao + j).lanewise(ADD, v).intoArray(acc, ao + j);
            }
            for (; j < cols; j++) {
                acc[ao + j] += x[base + j];
            }
        }
    }

    static void sumSquaredDeviationsColumns(double[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao) {
        int bound = D.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            int j = 0;
            for (; j < bound; j += DL) {
                DoubleVector v = DoubleVector.fromArray(D, x, base + j);
                DoubleVector d = v.lanewise(SUB, DoubleVector.fromArray(D, mean, mo + j));
                DoubleVector.fromArray(D, acc, ao + j).lanewise(ADD, d.lanewise(MUL, d)).intoArray(acc, ao + j);
            }
            for (; j < cols; j++) {
                double d = x[base + j] - mean[mo + j];
                acc[ao + j] += d * d;
            }
        }
    }

    static void extremeColumns(float[] x, int off, int rows, int cols, boolean max, double[] acc, int ao) {
        int bound = D.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            int j = 0;
            if (max) {
                for (; j < bound; j += DL) {
                    DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, base + j).convertShape(F2D, D, 0);
                    DoubleVector.fromArray(D, acc, ao + j).lanewise(MAX, v).intoArray(acc, ao + j);
                }
            } else {
                for (; j < bound; j += DL) {
                    DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, base + j).convertShape(F2D, D, 0);
                    DoubleVector.fromArray(D, acc, ao + j).lanewise(MIN, v).intoArray(acc, ao + j);
                }
            }
            for (; j < cols; j++) {
                acc[ao + j] = max ? Math.max(acc[ao + j], x[base + j]) : Math.min(acc[ao + j], x[base + j]);
            }
        }
    }

    static void extremeColumns(double[] x, int off, int rows, int cols, boolean max, double[] acc, int ao) {
        int bound = D.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            int j = 0;
            if (max) {
                for (; j < bound; j += DL) {
                    DoubleVector v = DoubleVector.fromArray(D, x, base + j);
                    DoubleVector.fromArray(D, acc, ao + j).lanewise(MAX, v).intoArray(acc, ao + j);
                }
            } else {
                for (; j < bound; j += DL) {
                    DoubleVector v = DoubleVector.fromArray(D, x, base + j);
                    DoubleVector.fromArray(D, acc, ao + j).lanewise(MIN, v).intoArray(acc, ao + j);
                }
            }
            for (; j < cols; j++) {
                acc[ao + j] = max ? Math.max(acc[ao + j], x[base + j]) : Math.min(acc[ao + j], x[base + j]);
            }
        }
    }

    static void sumProductDeviationsColumns(double[] dy, double[] x, int off, int rows, int cols, double[] mean,
            int mo, double[] acc, int ao) {
        int bound = D.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            int j = 0;
            for (; j < bound; j += DL) {
                DoubleVector g = DoubleVector.fromArray(D, dy, base + j);
                DoubleVector v = DoubleVector.fromArray(D, x, base + j);
                DoubleVector t = g.lanewise(MUL, v.lanewise(SUB, DoubleVector.fromArray(D, mean, mo + j)));
                DoubleVector.fromArray(D, acc, ao + j).lanewise(ADD, t).intoArray(acc, ao + j);
            }
            for (; j < cols; j++) {
                acc[ao + j] += dy[base + j] * (x[base + j] - mean[mo + j]);
            }
        }
    }
}
