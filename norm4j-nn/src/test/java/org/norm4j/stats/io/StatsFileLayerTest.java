package org.norm4j.stats.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.Tensor;
import org.norm4j.layers.Normalization;
import org.norm4j.stats.NanPolicy;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.StreamingMoments;
import org.norm4j.stats.ZeroVariancePolicy;

/** The stats file API: a Normalization layer from a stats file and back, merges, and refusals. */
class StatsFileLayerTest {
    @TempDir
    Path dir;

    static StatsFile standard(double[][] rows, NanPolicy nan) {
        StreamingMoments sm = new StreamingMoments(rows[0].length, nan);
        for (double[] r : rows) {
            sm.update(r);
        }
        int p = rows[0].length;
        int[] cols = new int[p];
        java.util.Arrays.setAll(cols, j -> j);
        return new StatsFile(ScalingMethod.STANDARD, StatsFile.Options.DEFAULTS, 0, ZeroVariancePolicy.SKLEARN,
                new StatsFile.Input("csv", p, false, ","), cols, new String[p], sm, null, 0, List.of("t.csv"));
    }

    @Test
    void aLayerFromAStatsFileNormalizesAsTheFile() throws Exception {
        StatsFile s = standard(new double[][] {{1, 10}, {3, 10}, {5, Double.NaN}}, NanPolicy.IGNORE);
        s.write(dir.resolve("s.json"), "test");
        StatsFile back = StatsFile.read(dir.resolve("s.json"));
        assertEquals(NanPolicy.IGNORE, back.nanPolicy());
        assertArrayEquals(new long[] {3, 2}, back.moments().counts());
        Normalization layer = back.toNormalization();
        Tensor y = layer.apply(Tensor.of(new double[][] {{5, 11}, {Double.NaN, 10}}));
        float[] v = y.rawFloats();
        // feature 0: mean 3, std sqrt(8/3); feature 1: constant 10 -> scikit-learn's scale 1
        assertEquals((float) (2 / Math.sqrt(8.0 / 3)), v[0], 1e-6f);
        assertEquals(1f, v[1]);
        assertTrue(Float.isNaN(v[2]));
        assertEquals(0f, v[3]);
        assertEquals(ZeroVariancePolicy.SKLEARN, layer.zeroVariancePolicy());
    }

    @Test
    void aLayersStatisticsSaveAsAStatsFile() throws Exception {
        Normalization layer = Normalization.builder().nanPolicy(NanPolicy.IGNORE).build();
        layer.adapt(Tensor.of(new double[][] {{1, 2}, {3, Double.NaN}, {5, 6}}));
        StatsFile s = StatsFile.fromNormalization(layer);
        StatsFile back = StatsFile.read(new ByteArrayInputStream(s.toJson("t").getBytes(StandardCharsets.UTF_8)),
                "t");
        assertArrayEquals(new double[] {3, 4}, back.mean());
        assertArrayEquals(new double[] {8.0 / 3, 4}, back.variance(), 1e-15);
        assertArrayEquals(new long[] {3, 2}, back.moments().counts());
        assertEquals(ScalingMethod.STANDARD, back.method());
        assertThrows(IllegalStateException.class, () -> new StatsFile(ScalingMethod.MAXABS,
                StatsFile.Options.DEFAULTS, 0, ZeroVariancePolicy.SKLEARN, new StatsFile.Input("npy", 1, false, null),
                new int[] {0}, new String[1], new StreamingMoments(1).update(new double[] {1}), null, 0, List.of())
                .toNormalization());
    }

    @Test
    void mergesAreExactAndRefuseWhatCannotBeMerged() throws Exception {
        StatsFile a = standard(new double[][] {{1}, {2}}, NanPolicy.IGNORE);
        StatsFile b = standard(new double[][] {{4}, {Double.NaN}, {8}}, NanPolicy.IGNORE);
        StatsFile ab = a.merge(b);
        assertEquals(5, ab.moments().count());
        assertArrayEquals(new long[] {4}, ab.moments().counts());
        assertArrayEquals(new double[] {3.75}, ab.mean());
        assertArrayEquals(new double[] {7.1875}, ab.variance(), 1e-15); // 28.75 / 4
        StatsFile c = standard(new double[][] {{1}, {2}}, NanPolicy.PROPAGATE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.merge(c));
        assertTrue(e.getMessage().contains("nan_policy"), e.getMessage());
    }

    @Test
    void version1FilesAreStillReadAndUnknownOptionsRefused() throws Exception {
        String v1 = "{\"format\":\"norm4j-stats\",\"version\":1,\"method\":\"minmax\",\"ddof\":0,"
                + "\"zero_variance_policy\":\"sklearn\",\"input\":{\"kind\":\"npy\",\"columns\":1,\"header\":false},"
                + "\"rows\":2,\"features\":[{\"column\":1,\"name\":null,\"count\":2,\"mean\":1.5,\"variance\":0.25,"
                + "\"std\":0.5,\"min\":1,\"max\":2,\"m2\":0.5}]}";
        StatsFile s = StatsFile.read(new ByteArrayInputStream(v1.getBytes(StandardCharsets.UTF_8)), "v1.json");
        assertEquals(NanPolicy.PROPAGATE, s.nanPolicy());
        assertEquals(0.5, s.scaler().apply(0, 1.5));
        String bad = Files.readString(write(standard(new double[][] {{1}, {2}}, NanPolicy.IGNORE)))
                .replace("\"with_std\" : true", "\"with_std\" : true, \"clip\" : true");
        StatsFileException e = assertThrows(StatsFileException.class, () -> StatsFile.read(
                new ByteArrayInputStream(bad.getBytes(StandardCharsets.UTF_8)), "bad.json"));
        assertTrue(e.getMessage().contains("bad.json: unknown field 'options.clip'"), e.getMessage());
    }

    Path write(StatsFile s) throws Exception {
        Path p = dir.resolve("w.json");
        s.write(p, "t");
        return p;
    }
}
