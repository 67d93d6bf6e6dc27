package org.norm4j.stats.sketch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.norm4j.stats.ExactQuantiles;
import org.norm4j.stats.NanPolicy;

/** KLL sketches keep their documented rank error against the exact quantiles. */
class KllQuantilesTest {
    @Test
    void quantilesAreWithinTheRankErrorOfTheExactOnes() {
        int n = 200_000;
        Random rnd = new Random(5);
        double[] data = new double[n * 2];
        for (int i = 0; i < n; i++) {
            data[2 * i] = Math.exp(rnd.nextGaussian()); // skewed
            data[2 * i + 1] = rnd.nextInt(10) == 0 ? Double.NaN : rnd.nextDouble() * 100;
        }
        ExactQuantiles first = new ExactQuantiles(2, NanPolicy.IGNORE).update(Arrays.copyOf(data, 2000), 1000);
        KllQuantiles k = KllQuantiles.of(first, KllQuantiles.DEFAULT_K);
        k.update(Arrays.copyOfRange(data, 2000, data.length), n - 1000);
        double eps = k.normalizedRankError();
        assertEquals(0.0133, eps, 0.0005); // DataSketches' a priori bound for k = 200
        for (int j = 0; j < 2; j++) {
            double[] col = new double[n];
            int m = 0;
            for (int i = 0; i < n; i++) {
                double v = data[2 * i + j];
                if (v == v) {
                    col[m++] = v;
                }
            }
            double[] sorted = Arrays.copyOf(col, m);
            Arrays.sort(sorted);
            for (double q : new double[] {10, 25, 50, 75, 90}) {
                double v = k.percentile(j, q);
                int below = 0;
                while (below < m && sorted[below] <= v) {
                    below++;
                }
                double rank = below / (double) m;
                assertTrue(Math.abs(rank - q / 100) <= eps, "feature " + j + " q " + q + ": rank " + rank);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new KllQuantiles(1, 4, NanPolicy.IGNORE));
    }
}
