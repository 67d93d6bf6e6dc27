package org.norm4j.kernel;

import java.util.Arrays;

/**
 * How a reduction over a set of axes maps onto the kernels. Axes of size 1 are dropped and neighbouring
 * axes of the same kind (kept or reduced) are merged; the remaining pattern is one of
 * <ul>
 *   <li>{@code [outer, mid, inner]} with {@code mid} reduced ("rows" when {@code inner == 1}, e.g.
 *       LayerNormalization; "columns" when {@code outer == 1}, e.g. BatchNormalization channels-last),</li>
 *   <li>{@code [a, k, b]} with {@code a} and {@code b} reduced (BatchNormalization channels-first),</li>
 *   <li>anything else, which is first transposed to {@code [kept..., reduced...]}.</li>
 * </ul>
 * Outputs are indexed in the natural order of the kept axes in every case.
 */
public final class ReductionPlan {
    /** Pattern kinds. */
    public enum Kind { OUTER_MID_INNER, REDUCE_KEEP_REDUCE }

    /** The pattern used. */
    public final Kind kind;
    /** For OUTER_MID_INNER: outer, mid, inner. For REDUCE_KEEP_REDUCE: a, k, b. */
    public final int d0;
    /** See {@link #d0}. */
    public final int d1;
    /** See {@link #d0}. */
    public final int d2;
    /** Number of reduced elements per output element. */
    public final int count;
    /** Number of output elements. */
    public final int outSize;
    /** Permutation to apply to the input first, or {@code null}. */
    public final int[] permutation;
    /** Dimensions of the input (before any permutation). */
    private final int[] dims;

    private ReductionPlan(Kind kind, int d0, int d1, int d2, int count, int outSize, int[] permutation,
            int[] dims) {
        this.kind = kind;
        this.d0 = d0;
        this.d1 = d1;
        this.d2 = d2;
        this.count = count;
        this.outSize = outSize;
        this.permutation = permutation;
        this.dims = dims;
    }

    /**
     * Plans a reduction.
     *
     * @param dims input dimensions
     * @param sortedAxes distinct reduced axes in increasing order
     */
    public static ReductionPlan of(int[] dims, int[] sortedAxes) {
        boolean[] red = new boolean[dims.length];
        for (int a : sortedAxes) {
            red[a] = true;
        }
        int count = 1;
        int outSize = 1;
        for (int i = 0; i < dims.length; i++) {
            if (red[i]) {
                count *= dims[i];
            } else {
                outSize *= dims[i];
            }
        }
        // merged groups: sizes and kinds, size-1 axes dropped
        int[] sizes = new int[dims.length];
        boolean[] kinds = new boolean[dims.length];
        int g = 0;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 1) {
                continue;
            }
            if (g > 0 && kinds[g - 1] == red[i]) {
                sizes[g - 1] *= dims[i];
            } else {
                sizes[g] = dims[i];
                kinds[g] = red[i];
                g++;
            }
        }
        String pattern = pattern(kinds, g);
        switch (pattern) {
            case "": return omi(1, 1, 1, count, outSize, dims);
            case "K": return omi(sizes[0], 1, 1, count, outSize, dims);
            case "R": return omi(1, sizes[0], 1, count, outSize, dims);
            case "KR": return omi(sizes[0], sizes[1], 1, count, outSize, dims);
            case "RK": return omi(1, sizes[0], sizes[1], count, outSize, dims);
            case "KRK": return omi(sizes[0], sizes[1], sizes[2], count, outSize, dims);
            case "RKR": return new ReductionPlan(Kind.REDUCE_KEEP_REDUCE, sizes[0], sizes[1], sizes[2], count,
                    outSize, null, dims);
            default:
                int[] perm = new int[dims.length];
                int p = 0;
                for (int i = 0; i < dims.length; i++) {
                    if (!red[i]) {
                        perm[p++] = i;
                    }
                }
                for (int a : sortedAxes) {
                    perm[p++] = a;
                }
                return new ReductionPlan(Kind.OUTER_MID_INNER, outSize, count, 1, count, outSize, perm, dims);
        }
    }

    private static ReductionPlan omi(int outer, int mid, int inner, int count, int outSize, int[] dims) {
        return new ReductionPlan(Kind.OUTER_MID_INNER, outer, mid, inner, count, outSize, null, dims);
    }

    private static String pattern(boolean[] kinds, int g) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < g; i++) {
            sb.append(kinds[i] ? 'R' : 'K');
        }
        return sb.toString();
    }

    /** Input dimensions the plan was made for. */
    public int[] dims() {
        return dims.clone();
    }

    @Override
    public String toString() {
        return "ReductionPlan[" + kind + " " + d0 + "x" + d1 + "x" + d2 + ", count=" + count
                + (permutation == null ? "" : ", permute " + Arrays.toString(permutation)) + "]";
    }
}
