package org.norm4j.kernel.vector;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.F2D;
import static jdk.incubator.vector.VectorOperators.MUL;
import static jdk.incubator.vector.VectorOperators.SUB;
import static org.norm4j.kernel.vector.VectorKernels.D;
import static org.norm4j.kernel.vector.VectorKernels.DL;
import static org.norm4j.kernel.vector.VectorKernels.FH;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The float32 column reductions of {@link VectorKernels}, with the accumulators kept in registers: groups of eight double vectors (64 columns with 512-bit vectors, so a
 * 64-channel block is swept once, row after row, as memory streams best) are accumulated over all rows in
 * registers, then groups of four (two for the two-input sum), then one vector at a time, then scalar columns. The loops follow
 * {@link VectorLoops}'s code-shape rules (accumulators as arguments, do-while bodies, no vector helpers).
 * Per column the additions are in row order from 0, as in the scalar reference. The caller guarantees
 * {@code rows >= 1}. Where {@code acc} starts at 0 the results are bit-identical to the scalar column loops
 * (which add each row into {@code acc} in memory); otherwise the block's partial sum is added to {@code acc} once,
 * within a rounding of those loops, as {@link org.norm4j.kernel.Kernels} allows.
 */
final class VectorColumns {
    private VectorColumns() {
    }

    static void sumColumns(float[] x, int off, int rows, int cols, double[] acc, int ao) {
        int j = 0;
        for (; j + 8 * DL <= cols; j += 8 * DL) {
            DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            int p = off + j;
            int r = 0;
            do {
                s0 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 0 * DL).convertShape(F2D, D, 0))
                        .lanewise(ADD, s0);
                s1 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 1 * DL).convertShape(F2D, D, 0))
                        .lanewise(ADD, s1);
                s2 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 2 * DL).convertShape(F2D, D, 0))
                        .lanewise(ADD, s2);
                s3 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 3 * DL).convertShape(F2D, D, 0))
                        .lanewise(ADD, s3);
                s4 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 4 * DL).convertShape(F2D, D, 0))
                        .lanewise(ADD, s4);
                s5 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 5 * DL).convertShape(F2D, D, 0))
                        .lanewise(ADD, s5);
                s6 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 6 * DL).convertShape(F2D, D, 0))
                        .lanewise(ADD, s6);
                s7 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 7 * DL).convertShape(F2D, D, 0))
                        .lanewise(ADD, s7);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, acc, ao + j + 0 * DL).lanewise(ADD, s0).intoArray(acc, ao + j + 0 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 1 * DL).lanewise(ADD, s1).intoArray(acc, ao + j + 1 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 2 * DL).lanewise(ADD, s2).intoArray(acc, ao + j + 2 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 3 * DL).lanewise(ADD, s3).intoArray(acc, ao + j + 3 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 4 * DL).lanewise(ADD, s4).intoArray(acc, ao + j + 4 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 5 * DL).lanewise(ADD, s5).intoArray(acc, ao + j + 5 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 6 * DL).lanewise(ADD, s6).intoArray(acc, ao + j + 6 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 7 * DL).lanewise(ADD, s7).intoArray(acc, ao + j + 7 * DL);
        }
        for (; j + 4 * DL <= cols; j += 4 * DL) {
            DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
            int p = off + j;
            int r = 0;
            do {
                DoubleVector v0 = (DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0);
                DoubleVector v1 = (DoubleVector) FloatVector.fromArray(FH, x, p + DL).convertShape(F2D, D, 0);
                DoubleVector v2 = (DoubleVector) FloatVector.fromArray(FH, x, p + 2 * DL).convertShape(F2D, D, 0);
                DoubleVector v3 = (DoubleVector) FloatVector.fromArray(FH, x, p + 3 * DL).convertShape(F2D, D, 0);
                s0 = v0.lanewise(ADD, s0);
                s1 = v1.lanewise(ADD, s1);
                s2 = v2.lanewise(ADD, s2);
                s3 = v3.lanewise(ADD, s3);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, acc, ao + j).lanewise(ADD, s0).intoArray(acc, ao + j);
            DoubleVector.fromArray(D, acc, ao + j + DL).lanewise(ADD, s1).intoArray(acc, ao + j + DL);
            DoubleVector.fromArray(D, acc, ao + j + 2 * DL).lanewise(ADD, s2).intoArray(acc, ao + j + 2 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 3 * DL).lanewise(ADD, s3).intoArray(acc, ao + j + 3 * DL);
        }
        for (; j + DL <= cols; j += DL) {
            DoubleVector s = DoubleVector.zero(D);
            int p = off + j;
            int r = 0;
            do {
                DoubleVector v = (DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0);
                s = v.lanewise(ADD, s);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, acc, ao + j).lanewise(ADD, s).intoArray(acc, ao + j);
        }
        for (; j < cols; j++) {
            double s = 0;
            for (int r = 0, p = off + j; r < rows; r++, p += cols) {
                s += x[p];
            }
            acc[ao + j] += s;
        }
    }

    static void sumSquaredDeviationsColumns(float[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao) {
        int j = 0;
        for (; j + 8 * DL <= cols; j += 8 * DL) {
            DoubleVector m0 = DoubleVector.fromArray(D, mean, mo + j + 0 * DL);
            DoubleVector m1 = DoubleVector.fromArray(D, mean, mo + j + 1 * DL);
            DoubleVector m2 = DoubleVector.fromArray(D, mean, mo + j + 2 * DL);
            DoubleVector m3 = DoubleVector.fromArray(D, mean, mo + j + 3 * DL);
            DoubleVector m4 = DoubleVector.fromArray(D, mean, mo + j + 4 * DL);
            DoubleVector m5 = DoubleVector.fromArray(D, mean, mo + j + 5 * DL);
            DoubleVector m6 = DoubleVector.fromArray(D, mean, mo + j + 6 * DL);
            DoubleVector m7 = DoubleVector.fromArray(D, mean, mo + j + 7 * DL);
            DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            int p = off + j;
            int r = 0;
            do {
                DoubleVector d0 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 0 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m0);
                s0 = d0.lanewise(MUL, d0).lanewise(ADD, s0);
                DoubleVector d1 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 1 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m1);
                s1 = d1.lanewise(MUL, d1).lanewise(ADD, s1);
                DoubleVector d2 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 2 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m2);
                s2 = d2.lanewise(MUL, d2).lanewise(ADD, s2);
                DoubleVector d3 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 3 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m3);
                s3 = d3.lanewise(MUL, d3).lanewise(ADD, s3);
                DoubleVector d4 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 4 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m4);
                s4 = d4.lanewise(MUL, d4).lanewise(ADD, s4);
                DoubleVector d5 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 5 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m5);
                s5 = d5.lanewise(MUL, d5).lanewise(ADD, s5);
                DoubleVector d6 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 6 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m6);
                s6 = d6.lanewise(MUL, d6).lanewise(ADD, s6);
                DoubleVector d7 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 7 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m7);
                s7 = d7.lanewise(MUL, d7).lanewise(ADD, s7);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, acc, ao + j + 0 * DL).lanewise(ADD, s0).intoArray(acc, ao + j + 0 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 1 * DL).lanewise(ADD, s1).intoArray(acc, ao + j + 1 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 2 * DL).lanewise(ADD, s2).intoArray(acc, ao + j + 2 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 3 * DL).lanewise(ADD, s3).intoArray(acc, ao + j + 3 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 4 * DL).lanewise(ADD, s4).intoArray(acc, ao + j + 4 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 5 * DL).lanewise(ADD, s5).intoArray(acc, ao + j + 5 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 6 * DL).lanewise(ADD, s6).intoArray(acc, ao + j + 6 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 7 * DL).lanewise(ADD, s7).intoArray(acc, ao + j + 7 * DL);
        }
        for (; j + 4 * DL <= cols; j += 4 * DL) {
            DoubleVector m0 = DoubleVector.fromArray(D, mean, mo + j);
            DoubleVector m1 = DoubleVector.fromArray(D, mean, mo + j + DL);
            DoubleVector m2 = DoubleVector.fromArray(D, mean, mo + j + 2 * DL);
            DoubleVector m3 = DoubleVector.fromArray(D, mean, mo + j + 3 * DL);
            DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0;
            int p = off + j;
            int r = 0;
            do {
                DoubleVector d0 = ((DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0))
                        .lanewise(SUB, m0);
                DoubleVector d1 = ((DoubleVector) FloatVector.fromArray(FH, x, p + DL).convertShape(F2D, D, 0))
                        .lanewise(SUB, m1);
                DoubleVector d2 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 2 * DL).convertShape(F2D, D, 0))
                        .lanewise(SUB, m2);
                DoubleVector d3 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 3 * DL).convertShape(F2D, D, 0))
                        .lanewise(SUB, m3);
                s0 = d0.lanewise(MUL, d0).lanewise(ADD, s0);
                s1 = d1.lanewise(MUL, d1).lanewise(ADD, s1);
                s2 = d2.lanewise(MUL, d2).lanewise(ADD, s2);
                s3 = d3.lanewise(MUL, d3).lanewise(ADD, s3);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, acc, ao + j).lanewise(ADD, s0).intoArray(acc, ao + j);
            DoubleVector.fromArray(D, acc, ao + j + DL).lanewise(ADD, s1).intoArray(acc, ao + j + DL);
            DoubleVector.fromArray(D, acc, ao + j + 2 * DL).lanewise(ADD, s2).intoArray(acc, ao + j + 2 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 3 * DL).lanewise(ADD, s3).intoArray(acc, ao + j + 3 * DL);
        }
        for (; j + DL <= cols; j += DL) {
            DoubleVector m = DoubleVector.fromArray(D, mean, mo + j);
            DoubleVector s = DoubleVector.zero(D);
            int p = off + j;
            int r = 0;
            do {
                DoubleVector d = ((DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0))
                        .lanewise(SUB, m);
                s = d.lanewise(MUL, d).lanewise(ADD, s);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, acc, ao + j).lanewise(ADD, s).intoArray(acc, ao + j);
        }
        for (; j < cols; j++) {
            double s = 0;
            double m = mean[mo + j];
            for (int r = 0, p = off + j; r < rows; r++, p += cols) {
                double d = x[p] - m;
                s += d * d;
            }
            acc[ao + j] += s;
        }
    }

    static void sumProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean,
            int mo, double[] acc, int ao) {
        int j = 0;
        for (; j + 8 * DL <= cols; j += 8 * DL) {
            DoubleVector m0 = DoubleVector.fromArray(D, mean, mo + j + 0 * DL);
            DoubleVector m1 = DoubleVector.fromArray(D, mean, mo + j + 1 * DL);
            DoubleVector m2 = DoubleVector.fromArray(D, mean, mo + j + 2 * DL);
            DoubleVector m3 = DoubleVector.fromArray(D, mean, mo + j + 3 * DL);
            DoubleVector m4 = DoubleVector.fromArray(D, mean, mo + j + 4 * DL);
            DoubleVector m5 = DoubleVector.fromArray(D, mean, mo + j + 5 * DL);
            DoubleVector m6 = DoubleVector.fromArray(D, mean, mo + j + 6 * DL);
            DoubleVector m7 = DoubleVector.fromArray(D, mean, mo + j + 7 * DL);
            DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            int p = off + j;
            int r = 0;
            do {
                DoubleVector d0 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 0 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m0);
                s0 = ((DoubleVector) FloatVector.fromArray(FH, dy, p + 0 * DL).convertShape(F2D, D, 0))
                        .lanewise(MUL, d0).lanewise(ADD, s0);
                DoubleVector d1 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 1 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m1);
                s1 = ((DoubleVector) FloatVector.fromArray(FH, dy, p + 1 * DL).convertShape(F2D, D, 0))
                        .lanewise(MUL, d1).lanewise(ADD, s1);
                DoubleVector d2 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 2 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m2);
                s2 = ((DoubleVector) FloatVector.fromArray(FH, dy, p + 2 * DL).convertShape(F2D, D, 0))
                        .lanewise(MUL, d2).lanewise(ADD, s2);
                DoubleVector d3 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 3 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m3);
                s3 = ((DoubleVector) FloatVector.fromArray(FH, dy, p + 3 * DL).convertShape(F2D, D, 0))
                        .lanewise(MUL, d3).lanewise(ADD, s3);
                DoubleVector d4 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 4 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m4);
                s4 = ((DoubleVector) FloatVector.fromArray(FH, dy, p + 4 * DL).convertShape(F2D, D, 0))
                        .lanewise(MUL, d4).lanewise(ADD, s4);
                DoubleVector d5 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 5 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m5);
                s5 = ((DoubleVector) FloatVector.fromArray(FH, dy, p + 5 * DL).convertShape(F2D, D, 0))
                        .lanewise(MUL, d5).lanewise(ADD, s5);
                DoubleVector d6 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 6 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m6);
                s6 = ((DoubleVector) FloatVector.fromArray(FH, dy, p + 6 * DL).convertShape(F2D, D, 0))
                        .lanewise(MUL, d6).lanewise(ADD, s6);
                DoubleVector d7 = ((DoubleVector) FloatVector.fromArray(FH, x, p + 7 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m7);
                s7 = ((DoubleVector) FloatVector.fromArray(FH, dy, p + 7 * DL).convertShape(F2D, D, 0))
                        .lanewise(MUL, d7).lanewise(ADD, s7);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, acc, ao + j + 0 * DL).lanewise(ADD, s0).intoArray(acc, ao + j + 0 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 1 * DL).lanewise(ADD, s1).intoArray(acc, ao + j + 1 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 2 * DL).lanewise(ADD, s2).intoArray(acc, ao + j + 2 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 3 * DL).lanewise(ADD, s3).intoArray(acc, ao + j + 3 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 4 * DL).lanewise(ADD, s4).intoArray(acc, ao + j + 4 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 5 * DL).lanewise(ADD, s5).intoArray(acc, ao + j + 5 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 6 * DL).lanewise(ADD, s6).intoArray(acc, ao + j + 6 * DL);
            DoubleVector.fromArray(D, acc, ao + j + 7 * DL).lanewise(ADD, s7).intoArray(acc, ao + j + 7 * DL);
        }
        for (; j + 2 * DL <= cols; j += 2 * DL) {
            DoubleVector m0 = DoubleVector.fromArray(D, mean, mo + j);
            DoubleVector m1 = DoubleVector.fromArray(D, mean, mo + j + DL);
            DoubleVector s0 = DoubleVector.zero(D), s1 = s0;
            int p = off + j;
            int r = 0;
            do {
                DoubleVector g0 = (DoubleVector) FloatVector.fromArray(FH, dy, p).convertShape(F2D, D, 0);
                DoubleVector g1 = (DoubleVector) FloatVector.fromArray(FH, dy, p + DL).convertShape(F2D, D, 0);
                DoubleVector d0 = ((DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0))
                        .lanewise(SUB, m0);
                DoubleVector d1 = ((DoubleVector) FloatVector.fromArray(FH, x, p + DL).convertShape(F2D, D, 0))
                        .lanewise(SUB, m1);
                s0 = g0.lanewise(MUL, d0).lanewise(ADD, s0);
                s1 = g1.lanewise(MUL, d1).lanewise(ADD, s1);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, acc, ao + j).lanewise(ADD, s0).intoArray(acc, ao + j);
            DoubleVector.fromArray(D, acc, ao + j + DL).lanewise(ADD, s1).intoArray(acc, ao + j + DL);
        }
        for (; j + DL <= cols; j += DL) {
            DoubleVector m = DoubleVector.fromArray(D, mean, mo + j);
            DoubleVector s = DoubleVector.zero(D);
            int p = off + j;
            int r = 0;
            do {
                DoubleVector g = (DoubleVector) FloatVector.fromArray(FH, dy, p).convertShape(F2D, D, 0);
                DoubleVector d = ((DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0))
                        .lanewise(SUB, m);
                s = g.lanewise(MUL, d).lanewise(ADD, s);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, acc, ao + j).lanewise(ADD, s).intoArray(acc, ao + j);
        }
        for (; j < cols; j++) {
            double s = 0;
            double m = mean[mo + j];
            for (int r = 0, p = off + j; r < rows; r++, p += cols) {
                s += (double) dy[p] * (x[p] - m);
            }
            acc[ao + j] += s;
        }
    }

    /**
     * Both sums of a normalization backward pass in one sweep: per column group the {@code dy} sums and the
     * {@code dy * (x - mean)} sums stay in registers over all rows (sixteen accumulators and eight means for an
     * eight-vector group: 24 of the 32 vector registers of AVX-512), so {@code dy} is loaded once for both.
     * Per column each sum gets the additions of {@link #sumColumns} and {@link #sumProductDeviationsColumns}, in
     * the same order, so the bits are theirs.
     */
    static void sumAndProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean,
            int mo, double[] accSum, double[] accProduct, int ao) {
        int j = 0;
        for (; j + 8 * DL <= cols; j += 8 * DL) {
            DoubleVector m0 = DoubleVector.fromArray(D, mean, mo + j + 0 * DL);
            DoubleVector m1 = DoubleVector.fromArray(D, mean, mo + j + 1 * DL);
            DoubleVector m2 = DoubleVector.fromArray(D, mean, mo + j + 2 * DL);
            DoubleVector m3 = DoubleVector.fromArray(D, mean, mo + j + 3 * DL);
            DoubleVector m4 = DoubleVector.fromArray(D, mean, mo + j + 4 * DL);
            DoubleVector m5 = DoubleVector.fromArray(D, mean, mo + j + 5 * DL);
            DoubleVector m6 = DoubleVector.fromArray(D, mean, mo + j + 6 * DL);
            DoubleVector m7 = DoubleVector.fromArray(D, mean, mo + j + 7 * DL);
            DoubleVector s0 = DoubleVector.zero(D), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
            DoubleVector p0 = s0, p1 = s0, p2 = s0, p3 = s0, p4 = s0, p5 = s0, p6 = s0, p7 = s0;
            int p = off + j;
            int r = 0;
            do {
                DoubleVector g0 = (DoubleVector) FloatVector.fromArray(FH, dy, p + 0 * DL).convertShape(F2D, D, 0);
                s0 = g0.lanewise(ADD, s0);
                p0 = g0.lanewise(MUL, ((DoubleVector) FloatVector.fromArray(FH, x, p + 0 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m0)).lanewise(ADD, p0);
                DoubleVector g1 = (DoubleVector) FloatVector.fromArray(FH, dy, p + 1 * DL).convertShape(F2D, D, 0);
                s1 = g1.lanewise(ADD, s1);
                p1 = g1.lanewise(MUL, ((DoubleVector) FloatVector.fromArray(FH, x, p + 1 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m1)).lanewise(ADD, p1);
                DoubleVector g2 = (DoubleVector) FloatVector.fromArray(FH, dy, p + 2 * DL).convertShape(F2D, D, 0);
                s2 = g2.lanewise(ADD, s2);
                p2 = g2.lanewise(MUL, ((DoubleVector) FloatVector.fromArray(FH, x, p + 2 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m2)).lanewise(ADD, p2);
                DoubleVector g3 = (DoubleVector) FloatVector.fromArray(FH, dy, p + 3 * DL).convertShape(F2D, D, 0);
                s3 = g3.lanewise(ADD, s3);
                p3 = g3.lanewise(MUL, ((DoubleVector) FloatVector.fromArray(FH, x, p + 3 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m3)).lanewise(ADD, p3);
                DoubleVector g4 = (DoubleVector) FloatVector.fromArray(FH, dy, p + 4 * DL).convertShape(F2D, D, 0);
                s4 = g4.lanewise(ADD, s4);
                p4 = g4.lanewise(MUL, ((DoubleVector) FloatVector.fromArray(FH, x, p + 4 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m4)).lanewise(ADD, p4);
                DoubleVector g5 = (DoubleVector) FloatVector.fromArray(FH, dy, p + 5 * DL).convertShape(F2D, D, 0);
                s5 = g5.lanewise(ADD, s5);
                p5 = g5.lanewise(MUL, ((DoubleVector) FloatVector.fromArray(FH, x, p + 5 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m5)).lanewise(ADD, p5);
                DoubleVector g6 = (DoubleVector) FloatVector.fromArray(FH, dy, p + 6 * DL).convertShape(F2D, D, 0);
                s6 = g6.lanewise(ADD, s6);
                p6 = g6.lanewise(MUL, ((DoubleVector) FloatVector.fromArray(FH, x, p + 6 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m6)).lanewise(ADD, p6);
                DoubleVector g7 = (DoubleVector) FloatVector.fromArray(FH, dy, p + 7 * DL).convertShape(F2D, D, 0);
                s7 = g7.lanewise(ADD, s7);
                p7 = g7.lanewise(MUL, ((DoubleVector) FloatVector.fromArray(FH, x, p + 7 * DL)
                        .convertShape(F2D, D, 0)).lanewise(SUB, m7)).lanewise(ADD, p7);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, accSum, ao + j + 0 * DL).lanewise(ADD, s0).intoArray(accSum, ao + j + 0 * DL);
            DoubleVector.fromArray(D, accSum, ao + j + 1 * DL).lanewise(ADD, s1).intoArray(accSum, ao + j + 1 * DL);
            DoubleVector.fromArray(D, accSum, ao + j + 2 * DL).lanewise(ADD, s2).intoArray(accSum, ao + j + 2 * DL);
            DoubleVector.fromArray(D, accSum, ao + j + 3 * DL).lanewise(ADD, s3).intoArray(accSum, ao + j + 3 * DL);
            DoubleVector.fromArray(D, accSum, ao + j + 4 * DL).lanewise(ADD, s4).intoArray(accSum, ao + j + 4 * DL);
            DoubleVector.fromArray(D, accSum, ao + j + 5 * DL).lanewise(ADD, s5).intoArray(accSum, ao + j + 5 * DL);
            DoubleVector.fromArray(D, accSum, ao + j + 6 * DL).lanewise(ADD, s6).intoArray(accSum, ao + j + 6 * DL);
            DoubleVector.fromArray(D, accSum, ao + j + 7 * DL).lanewise(ADD, s7).intoArray(accSum, ao + j + 7 * DL);
            DoubleVector.fromArray(D, accProduct, ao + j + 0 * DL).lanewise(ADD, p0)
                    .intoArray(accProduct, ao + j + 0 * DL);
            DoubleVector.fromArray(D, accProduct, ao + j + 1 * DL).lanewise(ADD, p1)
                    .intoArray(accProduct, ao + j + 1 * DL);
            DoubleVector.fromArray(D, accProduct, ao + j + 2 * DL).lanewise(ADD, p2)
                    .intoArray(accProduct, ao + j + 2 * DL);
            DoubleVector.fromArray(D, accProduct, ao + j + 3 * DL).lanewise(ADD, p3)
                    .intoArray(accProduct, ao + j + 3 * DL);
            DoubleVector.fromArray(D, accProduct, ao + j + 4 * DL).lanewise(ADD, p4)
                    .intoArray(accProduct, ao + j + 4 * DL);
            DoubleVector.fromArray(D, accProduct, ao + j + 5 * DL).lanewise(ADD, p5)
                    .intoArray(accProduct, ao + j + 5 * DL);
            DoubleVector.fromArray(D, accProduct, ao + j + 6 * DL).lanewise(ADD, p6)
                    .intoArray(accProduct, ao + j + 6 * DL);
            DoubleVector.fromArray(D, accProduct, ao + j + 7 * DL).lanewise(ADD, p7)
                    .intoArray(accProduct, ao + j + 7 * DL);
        }
        for (; j + DL <= cols; j += DL) {
            DoubleVector m = DoubleVector.fromArray(D, mean, mo + j);
            DoubleVector s = DoubleVector.zero(D);
            DoubleVector q = s;
            int p = off + j;
            int r = 0;
            do {
                DoubleVector g = (DoubleVector) FloatVector.fromArray(FH, dy, p).convertShape(F2D, D, 0);
                s = g.lanewise(ADD, s);
                q = g.lanewise(MUL, ((DoubleVector) FloatVector.fromArray(FH, x, p).convertShape(F2D, D, 0))
                        .lanewise(SUB, m)).lanewise(ADD, q);
                p += cols;
            } while (++r < rows);
            DoubleVector.fromArray(D, accSum, ao + j).lanewise(ADD, s).intoArray(accSum, ao + j);
            DoubleVector.fromArray(D, accProduct, ao + j).lanewise(ADD, q).intoArray(accProduct, ao + j);
        }
        for (; j < cols; j++) {
            double s = 0;
            double q = 0;
            double m = mean[mo + j];
            for (int r = 0, p = off + j; r < rows; r++, p += cols) {
                s += dy[p];
                q += (double) dy[p] * (x[p] - m);
            }
            accSum[ao + j] += s;
            accProduct[ao + j] += q;
        }
    }
}
