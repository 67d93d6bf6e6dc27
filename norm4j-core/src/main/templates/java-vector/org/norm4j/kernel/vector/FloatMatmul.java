// TEMPLATE FloatMatmul.java: edit this file; its double twin is generated from it (norm4j-core/pom.xml)
package org.norm4j.kernel.vector;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.MUL;
import static org.norm4j.kernel.vector.VectorKernels.MF;
import static org.norm4j.kernel.vector.VectorKernels.MFL;

import jdk.incubator.vector.FloatVector;
import org.norm4j.kernel.Kernels;

/**
 * The matrix-product kernels of {@link VectorKernels} for {@code float}, on its matrix-product species ({@link
 * VectorKernels#MATMUL_BITS}). The code-shape rules of
 * {@link VectorLoops} apply here too (no helpers taking or returning vectors, {@code lanewise} calls,
 * accumulators as arguments, do-while loops). Every output element is accumulated exactly as in
 * {@link org.norm4j.kernel.ScalarKernels}: from zero, in increasing {@code k}, separate multiply and add
 * (never FMA), so the results are bit-identical and do not depend on how the rows are split.
 *
 * <p>One loop nest, {@code blocks} (register blocks of 4 rows x 2 vectors), computes {@code A x b} for any
 * layout of {@code A} (it is only read one value at a time, broadcast) and a {@code b} whose rows are
 * contiguous (it is read in vectors). The four cases of {@code transposeA}/{@code transposeB} map onto it:
 * <ul>
 *   <li>{@code op(b) = b} with at least one vector of columns: directly, {@code A = op(a)} through its
 *       strides ({@code a^T b} costs nothing extra);
 *   <li>otherwise, with at least one vector of rows ({@code a b^T} of a training batch: {@code g W^T}):
 *       {@code c^T = op(b)^T x op(a)^T}, where {@code op(a)^T} (rows x k, small) is packed into a per-thread
 *       scratch array, {@code op(b)^T} is read in place, and the product is written to a second scratch array
 *       and copied transposed into {@code c};
 *   <li>otherwise ({@code transposeB}, fewer rows than a vector): {@code b} is packed transposed into scratch.
 * </ul>
 * The scratch arrays are per thread (pool workers and calling threads alike) and grow by half again to the
 * largest product seen while it needs at most 1 M elements, so one may reach 1.5 M (a Dense layer's gradient at
 * batch 32 needs 100 K); larger needs are allocated per call. Packing is copying, so it
 * changes no bit.
 */
final class FloatMatmul {
    /** Largest scratch array (elements) kept per thread between calls; larger ones are allocated per call. */
    private static final int MAX_KEPT_SCRATCH = 1 << 20;

    /** Side of the tiles of the transposing copies. */
    private static final int TILE = 16;

    private FloatMatmul() {
    }


    /** Per-thread scratch of the transposed paths: [0] a packed op(a)^T or op(b), [1] the product c^T. */
    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[2][]);

    private static float[] scratch(int slot, int size) {
        if (size > MAX_KEPT_SCRATCH) {
            return new float[size]; // not kept: a thread would hold it for as long as it lives
        }
        float[][] s = SCRATCH.get();
        if (s[slot] == null || s[slot].length < size) {
            s[slot] = new float[Math.max(size, s[slot] == null ? 0 : s[slot].length * 3 / 2)];
        }
        return s[slot];
    }

    /** {@link Kernels#matmul(float[], float[], float[], int, int, int, boolean, boolean, int, int)}. */
    static void matmul(Kernels scalar, float[] a, float[] b, float[] c, int m, int k, int n, boolean transposeA,
            boolean transposeB, int r0, int r1) {
        int rows = r1 - r0;
        int ars = transposeA ? 1 : k; // op(a)[i,p] = a[i*ars + p*acs]
        int acs = transposeA ? m : 1;
        if (k == 0 || rows <= 0 || n == 0) {
            scalar.matmul(a, b, c, m, k, n, transposeA, transposeB, r0, r1);
        } else if (!transposeB && n >= MFL) {
            blocks(a, ars, acs, b, c, k, n, r0, r1);
        } else if (rows >= MFL) {
            // c^T[j,i] = sum_p op(b)[p,j] * op(a)^T[p,i]: op(a)^T packed (small when m is a batch), product
            // into scratch, unpacked into c's rows; op(b) is read in place through its strides
            float[] at = scratch(0, k * rows);
            float[] ct = scratch(1, n * rows);
            copyTransposed(a, r0 * ars, acs, ars, at, 0, rows, k, rows);
            blocks(b, transposeB ? k : 1, transposeB ? 1 : n, at, ct, k, rows, 0, n);
            copyTransposed(ct, 0, 1, rows, c, r0 * n, n, rows, n);
        } else if (n >= MFL) {
            // few rows, op(b) = stored b[n,k] transposed: pack op(b) as [k, n]
            float[] bt = scratch(0, k * n);
            copyTransposed(b, 0, 1, k, bt, 0, n, k, n);
            blocks(a, ars, acs, bt, c, k, n, r0, r1);
        } else {
            scalar.matmul(a, b, c, m, k, n, transposeA, transposeB, r0, r1);
        }
    }

    /**
     * {@code dst[d0 + r*ds + q] = src[s0 + r*sr + q*sq]} for {@code r < rowsOut}, {@code q < colsOut}, in
     * 16 x 16 tiles (one side of each tile is always read or written with a stride).
     */
    private static void copyTransposed(float[] src, int s0, int sr, int sq, float[] dst, int d0, int ds,
            int rowsOut, int colsOut) {
        for (int rt = 0; rt < rowsOut; rt += TILE) {
            int re = Math.min(rowsOut, rt + TILE);
            for (int qt = 0; qt < colsOut; qt += TILE) {
                int qe = Math.min(colsOut, qt + TILE);
                for (int r = rt; r < re; r++) {
                    int so = s0 + r * sr;
                    int dof = d0 + r * ds;
                    for (int q = qt; q < qe; q++) {
                        dst[dof + q] = src[so + q * sq];
                    }
                }
            }
        }
    }

    /**
     * Rows {@code [r0, r1)} of {@code c[.,n] = A x b} with {@code A[i,p] = a[i*ars + p*acs]} (any layout) and
     * {@code b[p,j] = b[p*n + j]}; {@code n >= 1}, {@code k >= 1}. Register blocks of four rows by two
     * vectors: each loaded {@code b} vector serves four rows and each broadcast {@code A} value two vectors
     * (six loads per eight vector multiply-adds; the single-row loop it replaces needed five per four and
     * re-read all of {@code b} for every row). Every output is summed from zero in increasing {@code p},
     * multiply then add, whatever the block it falls in.
     *
     * <p>Why not larger blocks, and why one method per block shape: C2 (JDK 17) expands the Vector API
     * intrinsics late and stops once a compilation holds too many live nodes; the calls left over then run
     * as real calls on boxed vectors. A 4 x 4 block (32 lanewise calls, 16 stores) in one method passed that
     * limit in some warm-up orders (14 of its 16 stores were left as calls: a Dense product ran at 670 us
     * instead of 40 us), and so did the blocks together in one method.
     */
    private static void blocks(float[] a, int ars, int acs, float[] b, float[] c, int k, int n, int r0, int r1) {
        int i = r0;
        for (; i + 4 <= r1; i += 4) {
            int j = 0;
            for (; j + 2 * MFL <= n; j += 2 * MFL) {
                block4x2(a, ars, acs, b, c, k, n, i, j);
            }
            for (; j + MFL <= n; j += MFL) {
                block4x1(a, ars, acs, b, c, k, n, i, j);
            }
            tailColumns(a, ars, acs, b, c, k, n, i, i + 4, j);
        }
        for (; i < r1; i++) {
            int j = 0;
            for (; j + MFL <= n; j += MFL) {
                block1x1(a, ars, acs, b, c, k, n, i, j);
            }
            tailColumns(a, ars, acs, b, c, k, n, i, i + 1, j);
        }
    }

    /** Rows {@code i..i+3}, columns {@code j..j+2*MFL-1}. */
    private static void block4x2(float[] a, int ars, int acs, float[] b, float[] c, int k, int n, int i, int j) {
        int a0 = i * ars;
        FloatVector c00 = FloatVector.zero(MF), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int p = 0;
        int ap = a0;
        int bp = j;
        do {
            FloatVector b0 = FloatVector.fromArray(MF, b, bp);
            FloatVector b1 = FloatVector.fromArray(MF, b, bp + MFL);
            FloatVector v = FloatVector.broadcast(MF, a[ap]);
            c00 = v.lanewise(MUL, b0).lanewise(ADD, c00);
            c01 = v.lanewise(MUL, b1).lanewise(ADD, c01);
            v = FloatVector.broadcast(MF, a[ap + ars]);
            c10 = v.lanewise(MUL, b0).lanewise(ADD, c10);
            c11 = v.lanewise(MUL, b1).lanewise(ADD, c11);
            v = FloatVector.broadcast(MF, a[ap + 2 * ars]);
            c20 = v.lanewise(MUL, b0).lanewise(ADD, c20);
            c21 = v.lanewise(MUL, b1).lanewise(ADD, c21);
            v = FloatVector.broadcast(MF, a[ap + 3 * ars]);
            c30 = v.lanewise(MUL, b0).lanewise(ADD, c30);
            c31 = v.lanewise(MUL, b1).lanewise(ADD, c31);
            ap += acs;
            bp += n;
        } while (++p < k);
        int ci = i * n + j;
        c00.intoArray(c, ci);
        c01.intoArray(c, ci + MFL);
        ci += n;
        c10.intoArray(c, ci);
        c11.intoArray(c, ci + MFL);
        ci += n;
        c20.intoArray(c, ci);
        c21.intoArray(c, ci + MFL);
        ci += n;
        c30.intoArray(c, ci);
        c31.intoArray(c, ci + MFL);
    }

    /** Rows {@code i..i+3}, columns {@code j..j+MFL-1}. */
    private static void block4x1(float[] a, int ars, int acs, float[] b, float[] c, int k, int n, int i, int j) {
        int a0 = i * ars;
        FloatVector c0 = FloatVector.zero(MF), c1 = c0, c2 = c0, c3 = c0;
        int p = 0;
        int ap = a0;
        int bp = j;
        do {
            FloatVector b0 = FloatVector.fromArray(MF, b, bp);
            c0 = FloatVector.broadcast(MF, a[ap]).lanewise(MUL, b0).lanewise(ADD, c0);
            c1 = FloatVector.broadcast(MF, a[ap + ars]).lanewise(MUL, b0).lanewise(ADD, c1);
            c2 = FloatVector.broadcast(MF, a[ap + 2 * ars]).lanewise(MUL, b0).lanewise(ADD, c2);
            c3 = FloatVector.broadcast(MF, a[ap + 3 * ars]).lanewise(MUL, b0).lanewise(ADD, c3);
            ap += acs;
            bp += n;
        } while (++p < k);
        int ci = i * n + j;
        c0.intoArray(c, ci);
        c1.intoArray(c, ci + n);
        c2.intoArray(c, ci + 2 * n);
        c3.intoArray(c, ci + 3 * n);
    }

    /** Row {@code i}, columns {@code j..j+MFL-1}. */
    private static void block1x1(float[] a, int ars, int acs, float[] b, float[] c, int k, int n, int i, int j) {
        int a0 = i * ars;
        FloatVector t = FloatVector.zero(MF);
        int p = 0;
        int ap = a0;
        int bp = j;
        do {
            FloatVector bv = FloatVector.fromArray(MF, b, bp);
            t = FloatVector.broadcast(MF, a[ap]).lanewise(MUL, bv).lanewise(ADD, t);
            ap += acs;
            bp += n;
        } while (++p < k);
        t.intoArray(c, i * n + j);
    }

    /** Columns {@code [j0, n)} of rows {@code [i0, i1)}, scalar, same order. */
    private static void tailColumns(float[] a, int ars, int acs, float[] b, float[] c, int k, int n, int i0,
            int i1, int j0) {
        for (int i = i0; i < i1; i++) {
            for (int j = j0; j < n; j++) {
                float s = 0f;
                for (int p = 0, ap = i * ars, bp = j; p < k; p++, ap += acs, bp += n) {
                    s += a[ap] * b[bp];
                }
                c[i * n + j] = s;
            }
        }
    }
}
