package org.norm4j.kernel.vector;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.D2F;
import static jdk.incubator.vector.VectorOperators.F2D;
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
 * The normalization row loops of {@link VectorKernels} (the last-axis fast path of layer and RMS
 * normalization): the same IEEE operations per element as {@link org.norm4j.kernel.ScalarKernels}, so the
 * elementwise loops are bit-identical; the gradient sums reorder their additions (two accumulators per sum).
 * Code shape follows {@link VectorLoops}: no vector helpers, accumulators as arguments, do-while for the
 * unrolled reduction. Callers guarantee the row is longer than two float vectors.
 */
final class VectorRows {
    private VectorRows() {
    }

    // ---- forward -----------------------------------------------------------------------------------

    /** Both gamma and beta present. */
    static void affine(float[] x, int off, int n, float mean, float inv, float residual, float[] gamma,
            float[] beta, float[] y) {
        FloatVector mv = FloatVector.broadcast(F, mean);
        FloatVector iv = FloatVector.broadcast(F, inv);
        FloatVector rv = FloatVector.broadcast(F, residual);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector a = iv.lanewise(MUL, FloatVector.fromArray(F, gamma, i));
            FloatVector b = FloatVector.fromArray(F, beta, i).lanewise(SUB, rv.lanewise(MUL, a));
            FloatVector xa = FloatVector.fromArray(F, x, off + i).lanewise(SUB, mv).lanewise(MUL, a);
            xa.lanewise(ADD, b).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            float a = inv * gamma[i];
            float ra = residual * a;
            float b = beta[i] - ra;
            float xc = x[off + i] - mean;
            float xa = xc * a;
            y[off + i] = xa + b;
        }
    }

    /** Both gamma and beta present. */
    static void affine(double[] x, int off, int n, double mean, double inv, double[] gamma, double[] beta,
            double[] y) {
        DoubleVector mv = DoubleVector.broadcast(D, mean);
        DoubleVector iv = DoubleVector.broadcast(D, inv);
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += DL) {
            DoubleVector a = iv.lanewise(MUL, DoubleVector.fromArray(D, gamma, i));
            DoubleVector xa = DoubleVector.fromArray(D, x, off + i).lanewise(SUB, mv).lanewise(MUL, a);
            xa.lanewise(ADD, DoubleVector.fromArray(D, beta, i)).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            y[off + i] = (x[off + i] - mean) * (inv * gamma[i]) + beta[i];
        }
    }

    // ---- backward ----------------------------------------------------------------------------------

    /** Gamma present; {@code n >= 2 * DL}. */
    static void gradSums(float[] dy, float[] x, int off, int n, float[] gamma, double center, double[] out,
            int oo) {
        DoubleVector c = DoubleVector.broadcast(D, center);
        DoubleVector g0 = DoubleVector.zero(D), g1 = g0, h0 = g0, h1 = g0;
        int i = 0;
        int bound = n & -(2 * DL);
        do { // the caller guarantees one iteration
            int p = off + i;
            DoubleVector d0 = (DoubleVector) FloatVector.fromArray(FH, dy, p).convertShape(F2D, D, 0);
            DoubleVector d1 = (DoubleVector) FloatVector.fromArray(FH, dy, p + DL).convertShape(F2D, D, 0);
            DoubleVector w0 = (DoubleVector) FloatVector.fromArray(FH, gamma, i).convertShape(F2D, D, 0);
            DoubleVector w1 = (DoubleVector) FloatVector.fromArray(FH, gamma, i + DL).convertShape(F2D, D, 0);
            DoubleVector v0 = (DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0);
            DoubleVector v1 = (DoubleVector) FloatVector.fromArray(FH, x, p + DL).convertShape(F2D, D, 0);
            DoubleVector e0 = d0.lanewise(MUL, w0);
            DoubleVector e1 = d1.lanewise(MUL, w1);
            g0 = e0.lanewise(ADD, g0);
            g1 = e1.lanewise(ADD, g1);
            h0 = e0.lanewise(MUL, v0.lanewise(SUB, c)).lanewise(ADD, h0);
            h1 = e1.lanewise(MUL, v1.lanewise(SUB, c)).lanewise(ADD, h1);
            i += 2 * DL;
        } while (i < bound);
        double sg = g0.lanewise(ADD, g1).reduceLanes(ADD);
        double sgx = h0.lanewise(ADD, h1).reduceLanes(ADD);
        for (; i < n; i++) {
            double g = (double) dy[off + i] * gamma[i];
            sg += g;
            sgx += g * (x[off + i] - center);
        }
        out[oo] = sg;
        out[oo + 1] = sgx;
    }

    /** Gamma present; {@code n >= 2 * DL}. */
    static void gradSums(double[] dy, double[] x, int off, int n, double[] gamma, double center, double[] out,
            int oo) {
        DoubleVector c = DoubleVector.broadcast(D, center);
        DoubleVector g0 = DoubleVector.zero(D), g1 = g0, h0 = g0, h1 = g0;
        int i = 0;
        int bound = n & -(2 * DL);
        do { // the caller guarantees one iteration
            int p = off + i;
            DoubleVector e0 = DoubleVector.fromArray(D, dy, p).lanewise(MUL, DoubleVector.fromArray(D, gamma, i));
            DoubleVector e1 = DoubleVector.fromArray(D, dy, p + DL)
                    .lanewise(MUL, DoubleVector.fromArray(D, gamma, i + DL));
            DoubleVector v0 = DoubleVector.fromArray(D, x, p);
            DoubleVector v1 = DoubleVector.fromArray(D, x, p + DL);
            g0 = e0.lanewise(ADD, g0);
            g1 = e1.lanewise(ADD, g1);
            h0 = e0.lanewise(MUL, v0.lanewise(SUB, c)).lanewise(ADD, h0);
            h1 = e1.lanewise(MUL, v1.lanewise(SUB, c)).lanewise(ADD, h1);
            i += 2 * DL;
        } while (i < bound);
        double sg = g0.lanewise(ADD, g1).reduceLanes(ADD);
        double sgx = h0.lanewise(ADD, h1).reduceLanes(ADD);
        for (; i < n; i++) {
            double g = dy[off + i] * gamma[i];
            sg += g;
            sgx += g * (x[off + i] - center);
        }
        out[oo] = sg;
        out[oo + 1] = sgx;
    }

    /** Gamma present. */
    static void backward(float[] dy, float[] x, int off, int n, float[] gamma, double a, double center,
            double b, double c, float[] dx) {
        DoubleVector av = DoubleVector.broadcast(D, a);
        DoubleVector mv = DoubleVector.broadcast(D, center);
        DoubleVector bv = DoubleVector.broadcast(D, b);
        DoubleVector cv = DoubleVector.broadcast(D, c);
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += DL) {
            int p = off + i;
            DoubleVector d = (DoubleVector) FloatVector.fromArray(FH, dy, p).convertShape(F2D, D, 0);
            DoubleVector w = (DoubleVector) FloatVector.fromArray(FH, gamma, i).convertShape(F2D, D, 0);
            DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0);
            DoubleVector t = d.lanewise(MUL, w).lanewise(MUL, av)
                    .lanewise(ADD, v.lanewise(SUB, mv).lanewise(MUL, bv)).lanewise(ADD, cv);
            ((FloatVector) t.convertShape(D2F, FH, 0)).intoArray(dx, p);
        }
        for (; i < n; i++) {
            double g = (double) dy[off + i] * gamma[i];
            dx[off + i] = (float) (g * a + (x[off + i] - center) * b + c);
        }
    }

    /** Gamma present. */
    static void backward(double[] dy, double[] x, int off, int n, double[] gamma, double a, double center,
            double b, double c, double[] dx) {
        DoubleVector av = DoubleVector.broadcast(D, a);
        DoubleVector mv = DoubleVector.broadcast(D, center);
        DoubleVector bv = DoubleVector.broadcast(D, b);
        DoubleVector cv = DoubleVector.broadcast(D, c);
        int i = 0;
        for (int bound = D.loopBound(n); i < bound; i += DL) {
            int p = off + i;
            DoubleVector d = DoubleVector.fromArray(D, dy, p);
            DoubleVector w = DoubleVector.fromArray(D, gamma, i);
            DoubleVector v = DoubleVector.fromArray(D, x, p);
            DoubleVector t = d.lanewise(MUL, w).lanewise(MUL, av)
                    .lanewise(ADD, v.lanewise(SUB, mv).lanewise(MUL, bv)).lanewise(ADD, cv);
            t.intoArray(dx, p);
        }
        for (; i < n; i++) {
            double g = dy[off + i] * gamma[i];
            dx[off + i] = g * a + (x[off + i] - center) * b + c;
        }
    }

    /**
     * Column backward with per-column double constants (channels-last group normalization): rows in order,
     * columns in vectors, the same double operations per element as the scalar loop (bit-identical);
     * {@code cols >= DL}.
     */
    static void columnBackward(float[] dy, float[] x, int off, int rows, int cols, double[] w, double[] a,
            double[] center, double[] b, double[] c, float[] dx) {
        int bound = D.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            int j = 0;
            for (; j < bound; j += DL) {
                int p = base + j;
                DoubleVector d = (DoubleVector) FloatVector.fromArray(FH, dy, p).convertShape(F2D, D, 0);
                DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0);
                DoubleVector t = d.lanewise(MUL, DoubleVector.fromArray(D, w, j))
                        .lanewise(MUL, DoubleVector.fromArray(D, a, j))
                        .lanewise(ADD, v.lanewise(SUB, DoubleVector.fromArray(D, center, j))
                                .lanewise(MUL, DoubleVector.fromArray(D, b, j)))
                        .lanewise(ADD, DoubleVector.fromArray(D, c, j));
                ((FloatVector) t.convertShape(D2F, FH, 0)).intoArray(dx, p);
            }
            for (; j < cols; j++) {
                int p = base + j;
                dx[p] = (float) ((dy[p] * w[j]) * a[j] + (x[p] - center[j]) * b[j] + c[j]);
            }
        }
    }

    // ---- parameter gradients -----------------------------------------------------------------------

    /** Column block, one lane per column, rows in order (bit-identical to the scalar loop); cols >= DL. */
    static void columnGradSums(float[] dy, float[] x, int off, int rows, int cols, double[] center,
            double[] weight, int ro, double[] dg, double[] db, int ao) {
        int j = 0;
        for (int bound = D.loopBound(cols); j < bound; j += DL) {
            DoubleVector g = DoubleVector.fromArray(D, dg, ao + j);
            DoubleVector b = DoubleVector.fromArray(D, db, ao + j);
            int r = 0;
            do { // rows >= 1
                int p = off + r * cols + j;
                DoubleVector d = (DoubleVector) FloatVector.fromArray(FH, dy, p).convertShape(F2D, D, 0);
                DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0);
                DoubleVector t = d.lanewise(MUL, v.lanewise(SUB, center[ro + r])).lanewise(MUL, weight[ro + r]);
                g = t.lanewise(ADD, g);
                b = d.lanewise(ADD, b);
                r++;
            } while (r < rows);
            g.intoArray(dg, ao + j);
            b.intoArray(db, ao + j);
        }
        for (; j < cols; j++) {
            for (int r = 0; r < rows; r++) {
                int p = off + r * cols + j;
                double d = dy[p];
                dg[ao + j] += (d * (x[p] - center[ro + r])) * weight[ro + r];
                db[ao + j] += d;
            }
        }
    }

    /** Double version; cols >= DL. */
    static void columnGradSums(double[] dy, double[] x, int off, int rows, int cols, double[] center,
            double[] weight, int ro, double[] dg, double[] db, int ao) {
        int j = 0;
        for (int bound = D.loopBound(cols); j < bound; j += DL) {
            DoubleVector g = DoubleVector.fromArray(D, dg, ao + j);
            DoubleVector b = DoubleVector.fromArray(D, db, ao + j);
            int r = 0;
            do { // rows >= 1
                int p = off + r * cols + j;
                DoubleVector d = DoubleVector.fromArray(D, dy, p);
                DoubleVector v = DoubleVector.fromArray(D, x, p);
                DoubleVector t = d.lanewise(MUL, v.lanewise(SUB, center[ro + r])).lanewise(MUL, weight[ro + r]);
                g = t.lanewise(ADD, g);
                b = d.lanewise(ADD, b);
                r++;
            } while (r < rows);
            g.intoArray(dg, ao + j);
            b.intoArray(db, ao + j);
        }
        for (; j < cols; j++) {
            for (int r = 0; r < rows; r++) {
                int p = off + r * cols + j;
                double d = dy[p];
                dg[ao + j] += (d * (x[p] - center[ro + r])) * weight[ro + r];
                db[ao + j] += d;
            }
        }
    }
}
