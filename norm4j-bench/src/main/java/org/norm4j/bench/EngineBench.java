package org.norm4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The workload benchmark (KerasServingBench is the other): runs workload {@code workload} on engine {@code engine} (ids from {@link Workloads} and
 * {@link Engines}). {@link Driver} runs it once per (engine, workload) pair with that engine's JVM flags; it can
 * also be run by hand, e.g. {@code java -cp ... org.openjdk.jmh.Main EngineBench -p engine=norm4j -p
 * workload=ln_fwd_8192x1024 -jvmArgsAppend "--add-modules jdk.incubator.vector"}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 250, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 250, timeUnit = TimeUnit.MILLISECONDS)
public class EngineBench {
    /** System property: a file the forked JVM writes the engine's description to. */
    public static final String INFO_PROPERTY = "norm4j.bench.info";

    /** Engine id. */
    @Param({"norm4j"})
    public String engine;

    /** Workload id. */
    @Param({"ln_fwd_8192x1024"})
    public String workload;

    private Engine e;
    private Task task;

    /** Loads the engine and builds the inputs. */
    @Setup
    public void setup() throws Exception {
        e = Engines.create(engine);
        task = e.prepare(Workloads.get(workload));
        if (task == null) {
            throw new IllegalStateException("engine " + engine + " has no op for workload " + workload);
        }
        task.run();
        String info = System.getProperty(INFO_PROPERTY);
        if (info != null) {
            write(Path.of(info), e.name() + "\t" + e.describe() + "\t" + System.getProperty("java.version") + "\t"
                    + System.getProperty("java.vm.name"));
        }
    }

    /** One call of the workload. */
    @Benchmark
    public Object run() throws Exception {
        return task.run();
    }

    /** Frees native memory. */
    @TearDown
    public void tearDown() throws Exception {
        task.close();
        e.close();
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text.replace('\n', ' '), StandardCharsets.UTF_8);
    }
}
