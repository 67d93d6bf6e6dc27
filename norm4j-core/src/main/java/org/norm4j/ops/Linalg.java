package org.norm4j.ops;

import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.Tensor;
import org.norm4j.kernel.Products;

/** Linear algebra: the rank-2 matrix product. */
public final class Linalg {
    private Linalg() {
    }

    /**
     * {@code tf.linalg.matmul} for rank-2 tensors: {@code a[m,k] x b[k,n] -> [m,n]}. Each output element is
     * accumulated in the element type in order of k, so results do not depend on the thread count.
     * Gradient: {@code g x b^T} and {@code a^T x g}, computed without materializing a transpose.
     */
    public static Tensor matmul(Tensor a, Tensor b) {
        return matmul(a, b, false, false);
    }

    /**
     * {@code tf.linalg.matmul(a, b, transpose_a=transposeA, transpose_b=transposeB)} for rank-2 tensors:
     * {@code op(a)[m,k] x op(b)[k,n] -> [m,n]}, where {@code op(a)} is {@code a} or, with {@code transposeA},
     * its transpose (then {@code a} is stored as {@code [k,m]}); likewise {@code op(b)} is {@code b[k,n]} or,
     * with {@code transposeB}, the transpose of a stored {@code [n,k]}. The kernels read the stored operands
     * through their strides, so no transposed copy is made: {@code matmul(a, b, false, true)} equals {@code
     * matmul(a, transpose(b))} bit for bit, and is faster. Each output element is accumulated in the element
     * type from zero in increasing k, multiply then add, so the result does not depend on the thread count or
     * on the kernels (scalar or vector) in use.
     *
     * <p>Gradient (TensorFlow's): for {@code a b}: {@code g b^T}, {@code a^T g}; for {@code a b^T}: {@code g b},
     * {@code g^T a}; for {@code a^T b}: {@code b g^T}, {@code a g}; for {@code a^T b^T}: {@code b^T g^T},
     * {@code g^T a^T}; each again one transposed-operand product.
     *
     * @throws IllegalArgumentException if an argument is null, the dtypes differ, a rank is not 2, or the
     *         inner dimensions of {@code op(a)} and {@code op(b)} differ
     */
    public static Tensor matmul(Tensor a, Tensor b, boolean transposeA, boolean transposeB) {
        Checks.notNull(a, "a");
        Checks.notNull(b, "b");
        Checks.sameDType(a, "a", b, "b");
        Checks.rank(a, "a", 2);
        Checks.rank(b, "b", 2);
        int m = a.shape().dim(transposeA ? 1 : 0);
        int k = a.shape().dim(transposeA ? 0 : 1);
        int kb = b.shape().dim(transposeB ? 1 : 0);
        int n = b.shape().dim(transposeB ? 0 : 1);
        if (kb != k) {
            String ka = transposeA ? "a.shape[0]" : "a.shape[1]";
            String kbs = transposeB ? "b.shape[1]" : "b.shape[0]";
            throw new IllegalArgumentException("matmul of a " + a.shape() + " and b " + b.shape()
                    + " (transposeA=" + transposeA + ", transposeB=" + transposeB + "): expected " + kbs + " == "
                    + ka + " (" + k + "), got " + kb);
        }
        Tensor c = Tensor.wrapNew(a.dtype(), Shape.of(m, n));
        Products.matmul(a.raw(), b.raw(), c.raw(), m, k, n, transposeA, transposeB);
        if (GradientTape.anyRecording()) {
            GradientTape.record("MatMul", c, (g, need) -> gradient(a, b, transposeA, transposeB, g, need), a, b);
        }
        return c;
    }

    private static Tensor[] gradient(Tensor a, Tensor b, boolean ta, boolean tb, Tensor g, boolean[] need) {
        Tensor da = null;
        Tensor db = null;
        if (!ta && !tb) {
            da = need[0] ? matmul(g, b, false, true) : null;
            db = need[1] ? matmul(a, g, true, false) : null;
        } else if (!ta) {
            da = need[0] ? matmul(g, b, false, false) : null;
            db = need[1] ? matmul(g, a, true, false) : null;
        } else if (!tb) {
            da = need[0] ? matmul(b, g, false, true) : null;
            db = need[1] ? matmul(a, g, false, false) : null;
        } else {
            da = need[0] ? matmul(b, g, true, true) : null;
            db = need[1] ? matmul(g, a, true, true) : null;
        }
        return new Tensor[] {da, db};
    }
}
