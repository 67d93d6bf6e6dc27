package org.norm4j.ops;

import org.norm4j.DType;
import org.norm4j.Tensor;

/**
 * The per-channel arithmetic of batch normalization, shared by TensorFlow's raw op ({@link Nn#fusedBatchNorm},
 * {@link Nn#fusedBatchNormGrad}) and the Keras layer's fused ops ({@link BatchNorms}): the batch statistics from
 * the moments, the constants of the normalize pass and of the backward pass. For float32 data every constant is
 * rounded to float32 in TensorFlow's order (e.g. {@code rsqrt(var + eps) * scale}); for float64 data nothing is
 * rounded. The passes over the data themselves are {@link org.norm4j.kernel.Reduce} and
 * {@link org.norm4j.kernel.Channels}.
 */
final class ChannelNorm {
    final boolean f32;

    ChannelNorm(DType dtype) {
        this.f32 = dtype == DType.FLOAT32;
    }

    /** {@code v} rounded to the data's precision. */
    double round(double v) {
        return f32 ? (float) v : v;
    }

    /** A per-channel tensor's values in double (an op's scratch: {@link Tensor#newDoubles}). */
    static double[] doubles(Tensor t) {
        double[] out = Tensor.newDoubles(t.size());
        if (t.dtype() == DType.FLOAT32) {
            float[] f = t.rawFloats();
            for (int i = 0; i < out.length; i++) {
                out[i] = f[i];
            }
        } else {
            System.arraycopy(t.rawDoubles(), 0, out, 0, out.length);
        }
        return out;
    }

    /** The per-channel values as the data's element type (a new float[] for float32, else {@code v}). */
    Object array(double[] v) {
        if (!f32) {
            return v;
        }
        float[] out = Tensor.newFloats(v.length);
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    /**
     * The batch statistics TensorFlow's kernel uses: {@code mu = round(mean)}, the biased {@code var =
     * round(m2 / n)}, from {@code moments = {mean, centred sum of squares}} in double.
     */
    void batchStatistics(double[][] moments, long n, double[] mu, double[] var) {
        for (int i = 0; i < mu.length; i++) {
            mu[i] = round(moments[0][i]);
            var[i] = round(moments[1][i] / n);
        }
    }

    /**
     * The constants of {@code y = (x - mu) * factor + shift}: {@code factor = round(round(rsqrt(round(var + eps)))
     * * gamma)} (gamma null: no product) and {@code shift = beta} (null: 0), or, with {@code exactMean}, {@code shift
     * = round(beta - (exactMean - mu) * factor)}: the part of the exact mean that the rounded {@code mu} misses,
     * folded into the addend, so that {@code x - mu} stays exact near the mean (Sterbenz) and the output accurate
     * on data with a large offset.
     */
    void normalizeConstants(double[] mu, double[] var, double epsilon, double[] gamma, double[] beta,
            double[] exactMean, double[] factor, double[] shift) {
        double epsR = round(epsilon);
        for (int i = 0; i < mu.length; i++) {
            double rs = round(1.0 / Math.sqrt(round(var[i] + epsR)));
            factor[i] = gamma == null ? rs : round(rs * gamma[i]);
            double b = beta == null ? 0.0 : beta[i];
            shift[i] = exactMean == null ? b : round(b - (exactMean[i] - mu[i]) * factor[i]);
        }
    }

    /** {@code 1 / sqrt(var + round(eps))} in double: the backward passes' inverse standard deviation. */
    double[] inverseStd(double[] var, double epsilon) {
        double epsR = round(epsilon);
        double[] inv = Tensor.newDoubles(var.length);
        for (int i = 0; i < var.length; i++) {
            inv[i] = 1.0 / Math.sqrt(var[i] + epsR);
        }
        return inv;
    }

    /**
     * The constants of the training backward {@code dx = (dy - cc) * a + (x - mu) * b}, in double: {@code a = gamma
     * r}, {@code b = -gamma r^3 sum(dy (x - c)) / n + 2 dvar / n} and {@code cc = sum(dy) / n} (without {@code
     * training}, or for an empty batch, {@code b = cc = 0}: the inference gradient), and {@code dgamma = sum(dy (x -
     * c)) r}; {@code c} is the centre the sums were taken about. With {@code exactMean} ({@code c}) differing from
     * the rounded {@code mu} the kernel subtracts, {@code (x - exactMean) * b = (x - mu) * b - delta * b} is folded
     * into {@code cc}.
     *
     * @param gamma per channel, or null for 1
     * @param gVar the upstream gradient of the returned variance, or null
     * @param exactMean the centre of the sums when it is not {@code mu}, else null
     */
    static void backwardConstants(double[] gamma, double[] inv, double[] sumDy, double[] sumDyXc, long n,
            boolean training, double[] gVar, double[] exactMean, double[] mu, double[] a, double[] b, double[] cc,
            double[] dGamma) {
        for (int i = 0; i < inv.length; i++) {
            double gi = gamma == null ? 1.0 : gamma[i];
            double rs = inv[i];
            a[i] = gi * rs;
            dGamma[i] = sumDyXc[i] * rs;
            if (training && n > 0) {
                double bi = -gi * rs * rs * rs * sumDyXc[i] / n;
                b[i] = gVar == null ? bi : bi + 2 * gVar[i] / n;
                cc[i] = sumDy[i] / n;
                if (exactMean != null) {
                    cc[i] += a[i] == 0 ? 0 : (exactMean[i] - mu[i]) * b[i] / a[i];
                }
            }
        }
    }
}
