package org.norm4j.cli.demo;

import java.util.ArrayList;
import java.util.List;

/** What one variant's training produced, epoch by epoch. */
public final class VariantResult {
    private final Variant variant;
    private final String summary;
    private final List<double[]> epochs = new ArrayList<>();

    /**
     * An empty result.
     *
     * @param summary the model's layers in one line
     */
    public VariantResult(Variant variant, String summary) {
        this.variant = variant;
        this.summary = summary;
    }

    /** Records one epoch. */
    public void add(double trainLoss, double trainAccuracy, double heldOutLoss, double heldOutAccuracy,
            double seconds) {
        epochs.add(new double[] {trainLoss, trainAccuracy, heldOutLoss, heldOutAccuracy, seconds});
    }

    /** The variant. */
    public Variant variant() {
        return variant;
    }

    /** The model's layers in one line. */
    public String summary() {
        return summary;
    }

    /** Number of epochs recorded. */
    public int epochs() {
        return epochs.size();
    }

    /** Mean training loss of epoch {@code e} (0-based). */
    public double trainLoss(int e) {
        return epochs.get(e)[0];
    }

    /** Training accuracy of epoch {@code e}. */
    public double trainAccuracy(int e) {
        return epochs.get(e)[1];
    }

    /** Held-out loss after epoch {@code e}. */
    public double heldOutLoss(int e) {
        return epochs.get(e)[2];
    }

    /** Held-out accuracy after epoch {@code e}. */
    public double heldOutAccuracy(int e) {
        return epochs.get(e)[3];
    }

    /** Training seconds of epoch {@code e} (held-out evaluation excluded). */
    public double seconds(int e) {
        return epochs.get(e)[4];
    }

    /** The first epoch (1-based) whose held-out accuracy reached {@code threshold}, or -1. */
    public int epochsToReach(double threshold) {
        for (int e = 0; e < epochs.size(); e++) {
            if (heldOutAccuracy(e) >= threshold) {
                return e + 1;
            }
        }
        return -1;
    }

    /**
     * The epoch (1-based) after which the training loss stopped changing (relative change below 1e-6 in every
     * later epoch, at least two of them), or -1 if it kept changing.
     */
    public int stalledAfter() {
        int n = epochs.size();
        if (n < 3) {
            return -1;
        }
        int first = n - 1;
        while (first > 0 && Math.abs(trainLoss(first) - trainLoss(first - 1)) <= 1e-6 * Math.abs(trainLoss(first))) {
            first--;
        }
        return n - 1 - first >= 2 ? first + 1 : -1;
    }

    /** Mean training seconds per epoch. */
    public double secondsPerEpoch() {
        double s = 0;
        for (double[] e : epochs) {
            s += e[4];
        }
        return epochs.isEmpty() ? Double.NaN : s / epochs.size();
    }
}
