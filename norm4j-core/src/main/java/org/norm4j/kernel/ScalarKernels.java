package org.norm4j.kernel;

/**
 * The reference kernels: plain Java loops, always available. The Vector API kernels are tested against
 * these. Elementwise float32 arithmetic is done in float (as TensorFlow does); transcendental functions
 * go through the double-precision {@link Math} functions and are rounded once.
 *
 * <p>The loops are written once, for float, in {@code FloatScalarKernels} (src/main/templates); its double
 * twin {@code DoubleScalarKernels}, generated at build time, extends it, and this class adds the kernels whose
 * float and double versions differ.
 */
public class ScalarKernels extends DoubleScalarKernels {

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void shiftedSums(float[] x, int off, int n, double shift, double[] out, int oo) {
        double s = 0;
        double q = 0;
        for (int i = 0; i < n; i++) {
            double d = x[off + i] - shift;
            s += d;
            q = Math.fma(d, d, q);
        }
        out[oo] = s;
        out[oo + 1] = q;
    }

    @Override
    public void normalizeRowAffine(float[] x, int off, int n, float mean, float inv, float residual,
            float[] gamma, float[] beta, float[] y) {
        for (int i = 0; i < n; i++) {
            float a = gamma == null ? inv : inv * gamma[i];
            float ra = residual * a;
            float b = (beta == null ? 0f : beta[i]) - ra;
            float xc = x[off + i] - mean;
            float xa = xc * a;
            y[off + i] = xa + b;
        }
    }

    @Override
    public void normalizeRowAffine(double[] x, int off, int n, double mean, double inv, double[] gamma,
            double[] beta, double[] y) {
        for (int i = 0; i < n; i++) {
            double a = gamma == null ? inv : inv * gamma[i];
            double b = beta == null ? 0.0 : beta[i];
            y[off + i] = (x[off + i] - mean) * a + b;
        }
    }

}
