package org.norm4j.bench;

/**
 * One prepared, repeatable unit of work: inputs are made once by {@link Engine#prepare}; {@link #run} computes
 * the workload and returns something for JMH's blackhole (so nothing is optimized away).
 */
@FunctionalInterface
public interface Task extends AutoCloseable {
    /** Computes the workload once. */
    Object run() throws Exception;

    /** Frees native memory held by the task; nothing by default. */
    @Override
    default void close() throws Exception {
    }
}
