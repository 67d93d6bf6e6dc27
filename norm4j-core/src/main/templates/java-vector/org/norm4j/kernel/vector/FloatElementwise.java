// TEMPLATE FloatElementwise.java: edit this file; its double twin is generated from it (norm4j-core/pom.xml)
package org.norm4j.kernel.vector;

import static jdk.incubator.vector.VectorOperators.ABS;
import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.DIV;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.MAX;
import static jdk.incubator.vector.VectorOperators.MIN;
import static jdk.incubator.vector.VectorOperators.MUL;
import static jdk.incubator.vector.VectorOperators.NEG;
import static jdk.incubator.vector.VectorOperators.SQRT;
import static jdk.incubator.vector.VectorOperators.SUB;
import static org.norm4j.kernel.ScalarKernels.apply;
import static org.norm4j.kernel.vector.VectorKernels.F;
import static org.norm4j.kernel.vector.VectorKernels.FL;

import jdk.incubator.vector.FloatVector;
import org.norm4j.kernel.BinaryOp;
import org.norm4j.kernel.UnaryOp;

/**
 * The loops of {@link VectorKernels} that stay in the element type ({@code float} here): elementwise ops and
 * the fused normalize passes. Every loop has its operation fixed in the source (one loop per op): C2
 * intrinsifies a Vector API call only when its operator, like its species, is a constant. Each performs on
 * every element exactly the IEEE operations of the scalar reference (separate multiply and add, never FMA),
 * so the results are bit-identical. The code-shape rules of {@link VectorLoops} apply. Callers guarantee a
 * row longer than two vectors (column kernels: see each method).
 */
final class FloatElementwise {
    private FloatElementwise() {
    }
    // ---- binary: vector op vector, vector op scalar, scalar op vector --------------------------

    static void binaryVV(BinaryOp op, float[] a, int ao, float[] b, int bo, float[] c, int co, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        switch (op) {
            case ADD:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(ADD, y).intoArray(c, co + i);
                }
                break;
            case SUB:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(SUB, y).intoArray(c, co + i);
                }
                break;
            case MUL:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(MUL, y).intoArray(c, co + i);
                }
                break;
            case DIV:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(DIV, y).intoArray(c, co + i);
                }
                break;
            case MAX:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(MAX, y).intoArray(c, co + i);
                }
                break;
            case MIN:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(MIN, y).intoArray(c, co + i);
                }
                break;
            case SQUARED_DIFFERENCE:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    FloatVector d = x.lanewise(SUB, y);
                    d.lanewise(MUL, d).intoArray(c, co + i);
                }
                break;
            default:
                break; // the scalar tail below does all of it
        }
        for (; i < n; i++) {
            c[co + i] = apply(op, a[ao + i], b[bo + i]);
        }
    }

    static void binaryVS(BinaryOp op, float[] a, int ao, float s, float[] c, int co, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        FloatVector y = FloatVector.broadcast(F, s);
        switch (op) {
            case ADD:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(ADD, y).intoArray(c, co + i);
                }
                break;
            case SUB:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(SUB, y).intoArray(c, co + i);
                }
                break;
            case MUL:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(MUL, y).intoArray(c, co + i);
                }
                break;
            case DIV:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(DIV, y).intoArray(c, co + i);
                }
                break;
            case MAX:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(MAX, y).intoArray(c, co + i);
                }
                break;
            case MIN:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(MIN, y).intoArray(c, co + i);
                }
                break;
            case SQUARED_DIFFERENCE:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    FloatVector d = x.lanewise(SUB, y);
                    d.lanewise(MUL, d).intoArray(c, co + i);
                }
                break;
            default:
                break; // the scalar tail below does all of it
        }
        for (; i < n; i++) {
            c[co + i] = apply(op, a[ao + i], s);
        }
    }

    static void binarySV(BinaryOp op, float s, float[] b, int bo, float[] c, int co, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        FloatVector x = FloatVector.broadcast(F, s);
        switch (op) {
            case ADD:
                for (; i < bound; i += FL) {
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(ADD, y).intoArray(c, co + i);
                }
                break;
            case SUB:
                for (; i < bound; i += FL) {
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(SUB, y).intoArray(c, co + i);
                }
                break;
            case MUL:
                for (; i < bound; i += FL) {
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(MUL, y).intoArray(c, co + i);
                }
                break;
            case DIV:
                for (; i < bound; i += FL) {
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(DIV, y).intoArray(c, co + i);
                }
                break;
            case MAX:
                for (; i < bound; i += FL) {
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(MAX, y).intoArray(c, co + i);
                }
                break;
            case MIN:
                for (; i < bound; i += FL) {
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    x.lanewise(MIN, y).intoArray(c, co + i);
                }
                break;
            case SQUARED_DIFFERENCE:
                for (; i < bound; i += FL) {
                    FloatVector y = FloatVector.fromArray(F, b, bo + i);
                    FloatVector d = x.lanewise(SUB, y);
                    d.lanewise(MUL, d).intoArray(c, co + i);
                }
                break;
            default:
                break; // the scalar tail below does all of it
        }
        for (; i < n; i++) {
            c[co + i] = apply(op, s, b[bo + i]);
        }
    }

    // ---- unary ---------------------------------------------------------------------------------

    /** NEG, ABS, SQUARE, SQRT (the lanewise SQRT is correctly rounded, as {@link Math#sqrt}). */
    static void unary(UnaryOp op, float[] a, int ao, float[] c, int co, int n) {
        int i = 0;
        int bound = F.loopBound(n);
        switch (op) {
            case NEG:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(NEG).intoArray(c, co + i);
                }
                break;
            case ABS:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(ABS).intoArray(c, co + i);
                }
                break;
            case SQUARE:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(MUL, x).intoArray(c, co + i);
                }
                break;
            case SQRT:
                for (; i < bound; i += FL) {
                    FloatVector x = FloatVector.fromArray(F, a, ao + i);
                    x.lanewise(SQRT).intoArray(c, co + i);
                }
                break;
            default:
                break;
        }
        for (; i < n; i++) {
            c[co + i] = apply(op, a[ao + i]);
        }
    }

    /** {@link org.norm4j.kernel.Kernels#reluGrad}: {@code g} times the mask {@code x > 0} as 1 or 0 (a blend). */
    static void reluGrad(float[] g, float[] x, float[] dx, int off, int n) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1f);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector factor = zero.blend(one, FloatVector.fromArray(F, x, off + i).compare(GT, zero));
            FloatVector.fromArray(F, g, off + i).lanewise(MUL, factor).intoArray(dx, off + i);
        }
        for (int p = off + i, end = off + n; p < end; p++) {
            dx[p] = g[p] * (x[p] > 0 ? 1f : 0f);
        }
    }

    // ---- fused normalize: (x - center) * scale + shift, one rounding per operation, never FMA --------

    static void scaleShift(float[] x, int off, int n, float center, float scale, float shift, float[] y) {
        FloatVector cv = FloatVector.broadcast(F, center);
        FloatVector sv = FloatVector.broadcast(F, scale);
        FloatVector tv = FloatVector.broadcast(F, shift);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector v = FloatVector.fromArray(F, x, off + i).lanewise(SUB, cv);
            v.lanewise(MUL, sv).lanewise(ADD, tv).intoArray(y, off + i);
        }
        for (int p = off + i, end = off + n; p < end; p++) {
            y[p] = (x[p] - center) * scale + shift;
        }
    }

    static void scaleShiftColumns(float[] x, int off, int rows, int cols, float[] center, float[] scale,
            float[] shift, float[] y) {
        if (cols < FL) { // fewer columns than one vector: the row-major scalar loop keeps to one pass
            for (int p = off, end = off + rows * cols; p < end; p += cols) {
                for (int j = 0; j < cols; j++) {
                    y[p + j] = (x[p + j] - center[j]) * scale[j] + shift[j];
                }
            }
            return;
        }
        if (rows <= 0) {
            return;
        }
        int j = 0;
        for (; j + 2 * FL <= cols; j += 2 * FL) {
            FloatVector c0 = FloatVector.fromArray(F, center, j + 0 * FL);
            FloatVector s0 = FloatVector.fromArray(F, scale, j + 0 * FL);
            FloatVector t0 = FloatVector.fromArray(F, shift, j + 0 * FL);
            FloatVector c1 = FloatVector.fromArray(F, center, j + 1 * FL);
            FloatVector s1 = FloatVector.fromArray(F, scale, j + 1 * FL);
            FloatVector t1 = FloatVector.fromArray(F, shift, j + 1 * FL);
            int p = off + j;
            int r = 0;
            do {
                FloatVector.fromArray(F, x, p + 0 * FL).lanewise(SUB, c0).lanewise(MUL, s0).lanewise(ADD, t0)
                        .intoArray(y, p + 0 * FL);
                FloatVector.fromArray(F, x, p + 1 * FL).lanewise(SUB, c1).lanewise(MUL, s1).lanewise(ADD, t1)
                        .intoArray(y, p + 1 * FL);
                p += cols;
            } while (++r < rows);
        }
        for (; j + FL <= cols; j += FL) {
            FloatVector c0 = FloatVector.fromArray(F, center, j);
            FloatVector s0 = FloatVector.fromArray(F, scale, j);
            FloatVector t0 = FloatVector.fromArray(F, shift, j);
            int p = off + j;
            int r = 0;
            do {
                FloatVector.fromArray(F, x, p).lanewise(SUB, c0).lanewise(MUL, s0).lanewise(ADD, t0).intoArray(y, p);
                p += cols;
            } while (++r < rows);
        }
        for (; j < cols; j++) {
            float cj = center[j];
            float sj = scale[j];
            float tj = shift[j];
            for (int r = 0, p = off + j; r < rows; r++, p += cols) {
                y[p] = (x[p] - cj) * sj + tj;
            }
        }
    }

    // ---- normalize backward: (dy - c)*a + (x - center)*b, left to right, never FMA ------------------

    static void normalizeBackward(float[] dy, float[] x, int off, int n, float a, float center, float b, float c,
            float[] dx) {
        FloatVector av = FloatVector.broadcast(F, a);
        FloatVector cv = FloatVector.broadcast(F, center);
        FloatVector bv = FloatVector.broadcast(F, b);
        FloatVector kv = FloatVector.broadcast(F, c);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector t = FloatVector.fromArray(F, x, off + i).lanewise(SUB, cv).lanewise(MUL, bv);
            FloatVector g = FloatVector.fromArray(F, dy, off + i).lanewise(SUB, kv).lanewise(MUL, av);
            g.lanewise(ADD, t).intoArray(dx, off + i);
        }
        for (int p = off + i, end = off + n; p < end; p++) {
            dx[p] = (dy[p] - c) * a + (x[p] - center) * b;
        }
    }

    static void normalizeBackwardColumns(float[] dy, float[] x, int off, int rows, int cols, float[] a,
            float[] center, float[] b, float[] c, float[] dx) {
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int base = off + r * cols;
            int j = 0;
            for (; j < bound; j += FL) {
                FloatVector cj = FloatVector.fromArray(F, center, j);
                FloatVector bj = FloatVector.fromArray(F, b, j);
                FloatVector t = FloatVector.fromArray(F, x, base + j).lanewise(SUB, cj).lanewise(MUL, bj);
                FloatVector g = FloatVector.fromArray(F, dy, base + j).lanewise(SUB, FloatVector.fromArray(F, c, j))
                        .lanewise(MUL, FloatVector.fromArray(F, a, j));
                g.lanewise(ADD, t).intoArray(dx, base + j);
            }
            for (; j < cols; j++) {
                dx[base + j] = (dy[base + j] - c[j]) * a[j] + (x[base + j] - center[j]) * b[j];
            }
        }
    }

    // ---- normalization rows without centring (RMS): (x * inv) * gamma, or x * inv ------------------

    static void scale(float[] x, int off, int n, float inv, float[] gamma, float[] y) {
        FloatVector iv = FloatVector.broadcast(F, inv);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector xr = FloatVector.fromArray(F, x, off + i).lanewise(MUL, iv);
            xr.lanewise(MUL, FloatVector.fromArray(F, gamma, i)).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            float xr = x[off + i] * inv;
            y[off + i] = xr * gamma[i];
        }
    }

    static void scale(float[] x, int off, int n, float inv, float[] y) {
        FloatVector iv = FloatVector.broadcast(F, inv);
        int i = 0;
        for (int bound = F.loopBound(n); i < bound; i += FL) {
            FloatVector.fromArray(F, x, off + i).lanewise(MUL, iv).intoArray(y, off + i);
        }
        for (; i < n; i++) {
            y[off + i] = x[off + i] * inv;
        }
    }

    // ---- max / min ---------------------------------------------------------------------------------
    // In the element type (the result is one of the elements). Lanewise MAX/MIN and their lane reductions
    // follow Math.max/Math.min, which are commutative and associative (a NaN anywhere wins, +0.0 > -0.0),
    // so any order of combination gives the scalar result. Two accumulators, for the latency reason in
    // VectorLoops's class comment.

    static float max(float[] x, int off, int n) {
        FloatVector m0 = FloatVector.fromArray(F, x, off); // max/min are idempotent: the loop may see it again
        FloatVector m1 = m0;
        int i = 0;
        int bound = n & -(2 * FL);
        do { // the caller guarantees one iteration; see the class comment for why do-while
            m0 = FloatVector.fromArray(F, x, off + i).lanewise(MAX, m0);
            m1 = FloatVector.fromArray(F, x, off + i + FL).lanewise(MAX, m1);
            i += 2 * FL;
        } while (i < bound);
        float m = m0.lanewise(MAX, m1).reduceLanes(MAX);
        for (int tail = F.loopBound(n); i < tail; i += FL) { // no loop-carried vector here
            m = Math.max(m, FloatVector.fromArray(F, x, off + i).reduceLanes(MAX));
        }
        for (; i < n; i++) {
            m = Math.max(m, x[off + i]);
        }
        return m;
    }

    static float min(float[] x, int off, int n) {
        FloatVector m0 = FloatVector.fromArray(F, x, off); // max/min are idempotent: the loop may see it again
        FloatVector m1 = m0;
        int i = 0;
        int bound = n & -(2 * FL);
        do { // the caller guarantees one iteration; see the class comment for why do-while
            m0 = FloatVector.fromArray(F, x, off + i).lanewise(MIN, m0);
            m1 = FloatVector.fromArray(F, x, off + i + FL).lanewise(MIN, m1);
            i += 2 * FL;
        } while (i < bound);
        float m = m0.lanewise(MIN, m1).reduceLanes(MIN);
        for (int tail = F.loopBound(n); i < tail; i += FL) { // no loop-carried vector here
            m = Math.min(m, FloatVector.fromArray(F, x, off + i).reduceLanes(MIN));
        }
        for (; i < n; i++) {
            m = Math.min(m, x[off + i]);
        }
        return m;
    }
}
