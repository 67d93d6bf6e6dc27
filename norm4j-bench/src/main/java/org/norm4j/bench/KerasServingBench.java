package org.norm4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.norm4j.Tensor;
import org.norm4j.io.ModelIO;
import org.norm4j.layers.BatchNormalization;
import org.norm4j.layers.Dense;
import org.norm4j.layers.Input;
import org.norm4j.models.Sequential;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Serving speed of a model loaded from a Keras file (issue 12, item 6): {@code predict} at batch 1 and 32 of
 * the seed's model (BatchNormalization, Dense(128, relu), BatchNormalization, Dense(10, softmax), 784 inputs),
 * written with {@link ModelIO#saveKeras} and read back with {@link ModelIO#load}, as a service would load a
 * model trained in Keras. Run by hand, e.g. {@code java -cp ... org.openjdk.jmh.Main KerasServingBench
 * -jvmArgsAppend "--add-modules jdk.incubator.vector"}; not part of bench/run.sh's report.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(1)
@Warmup(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 5, time = 500, timeUnit = TimeUnit.MILLISECONDS)
public class KerasServingBench {
    /** Rows per {@code predict} call. */
    @Param({"1", "32"})
    public int batch;

    private Sequential model;
    private Tensor x;

    /** Writes the seed's model as .keras, loads it back, and makes the inputs. */
    @Setup
    public void setup() throws IOException {
        Sequential seed = new Sequential(new Input(784), new BatchNormalization(), new Dense(128, "relu"),
                new BatchNormalization(), new Dense(10, "softmax"));
        Path file = Files.createTempFile("seed", ".keras");
        try {
            ModelIO.saveKeras(seed, file);
            model = ModelIO.load(file);
        } finally {
            Files.deleteIfExists(file);
        }
        x = Tensor.of(Data.x(batch * 784L), batch, 784);
    }

    /** One inference call. */
    @Benchmark
    public Tensor predict() {
        return model.predict(x);
    }
}
