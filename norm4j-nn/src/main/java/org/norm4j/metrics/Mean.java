package org.norm4j.metrics;

import java.util.Objects;
import org.norm4j.Tensor;

/**
 * {@code keras.metrics.Mean(name="mean")}: the weighted running mean {@code sum(w * v) / sum(w)} of the values
 * it is given; Keras's fit loop uses one to average the loss over an epoch. The sums are kept in double.
 *
 * <pre>{@code
 * Mean lossTracker = new Mean("loss");
 * lossTracker.updateState(batchLoss, batchSize); // weight each batch by its size
 * double epochLoss = lossTracker.result();
 * }</pre>
 */
public class Mean extends Metric {
    private double total;
    private double count;

    /** {@code Mean()}, named "mean". */
    public Mean() {
        this("mean");
    }

    /** {@code Mean(name)}. */
    public Mean(String name) {
        super(name);
    }

    /** Adds one value with weight 1. */
    public void updateState(double value) {
        updateState(value, 1.0);
    }

    /**
     * Adds one value with a weight, e.g. a batch's mean loss weighted by the batch size.
     *
     * @throws IllegalArgumentException if the weight is negative or not finite
     */
    public void updateState(double value, double weight) {
        if (!(weight >= 0) || Double.isInfinite(weight)) {
            throw new IllegalArgumentException("weight = " + weight + ": expected a finite value >= 0");
        }
        total += value * weight;
        count += weight;
    }

    /** Adds every element of {@code values}, each with weight 1. */
    public void updateState(Tensor values) {
        updateState(values, null);
    }

    /**
     * {@code Mean.update_state(values, sample_weight)}: adds every element of {@code values} with the matching
     * weight.
     *
     * @param values the values
     * @param sampleWeight {@code null} (weight 1), a one-element tensor (one weight for all), or a tensor of
     *     {@code values}'s shape
     * @throws IllegalArgumentException if {@code sampleWeight} has another shape; the message names both
     */
    @Override
    public void updateState(Tensor values, Tensor sampleWeight) {
        Objects.requireNonNull(values, "values must not be null");
        double[] v = values.toDoubleArray();
        if (sampleWeight == null) {
            for (double x : v) {
                updateState(x, 1.0);
            }
            return;
        }
        double[] w = sampleWeight.toDoubleArray();
        if (w.length != 1 && !sampleWeight.shape().equals(values.shape())) {
            throw new IllegalArgumentException(name() + ": sample_weight shape " + sampleWeight.shape()
                    + " does not match values shape " + values.shape() + ": expected one weight or one per value");
        }
        for (int i = 0; i < v.length; i++) {
            updateState(v[i], w.length == 1 ? w[0] : w[i]);
        }
    }

    /** The sum of the weights so far (Keras's {@code count}). */
    public double count() {
        return count;
    }

    /** {@code sum(w * v) / sum(w)}; 0 when no weight was added (Keras's {@code divide_no_nan}). */
    @Override
    public double result() {
        return count == 0 ? 0.0 : total / count;
    }

    @Override
    public void resetState() {
        total = 0;
        count = 0;
    }
}
