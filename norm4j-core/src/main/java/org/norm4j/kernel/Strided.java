package org.norm4j.kernel;

/**
 * Runs elementwise operations with NumPy broadcasting, and permutations, over plain arrays. Dimensions
 * are merged wherever the memory layout allows, so the innermost run handed to the kernel is as long as
 * possible; outer runs are split into fixed chunks for {@link Parallel}. Shapes are assumed valid (the ops
 * tier checks them).
 */
public final class Strided {
    private static final int CHUNK = 1 << 13;

    private Strided() {
    }

    /**
     * {@code out = op(a, b)} where {@code a} and {@code b} broadcast to {@code outDims}.
     *
     * @param a float[] or double[] (same type as b and out)
     */
    public static void binary(BinaryOp op, Object a, int[] aDims, Object b, int[] bDims, Object out,
            int[] outDims) {
        int r = outDims.length;
        int[] as = broadcastStrides(aDims, outDims);
        int[] bs = broadcastStrides(bDims, outDims);
        // merge dims: keep a list of (size, strideA, strideB) from outermost to innermost
        int[] size = new int[Math.max(1, r)];
        int[] sa = new int[Math.max(1, r)];
        int[] sb = new int[Math.max(1, r)];
        int g = 0;
        for (int i = 0; i < r; i++) {
            if (outDims[i] == 1) {
                continue;
            }
            if (g > 0 && sa[g - 1] == as[i] * outDims[i] && sb[g - 1] == bs[i] * outDims[i]) {
                size[g - 1] *= outDims[i];
                sa[g - 1] = as[i];
                sb[g - 1] = bs[i];
            } else {
                size[g] = outDims[i];
                sa[g] = as[i];
                sb[g] = bs[i];
                g++;
            }
        }
        int total = 1;
        for (int d : outDims) {
            total *= d;
        }
        if (total == 0) {
            return;
        }
        if (g == 0) {
            size[0] = 1;
            sa[0] = 0;
            sb[0] = 0;
            g = 1;
        }
        final int inner = size[g - 1];
        final int ia = sa[g - 1];
        final int ib = sb[g - 1];
        final int outerRank = g - 1;
        final int outerCount = total / inner;
        final int[] fsize = size;
        final int[] fsa = sa;
        final int[] fsb = sb;
        Kernels k = KernelProvider.get();
        // tasks: chunks of outer indices, or chunks of the inner run when there is no outer loop
        if (outerCount == 1) {
            int tasks = (inner + CHUNK - 1) / CHUNK;
            Parallel.forEach(tasks, inner, t -> {
                int s = t * CHUNK;
                int n = Math.min(CHUNK, inner - s);
                call(k, op, a, s * ia, ia, b, s * ib, ib, out, s, n);
            });
            return;
        }
        int perTask = Math.max(1, CHUNK / inner);
        int tasks = (outerCount + perTask - 1) / perTask;
        Parallel.forEach(tasks, total, t -> {
            int o0 = t * perTask;
            int o1 = Math.min(outerCount, o0 + perTask);
            for (int o = o0; o < o1; o++) {
                int rem = o;
                int offA = 0;
                int offB = 0;
                for (int d = outerRank - 1; d >= 0; d--) {
                    int idx = rem % fsize[d];
                    rem /= fsize[d];
                    offA += idx * fsa[d];
                    offB += idx * fsb[d];
                }
                call(k, op, a, offA, ia, b, offB, ib, out, o * inner, inner);
            }
        });
    }

    private static void call(Kernels k, BinaryOp op, Object a, int ao, int as, Object b, int bo, int bs,
            Object out, int oo, int n) {
        if (out instanceof float[]) {
            k.binary(op, (float[]) a, ao, as, (float[]) b, bo, bs, (float[]) out, oo, n);
        } else {
            k.binary(op, (double[]) a, ao, as, (double[]) b, bo, bs, (double[]) out, oo, n);
        }
    }

    /** {@code out = op(a)} over {@code n} contiguous elements. */
    public static void unary(UnaryOp op, Object a, Object out, int n) {
        Kernels k = KernelProvider.get();
        int tasks = (n + CHUNK - 1) / CHUNK;
        Parallel.forEach(tasks, n, t -> {
            int s = t * CHUNK;
            int len = Math.min(CHUNK, n - s);
            if (out instanceof float[]) {
                k.unary(op, (float[]) a, s, (float[]) out, s, len);
            } else {
                k.unary(op, (double[]) a, s, (double[]) out, s, len);
            }
        });
    }

    /**
     * Row-major strides of {@code dims} aligned right against {@code outDims}, with 0 for broadcast axes.
     */
    static int[] broadcastStrides(int[] dims, int[] outDims) {
        int r = outDims.length;
        int off = r - dims.length;
        int[] st = new int[r];
        int s = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            st[i + off] = (dims[i] == 1 && outDims[i + off] != 1) ? 0 : s;
            s *= dims[i];
        }
        return st;
    }

    /**
     * Copies {@code src} (dims {@code dims}) to {@code dst} permuted: output axis i is input axis
     * {@code perm[i]}.
     */
    public static void permute(Object src, int[] dims, int[] perm, Object dst) {
        int r = dims.length;
        int[] inStrides = new int[r];
        int s = 1;
        for (int i = r - 1; i >= 0; i--) {
            inStrides[i] = s;
            s *= dims[i];
        }
        int total = s;
        if (total == 0) {
            return;
        }
        int[] outDims = new int[r];
        int[] st = new int[r];
        for (int i = 0; i < r; i++) {
            outDims[i] = dims[perm[i]];
            st[i] = inStrides[perm[i]];
        }
        int inner = r == 0 ? 1 : outDims[r - 1];
        int innerStride = r == 0 ? 1 : st[r - 1];
        int outer = total / inner;
        int perTask = Math.max(1, CHUNK / Math.max(1, inner));
        int tasks = (outer + perTask - 1) / perTask;
        Parallel.forEach(tasks, total, t -> {
            int o0 = t * perTask;
            int o1 = Math.min(outer, o0 + perTask);
            for (int o = o0; o < o1; o++) {
                int rem = o;
                int off = 0;
                for (int d = r - 2; d >= 0; d--) {
                    int idx = rem % outDims[d];
                    rem /= outDims[d];
                    off += idx * st[d];
                }
                int base = o * inner;
                if (src instanceof float[]) {
                    float[] f = (float[]) src;
                    float[] g = (float[]) dst;
                    for (int i = 0; i < inner; i++) {
                        g[base + i] = f[off + i * innerStride];
                    }
                } else {
                    double[] f = (double[]) src;
                    double[] g = (double[]) dst;
                    for (int i = 0; i < inner; i++) {
                        g[base + i] = f[off + i * innerStride];
                    }
                }
            }
        });
    }

    /**
     * Copies the box of size {@code box} at {@code srcOffset} of {@code src} (dims {@code srcDims}) to
     * {@code dstOffset} of {@code dst} (dims {@code dstDims}); the rest of dst is untouched. Arrays of one type.
     */
    public static void copyBox(Object src, int[] srcDims, int[] srcOffset, Object dst, int[] dstDims,
            int[] dstOffset, int[] box) {
        int r = box.length;
        if (r == 0) {
            System.arraycopy(src, 0, dst, 0, 1);
            return;
        }
        for (int d : box) {
            if (d == 0) {
                return;
            }
        }
        int run = box[r - 1];
        int[] idx = new int[r - 1];
        while (true) {
            int s = 0;
            int t = 0;
            for (int a = 0; a < r - 1; a++) {
                s = s * srcDims[a] + srcOffset[a] + idx[a];
                t = t * dstDims[a] + dstOffset[a] + idx[a];
            }
            System.arraycopy(src, s * srcDims[r - 1] + srcOffset[r - 1], dst, t * dstDims[r - 1] + dstOffset[r - 1],
                    run);
            int a = r - 2;
            while (a >= 0 && ++idx[a] == box[a]) {
                idx[a] = 0;
                a--;
            }
            if (a < 0) {
                return;
            }
        }
    }
}
