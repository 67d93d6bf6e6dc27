package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A 1 000 000-row x 20-column CSV (about 170 MB), generated here, fitted and transformed by the command in a child
 * JVM limited to a 64 MiB heap: it streams, so it succeeds, and the statistics match a Welford pass made while
 * generating the file. Prints the child's peak heap.
 */
class BoundedMemoryTest {
    static final int ROWS = 1_000_000;
    static final int COLS = 20;

    @TempDir
    Path dir;

    @Test
    void fitAndTransformAMillionRowsInA64MiBHeap() throws Exception {
        long t0 = System.nanoTime();
        Path csv = dir.resolve("big.csv");
        double[] mean = new double[COLS];
        double[] m2 = new double[COLS];
        SplittableRandom rnd = new SplittableRandom(2024);
        try (BufferedWriter w = Files.newBufferedWriter(csv, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder(512);
            for (int j = 0; j < COLS; j++) {
                sb.append(j > 0 ? "," : "").append("f").append(j);
            }
            w.write(sb.append('\n').toString());
            for (int i = 0; i < ROWS; i++) {
                sb.setLength(0);
                for (int j = 0; j < COLS; j++) {
                    // integers / 1000 around an offset: short, exact decimal text
                    double v = (j * 100_000 + rnd.nextInt(2_000_000) - 1_000_000) / 1000.0;
                    double d = v - mean[j];
                    mean[j] += d / (i + 1);
                    m2[j] += d * (v - mean[j]);
                    sb.append(j > 0 ? "," : "").append(v);
                }
                w.write(sb.append('\n').toString());
            }
        }
        double genSeconds = (System.nanoTime() - t0) / 1e9;

        Path stats = dir.resolve("stats.json");
        Child fit = child("fit", csv.toString(), "--out", stats.toString());
        JsonNode s = new ObjectMapper().readTree(stats.toFile());
        assertEquals(ROWS, s.get("rows").asLong());
        for (int j = 0; j < COLS; j++) {
            JsonNode f = s.get("features").get(j);
            assertEquals(mean[j], f.get("mean").asDouble(), 1e-12 * Math.max(1, Math.abs(mean[j])), "mean " + j);
            assertEquals(m2[j] / ROWS, f.get("variance").asDouble(), 1e-10 * m2[j] / ROWS, "variance " + j);
        }

        Path out = dir.resolve("big.norm.csv");
        Child tr = child("transform", csv.toString(), "--stats", stats.toString(), "--out", out.toString());
        try (BufferedReader r = Files.newBufferedReader(out); BufferedReader in = Files.newBufferedReader(csv)) {
            assertEquals(in.readLine(), r.readLine(), "the header passes through");
            String[] raw = in.readLine().split(",");
            String[] got = r.readLine().split(",");
            for (int j = 0; j < COLS; j++) {
                JsonNode f = s.get("features").get(j);
                double expected = (Double.parseDouble(raw[j]) - f.get("mean").asDouble())
                        / Math.sqrt(f.get("variance").asDouble());
                assertEquals(expected, Double.parseDouble(got[j]), 0, "row 1, column " + (j + 1));
            }
            long lines = 2;
            while (r.readLine() != null) {
                lines++;
            }
            assertEquals(ROWS + 1, lines);
        }
        System.out.printf(Locale.ROOT, "BoundedMemoryTest: %,d x %d CSV (%,d bytes) generated in %.1f s; "
                + "fit %.1f s, peak heap %.1f MiB; transform %.1f s, peak heap %.1f MiB (max heap %.1f MiB)%n", ROWS,
                COLS, Files.size(csv), genSeconds, fit.seconds, fit.peakHeap / 1048576.0, tr.seconds,
                tr.peakHeap / 1048576.0, fit.maxHeap / 1048576.0);
        assertTrue(fit.maxHeap <= 64L << 20, "child heap limit " + fit.maxHeap);
    }

    record Child(double seconds, long peakHeap, long maxHeap) {
    }

    /** Runs the command in a child JVM with -Xmx64m and the test classpath; fails on a non-zero exit. */
    Child child(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "--add-modules", "jdk.incubator.vector", "-cp", System.getProperty("java.class.path"),
                HeapProbe.class.getName()));
        cmd.addAll(List.of(args));
        cmd.add("--no-progress");
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "child did not finish");
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertEquals(0, p.exitValue(), () -> String.join(" ", args) + " failed:\n" + output);
        Matcher peak = Pattern.compile("peak-heap-bytes=(\\d+)").matcher(output);
        Matcher max = Pattern.compile("max-heap-bytes=(\\d+)").matcher(output);
        assertTrue(peak.find() && max.find(), output);
        return new Child(seconds, Long.parseLong(peak.group(1)), Long.parseLong(max.group(1)));
    }
}
