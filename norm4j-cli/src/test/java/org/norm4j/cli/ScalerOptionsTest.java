package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scaler and missing-value options of fit: their effect on the stats file, and usage errors. */
class ScalerOptionsTest {
    @TempDir
    Path dir;

    @Test
    void nanIsIgnoredByDefaultAndPropagatesOnRequest() throws IOException {
        Path in = Files.writeString(dir.resolve("d.csv"), "a,b\n1,NaN\n3,4\n5,8\n");
        assertEquals(0, Cli.run("fit", in, "-o", dir.resolve("i.json")).code);
        JsonNode b = new ObjectMapper().readTree(dir.resolve("i.json").toFile()).get("features").get(1);
        assertEquals(2, b.get("count").asLong());
        assertEquals(6.0, b.get("mean").asDouble());
        Cli tr = Cli.run("transform", in, "-s", dir.resolve("i.json"), "-o", dir.resolve("o.csv"));
        assertEquals(0, tr.code, tr::toString);
        assertEquals("a,b", Files.readAllLines(dir.resolve("o.csv")).get(0));
        assertTrue(Files.readAllLines(dir.resolve("o.csv")).get(1).endsWith(",NaN"), "a NaN cell stays NaN");
        assertEquals(4, Files.readAllLines(dir.resolve("o.csv")).size(), "every row is written");
        assertEquals(0, Cli.run("fit", in, "--nan-policy", "propagate", "-o", dir.resolve("p.json")).code);
        JsonNode p = new ObjectMapper().readTree(dir.resolve("p.json").toFile());
        assertEquals("propagate", p.get("nan_policy").asText());
        assertEquals("NaN", p.get("features").get(1).get("mean").asText());
        assertEquals(3, p.get("features").get(1).get("count").asLong());
    }

    @Test
    void optionsOfAnotherMethodOrMalformedAreUsageErrors() throws IOException {
        Path in = Files.writeString(dir.resolve("d.csv"), "a\n1\n2\n");
        Cli clip = Cli.run("fit", in, "--clip", "-o", dir.resolve("s.json"));
        assertEquals(2, clip.code, clip::toString);
        assertTrue(clip.err.contains("--clip applies to --method minmax"), clip.err);
        Cli range = Cli.run("fit", in, "-m", "minmax", "--feature-range", "1", "-o", dir.resolve("s.json"));
        assertEquals(2, range.code, range::toString);
        assertTrue(range.err.contains("--feature-range '1': expected two numbers"), range.err);
        Cli order = Cli.run("fit", in, "-m", "minmax", "--feature-range", "1,0", "-o", dir.resolve("s.json"));
        assertEquals(2, order.code, order::toString);
        assertTrue(order.err.contains("feature_range = [1.0, 0.0]"), order.err);
        Cli q = Cli.run("fit", in, "-m", "robust", "--quantile-range", "80,20", "-o", dir.resolve("s.json"));
        assertEquals(2, q.code, q::toString);
        assertTrue(q.err.contains("0 <= q_lo < q_hi <= 100"), q.err);
        Cli norm = Cli.run("fit", in, "-m", "normalize", "--norm", "l3", "-o", dir.resolve("s.json"));
        assertEquals(2, norm.code, norm::toString);
        assertTrue(norm.err.contains("expected l1, l2 or max"), norm.err);
        Cli nan = Cli.run("fit", in, "--nan-policy", "omit", "-o", dir.resolve("s.json"));
        assertEquals(2, nan.code, nan::toString);
        assertEquals(0, Cli.run("fit", in, "-m", "normalize", "-o", dir.resolve("n.json")).code);
        Cli inv = Cli.run("transform", in, "-s", dir.resolve("n.json"), "--invert", "-o", dir.resolve("o.csv"));
        assertEquals(2, inv.code, inv::toString);
        assertTrue(inv.err.contains("cannot be undone"), inv.err);
    }
}
