package org.norm4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * The profiles behind the gaps in docs/performance.md: runs one workload of one engine in a loop under a Java
 * Flight Recorder recording and prints where the samples fall (the top frame's method, and the norm4j method
 * nearest the top, as shares of all execution samples), plus the share of wall time spent in GC pauses.
 *
 * <pre>
 * bench/profile.sh ln_fwd_8192x1024 [seconds] [engine]      # engine: norm4j (default) or norm4j-into, ...
 * </pre>
 *
 * The JVM flags are those of the engine variant (bench/profile.sh passes them); the recording samples Java
 * threads every 10 ms ({@code jdk.ExecutionSample}); the first 3 s after the recording starts are warm-up and
 * not counted (starting a recording deoptimizes compiled code).
 */
public final class Profile {
    private Profile() {
    }

    /**
     * Entry point.
     *
     * @param args workload id, seconds (default 6), engine id (default norm4j)
     */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: Profile WORKLOAD [SECONDS] [ENGINE]");
            System.exit(2);
        }
        Workload w = Workloads.get(args[0]);
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 6;
        String engineId = args.length > 2 ? args[2] : "norm4j";
        Path jfr = Files.createTempFile("norm4j-profile", ".jfr");
        try (Engine e = Engines.create(engineId)) {
            Task t = e.prepare(w);
            if (t == null) {
                throw new IllegalArgumentException("engine '" + engineId + "' has no op for workload '" + w.id()
                        + "': expected a workload it runs");
            }
            long calls = 0;
            long start;
            long end;
            java.time.Instant measured;
            try (Recording r = new Recording()) {
                r.enable("jdk.ExecutionSample").withPeriod(java.time.Duration.ofMillis(10));
                r.enable("jdk.GarbageCollection");
                // starting a recording deoptimizes compiled code (a JVMTI state change), so warm up after it
                r.start();
                long warmEnd = System.nanoTime() + 3_000_000_000L;
                while (System.nanoTime() < warmEnd) {
                    t.run();
                }
                measured = java.time.Instant.now();
                start = System.nanoTime();
                long stop = start + (long) (seconds * 1e9);
                while (System.nanoTime() < stop) {
                    t.run();
                    calls++;
                }
                end = System.nanoTime();
                r.stop();
                r.dump(jfr);
            }
            t.close();
            report(w, engineId, jfr, calls, (end - start) / 1e9, measured);
        } finally {
            Files.deleteIfExists(jfr);
        }
    }

    private static void report(Workload w, String engine, Path jfr, long calls, double wallS, java.time.Instant from)
            throws IOException {
        Map<String, Integer> top = new HashMap<>();
        Map<String, Integer> own = new HashMap<>();
        int samples = 0;
        double gcS = 0;
        for (RecordedEvent ev : RecordingFile.readAllEvents(jfr)) {
            if (ev.getStartTime().isBefore(from)) {
                continue; // warm-up
            }
            String type = ev.getEventType().getName();
            if (type.equals("jdk.GarbageCollection")) {
                gcS += ev.getDuration("sumOfPauses").toNanos() / 1e9;
                continue;
            }
            if (!type.equals("jdk.ExecutionSample")) {
                continue;
            }
            RecordedStackTrace st = ev.getStackTrace();
            if (st == null || st.getFrames().isEmpty()) {
                continue;
            }
            samples++;
            List<RecordedFrame> frames = st.getFrames();
            top.merge(name(frames.get(0)), 1, Integer::sum);
            for (RecordedFrame f : frames) {
                String n = name(f);
                if (n.startsWith("org.norm4j.") && !n.startsWith("org.norm4j.bench.")) {
                    own.merge(n, 1, Integer::sum);
                    break;
                }
            }
        }
        System.out.printf(Locale.ROOT, "workload %s, engine %s: %d calls in %.1f s (%.1f us a call), %d samples, "
                + "GC pauses %.1f%% of wall time%n", w.id(), engine, calls, wallS, wallS * 1e6 / calls, samples,
                100 * gcS / wallS);
        print("top frame", top, samples);
        print("nearest norm4j frame", own, samples);
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private static void print(String title, Map<String, Integer> counts, int samples) {
        List<Map.Entry<String, Integer>> l = new ArrayList<>(counts.entrySet());
        l.sort((a, b) -> b.getValue() - a.getValue());
        System.out.println("  " + title + ":");
        for (int i = 0; i < Math.min(10, l.size()); i++) {
            System.out.printf(Locale.ROOT, "    %5.1f%%  %s%n", 100.0 * l.get(i).getValue() / Math.max(1, samples),
                    l.get(i).getKey());
        }
    }
}
