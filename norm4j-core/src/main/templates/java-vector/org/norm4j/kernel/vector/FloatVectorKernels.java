// TEMPLATE FloatVectorKernels.java: edit this file; its double twin is generated from it (norm4j-core/pom.xml)
package org.norm4j.kernel.vector;

import static org.norm4j.kernel.vector.VectorKernels.DL;
import static org.norm4j.kernel.vector.VectorKernels.FL;
import static org.norm4j.kernel.vector.VectorKernels.MFL;
import static org.norm4j.kernel.vector.VectorKernels.SCALAR;

import org.norm4j.kernel.BinaryOp;
import org.norm4j.kernel.ScalarKernels;
import org.norm4j.kernel.UnaryOp;

/**
 * The twin methods of {@link VectorKernels}, for one element type ({@code float} here): those whose two versions
 * share a body. Each chooses by size between a vector loop ({@link FloatElementwise}, {@link FloatMatmul},
 * {@link VectorLoops}, {@link VectorRows}) and the scalar reference. The float class is the template; the double
 * class is generated from it at build time and extends it; {@link VectorKernels} extends the generated class and
 * adds the methods whose two versions differ (the reductions that widen float data to double).
 */
public abstract class FloatVectorKernels extends ScalarKernels {
    /** Cache-sized chunks of rows: the column loops sweep a chunk once per group of column vectors. */
    private static final int COLUMN_CHUNK = 1 << 13;

    FloatVectorKernels() {
    }

    private static boolean vectorBinary(BinaryOp op) {
        return op != BinaryOp.POW;
    }

    private static boolean vectorUnary(UnaryOp op) {
        return op == UnaryOp.NEG || op == UnaryOp.ABS || op == UnaryOp.SQUARE || op == UnaryOp.SQRT;
    }

    @Override
    public void binary(BinaryOp op, float[] a, int ao, int as, float[] b, int bo, int bs, float[] c, int co,
            int n) {
        // from two whole vectors: a bias add over 32 channels (the demo CNN's first convolution, 16 float lanes)
        // runs row by row with n = 32
        if (n >= 2 * FL && vectorBinary(op)) {
            if (as == 1 && bs == 1) {
                FloatElementwise.binaryVV(op, a, ao, b, bo, c, co, n);
                return;
            } else if (as == 1 && bs == 0) {
                FloatElementwise.binaryVS(op, a, ao, b[bo], c, co, n);
                return;
            } else if (as == 0 && bs == 1) {
                FloatElementwise.binarySV(op, a[ao], b, bo, c, co, n);
                return;
            }
        }
        super.binary(op, a, ao, as, b, bo, bs, c, co, n);
    }

    @Override
    public void unary(UnaryOp op, float[] a, int ao, float[] c, int co, int n) {
        if (n > 2 * FL && vectorUnary(op)) {
            FloatElementwise.unary(op, a, ao, c, co, n);
        } else {
            super.unary(op, a, ao, c, co, n);
        }
    }

    @Override
    public double extreme(float[] x, int off, int n, boolean max) {
        if (n <= 2 * FL) {
            return super.extreme(x, off, n, max);
        }
        return max ? FloatElementwise.max(x, off, n) : FloatElementwise.min(x, off, n);
    }

    @Override
    public void extremeColumns(float[] x, int off, int rows, int cols, boolean max, double[] acc, int ao) {
        if (cols > 2 * DL) {
            VectorLoops.extremeColumns(x, off, rows, cols, max, acc, ao);
        } else {
            super.extremeColumns(x, off, rows, cols, max, acc, ao);
        }
    }

    @Override
    public void scaleShift(float[] x, int off, int n, float center, float scale, float shift, float[] y) {
        if (n > 2 * FL) {
            FloatElementwise.scaleShift(x, off, n, center, scale, shift, y);
        } else {
            super.scaleShift(x, off, n, center, scale, shift, y);
        }
    }

    @Override
    public void scaleShiftColumns(float[] x, int off, int rows, int cols, float[] center, float[] scale,
            float[] shift, float[] y) {
        int step = Math.max(1, COLUMN_CHUNK / Math.max(1, cols));
        for (int r = 0; r < rows; r += step) {
            FloatElementwise.scaleShiftColumns(x, off + r * cols, Math.min(step, rows - r), cols, center, scale,
                    shift, y);
        }
    }

    @Override
    public void normalizeBackward(float[] dy, float[] x, int off, int n, float a, float center, float b, float c,
            float[] dx) {
        if (n > 2 * FL) {
            FloatElementwise.normalizeBackward(dy, x, off, n, a, center, b, c, dx);
        } else {
            super.normalizeBackward(dy, x, off, n, a, center, b, c, dx);
        }
    }

    @Override
    public void normalizeBackwardColumns(float[] dy, float[] x, int off, int rows, int cols, float[] a,
            float[] center, float[] b, float[] c, float[] dx) {
        if (cols > 2 * FL) {
            FloatElementwise.normalizeBackwardColumns(dy, x, off, rows, cols, a, center, b, c, dx);
        } else {
            super.normalizeBackwardColumns(dy, x, off, rows, cols, a, center, b, c, dx);
        }
    }

    @Override
    public void matmul(float[] a, float[] b, float[] c, int m, int k, int n, boolean transposeA, boolean transposeB,
            int r0, int r1) {
        FloatMatmul.matmul(SCALAR, a, b, c, m, k, n, transposeA, transposeB, r0, r1);
    }

    @Override
    public void normalizeRowScale(float[] x, int off, int n, float inv, float[] gamma, float[] y) {
        if (n <= 2 * FL) {
            super.normalizeRowScale(x, off, n, inv, gamma, y);
        } else if (gamma == null) {
            FloatElementwise.scale(x, off, n, inv, y);
        } else {
            FloatElementwise.scale(x, off, n, inv, gamma, y);
        }
    }

    @Override
    public void normalizeColumnGradSums(float[] dy, float[] x, int off, int rows, int cols, double[] center,
            double[] weight, int ro, double[] dg, double[] db, int ao) {
        if (rows < 1 || cols < 2 * DL) {
            super.normalizeColumnGradSums(dy, x, off, rows, cols, center, weight, ro, dg, db, ao);
        } else {
            VectorRows.columnGradSums(dy, x, off, rows, cols, center, weight, ro, dg, db, ao);
        }
    }

    @Override
    public void reluGrad(float[] g, float[] x, float[] dx, int off, int n) {
        if (n > 2 * FL) {
            FloatElementwise.reluGrad(g, x, dx, off, n);
        } else {
            super.reluGrad(g, x, dx, off, n);
        }
    }

    @Override
    public void maxPoolWindow(float[] x, int[] pos, int count, int c, float[] y, int out, int[] arg, int argOut) {
        if (c >= MFL) {
            FloatConv.maxPoolWindow(x, pos, count, c, y, out, arg, argOut);
        } else {
            super.maxPoolWindow(x, pos, count, c, y, out, arg, argOut);
        }
    }

    @Override
    public void convForward(float[] x, int[] rowBase, int width, int xs, int[] taps, float[] w, int o, float[] y,
            int r0, int r1) {
        if (o >= MFL && taps.length > 0) {
            FloatConv.forward(x, rowBase, width, xs, taps, w, o, y, r0, r1);
        } else {
            super.convForward(x, rowBase, width, xs, taps, w, o, y, r0, r1);
        }
    }

    @Override
    public void convFilterGradient(float[] x, int[] rowBase, int width, int xs, int[] taps, float[] dy, int o,
            float[] dw, int p0, int p1) {
        if (o >= MFL && width > 0) {
            FloatConv.filterGradient(x, rowBase, width, xs, taps, dy, o, dw, p0, p1);
        } else {
            super.convFilterGradient(x, rowBase, width, xs, taps, dy, o, dw, p0, p1);
        }
    }
}
