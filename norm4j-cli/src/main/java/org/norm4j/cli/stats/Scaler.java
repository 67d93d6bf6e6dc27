package org.norm4j.cli.stats;

import org.norm4j.stats.ZeroVariancePolicy;

/**
 * Applies (or undoes) saved statistics to one row at a time, in float64. For each fitted feature {@code j}
 * there is an offset {@code o} and a spread {@code s}:
 *
 * <ul>
 *   <li>standard: {@code o = mean}, {@code s = sqrt(variance)}; forward {@code (x - o) / max(s, 1e-7)}, inverse
 *       {@code o + y * max(s, 1e-7)}, exactly the formulas of Keras's {@code Normalization} (and of
 *       {@code org.norm4j.layers.Normalization}).</li>
 *   <li>minmax: {@code o = min}, {@code s = max - min}; forward {@code (x - o) / s}, inverse {@code o + y * s}.</li>
 *   <li>maxabs: {@code o = 0}, {@code s = max(|min|, |max|)}; forward {@code x / s}, inverse {@code y * s}.</li>
 * </ul>
 *
 * <p>Where the spread is exactly 0, the policy decides: {@code keras} divides by {@code 1e-7} (the floor),
 * {@code sklearn} divides by 1, {@code spark} outputs 0 for standard and maxabs ({@code (x - o) * 0}) and 0.5
 * for minmax (the middle of [0, 1]), and its inverse gives back the offset ({@code o + y * 0}). The floor
 * {@code 1e-7} applies to the standard method only, as in Keras.
 */
public final class Scaler {
    /** Keras's {@code backend.epsilon()}: the floor of the standard deviation in {@code Normalization}. */
    public static final double EPSILON = 1e-7;

    private final double[] offset;
    private final double[] divisor;
    private final byte[] mode;
    private final boolean invert;

    private static final byte NORMAL = 0;
    private static final byte ZERO = 1;
    private static final byte HALF = 2;

    private Scaler(double[] offset, double[] divisor, byte[] mode, boolean invert) {
        this.offset = offset;
        this.divisor = divisor;
        this.mode = mode;
        this.invert = invert;
    }

    /** The scaler of a stats file, forward or ({@code invert}) inverse. */
    public static Scaler of(StatsFile stats, boolean invert) {
        int f = stats.features();
        double[] o = new double[f];
        double[] d = new double[f];
        byte[] m = new byte[f];
        double[] mean = stats.mean();
        double[] var = stats.variance();
        double[] min = stats.min();
        double[] max = stats.max();
        ZeroVariancePolicy policy = stats.policy();
        for (int j = 0; j < f; j++) {
            double spread;
            switch (stats.method()) {
                case STANDARD:
                    o[j] = mean[j];
                    spread = Math.sqrt(var[j]);
                    break;
                case MINMAX:
                    o[j] = min[j];
                    spread = max[j] - min[j];
                    break;
                default:
                    o[j] = 0;
                    spread = Math.max(Math.abs(min[j]), Math.abs(max[j]));
                    break;
            }
            if (spread == 0) {
                switch (policy) {
                    case KERAS:
                        d[j] = EPSILON;
                        break;
                    case SKLEARN:
                        d[j] = 1;
                        break;
                    default:
                        m[j] = stats.method() == Method.MINMAX ? HALF : ZERO;
                        d[j] = 1;
                        break;
                }
            } else {
                d[j] = stats.method() == Method.STANDARD ? Math.max(spread, EPSILON) : spread;
            }
        }
        return new Scaler(o, d, m, invert);
    }

    /** The number of features. */
    public int features() {
        return offset.length;
    }

    /** Transforms the value {@code x} of feature {@code j}. */
    public double apply(int j, double x) {
        if (mode[j] == NORMAL) {
            return invert ? offset[j] + x * divisor[j] : (x - offset[j]) / divisor[j];
        }
        if (invert) {
            return offset[j] + x * 0.0; // the offset, NaN for an infinite or NaN x (as the layer's mean + x * 0)
        }
        return mode[j] == HALF ? 0.5 : (x - offset[j]) * 0.0;
    }
}
