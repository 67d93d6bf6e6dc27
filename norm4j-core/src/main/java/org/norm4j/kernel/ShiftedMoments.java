package org.norm4j.kernel;

/**
 * When single-read shifted sums may replace the exact two-pass moments, and how they are turned into a mean and
 * a centred sum of squares. With a shift {@code k} taken from the data (a row's first element, a block's first
 * row), {@code S1 = sum(x - k)} and {@code S2 = sum((x - k)^2)} accumulated in double (from float32 data: each
 * {@code x - k} and its square are formed in double), the moments are {@code mean = k + S1 / n} and {@code M2 =
 * S2 - S1 * (S1 / n)}.
 *
 * <p>Error bound. With {@code u = 2^-53} and {@code g = n u / (1 - n u)}, the computed sums satisfy {@code |dS2| <=
 * g S2 + O(u) S2} (positive terms) and {@code |dS1| <= g sum|x - k| <= g sqrt(n S2)} (Cauchy-Schwarz), and
 * {@code |S1| <= sqrt(n S2)}; so {@code S1^2 / n} is off by at most about {@code 2 g S2}, and {@code |dM2| <= 3 g
 * S2 + O(u) S2}. The subtraction cancels when {@code S1^2 / n} is close to {@code S2}, i.e. when {@code k} is far
 * from the mean compared with the spread. {@link #accurate} accepts the shifted sums only when {@code S1^2 / n <=
 * (15/16) S2}, i.e. {@code M2 >= S2 / 16}, which bounds the relative error of {@code M2} by {@code 48 g + O(u)}:
 * below {@code 6e-9} for {@code n <= 2^20}, a tenth of a float32 ulp (and in practice, with errors adding like a
 * random walk, near the two-pass result's own few double ulps). Otherwise (and when {@code S2} is not finite: NaN
 * or infinite data) the caller must fall back to the exact two-pass computation. The test is a function of the
 * data only, so the choice, and therefore every bit of the result, is deterministic. For Gaussian data and
 * {@code k} one of its values the fallback runs when {@code |k - mean| > sqrt(15) std}, about once in 10 000
 * rows; for data whose mean is far larger than its spread ({@code k} is a data value, so {@code S1} stays of the
 * order of the spread) it does not run at all.
 */
public final class ShiftedMoments {
    private ShiftedMoments() {
    }

    /** Whether {@code s1}, {@code s2} over {@code n} values give {@link #m2} within the bound above. */
    public static boolean accurate(double s1, double s2, long n) {
        return s2 < Double.POSITIVE_INFINITY && 16 * (s1 * s1) <= 15 * (n * s2);
    }

    /** {@code k + S1 / n}. */
    public static double mean(double shift, double s1, long n) {
        return shift + s1 / n;
    }

    /** {@code S2 - S1 * (S1 / n)}; never negative when {@link #accurate} holds. */
    public static double m2(double s1, double s2, long n) {
        return s2 - s1 * (s1 / n);
    }
}
