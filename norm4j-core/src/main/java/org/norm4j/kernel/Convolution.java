package org.norm4j.kernel;

import java.util.Arrays;

/**
 * Two-dimensional convolution of channels-last ({@code NHWC}) data with {@code HWIO} filters, TensorFlow's
 * {@code Conv2D} and its two backward ops, by im2col into {@link Products#matmul}.
 *
 * <p>For each chunk of whole images (fixed by the shape) and each group, the patches are copied into a matrix
 * {@code cols[rows, kh*kw*cg]} (one row per output position, columns in filter order {@code (i, j, c)}, padding
 * as zeros), and the product with the group's filter {@code [kh*kw*cg, og]} gives the outputs. Each output
 * element is a sum over the filter taps in that order, from zero, in the element type, whatever the thread count.
 * The filter gradient sums the chunks' products in chunk order; the input gradient scatters each chunk's patch
 * gradients back image by image, in a fixed order. So every result is bit-identical on any thread count. The
 * patch matrix and the other scratch arrays are kept per calling thread and reused (up to 4 M elements each).
 */
public final class Convolution {
    /** Elements of the patch matrix per chunk: 4 M (16 MiB in float); a chunk is at least one image. */
    private static final long CHUNK_ELEMENTS = 1L << 22;

    private Convolution() {
    }

    /**
     * The geometry of one convolution: input {@code [n, h, w, c]}, filter {@code [kh, kw, c / groups, o]},
     * output {@code [n, oh, ow, o]}, strides, dilations and the padding before the first row and column
     * ({@code padTop}, {@code padLeft}); the caller has checked every value.
     */
    public record Geometry(int n, int h, int w, int c, int kh, int kw, int o, int groups, int strideH,
            int strideW, int dilationH, int dilationW, int padTop, int padLeft, int oh, int ow) {
        /** Input channels per group. */
        public int cg() {
            return c / groups;
        }

        /** Output channels per group. */
        public int og() {
            return o / groups;
        }

        /** Columns of the patch matrix: filter taps times the group's input channels. */
        int patch() {
            return kh * kw * cg();
        }

        /** Multiply-adds of the forward pass. */
        public long macs() {
            return (long) n * oh * ow * patch() * o;
        }

        int imagesPerChunk() {
            long perImage = Math.max(1L, (long) oh * ow * Math.max(patch(), og()));
            return (int) Math.max(1, Math.min(n, CHUNK_ELEMENTS / perImage));
        }
    }

    /** {@code y = conv2d(x, filter)}: {@code x}, {@code filter} and {@code y} all float[] or all double[]. */
    public static void forward(Geometry g, Object x, Object filter, Object y) {
        if (direct(g)) {
            directForward(g, x, filter, y);
            return;
        }
        int per = g.imagesPerChunk();
        int positions = g.oh() * g.ow();
        Object cols = scratch(0, x, (long) per * positions * g.patch());
        Object out = scratch(1, x, (long) per * positions * g.og());
        Object wg = g.groups() == 1 ? filter : scratch(2, x, (long) g.patch() * g.og());
        for (int grp = 0; grp < g.groups(); grp++) {
            if (g.groups() > 1) {
                columns(filter, g.patch(), g.o(), grp * g.og(), g.og(), wg);
            }
            for (int n0 = 0; n0 < g.n(); n0 += per) {
                int images = Math.min(per, g.n() - n0);
                int rows = images * positions;
                im2col(g, x, n0, images, grp, cols);
                Products.matmul(cols, wg, out, rows, g.patch(), g.og(), false, false);
                place(out, rows, g.og(), y, (long) n0 * positions, g.o(), grp * g.og());
            }
        }
    }

    /**
     * TensorFlow's {@code Conv2DBackpropInput}: {@code dx} (written whole) from the output gradient {@code dy}
     * and the filter.
     */
    public static void backwardInput(Geometry g, Object dy, Object filter, Object dx) {
        int per = g.imagesPerChunk();
        int positions = g.oh() * g.ow();
        Object dcols = scratch(0, dy, (long) per * positions * g.patch());
        Object dyc = scratch(1, dy, (long) per * positions * g.og());
        Object wt = scratch(2, dy, (long) g.patch() * g.og());
        fillZero(dx);
        for (int grp = 0; grp < g.groups(); grp++) {
            // the group's filter transposed once, [og, patch], so that the product reads it by rows (the
            // transposed operand would be packed, and the product transposed back, on every call)
            transpose(filter, g.patch(), g.o(), grp * g.og(), g.og(), wt);
            for (int n0 = 0; n0 < g.n(); n0 += per) {
                int images = Math.min(per, g.n() - n0);
                int rows = images * positions;
                Object src = take(g, dy, n0, images, grp, dyc);
                Products.matmul(src, wt, dcols, rows, g.og(), g.patch(), false, false);
                col2im(g, dcols, n0, images, grp, dx);
            }
        }
    }

    /**
     * TensorFlow's {@code Conv2DBackpropFilter}: {@code dfilter} (written whole) from the input {@code x} and
     * the output gradient {@code dy}.
     */
    public static void backwardFilter(Geometry g, Object x, Object dy, Object dfilter) {
        if (direct(g)) {
            directFilterGradient(g, x, dy, dfilter);
            return;
        }
        int per = g.imagesPerChunk();
        int positions = g.oh() * g.ow();
        Object cols = scratch(0, x, (long) per * positions * g.patch());
        Object dyc = scratch(1, x, (long) per * positions * g.og());
        Object part = scratch(2, x, (long) g.patch() * g.og());
        Object sum = scratch(3, x, (long) g.patch() * g.og());
        for (int grp = 0; grp < g.groups(); grp++) {
            for (int n0 = 0; n0 < g.n(); n0 += per) {
                int images = Math.min(per, g.n() - n0);
                int rows = images * positions;
                im2col(g, x, n0, images, grp, cols);
                Object src = take(g, dy, n0, images, grp, dyc);
                Products.matmul(cols, src, n0 == 0 ? sum : part, g.patch(), rows, g.og(), true, false);
                if (n0 > 0) {
                    addInto(part, sum, g.patch() * g.og());
                }
            }
            place(sum, g.patch(), g.og(), dfilter, 0, g.o(), grp * g.og());
        }
    }

    /**
     * Whether the direct kernels ({@link Kernels#convForward}, {@link Kernels#convFilterGradient}) run this shape:
     * one group of at most {@link #DIRECT_MAX_CHANNELS} input channels, where the patch matrix would be copied
     * element by element in runs shorter than a vector and the product's {@code k} is a handful of taps.
     */
    static boolean direct(Geometry g) {
        return g.groups() == 1 && g.c() <= DIRECT_MAX_CHANNELS;
    }

    /** Input channels up to which the direct kernels run (measured: docs/performance.md, Convolution). */
    static final int DIRECT_MAX_CHANNELS = 16;

    /** {@link #forward} by {@link Kernels#convForward}, one task per image. */
    private static void directForward(Geometry g, Object x, Object filter, Object y) {
        Direct d = new Direct(g, x);
        Kernels k = KernelProvider.get();
        Parallel.forEach(g.n(), g.macs(), n -> {
            int r0 = n * g.oh();
            if (y instanceof float[]) {
                k.convForward((float[]) d.x, d.rowBase, g.ow(), d.xs, d.taps, (float[]) filter, g.o(), (float[]) y,
                        r0, r0 + g.oh());
            } else {
                k.convForward((double[]) d.x, d.rowBase, g.ow(), d.xs, d.taps, (double[]) filter, g.o(),
                        (double[]) y, r0, r0 + g.oh());
            }
        });
    }

    /**
     * {@link #backwardFilter} by {@link Kernels#convFilterGradient}, one task per four filter rows, the last
     * task taking the remainder (9 taps: tasks of 4 and 5 rows, which two threads share evenly).
     */
    private static void directFilterGradient(Geometry g, Object x, Object dy, Object dfilter) {
        Direct d = new Direct(g, x);
        Kernels k = KernelProvider.get();
        int rows = g.patch();
        int tasks = Math.max(1, rows / 4);
        Parallel.forEach(tasks, g.macs(), t -> {
            int p0 = 4 * t;
            int p1 = t == tasks - 1 ? rows : p0 + 4;
            if (dy instanceof float[]) {
                k.convFilterGradient((float[]) d.x, d.rowBase, g.ow(), d.xs, d.taps, (float[]) dy, g.o(),
                        (float[]) dfilter, p0, p1);
            } else {
                k.convFilterGradient((double[]) d.x, d.rowBase, g.ow(), d.xs, d.taps, (double[]) dy, g.o(),
                        (double[]) dfilter, p0, p1);
            }
        });
    }

    /**
     * The direct kernels' view of the input: {@code x} itself, or where the geometry pads, a zero-padded copy
     * (per-thread scratch; zeros where im2col would copy zeros, so the bits are those of the im2col path); the
     * offset of each output row's first patch ({@code n * oh + oy}), the step between neighbouring patches and
     * the offset of each tap {@code (ky, kx, c)} from a patch's origin.
     */
    private static final class Direct {
        final Object x;
        final int[] rowBase;
        final int xs;
        final int[] taps;

        Direct(Geometry g, Object input) {
            int hp = Math.max(g.padTop() + g.h(), (g.oh() - 1) * g.strideH() + (g.kh() - 1) * g.dilationH() + 1);
            int wp = Math.max(g.padLeft() + g.w(), (g.ow() - 1) * g.strideW() + (g.kw() - 1) * g.dilationW() + 1);
            int c = g.c();
            if (hp == g.h() && wp == g.w()) {
                x = input;
            } else {
                x = scratch(0, input, (long) g.n() * hp * wp * c);
                fillZero(x);
                for (int n = 0; n < g.n(); n++) {
                    for (int iy = 0; iy < g.h(); iy++) {
                        System.arraycopy(input, (n * g.h() + iy) * g.w() * c, x,
                                ((n * hp + iy + g.padTop()) * wp + g.padLeft()) * c, g.w() * c);
                    }
                }
            }
            rowBase = new int[g.n() * g.oh()];
            for (int n = 0, r = 0; n < g.n(); n++) {
                for (int oy = 0; oy < g.oh(); oy++, r++) {
                    rowBase[r] = (n * hp + oy * g.strideH()) * wp * c;
                }
            }
            xs = g.strideW() * c;
            taps = new int[g.patch()];
            for (int ky = 0, p = 0; ky < g.kh(); ky++) {
                for (int kx = 0; kx < g.kw(); kx++) {
                    for (int ch = 0; ch < c; ch++, p++) {
                        taps[p] = (ky * g.dilationH() * wp + kx * g.dilationW()) * c + ch;
                    }
                }
            }
        }
    }

    /** Patches of images {@code [n0, n0 + images)}, group {@code grp}, into {@code cols[rows, patch]}. */
    private static void im2col(Geometry g, Object x, int n0, int images, int grp, Object cols) {
        patches(g, x, n0, images, grp, cols, false);
    }

    /** Adds the patch gradients {@code dcols[rows, patch]} back into {@code dx}, image by image. */
    private static void col2im(Geometry g, Object dcols, int n0, int images, int grp, Object dx) {
        patches(g, dx, n0, images, grp, dcols, true);
    }

    /**
     * Walks the patches of images {@code [n0, n0 + images)} in the patch matrix's order, one task per image:
     * copies each channel run of {@code data} into {@code cols} (zeros for padding), or, with {@code scatter},
     * adds each run of {@code cols} back into {@code data} (padding skipped).
     */
    private static void patches(Geometry g, Object data, int n0, int images, int grp, Object cols,
            boolean scatter) {
        int cg = g.cg();
        Object zeros = newArray(data, cg);
        int positions = g.oh() * g.ow();
        Parallel.forEach(images, (long) images * positions * g.patch(), i -> {
            int pos = i * positions * g.patch();
            for (int oy = 0; oy < g.oh(); oy++) {
                for (int ox = 0; ox < g.ow(); ox++) {
                    for (int ky = 0; ky < g.kh(); ky++) {
                        int iy = oy * g.strideH() - g.padTop() + ky * g.dilationH();
                        for (int kx = 0; kx < g.kw(); kx++) {
                            int ix = ox * g.strideW() - g.padLeft() + kx * g.dilationW();
                            boolean inside = iy >= 0 && iy < g.h() && ix >= 0 && ix < g.w();
                            int at = (((n0 + i) * g.h() + iy) * g.w() + ix) * g.c() + grp * cg;
                            if (scatter && inside) {
                                addRun(cols, pos, data, at, cg);
                            } else if (!scatter) {
                                copyRun(inside ? data : zeros, inside ? at : 0, cols, pos, cg);
                            }
                            pos += cg;
                        }
                    }
                }
            }
        });
    }

    /** The output-gradient rows of a chunk and group as a dense {@code [rows, og]} matrix. */
    private static Object take(Geometry g, Object dy, int n0, int images, int grp, Object dyc) {
        int positions = g.oh() * g.ow();
        if (g.groups() == 1 && n0 == 0 && images == g.n()) {
            return dy;
        }
        int rows = images * positions;
        int base = n0 * positions;
        for (int r = 0; r < rows; r++) {
            System.arraycopy(dy, (base + r) * g.o() + grp * g.og(), dyc, r * g.og(), g.og());
        }
        return dyc;
    }

    /** Copies columns {@code [c0, c0 + width)} of {@code src[rows, cols]} into a dense {@code dst[rows, width]}. */
    private static void columns(Object src, int rows, int cols, int c0, int width, Object dst) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, r * cols + c0, dst, r * width, width);
        }
    }

    /** {@code dst[j, r] = src[r, c0 + j]}: columns {@code [c0, c0 + width)} of {@code src[rows, cols]}, transposed. */
    private static void transpose(Object src, int rows, int cols, int c0, int width, Object dst) {
        if (src instanceof float[]) {
            float[] s = (float[]) src;
            float[] d = (float[]) dst;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < width; j++) {
                    d[j * rows + r] = s[r * cols + c0 + j];
                }
            }
        } else {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            for (int r = 0; r < rows; r++) {
                for (int j = 0; j < width; j++) {
                    d[j * rows + r] = s[r * cols + c0 + j];
                }
            }
        }
    }

    /** Writes {@code src[rows, width]} into columns {@code [c0, c0 + width)} of rows from {@code row0} of dst. */
    private static void place(Object src, int rows, int width, Object dst, long row0, int cols, int c0) {
        for (int r = 0; r < rows; r++) {
            System.arraycopy(src, r * width, dst, (int) ((row0 + r) * cols) + c0, width);
        }
    }

    /** {@code System.arraycopy}, by a plain loop for short runs (one to a few channels), where the call dominates. */
    private static void copyRun(Object src, int from, Object dst, int to, int len) {
        if (len >= 16) {
            System.arraycopy(src, from, dst, to, len);
        } else if (src instanceof float[]) {
            float[] s = (float[]) src;
            float[] d = (float[]) dst;
            for (int k = 0; k < len; k++) {
                d[to + k] = s[from + k];
            }
        } else {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            for (int k = 0; k < len; k++) {
                d[to + k] = s[from + k];
            }
        }
    }

    private static void addRun(Object src, int from, Object dst, int to, int len) {
        if (src instanceof float[]) {
            float[] s = (float[]) src;
            float[] d = (float[]) dst;
            for (int k = 0; k < len; k++) {
                d[to + k] += s[from + k];
            }
        } else {
            double[] s = (double[]) src;
            double[] d = (double[]) dst;
            for (int k = 0; k < len; k++) {
                d[to + k] += s[from + k];
            }
        }
    }

    private static void addInto(Object src, Object dst, int len) {
        addRun(src, 0, dst, 0, len);
    }

    private static void fillZero(Object a) {
        if (a instanceof float[]) {
            Arrays.fill((float[]) a, 0f);
        } else {
            Arrays.fill((double[]) a, 0.0);
        }
    }

    /** Scratch larger than this (in elements) is allocated per call rather than kept by the thread. */
    private static final long MAX_KEPT_SCRATCH = CHUNK_ELEMENTS;
    /**
     * Per-thread scratch of the calling thread, by slot: [0] the patch matrix, [1] the output or output-gradient
     * rows, [2] a group's filter or a chunk's partial filter gradient, [3] the filter-gradient sum; float[] and
     * double[] kept apart. Every call writes what it reads, so the contents left by an earlier call never matter.
     */
    private static final ThreadLocal<Object[][]> SCRATCH = ThreadLocal.withInitial(() -> new Object[2][4]);

    private static Object scratch(int slot, Object like, long length) {
        if (length > MAX_KEPT_SCRATCH) {
            return newArray(like, length);
        }
        boolean isFloat = like instanceof float[];
        Object[] kept = SCRATCH.get()[isFloat ? 0 : 1];
        Object a = kept[slot];
        int have = a == null ? 0 : isFloat ? ((float[]) a).length : ((double[]) a).length;
        if (have < length) {
            a = newArray(like, Math.max(length, Math.min(MAX_KEPT_SCRATCH, have * 3L / 2)));
            kept[slot] = a;
        }
        return a;
    }

    /** A zeroed array of {@code like}'s element type. */
    static Object newArray(Object like, long length) {
        if (length > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("convolution scratch of " + length
                    + " elements: expected at most " + (Integer.MAX_VALUE - 8) + " (use smaller batches)");
        }
        return like instanceof float[] ? new float[(int) length] : new double[(int) length];
    }
}
