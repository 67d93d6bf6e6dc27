package org.norm4j.kernel.vector;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.MUL;
import static org.norm4j.kernel.vector.VectorKernels.D;
import static org.norm4j.kernel.vector.VectorKernels.DL;
import static org.norm4j.kernel.vector.VectorKernels.F;
import static org.norm4j.kernel.vector.VectorKernels.FL;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import org.norm4j.kernel.Kernels;

/**
 * The matrix-product kernels of {@link VectorKernels}, on its species. The code-shape rules of
 * {@link VectorLoops} apply here too (no helpers taking or returning vectors, {@code lanewise} calls,
 * accumulators as arguments, do-while loops). Every output element is accumulated exactly as in
 * {@link org.norm4j.kernel.ScalarKernels}: from zero, in increasing {@code k}, separate multiply and add
 * (never FMA), so the results are bit-identical.
 */
final class VectorMatmul {
    private VectorMatmul() {
    }

    /**
     * {@link Kernels#matmul(float[], float[], float[], int, int, int, int, int)}; {@code scalar} runs the
     * products too narrow for vectors ({@code n} no more than two vectors, or {@code k == 0}).
     */
    static void matmul(Kernels scalar, float[] a, float[] b, float[] c, int m, int k, int n, int r0, int r1) {
        if (n > 2 * FL && k > 0) {
            rows(a, b, c, k, n, r0, r1);
        } else {
            scalar.matmul(a, b, c, m, k, n, r0, r1);
        }
    }

    /** Double version of {@link #matmul(Kernels, float[], float[], float[], int, int, int, int, int)}. */
    static void matmul(Kernels scalar, double[] a, double[] b, double[] c, int m, int k, int n, int r0, int r1) {
        if (n > 2 * DL && k > 0) {
            rows(a, b, c, k, n, r0, r1);
        } else {
            scalar.matmul(a, b, c, m, k, n, r0, r1);
        }
    }

    /**
     * Rows {@code [r0, r1)} of {@code c = a x b}. A block of output columns stays in registers while
     * {@code p} runs over {@code k}; each element still gets {@code ((0 + a[i,0]*b[0,j]) + a[i,1]*b[1,j])
     * + ...} in increasing {@code p}, with separate multiply and add, exactly as in the scalar reference.
     * The caller guarantees {@code k >= 1}.
     */
    private static void rows(float[] a, float[] b, float[] c, int k, int n, int r0, int r1) {
        for (int i = r0; i < r1; i++) {
            int ai = i * k;
            int ci = i * n;
            int j = 0;
            for (int bound = n & -(4 * FL); j < bound; j += 4 * FL) {
                FloatVector c0 = FloatVector.zero(F), c1 = c0, c2 = c0, c3 = c0;
                int p = 0;
                int bp = j;
                do { // k >= 1 (the caller's check); see the class comment for why do-while
                    FloatVector av = FloatVector.broadcast(F, a[ai + p]);
                    c0 = av.lanewise(MUL, FloatVector.fromArray(F, b, bp)).lanewise(ADD, c0);
                    c1 = av.lanewise(MUL, FloatVector.fromArray(F, b, bp + FL)).lanewise(ADD, c1);
                    c2 = av.lanewise(MUL, FloatVector.fromArray(F, b, bp + 2 * FL)).lanewise(ADD, c2);
                    c3 = av.lanewise(MUL, FloatVector.fromArray(F, b, bp + 3 * FL)).lanewise(ADD, c3);
                    bp += n;
                } while (++p < k);
                c0.intoArray(c, ci + j);
                c1.intoArray(c, ci + j + FL);
                c2.intoArray(c, ci + j + 2 * FL);
                c3.intoArray(c, ci + j + 3 * FL);
            }
            for (int bound = F.loopBound(n); j < bound; j += FL) {
                FloatVector t = FloatVector.zero(F);
                int p = 0;
                int bp = j;
                do {
                    FloatVector bv = FloatVector.fromArray(F, b, bp);
                    t = FloatVector.broadcast(F, a[ai + p]).lanewise(MUL, bv).lanewise(ADD, t);
                    bp += n;
                } while (++p < k);
                t.intoArray(c, ci + j);
            }
            for (; j < n; j++) {
                float s = 0f;
                for (int p = 0, bp = j; p < k; p++, bp += n) {
                    s += a[ai + p] * b[bp];
                }
                c[ci + j] = s;
            }
        }
    }

    private static void rows(double[] a, double[] b, double[] c, int k, int n, int r0, int r1) {
        for (int i = r0; i < r1; i++) {
            int ai = i * k;
            int ci = i * n;
            int j = 0;
            for (int bound = n & -(4 * DL); j < bound; j += 4 * DL) {
                DoubleVector c0 = DoubleVector.zero(D), c1 = c0, c2 = c0, c3 = c0;
                int p = 0;
                int bp = j;
                do { // k >= 1 (the caller's check); see the class comment for why do-while
                    DoubleVector av = DoubleVector.broadcast(D, a[ai + p]);
                    c0 = av.lanewise(MUL, DoubleVector.fromArray(D, b, bp)).lanewise(ADD, c0);
                    c1 = av.lanewise(MUL, DoubleVector.fromArray(D, b, bp + DL)).lanewise(ADD, c1);
                    c2 = av.lanewise(MUL, DoubleVector.fromArray(D, b, bp + 2 * DL)).lanewise(ADD, c2);
                    c3 = av.lanewise(MUL, DoubleVector.fromArray(D, b, bp + 3 * DL)).lanewise(ADD, c3);
                    bp += n;
                } while (++p < k);
                c0.intoArray(c, ci + j);
                c1.intoArray(c, ci + j + DL);
                c2.intoArray(c, ci + j + 2 * DL);
                c3.intoArray(c, ci + j + 3 * DL);
            }
            for (int bound = D.loopBound(n); j < bound; j += DL) {
                DoubleVector t = DoubleVector.zero(D);
                int p = 0;
                int bp = j;
                do {
                    DoubleVector bv = DoubleVector.fromArray(D, b, bp);
                    t = DoubleVector.broadcast(D, a[ai + p]).lanewise(MUL, bv).lanewise(ADD, t);
                    bp += n;
                } while (++p < k);
                t.intoArray(c, ci + j);
            }
            for (; j < n; j++) {
                double s = 0.0;
                for (int p = 0, bp = j; p < k; p++, bp += n) {
                    s += a[ai + p] * b[bp];
                }
                c[ci + j] = s;
            }
        }
    }
}
