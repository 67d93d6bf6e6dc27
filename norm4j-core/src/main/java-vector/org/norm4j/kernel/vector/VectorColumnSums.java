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
import org.norm4j.kernel.ColumnSums;

/**
 * {@link ColumnSums} on the Vector API: groups of four double vectors (32 columns with 512-bit vectors) are
 * accumulated over all rows in registers, then one vector at a time, then scalar columns. The loops follow
 * {@link VectorLoops}'s code-shape rules (accumulators as arguments, do-while bodies, no vector helpers).
 * Per column the additions are in row order from 0, as in the scalar reference. The caller guarantees
 * {@code rows >= 1}.
 */
public final class VectorColumnSums implements ColumnSums {

    @Override
    public void sumColumns(float[] x, int off, int rows, int cols, double[] acc, int ao) {
        int j = 0;
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

    @Override
    public void sumSquaredDeviationsColumns(float[] x, int off, int rows, int cols, double[] mean, int mo,
            double[] acc, int ao) {
        int j = 0;
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

    @Override
    public void sumProductDeviationsColumns(float[] dy, float[] x, int off, int rows, int cols, double[] mean,
            int mo, double[] acc, int ao) {
        int j = 0;
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
}
