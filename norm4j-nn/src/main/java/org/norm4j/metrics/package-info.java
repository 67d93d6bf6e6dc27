/**
 * Metrics with Keras 3's names and semantics ({@code keras.metrics}): running means over batches, weighted by
 * the number of samples. {@link org.norm4j.metrics.Mean} tracks a running mean of values (the loss), and {@link
 * org.norm4j.metrics.CategoricalAccuracy}, {@link org.norm4j.metrics.SparseCategoricalAccuracy} and {@link
 * org.norm4j.metrics.BinaryAccuracy} compare labels and predictions. Metrics compute with plain array loops and
 * never record on gradient tapes. {@link org.norm4j.metrics.Metrics} resolves names, including Keras's
 * {@code "accuracy"}.
 */
package org.norm4j.metrics;
