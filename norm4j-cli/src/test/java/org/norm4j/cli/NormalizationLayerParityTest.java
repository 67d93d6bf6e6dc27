package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.Tensor;
import org.norm4j.stats.io.StatsFile;
import org.norm4j.layers.Normalization;
import org.norm4j.stats.ZeroVariancePolicy;

/**
 * {@code norm4j fit} + {@code transform} (float64) against {@code org.norm4j.layers.Normalization} adapted on
 * the same data (float32 output): the same statistics, and the same outputs up to float32 rounding, for every
 * zero-variance policy, forward and inverted.
 */
class NormalizationLayerParityTest {
    @TempDir
    Path dir;

    static final int ROWS = 700;
    static final int COLS = 5;

    /** Float32-representable data: offsets, scales, a constant column (index 3) and a heavy-tailed one. */
    static float[][] data(long seed, boolean other) {
        Random rnd = new Random(seed);
        float[][] x = new float[ROWS][COLS];
        for (int i = 0; i < ROWS; i++) {
            x[i][0] = (float) rnd.nextGaussian();
            x[i][1] = (float) (1e4 + 3 * rnd.nextGaussian());
            x[i][2] = (float) (1e-3 * rnd.nextDouble());
            x[i][3] = other && i % 3 == 0 ? 2.5f : 7.25f;
            x[i][4] = (float) Math.exp(3 * rnd.nextGaussian());
        }
        return x;
    }

    Path csv(String name, float[][] x) throws IOException {
        StringBuilder sb = new StringBuilder("a,b,c,d,e\n");
        for (float[] row : x) {
            for (int j = 0; j < COLS; j++) {
                sb.append(j > 0 ? "," : "").append((double) row[j]);
            }
            sb.append('\n');
        }
        Path p = dir.resolve(name);
        Files.writeString(p, sb.toString());
        return p;
    }

    static double[][] read(Path p) throws IOException {
        List<String> lines = Files.readAllLines(p);
        double[][] out = new double[lines.size() - 1][];
        for (int i = 1; i < lines.size(); i++) {
            String[] cells = lines.get(i).split(",");
            out[i - 1] = new double[cells.length];
            for (int j = 0; j < cells.length; j++) {
                out[i - 1][j] = Double.parseDouble(cells[j]);
            }
        }
        return out;
    }

    @Test
    void fitAndTransformMatchTheNormalizationLayer() throws IOException {
        float[][] train = data(3, false);
        float[][] test = data(4, true);
        Path trainCsv = csv("train.csv", train);
        Path testCsv = csv("test.csv", test);
        for (ZeroVariancePolicy policy : ZeroVariancePolicy.values()) {
            Path stats = dir.resolve(policy.configName() + ".json");
            Cli fit = Cli.run("fit", trainCsv, "--zero-variance", policy.configName(), "-o", stats);
            assertEquals(0, fit.code, fit::toString);
            Normalization layer = Normalization.builder().zeroVariancePolicy(policy).build();
            layer.adapt(Tensor.of(train));
            StatsFile s = StatsFile.read(stats);
            float[] lm = layer.meanTensor().rawFloats();
            float[] lv = layer.varianceTensor().rawFloats();
            for (int j = 0; j < COLS; j++) {
                assertEquals(lm[j], (float) s.mean()[j], Math.ulp(lm[j]), "mean " + j);
                assertEquals(lv[j], (float) s.variance()[j], Math.ulp(lv[j]), "variance " + j);
            }
            Path out = dir.resolve(policy.configName() + ".csv");
            Cli tr = Cli.run("transform", testCsv, "-s", stats, "-o", out);
            assertEquals(0, tr.code, tr::toString);
            double[][] cli = read(out);
            float[][] expected = layer.apply(Tensor.of(test)).toFloat2D();
            compare(policy + " forward", cli, expected, test, lm, lv);

            Normalization inverse = Normalization.builder().zeroVariancePolicy(policy).invert(true).build();
            inverse.adapt(Tensor.of(train));
            float[][] normalized = new float[ROWS][COLS];
            for (int i = 0; i < ROWS; i++) {
                for (int j = 0; j < COLS; j++) {
                    normalized[i][j] = (float) cli[i][j];
                }
            }
            Path nCsv = csv(policy.configName() + "-n.csv", normalized);
            Path back = dir.resolve(policy.configName() + "-back.csv");
            Cli inv = Cli.run("transform", nCsv, "-s", stats, "--invert", "-o", back);
            assertEquals(0, inv.code, inv::toString);
            compare(policy + " inverse", read(back), inverse.apply(Tensor.of(normalized)).toFloat2D(), normalized,
                    lm, lv);
        }
    }

    /** Equal up to float32 rounding of the inputs' centring and of the result. */
    static void compare(String what, double[][] cli, float[][] layer, float[][] input, float[] mean, float[] var) {
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < COLS; j++) {
                double sd = Math.max(Math.sqrt(var[j]), 1e-7);
                double inputUlps = Math.ulp(Math.abs(mean[j])) + Math.ulp(Math.abs(input[i][j]));
                double tol = 4 * Math.ulp(layer[i][j]) + 4 * inputUlps * Math.max(1 / sd, sd);
                assertEquals(layer[i][j], cli[i][j], tol, what + " row " + i + " column " + j);
            }
        }
    }
}
