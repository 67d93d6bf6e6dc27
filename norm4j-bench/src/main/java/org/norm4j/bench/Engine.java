package org.norm4j.bench;

/**
 * An engine under test. Implementations are loaded by name ({@link Engines#create}), so a JVM only links the
 * peer libraries that it runs. Adding a workload to an engine is one more case in {@link #prepare}.
 */
public interface Engine extends AutoCloseable {
    /** Short name as it appears in the report. */
    String name();

    /** Version and configuration, for the report (e.g. "TensorFlow 2.18.0, intra-op 2"). */
    String describe();

    /**
     * Builds the inputs of a workload and returns the task that computes it, or {@code null} when this
     * engine has no such op (the report shows a dash).
     */
    Task prepare(Workload w) throws Exception;

    @Override
    default void close() throws Exception {
    }
}
