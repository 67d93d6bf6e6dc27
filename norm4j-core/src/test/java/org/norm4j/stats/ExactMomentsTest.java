package org.norm4j.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Exactly rounded sums and moments: against BigDecimal truth, and identical bits over orders and splits. */
class ExactMomentsTest {
    private static final MathContext WIDE = new MathContext(400);

    private static double[] offsetNormal(long seed, int n, double offset) {
        Random r = new Random(seed);
        double[] x = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = offset + r.nextGaussian();
        }
        return x;
    }

    private static BigDecimal exactSum(double[] x) {
        BigDecimal s = BigDecimal.ZERO;
        for (double v : x) {
            s = s.add(new BigDecimal(v));
        }
        return s;
    }

    private static BigDecimal exactSumSq(double[] x) {
        BigDecimal s = BigDecimal.ZERO;
        for (double v : x) {
            BigDecimal b = new BigDecimal(v);
            s = s.add(b.multiply(b));
        }
        return s;
    }

    /** The truth: mean = S1 / n and variance = (n S2 - S1^2) / (n (n - ddof)) in 400-digit decimal. */
    private static double[] truth(double[] x, int ddof) {
        BigDecimal n = BigDecimal.valueOf(x.length);
        BigDecimal s1 = exactSum(x);
        BigDecimal s2 = exactSumSq(x);
        double mean = s1.divide(n, WIDE).doubleValue();
        double var = n.multiply(s2).subtract(s1.multiply(s1))
                .divide(n.multiply(BigDecimal.valueOf(x.length - ddof)), WIDE).doubleValue();
        return new double[] {mean, var};
    }

    @Test
    void illConditionedMeanAndVarianceAreExactlyRounded() {
        double[] x = offsetNormal(11, 20_000, 1e9);
        ExactMoments m = new ExactMoments(1).update(x, x.length);
        for (int ddof = 0; ddof <= 1; ddof++) {
            double[] t = truth(x, ddof);
            assertEquals(t[0], m.mean()[0], 0.0, "mean");
            assertEquals(t[1], m.variance(ddof)[0], 0.0, "variance ddof=" + ddof);
        }
        // the naive float64 formula is far off here; the exact one is not
        assertTrue(Math.abs(m.variance(0)[0] - 1) < 0.05, "variance of N(0,1) near 1: " + m.variance(0)[0]);
    }

    @Test
    void sumIsCorrectlyRoundedIncludingTiesAndCancellation() {
        assertEquals(1.0, new ExactSum().add(1).add(0x1p-53).doubleValue(), 0.0, "tie to even");
        assertEquals(1 + 0x1p-52, new ExactSum().add(1).add(0x1p-53).add(0x1p-105).doubleValue(), 0.0,
                "just above the tie");
        assertEquals(1 + 0x1p-52, new ExactSum().add(1 + 0x1p-52).add(0x1p-53).add(-0x1p-53).doubleValue(), 0.0);
        assertEquals(1.0, new ExactSum().add(1e308).add(1).add(-1e308).doubleValue(), 0.0, "cancellation");
        assertEquals(Double.MIN_VALUE, new ExactSum().add(Double.MIN_VALUE).add(1e300).add(-1e300).doubleValue(),
                0.0, "subnormal survives");
        assertEquals(Double.POSITIVE_INFINITY, new ExactSum().add(Double.MAX_VALUE).add(Double.MAX_VALUE)
                .doubleValue(), 0.0, "overflow rounds to infinity");
        assertEquals(Double.MAX_VALUE, new ExactSum().add(Double.MAX_VALUE).add(Double.MAX_VALUE)
                .add(-Double.MAX_VALUE).doubleValue(), 0.0, "no intermediate overflow");
        assertTrue(Double.isNaN(new ExactSum().add(Double.POSITIVE_INFINITY).add(Double.NEGATIVE_INFINITY)
                .doubleValue()));
        assertEquals(Double.NEGATIVE_INFINITY, new ExactSum().add(Double.NEGATIVE_INFINITY).add(5).doubleValue());
        assertEquals(-0.1, new ExactSum().add(-0.1).doubleValue(), 0.0);
        ExactSum tenth = new ExactSum();
        for (int i = 0; i < 10; i++) {
            tenth.add(0.1);
        }
        assertEquals(1.0, tenth.doubleValue(), 0.0, "ten times 0.1 rounded once is 1 (a float64 loop gives 1 - 2^-53)");
    }

    @Test
    void squaresOfHugeAndTinyValuesAreExact() {
        double[] x = {1e200, -1e200, 3e-170, 1.5, Double.MIN_VALUE, -7.25e150};
        ExactMoments m = new ExactMoments(1).update(x, x.length);
        double[] t = truth(x, 0);
        assertEquals(t[0], m.mean()[0], 0.0);
        assertEquals(t[1], m.variance(0)[0], 0.0, "variance beyond the double range in the squares");
    }

    @Test
    void randomSumsMatchBigDecimal() {
        Random r = new Random(5);
        for (int trial = 0; trial < 200; trial++) {
            double[] x = new double[1 + r.nextInt(50)];
            for (int i = 0; i < x.length; i++) {
                x[i] = (r.nextBoolean() ? -1 : 1) * r.nextDouble() * Math.pow(2, r.nextInt(200) - 100);
            }
            ExactSum s = new ExactSum();
            for (double v : x) {
                s.add(v);
            }
            assertEquals(exactSum(x).doubleValue(), s.doubleValue(), 0.0, "trial " + trial);
            assertEquals(exactSum(x).divide(BigDecimal.valueOf(x.length), WIDE).doubleValue(),
                    s.divide(x.length), 0.0, "mean, trial " + trial);
        }
    }

    @Test
    void identicalBitsForAnyOrderAndAnySplit() {
        double[] x = offsetNormal(3, 5_000, 1e9);
        for (int i = 0; i < x.length; i += 97) {
            x[i] = Double.NaN;
        }
        ExactMoments whole = new ExactMoments(1).update(x, x.length);
        Random r = new Random(17);
        for (int trial = 0; trial < 20; trial++) {
            double[] p = x.clone();
            for (int i = p.length - 1; i > 0; i--) {
                int k = r.nextInt(i + 1);
                double t = p[i];
                p[i] = p[k];
                p[k] = t;
            }
            int parts = 1 + r.nextInt(16);
            List<ExactMoments> pieces = new ArrayList<>();
            int from = 0;
            for (int k = 0; k < parts; k++) {
                int to = k == parts - 1 ? p.length : from + r.nextInt(p.length - from + 1);
                ExactMoments e = new ExactMoments(1);
                for (int i = from; i < to; i++) {
                    e.add(0, p[i]);
                }
                pieces.add(e);
                from = to;
            }
            while (pieces.size() > 1) { // merge in a random tree
                ExactMoments a = pieces.remove(r.nextInt(pieces.size()));
                ExactMoments b = pieces.remove(r.nextInt(pieces.size()));
                pieces.add(a.merge(b));
            }
            ExactMoments merged = pieces.get(0);
            assertEquals(Double.doubleToRawLongBits(whole.mean()[0]), Double.doubleToRawLongBits(merged.mean()[0]));
            assertEquals(Double.doubleToRawLongBits(whole.variance(1)[0]),
                    Double.doubleToRawLongBits(merged.variance(1)[0]));
            assertEquals(whole.counts()[0], merged.counts()[0]);
            assertEquals(whole.min()[0], merged.min()[0], 0.0);
            assertEquals(whole.max()[0], merged.max()[0], 0.0);
        }
        assertEquals(x.length - (x.length + 96) / 97, whole.counts()[0], "NaN ignored");
    }

    @Test
    void nanPoliciesAndEdgeCases() {
        ExactMoments ignore = new ExactMoments(2).update(new double[] {1, Double.NaN}).update(new double[] {3, 4});
        assertEquals(2.0, ignore.mean()[0], 0.0);
        assertEquals(4.0, ignore.mean()[1], 0.0);
        assertEquals(1, ignore.counts()[1]);
        assertTrue(Double.isNaN(ignore.variance(1)[1]), "one value, ddof 1: NaN");
        ExactMoments propagate = new ExactMoments(2, NanPolicy.PROPAGATE)
                .update(new double[] {1, Double.NaN}).update(new double[] {3, 4});
        assertTrue(Double.isNaN(propagate.mean()[1]) && Double.isNaN(propagate.max()[1]));
        assertEquals(1.0, propagate.variance(0)[0], 0.0);
        assertTrue(Double.isNaN(new ExactMoments(1).mean()[0]), "no values: NaN mean");
        assertThrows(IllegalArgumentException.class, () -> new ExactMoments(0));
        assertThrows(IllegalArgumentException.class, () -> ignore.variance(-1));
        assertThrows(IllegalArgumentException.class, () -> ignore.update(new double[3]));
        assertThrows(IllegalArgumentException.class, () -> ignore.merge(new ExactMoments(2, NanPolicy.PROPAGATE)));
    }

    @Test
    void agreesWithStreamingMomentsToRounding() {
        double[] x = offsetNormal(9, 3_000, 0.5);
        ExactMoments e = new ExactMoments(1).update(x, x.length);
        StreamingMoments s = new StreamingMoments(1);
        s.update(x, x.length);
        assertEquals(s.mean()[0], e.mean()[0], 1e-13 * e.mean()[0], "float64 running mean within rounding");
        assertEquals(s.variance(0)[0], e.variance(0)[0], 1e-13 * e.variance(0)[0]);
    }

    @Test
    void toStreamingMomentsKeepsTheBitsAndTheEmptyFeatureConvention() {
        ExactMoments e = new ExactMoments(3, NanPolicy.IGNORE);
        e.update(new double[] {1e9 + 0.5, 2, Double.NaN}).update(new double[] {1e9 + 1.25, Double.NaN, Double.NaN});
        StreamingMoments s = e.toStreamingMoments();
        assertEquals(2, s.count());
        assertEquals(List.of(2L, 1L, 0L), List.of(s.counts()[0], s.counts()[1], s.counts()[2]));
        assertEquals(1e9 + 0.875, s.mean()[0], 0.0);
        assertEquals(0.28125, s.m2()[0], 0.0); // (0.375^2) * 2, exact
        assertEquals(2.0, s.mean()[1], 0.0);
        assertTrue(Double.isNaN(s.mean()[2]), "a feature without values has a NaN mean");
        assertEquals(Double.POSITIVE_INFINITY, s.state().min()[2], 0.0);
        assertEquals(Double.NEGATIVE_INFINITY, s.state().max()[2], 0.0);
        ExactMoments p = new ExactMoments(1, NanPolicy.PROPAGATE);
        p.update(new double[] {1}).update(new double[] {Double.NaN});
        StreamingMoments ps = p.toStreamingMoments();
        assertEquals(2, ps.counts()[0]);
        assertTrue(Double.isNaN(ps.mean()[0]), "NaN propagates");
    }
}
