package org.norm4j.autodiff;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.norm4j.Tensor;
import org.norm4j.ops.Convolutions;
import org.norm4j.ops.DataFormat;
import org.norm4j.ops.Padding;
import org.norm4j.ops.Pools;

/**
 * Finite-difference checks (float64, {@link GradCheck}) of conv2d, its two backward ops (through their own tape
 * entries: second-order use), and pooling, on seeded random geometries: strides, dilations, groups, all paddings,
 * both layouts. The assertions live in {@link GradCheck#check} (analytic vs central differences, stated tolerance).
 */
class ConvolutionsGradTest {
    private static Padding padding(Random rnd) {
        int kind = rnd.nextInt(3);
        return kind == 0 ? Padding.VALID : kind == 1 ? Padding.SAME
                : Padding.explicit(rnd.nextInt(2), rnd.nextInt(2), rnd.nextInt(2), rnd.nextInt(2));
    }

    @Test
    void conv2dAndItsBackwardOps() {
        Random rnd = new Random(131);
        for (int t = 0; t < 16; t++) {
            int groups = 1 + rnd.nextInt(2);
            int c = groups * (1 + rnd.nextInt(2));
            int o = groups * (1 + rnd.nextInt(2));
            int[] s = {1 + rnd.nextInt(2), 1 + rnd.nextInt(2)};
            int[] d = {1 + rnd.nextInt(2), 1};
            Padding p = padding(rnd);
            DataFormat f = rnd.nextBoolean() ? DataFormat.NHWC : DataFormat.NCHW;
            int h = 4 + rnd.nextInt(3);
            int w = 4 + rnd.nextInt(3);
            Tensor x = f == DataFormat.NHWC ? GradCheck.normal(rnd, 2, h, w, c) : GradCheck.normal(rnd, 2, c, h, w);
            Tensor k = GradCheck.normal(rnd, 2, 1 + rnd.nextInt(3), c / groups, o);
            String name = "conv2d " + x.shape() + " " + k.shape() + " " + p + " " + f + " s" + s[0] + s[1] + " d"
                    + d[0];
            GradCheck.check(name, in -> Convolutions.conv2d(in[0], in[1], s, p, f, d), x, k);
            Tensor y = Convolutions.conv2d(x, k, s, p, f, d);
            Tensor dy = GradCheck.normal(rnd, y.shape().dims());
            int[] xs = x.shape().dims();
            int[] ks = k.shape().dims();
            GradCheck.check(name + " backprop input", in -> Convolutions.conv2dBackpropInput(xs, in[0], in[1], s, p,
                    f, d), k, dy);
            GradCheck.check(name + " backprop filter", in -> Convolutions.conv2dBackpropFilter(in[0], ks, in[1], s,
                    p, f, d), x, dy);
        }
    }

    @Test
    void zeroPadding() {
        Random rnd = new Random(133);
        Tensor x = GradCheck.normal(rnd, 2, 3, 4, 2);
        int[][] p = {{0, 0}, {1, 2}, {0, 3}, {0, 0}};
        GradCheck.check("pad", in -> org.norm4j.ops.Manipulation.pad(in[0], p), x);
        GradCheck.checkSecondOrder("pad", v -> org.norm4j.ops.Manipulation.pad(v, p).square(), x, 1e-6, 1e-8);
    }

    @Test
    void pooling() {
        Random rnd = new Random(132);
        for (int t = 0; t < 12; t++) {
            int[] k = {1 + rnd.nextInt(3), 1 + rnd.nextInt(3)};
            int[] s = {1 + rnd.nextInt(2), 1 + rnd.nextInt(2)};
            Padding p = rnd.nextBoolean() ? Padding.VALID : Padding.SAME;
            DataFormat f = rnd.nextBoolean() ? DataFormat.NHWC : DataFormat.NCHW;
            // distinct values: a finite difference cannot move the maximum to another position
            Tensor x = GradCheck.normal(rnd, 2, 3 + rnd.nextInt(4), 3 + rnd.nextInt(4), 2);
            if (f == DataFormat.NCHW) {
                x = x.transpose(0, 3, 1, 2);
            }
            String name = "pool " + x.shape() + " k" + k[0] + k[1] + " s" + s[0] + s[1] + " " + p + " " + f;
            GradCheck.check("max" + name, in -> Pools.maxPool2d(in[0], k, s, p, f), x);
            GradCheck.check("avg" + name, in -> Pools.avgPool2d(in[0], k, s, p, f), x);
            GradCheck.check("global avg" + name, in -> Pools.globalAvgPool2d(in[0], f, false), x);
            GradCheck.check("global max" + name, in -> Pools.globalMaxPool2d(in[0], f, true), x);
            GradCheck.checkSecondOrder("avg" + name, v -> Pools.avgPool2d(v, k, s, p, f).square(), x, 1e-6, 1e-8);
            GradCheck.checkSecondOrder("max" + name, v -> Pools.maxPool2d(v, k, s, p, f).square(), x, 1e-6, 1e-8);
        }
    }
}
