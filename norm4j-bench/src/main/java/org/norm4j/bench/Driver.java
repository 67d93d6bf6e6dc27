package org.norm4j.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.norm4j.bench.Workload.Section;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * Runs the benchmark set and writes the report. Two commands:
 * <pre>
 *   run    --label L --engines a,b --sections large,minibatch,... [--workloads id,...] --out results.tsv
 *          [--java /path/to/java] [--warmup 3] [--warmup-training 12] [--iterations 5] [--time-ms 250]
 *          [--max-busy 0.3] [--max-wait-s 90]
 *   report --results DIR --doc docs/performance.md --chart docs/performance-sweep.png
 * </pre>
 * {@code run} starts one JMH fork per (engine, workload) pair, with the engine's flags and environment, after
 * waiting for the machine to be quiet, and appends one line per pair to the results file.
 */
public final class Driver {
    private static final List<String> COMMON_JVM_ARGS = List.of("-XX:+UseG1GC");
    /** Warm-up iterations of the training workloads (every engine), unless --warmup-training says otherwise. */
    static final int TRAINING_WARMUP = 12;

    private Driver() {
    }

    /** Entry point. */
    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: Driver run ... | Driver report ... (see the class javadoc)");
            System.exit(2);
        }
        Map<String, String> opt = options(Arrays.copyOfRange(args, 1, args.length));
        switch (args[0]) {
            case "run":
                run(opt);
                break;
            case "report":
                Report.write(Path.of(opt.get("results")), Path.of(opt.get("doc")), Path.of(opt.get("chart")));
                break;
            default:
                throw new IllegalArgumentException("command '" + args[0] + "': expected run or report");
        }
    }

    private static Map<String, String> options(String[] a) {
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < a.length; i++) {
            if (!a[i].startsWith("--") || i + 1 >= a.length) {
                throw new IllegalArgumentException("argument '" + a[i] + "': expected --name value pairs");
            }
            m.put(a[i].substring(2), a[++i]);
        }
        return m;
    }

    private static void run(Map<String, String> opt) throws IOException, RunnerException {
        String label = opt.getOrDefault("label", "run");
        Path out = Path.of(opt.get("out"));
        Path work = out.toAbsolutePath().getParent().resolve("work");
        Files.createDirectories(work);
        String java = opt.getOrDefault("java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        int warmup = Integer.parseInt(opt.getOrDefault("warmup", "3"));
        // a training step runs hundreds of methods through the JIT: with 3 warm-up iterations its first measured
        // iterations were still 1.2-3.7x the steady state (JMH logs), so the training section warms up longer
        int warmupTraining = Integer.parseInt(opt.getOrDefault("warmup-training", String.valueOf(Math.max(warmup,
                TRAINING_WARMUP))));
        int iterations = Integer.parseInt(opt.getOrDefault("iterations", "5"));
        int timeMs = Integer.parseInt(opt.getOrDefault("time-ms", "250"));
        double maxBusy = Double.parseDouble(opt.getOrDefault("max-busy", "0.3"));
        long maxWait = 1000L * Long.parseLong(opt.getOrDefault("max-wait-s", "90"));
        List<Section> sections = new ArrayList<>();
        for (String s : opt.getOrDefault("sections", "probe,large,minibatch,training,sweep").split(",")) {
            sections.add(Section.valueOf(s.trim().toUpperCase(Locale.ROOT)));
        }
        List<String> only = opt.containsKey("workloads") ? List.of(opt.get("workloads").split(",")) : null;
        boolean fresh = !Files.exists(out);
        try (PrintWriter pw = new PrintWriter(Files.newBufferedWriter(out, StandardCharsets.UTF_8,
                StandardOpenOption.CREATE, StandardOpenOption.APPEND))) {
            if (fresh) {
                pw.println("label\tengine\tworkload\tscore_us\terror_us\tbusy_cpus\tname\tdescribe\tjava_version"
                        + "\tjvm\tjvm_args\tdate");
            }
            for (String id : opt.getOrDefault("engines", "norm4j").split(",")) {
                Engines.Spec spec = Engines.spec(id.trim());
                String jvm = wrapper(work, spec, java);
                for (Workload w : Workloads.of(sections)) {
                    if (!spec.runs(w) || (only != null && !only.contains(w.id()))) {
                        continue;
                    }
                    double busy = Quiet.waitForQuiet(maxBusy, maxWait);
                    Path info = work.resolve("info-" + spec.id() + ".txt");
                    Files.deleteIfExists(info);
                    List<String> jvmArgs = new ArrayList<>(COMMON_JVM_ARGS);
                    jvmArgs.addAll(spec.jvmArgs());
                    String fashion = System.getProperty("norm4j.bench.fashion");
                    if (fashion != null) {
                        jvmArgs.add("-Dnorm4j.bench.fashion=" + fashion);
                    }
                    jvmArgs.add("-D" + EngineBench.INFO_PROPERTY + "=" + info);
                    ChainedOptionsBuilder b = new OptionsBuilder().include(EngineBench.class.getName() + ".run")
                            .param("engine", spec.id()).param("workload", w.id()).forks(1)
                            .warmupIterations(w.section() == Section.TRAINING ? warmupTraining : warmup)
                            .warmupTime(TimeValue.milliseconds(timeMs))
                            .measurementIterations(iterations).measurementTime(TimeValue.milliseconds(timeMs))
                            .jvm(jvm).jvmArgsAppend(jvmArgs.toArray(new String[0])).shouldFailOnError(true)
                            .output(work.resolve("jmh-" + label + "-" + spec.id() + "-" + w.id() + ".log").toString());
                    long t0 = System.nanoTime();
                    String line;
                    try {
                        Collection<RunResult> rr = new Runner(b.build()).run();
                        RunResult r = rr.iterator().next();
                        double score = r.getPrimaryResult().getScore();
                        double err = r.getPrimaryResult().getScoreError();
                        String[] desc = Files.exists(info) ? Files.readString(info).split("\t", -1)
                                : new String[] {spec.id(), "", "", ""};
                        line = String.join("\t", label, spec.id(), w.id(), fmt(score), fmt(err), fmt(busy), desc[0],
                                desc[1], desc.length > 2 ? desc[2] : "", desc.length > 3 ? desc[3] : "",
                                String.join(" ", spec.jvmArgs()), now());
                    } catch (RunnerException | RuntimeException ex) {
                        line = String.join("\t", label, spec.id(), w.id(), "NaN", "NaN", fmt(busy), spec.id(),
                                "failed: " + String.valueOf(ex.getMessage()).replace('\t', ' ').replace('\n', ' '),
                                "", "", String.join(" ", spec.jvmArgs()), now());
                    }
                    pw.println(line);
                    pw.flush();
                    System.out.printf(Locale.ROOT, "%-14s %-22s %12s us  (busy %.2f, %.1f s)%n", spec.id(), w.id(),
                            line.split("\t")[3], busy, (System.nanoTime() - t0) / 1e9);
                }
            }
        }
    }

    /** A launcher that sets the engine's environment and execs the JVM (JMH cannot set a fork's environment). */
    private static String wrapper(Path work, Engines.Spec spec, String java) throws IOException {
        if (spec.env().isEmpty()) {
            return java;
        }
        StringBuilder sb = new StringBuilder("#!/bin/sh\n");
        spec.env().forEach((k, v) -> sb.append("export ").append(k).append("='").append(v).append("'\n"));
        sb.append("exec '").append(java).append("' \"$@\"\n");
        Path p = work.resolve("java-" + spec.id() + ".sh");
        Files.writeString(p, sb.toString());
        try {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (UnsupportedOperationException e) {
            p.toFile().setExecutable(true);
        }
        return p.toString();
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.4f", v);
    }

    private static String now() {
        return ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }
}
