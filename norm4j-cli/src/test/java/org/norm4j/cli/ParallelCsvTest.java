package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV files of many blocks: the same statistics, output and messages on 1 and N threads. */
class ParallelCsvTest {
    @TempDir
    Path dir;

    /** About 4 MB: eight blocks or more; rows of varying length so that blocks end anywhere in a line. */
    static String csv(String nl, int rows, long seed) {
        Random rnd = new Random(seed);
        StringBuilder sb = new StringBuilder("a,b,label,c").append(nl);
        for (int i = 0; i < rows; i++) {
            sb.append(String.format(Locale.ROOT, "%.6f", 1e6 + rnd.nextGaussian())).append(',')
                    .append(rnd.nextInt(1000)).append(',').append("x".repeat(rnd.nextInt(40))).append(',')
                    .append(i % 97 == 0 ? "NA" : Double.toString(rnd.nextGaussian() * 1e-3)).append(nl);
        }
        return sb.toString();
    }

    /** The stats file without its volatile fields (creation time). */
    static String stable(Path stats) throws IOException {
        JsonNode n = FitTransformTest.json(stats);
        return n.get("features").toString() + n.get("rows");
    }

    @Test
    void sameStatisticsAndOutputOnOneAndManyThreads() throws IOException {
        for (String nl : new String[] {"\n", "\r\n", "\r"}) {
            Path in = Files.writeString(dir.resolve("d.csv"), csv(nl, 60_000, nl.length()));
            String first = null;
            byte[] out = null;
            for (int t : new int[] {1, 2, 5}) {
                Path s = dir.resolve("s" + t + ".json");
                Cli fit = Cli.run("fit", in, "--header", "-c", "a,b", "--threads", t, "-o", s);
                assertEquals(0, fit.code, fit::toString);
                assertEquals(60_000, FitTransformTest.json(s).get("rows").asInt());
                Path o = dir.resolve("o" + t + ".csv");
                Cli tr = Cli.run("transform", in, "-s", s, "--threads", t, "-o", o);
                assertEquals(0, tr.code, tr::toString);
                if (first == null) {
                    first = stable(s);
                    out = Files.readAllBytes(o);
                    String text = new String(out, StandardCharsets.US_ASCII);
                    assertEquals(60_001, text.split(nl.equals("\r") ? "\r" : "\n", -1).length - 1,
                            "every row written, each ended as the input's lines are");
                    assertTrue(nl.equals("\n") || text.contains(nl), "line endings kept");
                } else {
                    assertEquals(first, stable(s), "threads " + t);
                    assertArrayEquals(out, Files.readAllBytes(o), "threads " + t);
                }
            }
        }
    }

    @Test
    void aBadRowDeepInTheFileIsNamedExactlyOnEveryThreadCount() throws IOException {
        String text = csv("\r\n", 60_000, 3);
        int at = text.indexOf("\r\n", text.length() * 3 / 4) + 2; // a row start in a late block
        long line = text.substring(0, at).chars().filter(c -> c == '\n').count() + 1;
        Path in = Files.writeString(dir.resolve("d.csv"), text.substring(0, at) + "1,2,x,oops\r\n" + text.substring(at));
        for (int t : new int[] {1, 3}) {
            BadInputTest.fails(Cli.run("fit", in, "--header", "-c", "a,b,c", "--threads", t, "-o", dir.resolve("s.json")),
                    "d.csv, line " + line + ", column 4 (c): 'oops' is not a number");
            Cli skip = Cli.run("fit", in, "--header", "-c", "a,b,c", "--threads", t, "--skip-bad-rows", "-o",
                    dir.resolve("s.json"));
            assertEquals(0, skip.code, skip::toString);
            assertTrue(skip.err.contains("skipped 1 bad row (first: ") && skip.err.contains("line " + line + ","),
                    skip.err);
            assertEquals(60_000, FitTransformTest.json(dir.resolve("s.json")).get("rows").asInt());
        }
    }
}
