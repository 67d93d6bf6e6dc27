package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a child JVM running {@code norm4j transform} with SIGKILL and SIGTERM at random moments while it writes
 * its output over an existing file: after every kill the target holds either the old bytes or the complete new
 * output, never a mix; SIGTERM leaves no temporary file behind (shutdown hook); a temporary file left by SIGKILL
 * is removed by the next run in that directory. {@value #KILLS} kills by default ({@code -Dnorm4j.crash.kills=N}
 * for more).
 */
class CrashTest {
    static final int KILLS = 16;
    /** The files the test itself writes; anything else in the directory is a temporary file of the child. */
    private static final java.util.Set<String> KNOWN = java.util.Set.of("in.csv", "s.json", "ref.csv", "out.csv",
            "child.log");

    @TempDir
    Path dir;

    private List<String> temps() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).filter(n -> !KNOWN.contains(n)).sorted()
                    .collect(Collectors.toList());
        }
    }

    private Process child(Path in, Path stats, Path out) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "transform", in.toString(), "-s", stats.toString(), "-o", out.toString(),
                "--no-progress"));
        return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile())
                .start();
    }

    @Test
    void theTargetIsAlwaysTheOldOrTheCompleteNewFile() throws Exception {
        int kills = Integer.getInteger("norm4j.crash.kills", KILLS);
        Random rnd = new Random(20261202);
        StringBuilder sb = new StringBuilder(1 << 22);
        sb.append("a,b,c,d,e,f\n");
        for (int i = 0; i < 80_000; i++) {
            for (int j = 0; j < 6; j++) {
                sb.append(j > 0 ? "," : "").append(rnd.nextInt(100_000) / 7.0);
            }
            sb.append('\n');
        }
        Path in = Files.writeString(dir.resolve("in.csv"), sb);
        Path stats = dir.resolve("s.json");
        assertEquals(0, Cli.run("fit", in, "-o", stats).code);
        Path ref = dir.resolve("ref.csv");
        assertEquals(0, Cli.run("transform", in, "-s", stats, "-o", ref).code);
        byte[] expected = Files.readAllBytes(ref);
        byte[] old = "the old file\n".getBytes(StandardCharsets.UTF_8);
        Path out = dir.resolve("out.csv");

        // one complete run, to spread the kills over the child's whole life
        Files.write(out, old);
        long t0 = System.nanoTime();
        Process full = child(in, stats, out);
        assertTrue(full.waitFor(2, TimeUnit.MINUTES));
        long fullMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(0, full.exitValue(), () -> log());
        assertArrayEquals(expected, Files.readAllBytes(out));

        int oldKept = 0;
        int newWritten = 0;
        int tempsLeftBySigkill = 0;
        for (int k = 0; k < kills; k++) {
            boolean term = k % 2 == 1;
            Files.write(out, old);
            List<String> before = temps();
            Process p = child(in, stats, out);
            Thread.sleep((long) (fullMillis * (0.15 + 1.0 * rnd.nextDouble())));
            if (term) {
                p.destroy(); // SIGTERM
            } else {
                p.destroyForcibly(); // SIGKILL
            }
            assertTrue(p.waitFor(1, TimeUnit.MINUTES), "the child did not end");
            byte[] now = Files.readAllBytes(out);
            if (Arrays.equals(now, old)) {
                oldKept++;
            } else if (Arrays.equals(now, expected)) {
                newWritten++;
            } else {
                fail("kill " + k + " (" + (term ? "SIGTERM" : "SIGKILL") + "): the target is neither the old nor "
                        + "the new file (" + now.length + " bytes)");
            }
            List<String> left = temps().stream().filter(n -> !before.contains(n)).collect(Collectors.toList());
            if (term) {
                assertEquals(List.of(), left, "SIGTERM left temporary files");
            } else if (!left.isEmpty()) {
                tempsLeftBySigkill++;
            }
            List<String> all = temps();
            assertTrue(all.size() <= 2, () -> "temporary files pile up: " + all);
        }
        // a complete run in the directory removes what SIGKILL left
        Files.write(out, old);
        Process last = child(in, stats, out);
        assertTrue(last.waitFor(2, TimeUnit.MINUTES));
        assertEquals(0, last.exitValue(), () -> log());
        assertArrayEquals(expected, Files.readAllBytes(out));
        assertEquals(List.of(), temps(), "temporary files survived the next run");
        System.out.printf(Locale.ROOT, "CrashTest: %d kills (%d SIGKILL, %d SIGTERM) of a %.1f MB transform "
                + "(%d ms per run): %d kept the old file, %d had written the new one, %d SIGKILLs left a "
                + "temporary file that the next run removed%n", kills, (kills + 1) / 2, kills / 2,
                expected.length / 1e6, fullMillis, oldKept, newWritten, tempsLeftBySigkill);
        assertEquals(kills, oldKept + newWritten);
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
