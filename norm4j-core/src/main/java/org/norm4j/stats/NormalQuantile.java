package org.norm4j.stats;

/**
 * The standard normal quantile function {@code Phi^-1(p)} (scipy's {@code stats.norm.ppf}), by Wichura's
 * algorithm AS 241 ({@code PPND16}, Applied Statistics 37, 1988), accurate to about 1 part in 10^16. Used by
 * the robust scaler's {@code unit_variance}.
 */
final class NormalQuantile {
    private NormalQuantile() {
    }

    /** {@code Phi^-1(p)}: -Infinity at 0, +Infinity at 1, NaN outside [0, 1]. */
    static double ppf(double p) {
        if (!(p >= 0 && p <= 1)) {
            return Double.NaN;
        }
        if (p == 0) {
            return Double.NEGATIVE_INFINITY;
        }
        if (p == 1) {
            return Double.POSITIVE_INFINITY;
        }
        double q = p - 0.5;
        if (Math.abs(q) <= 0.425) {
            double r = 0.180625 - q * q;
            return q * poly(r, A) / poly(r, B);
        }
        double r = Math.sqrt(-Math.log(q < 0 ? p : 1 - p));
        double v;
        if (r <= 5) {
            r -= 1.6;
            v = poly(r, C) / poly(r, D);
        } else {
            r -= 5;
            v = poly(r, E) / poly(r, F);
        }
        return q < 0 ? -v : v;
    }

    /** Horner's rule, coefficients from the highest power down. */
    private static double poly(double r, double[] c) {
        double v = c[0];
        for (int i = 1; i < c.length; i++) {
            v = v * r + c[i];
        }
        return v;
    }

    private static final double[] A = {2509.0809287301226727, 33430.575583588128105, 67265.770927008700853,
        45921.953931549871457, 13731.693765509461125, 1971.5909503065514427, 133.14166789178437745,
        3.387132872796366608};
    private static final double[] B = {5226.495278852545925, 28729.085735721942674, 39307.89580009271061,
        21213.794301586595867, 5394.1960214247511077, 687.1870074920579083, 42.313330701600911252, 1.0};
    private static final double[] C = {7.7454501427834140764e-4, .0227238449892691845833, .24178072517745061177,
        1.27045825245236838258, 3.64784832476320460504, 5.7694972214606914055, 4.6303378461565452959,
        1.42343711074968357734};
    private static final double[] D = {1.05075007164441684324e-9, 5.475938084995344946e-4, .0151986665636164571966,
        .14810397642748007459, .68976733498510000455, 1.6763848301838038494, 2.05319162663775882187, 1.0};
    private static final double[] E = {2.01033439929228813265e-7, 2.71155556874348757815e-5,
        .0012426609473880784386, .026532189526576123093, .29656057182850489123, 1.7848265399172913358,
        5.4637849111641143699, 6.6579046435011037772};
    private static final double[] F = {2.04426310338993978564e-15, 1.4215117583164458887e-7,
        1.8463183175100546818e-5, 7.868691311456132591e-4, .0148753612908506148525, .13692988092273580531,
        .59983220655588793769, 1.0};
}
