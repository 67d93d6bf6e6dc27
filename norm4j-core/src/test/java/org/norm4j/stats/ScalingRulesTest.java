package org.norm4j.stats;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scaling rules of org.norm4j.stats against hand-computed values and scipy/NumPy figures. */
class ScalingRulesTest {
    @Test
    void sklearnConstantFeatureTestAllowsForRounding() {
        // var <= n * eps * var + (n * mean * eps)^2: with mean 1e9 and n 10, the bound is about 4.9e-12
        assertTrue(ZeroVariancePolicy.isConstantFeature(1e-12, 1e9, 10));
        assertFalse(ZeroVariancePolicy.isConstantFeature(1e-11, 1e9, 10));
        assertTrue(ZeroVariancePolicy.isConstantFeature(0, 0, 5));
        assertFalse(ZeroVariancePolicy.isConstantFeature(6.25e-16, 2.5e-8, 4)); // a tiny but real spread
        assertEquals(2.5e-8, ZeroVariancePolicy.SKLEARN.standardDivisor(6.25e-16, 2.5e-8, 4));
        assertEquals(1e-7, ZeroVariancePolicy.KERAS.standardDivisor(6.25e-16, 2.5e-8, 4));
        assertEquals(1.0, ZeroVariancePolicy.SKLEARN.standardDivisor(0, 3, 4));
        assertEquals(0.0, ZeroVariancePolicy.SPARK.standardDivisor(0, 3, 4));
        assertEquals(1.0, ZeroVariancePolicy.SKLEARN.spreadDivisor(1e-15)); // < 10 * eps
        assertEquals(3e-15, ZeroVariancePolicy.SKLEARN.spreadDivisor(3e-15));
    }

    @Test
    void normalQuantileMatchesScipy() {
        assertEquals(0.6744897501960817, NormalQuantile.ppf(0.75), 0);
        assertEquals(-1.2815515655446004, NormalQuantile.ppf(0.1), 5e-16); // 2 ulps from scipy's ndtri
        assertEquals(2.3263478740408408, NormalQuantile.ppf(0.99), 4e-16);
        assertEquals(4.753424308817087, NormalQuantile.ppf(0.999999), 2e-15);
        assertEquals(-9.262340089798409, NormalQuantile.ppf(1e-20), 4e-15);
        assertEquals(0.0, NormalQuantile.ppf(0.5));
    }

    @Test
    void standardWithoutMeanOrStdAndInverse() {
        FeatureScaler s = FeatureScaler.standard(new double[] {2, 10}, new double[] {4, 0}, new long[] {3, 3}, true,
                true, ZeroVariancePolicy.SKLEARN);
        assertEquals(0.5, s.apply(0, 3));
        assertEquals(-1.0, s.apply(1, 9)); // constant: scale 1, centred
        assertEquals(3.0, s.invert(0, 0.5));
        FeatureScaler noMean = FeatureScaler.standard(new double[] {2}, new double[] {4}, new long[] {3}, false,
                true, ZeroVariancePolicy.KERAS);
        assertEquals(1.5, noMean.apply(0, 3));
        FeatureScaler noStd = FeatureScaler.standard(new double[] {2}, new double[] {4}, new long[] {3}, true,
                false, ZeroVariancePolicy.KERAS);
        assertEquals(1.0, noStd.apply(0, 3));
        assertTrue(Double.isNaN(s.apply(0, Double.NaN)));
        FeatureScaler spark = FeatureScaler.standard(new double[] {5}, new double[] {0}, new long[] {3}, true, true,
                ZeroVariancePolicy.SPARK);
        assertEquals(0.0, spark.apply(0, 9));
        assertEquals(5.0, spark.invert(0, 1));
    }

    @Test
    void minMaxWithRangeAndClip() {
        FeatureScaler s = FeatureScaler.minMax(new double[] {0, 4}, new double[] {10, 4}, -1, 1, true,
                ZeroVariancePolicy.SKLEARN);
        assertEquals(0.0, s.apply(0, 5));
        assertEquals(1.0, s.apply(0, 30)); // clipped
        assertEquals(-1.0, s.apply(0, -3));
        assertEquals(5.0, s.invert(0, 0));
        assertEquals(-1.0, s.apply(1, 4)); // constant: range 1, x * 2 + (-1 - 4 * 2)
        assertThrows(IllegalArgumentException.class, () -> FeatureScaler.minMax(new double[] {0},
                new double[] {1}, 1, 1, false, ZeroVariancePolicy.SKLEARN));
        FeatureScaler spark = FeatureScaler.minMax(new double[] {4}, new double[] {4}, 0, 1, false,
                ZeroVariancePolicy.SPARK);
        assertEquals(0.5, spark.apply(0, 7));
    }

    @Test
    void robustWithUnitVariance() {
        FeatureScaler s = FeatureScaler.robust(new double[] {1}, new double[] {0}, new double[] {2},
                new double[] {25, 75}, true, true, true, ZeroVariancePolicy.SKLEARN);
        // scale = 2 / (2 * 0.6744897501960817)
        assertEquals(2 / 1.3489795003921634, s.scale()[0], 1e-15);
        assertEquals(1.3489795003921634, s.apply(0, 3), 1e-15);
        assertThrows(IllegalArgumentException.class, () -> FeatureScaler.checkQuantileRange(new double[] {75, 25}));
    }

    @Test
    void exactQuantilesFollowNumpyLinear() {
        ExactQuantiles q = new ExactQuantiles(1, NanPolicy.IGNORE);
        q.update(new double[] {4, 1, Double.NaN, 3, 2}, 5);
        // numpy: np.nanpercentile([4, 1, nan, 3, 2], [25, 75, 10]) = [1.75, 3.25, 1.3]; nanmedian = 2.5
        assertEquals(1.75, q.percentile(0, 25));
        assertEquals(3.25, q.percentile(0, 75));
        assertEquals(1.3, q.percentile(0, 10), 1e-15);
        assertEquals(2.5, q.median(0));
        assertArrayEquals(new long[] {4}, q.counts());
        ExactQuantiles p = new ExactQuantiles(1, NanPolicy.PROPAGATE);
        p.update(new double[] {1, Double.NaN}, 2);
        assertTrue(Double.isNaN(p.median(0)));
    }

    @Test
    void ignoringNaNCountsPerFeatureAndMergesInAnyOrder() {
        Random rnd = new Random(11);
        double[] data = new double[300 * 3];
        for (int i = 0; i < data.length; i++) {
            data[i] = rnd.nextDouble() < 0.1 ? Double.NaN : 1000 + rnd.nextGaussian();
        }
        StreamingMoments whole = new StreamingMoments(3, NanPolicy.IGNORE).update(data, 300);
        StreamingMoments a = new StreamingMoments(3, NanPolicy.IGNORE).update(java.util.Arrays.copyOf(data, 300), 100);
        StreamingMoments b = new StreamingMoments(3, NanPolicy.IGNORE)
                .update(java.util.Arrays.copyOfRange(data, 300, 900), 200);
        StreamingMoments ab = StreamingMoments.fromState(a.state()).merge(b);
        StreamingMoments ba = StreamingMoments.fromState(b.state()).merge(a);
        long nonMissing = 0;
        for (int i = 0; i < 300; i++) {
            nonMissing += Double.isNaN(data[i * 3]) ? 0 : 1;
        }
        assertEquals(nonMissing, whole.counts()[0]);
        assertEquals(300, whole.count());
        double sum = 0;
        for (int i = 0; i < 300; i++) {
            sum += Double.isNaN(data[i * 3]) ? 0 : data[i * 3];
        }
        assertEquals(sum / nonMissing, whole.mean()[0], 1e-12);
        for (StreamingMoments m : new StreamingMoments[] {ab, ba, StreamingMoments.fromBytes(ab.toBytes())}) {
            assertArrayEquals(whole.counts(), m.counts());
            for (int j = 0; j < 3; j++) {
                assertEquals(whole.mean()[j], m.mean()[j], 1e-12);
                assertEquals(whole.variance(0)[j], m.variance(0)[j], 1e-12);
            }
        }
        for (int j = 0; j < 3; j++) { // two parts merge to the same bits in either order
            assertEquals(Double.doubleToLongBits(ab.mean()[j]), Double.doubleToLongBits(ba.mean()[j]));
            assertEquals(Double.doubleToLongBits(ab.m2()[j]), Double.doubleToLongBits(ba.m2()[j]));
        }
        assertThrows(IllegalArgumentException.class, () -> new StreamingMoments(3).merge(a));
        assertTrue(Double.isNaN(new StreamingMoments(3).update(data, 300).mean()[0])); // the default propagates
    }

    @Test
    void aConstantFeatureKeepsItsExactMeanAcrossChunks() {
        StreamingMoments m = new StreamingMoments(1, NanPolicy.IGNORE);
        m.update(new double[] {0.1, 0.1, 0.1}, 3).update(new double[] {0.1, Double.NaN}, 2).update(new double[] {0.1}, 1);
        assertEquals(0.1, m.mean()[0]);
        assertEquals(0.0, m.variance(0)[0]);
        assertArrayEquals(new long[] {5}, m.counts());
    }

    @Test
    void rowNorms() {
        double[] x = {3, -4, 0, 0};
        RowNorm.L2.apply(x, 2, 2, new int[] {0, 1});
        assertArrayEquals(new double[] {0.6, -0.8, 0, 0}, x); // a zero row stays as it is
        double[] y = {1, -3};
        RowNorm.L1.apply(y, 1, 2, new int[] {0, 1});
        assertArrayEquals(new double[] {0.25, -0.75}, y);
        double[] z = {1, -4};
        RowNorm.MAX.apply(z, 1, 2, new int[] {0, 1});
        assertArrayEquals(new double[] {0.25, -1}, z);
    }
}
