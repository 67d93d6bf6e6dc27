// TEMPLATE FloatConv.java: edit this file; its double twin is generated from it (norm4j-core/pom.xml)
package org.norm4j.kernel.vector;

import static jdk.incubator.vector.VectorOperators.ADD;
import static jdk.incubator.vector.VectorOperators.GT;
import static jdk.incubator.vector.VectorOperators.IS_NAN;
import static jdk.incubator.vector.VectorOperators.MUL;
import static org.norm4j.kernel.vector.VectorKernels.MF;
import static org.norm4j.kernel.vector.VectorKernels.MFL;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;
import org.norm4j.kernel.ScalarKernels;

/**
 * The direct-convolution kernels of {@link VectorKernels} for {@code float} ({@link
 * org.norm4j.kernel.Kernels#convForward} and {@link org.norm4j.kernel.Kernels#convFilterGradient}), on the
 * matrix-product species: products whose patch matrix is read in place from the input through tap offsets,
 * vectorized over output channels. They pay where the patches are short (few input channels: the first
 * convolution of an image model, 9 taps of one channel), where copying the patch matrix costs as much as the
 * product. Register blocks of four output pixels (forward) or four filter rows (filter gradient) by two vectors
 * of output channels, the shape of {@link FloatMatmul}'s blocks, which C2 keeps intrinsic on JDK 17 (see there for
 * why no larger blocks). Every output element is accumulated from zero in the contract's order, multiply then add
 * (never FMA), exactly as in {@link org.norm4j.kernel.ScalarKernels}, so the results are bit-identical.
 *
 * <p>Also the max-pooling window ({@link org.norm4j.kernel.Kernels#maxPoolWindow}): the running maximum and its
 * position per channel in a float vector and an int vector of the same lane count, updated by blends under the
 * comparison's mask, so no branch depends on the data.
 */
final class FloatConv {
    /** Int lanes as many as the float lanes: the positions of {@link #maxPoolWindow}. */
    private static final VectorSpecies<Integer> INDEX = VectorSpecies.of(int.class,
            VectorShape.forBitSize(MFL * Integer.SIZE));

    private FloatConv() {
    }

    /** {@link org.norm4j.kernel.Kernels#maxPoolWindow}; {@code c >= MFL}, {@code count >= 1}. */
    static void maxPoolWindow(float[] x, int[] pos, int count, int c, float[] y, int out, int[] arg, int argOut) {
        IntVector lanes = IntVector.zero(INDEX).addIndex(1);
        int ch = 0;
        for (int bound = c - c % MFL; ch < bound; ch += MFL) {
            int at = pos[0] + ch;
            FloatVector best = FloatVector.fromArray(MF, x, at);
            IntVector where = lanes.add(at);
            for (int t = 1; t < count; t++) {
                at = pos[t] + ch;
                FloatVector v = FloatVector.fromArray(MF, x, at);
                VectorMask<Float> take = v.compare(GT, best).or(v.test(IS_NAN).andNot(best.test(IS_NAN)));
                best = best.blend(v, take);
                where = where.blend(lanes.add(at), take.cast(INDEX));
            }
            best.intoArray(y, out + ch);
            where.intoArray(arg, argOut + ch);
        }
        ScalarKernels.maxPoolChannels(x, pos, count, ch, c, y, out, arg, argOut);
    }

    /** {@link org.norm4j.kernel.Kernels#convForward}; {@code o >= MFL}, at least one tap. */
    static void forward(float[] x, int[] rowBase, int width, int xs, int[] taps, float[] w, int o, float[] y,
            int r0, int r1) {
        int o2 = o - o % (2 * MFL);
        int o1 = o - o % MFL;
        for (int r = r0; r < r1; r++) {
            int i = 0;
            for (; i + 4 <= width; i += 4) {
                int at = rowBase[r] + i * xs;
                int out = (r * width + i) * o;
                int j = 0;
                for (; j < o2; j += 2 * MFL) {
                    forward4x2(x, at, xs, taps, w, o, y, out, j);
                }
                for (; j < o1; j += MFL) {
                    forward4x1(x, at, xs, taps, w, o, y, out, j);
                }
                forwardTail(x, at, xs, 4, taps, w, o, y, out, o1);
            }
            for (; i < width; i++) {
                int at = rowBase[r] + i * xs;
                int out = (r * width + i) * o;
                for (int j = 0; j < o1; j += MFL) {
                    forward1x1(x, at, taps, w, o, y, out, j);
                }
                forwardTail(x, at, xs, 1, taps, w, o, y, out, o1);
            }
        }
    }

    /** Pixels {@code at + {0..3}*xs}, output channels {@code j..j+2*MFL-1}. */
    private static void forward4x2(float[] x, int at, int xs, int[] taps, float[] w, int o, float[] y, int out,
            int j) {
        FloatVector c00 = FloatVector.zero(MF), c01 = c00, c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int p = 0;
        int wp = j;
        do {
            int t = at + taps[p];
            FloatVector b0 = FloatVector.fromArray(MF, w, wp);
            FloatVector b1 = FloatVector.fromArray(MF, w, wp + MFL);
            FloatVector v = FloatVector.broadcast(MF, x[t]);
            c00 = v.lanewise(MUL, b0).lanewise(ADD, c00);
            c01 = v.lanewise(MUL, b1).lanewise(ADD, c01);
            v = FloatVector.broadcast(MF, x[t + xs]);
            c10 = v.lanewise(MUL, b0).lanewise(ADD, c10);
            c11 = v.lanewise(MUL, b1).lanewise(ADD, c11);
            v = FloatVector.broadcast(MF, x[t + 2 * xs]);
            c20 = v.lanewise(MUL, b0).lanewise(ADD, c20);
            c21 = v.lanewise(MUL, b1).lanewise(ADD, c21);
            v = FloatVector.broadcast(MF, x[t + 3 * xs]);
            c30 = v.lanewise(MUL, b0).lanewise(ADD, c30);
            c31 = v.lanewise(MUL, b1).lanewise(ADD, c31);
            wp += o;
        } while (++p < taps.length);
        int ci = out + j;
        c00.intoArray(y, ci);
        c01.intoArray(y, ci + MFL);
        ci += o;
        c10.intoArray(y, ci);
        c11.intoArray(y, ci + MFL);
        ci += o;
        c20.intoArray(y, ci);
        c21.intoArray(y, ci + MFL);
        ci += o;
        c30.intoArray(y, ci);
        c31.intoArray(y, ci + MFL);
    }

    /** Pixels {@code at + {0..3}*xs}, output channels {@code j..j+MFL-1}. */
    private static void forward4x1(float[] x, int at, int xs, int[] taps, float[] w, int o, float[] y, int out,
            int j) {
        FloatVector c0 = FloatVector.zero(MF), c1 = c0, c2 = c0, c3 = c0;
        int p = 0;
        int wp = j;
        do {
            int t = at + taps[p];
            FloatVector b0 = FloatVector.fromArray(MF, w, wp);
            c0 = FloatVector.broadcast(MF, x[t]).lanewise(MUL, b0).lanewise(ADD, c0);
            c1 = FloatVector.broadcast(MF, x[t + xs]).lanewise(MUL, b0).lanewise(ADD, c1);
            c2 = FloatVector.broadcast(MF, x[t + 2 * xs]).lanewise(MUL, b0).lanewise(ADD, c2);
            c3 = FloatVector.broadcast(MF, x[t + 3 * xs]).lanewise(MUL, b0).lanewise(ADD, c3);
            wp += o;
        } while (++p < taps.length);
        int ci = out + j;
        c0.intoArray(y, ci);
        c1.intoArray(y, ci + o);
        c2.intoArray(y, ci + 2 * o);
        c3.intoArray(y, ci + 3 * o);
    }

    /** Pixel {@code at}, output channels {@code j..j+MFL-1}. */
    private static void forward1x1(float[] x, int at, int[] taps, float[] w, int o, float[] y, int out, int j) {
        FloatVector c = FloatVector.zero(MF);
        int p = 0;
        int wp = j;
        do {
            FloatVector b = FloatVector.fromArray(MF, w, wp);
            c = FloatVector.broadcast(MF, x[at + taps[p]]).lanewise(MUL, b).lanewise(ADD, c);
            wp += o;
        } while (++p < taps.length);
        c.intoArray(y, out + j);
    }

    /** Output channels {@code [j0, o)} of {@code pixels} pixels from {@code at}, scalar, same order. */
    private static void forwardTail(float[] x, int at, int xs, int pixels, int[] taps, float[] w, int o, float[] y,
            int out, int j0) {
        for (int i = 0; i < pixels; i++) {
            for (int j = j0; j < o; j++) {
                float s = 0f;
                for (int p = 0; p < taps.length; p++) {
                    s += x[at + i * xs + taps[p]] * w[p * o + j];
                }
                y[out + i * o + j] = s;
            }
        }
    }

    /**
     * {@link org.norm4j.kernel.Kernels#convFilterGradient}; {@code o >= MFL}, {@code width >= 1}. The rows
     * {@code [p0, p1)} of {@code dw} are zeroed, then each block adds one row of pixels at a time (loading its
     * accumulators from {@code dw} and storing them back, which changes no bit): one loop per call, since C2 on
     * JDK 17 leaves the Vector API calls of a two-level loop nest boxed (measured: 2.4 ms against 0.14 ms on JDK
     * 25 for the demo CNN's first convolution).
     */
    static void filterGradient(float[] x, int[] rowBase, int width, int xs, int[] taps, float[] dy, int o,
            float[] dw, int p0, int p1) {
        int o2 = o - o % (2 * MFL);
        int o1 = o - o % MFL;
        java.util.Arrays.fill(dw, p0 * o, p1 * o, 0f);
        for (int r = 0; r < rowBase.length; r++) {
            int q0 = r * width * o;
            int p = p0;
            for (; p + 4 <= p1; p += 4) {
                int at = rowBase[r] + taps[p];
                int d1 = taps[p + 1] - taps[p];
                int d2 = taps[p + 2] - taps[p];
                int d3 = taps[p + 3] - taps[p];
                int j = 0;
                for (; j < o2; j += 2 * MFL) {
                    gradient4x2(x, at, d1, d2, d3, width, xs, dy, q0 + j, o, dw, p * o + j);
                }
                for (; j < o1; j += MFL) {
                    gradient4x1(x, at, d1, d2, d3, width, xs, dy, q0 + j, o, dw, p * o + j);
                }
            }
            for (; p < p1; p++) {
                int at = rowBase[r] + taps[p];
                for (int j = 0; j < o1; j += MFL) {
                    gradient1x1(x, at, width, xs, dy, q0 + j, o, dw, p * o + j);
                }
            }
        }
        ScalarKernels.convFilterGradientColumns(x, rowBase, width, xs, taps, dy, o, dw, p0, p1, o1);
    }

    /**
     * One row of {@code width} pixels (patch origins {@code at + i*xs}) into filter rows at tap offsets {@code at,
     * at + d1, at + d2, at + d3} from the origin and output channels {@code dw[ci..ci+2*MFL-1]} (and the next three
     * filter rows); {@code dy} from {@code q} with rows of {@code o}.
     */
    private static void gradient4x2(float[] x, int at, int d1, int d2, int d3, int width, int xs, float[] dy, int q,
            int o, float[] dw, int ci) {
        FloatVector c00 = FloatVector.fromArray(MF, dw, ci);
        FloatVector c01 = FloatVector.fromArray(MF, dw, ci + MFL);
        FloatVector c10 = FloatVector.fromArray(MF, dw, ci + o);
        FloatVector c11 = FloatVector.fromArray(MF, dw, ci + o + MFL);
        FloatVector c20 = FloatVector.fromArray(MF, dw, ci + 2 * o);
        FloatVector c21 = FloatVector.fromArray(MF, dw, ci + 2 * o + MFL);
        FloatVector c30 = FloatVector.fromArray(MF, dw, ci + 3 * o);
        FloatVector c31 = FloatVector.fromArray(MF, dw, ci + 3 * o + MFL);
        int i = 0;
        do {
            FloatVector e0 = FloatVector.fromArray(MF, dy, q);
            FloatVector e1 = FloatVector.fromArray(MF, dy, q + MFL);
            FloatVector v = FloatVector.broadcast(MF, x[at]);
            c00 = v.lanewise(MUL, e0).lanewise(ADD, c00);
            c01 = v.lanewise(MUL, e1).lanewise(ADD, c01);
            v = FloatVector.broadcast(MF, x[at + d1]);
            c10 = v.lanewise(MUL, e0).lanewise(ADD, c10);
            c11 = v.lanewise(MUL, e1).lanewise(ADD, c11);
            v = FloatVector.broadcast(MF, x[at + d2]);
            c20 = v.lanewise(MUL, e0).lanewise(ADD, c20);
            c21 = v.lanewise(MUL, e1).lanewise(ADD, c21);
            v = FloatVector.broadcast(MF, x[at + d3]);
            c30 = v.lanewise(MUL, e0).lanewise(ADD, c30);
            c31 = v.lanewise(MUL, e1).lanewise(ADD, c31);
            at += xs;
            q += o;
        } while (++i < width);
        c00.intoArray(dw, ci);
        c01.intoArray(dw, ci + MFL);
        ci += o;
        c10.intoArray(dw, ci);
        c11.intoArray(dw, ci + MFL);
        ci += o;
        c20.intoArray(dw, ci);
        c21.intoArray(dw, ci + MFL);
        ci += o;
        c30.intoArray(dw, ci);
        c31.intoArray(dw, ci + MFL);
    }

    /** As {@link #gradient4x2}, output channels {@code dw[ci..ci+MFL-1]}. */
    private static void gradient4x1(float[] x, int at, int d1, int d2, int d3, int width, int xs, float[] dy, int q,
            int o, float[] dw, int ci) {
        FloatVector c0 = FloatVector.fromArray(MF, dw, ci);
        FloatVector c1 = FloatVector.fromArray(MF, dw, ci + o);
        FloatVector c2 = FloatVector.fromArray(MF, dw, ci + 2 * o);
        FloatVector c3 = FloatVector.fromArray(MF, dw, ci + 3 * o);
        int i = 0;
        do {
            FloatVector e = FloatVector.fromArray(MF, dy, q);
            c0 = FloatVector.broadcast(MF, x[at]).lanewise(MUL, e).lanewise(ADD, c0);
            c1 = FloatVector.broadcast(MF, x[at + d1]).lanewise(MUL, e).lanewise(ADD, c1);
            c2 = FloatVector.broadcast(MF, x[at + d2]).lanewise(MUL, e).lanewise(ADD, c2);
            c3 = FloatVector.broadcast(MF, x[at + d3]).lanewise(MUL, e).lanewise(ADD, c3);
            at += xs;
            q += o;
        } while (++i < width);
        c0.intoArray(dw, ci);
        c1.intoArray(dw, ci + o);
        c2.intoArray(dw, ci + 2 * o);
        c3.intoArray(dw, ci + 3 * o);
    }

    /** One row of pixels into one filter row (tap origin {@code at}), output channels {@code dw[ci..ci+MFL-1]}. */
    private static void gradient1x1(float[] x, int at, int width, int xs, float[] dy, int q, int o, float[] dw,
            int ci) {
        FloatVector c = FloatVector.fromArray(MF, dw, ci);
        int i = 0;
        do {
            c = FloatVector.broadcast(MF, x[at]).lanewise(MUL, FloatVector.fromArray(MF, dy, q)).lanewise(ADD, c);
            at += xs;
            q += o;
        } while (++i < width);
        c.intoArray(dw, ci);
    }
}
