package org.norm4j.bench;

import java.util.Arrays;

/**
 * One benchmark case: an op, a shape and a layout. {@code bytes} is the minimal memory traffic (every input
 * read once, every output written once, float32), from which GB/s is derived; it is 0 where GB/s means
 * nothing (matmul, training). {@code flops} is set for the products.
 *
 * @param id stable identifier, used on the JMH command line and in result files
 * @param section the table it belongs to in docs/performance.md
 * @param op what is computed
 * @param shape the data shape (for matmul: {m, k, n} of the product as computed)
 * @param nchw true when the channel axis is 1 (batch norm only)
 * @param label the row title in the report
 */
public record Workload(String id, Section section, Op op, int[] shape, boolean nchw, String label) {

    /** The tables of the report, in order. */
    public enum Section {
        LARGE("Large tensors"),
        MINIBATCH("Minibatch shapes"),
        TRAINING("Dense products and training"),
        SWEEP("Size sweep"),
        PROBE("Memory bandwidth");

        private final String title;

        Section(String title) {
            this.title = title;
        }

        /** The section's heading. */
        public String title() {
            return title;
        }
    }

    /** Number of data elements ({@code m * k} for products). */
    public long elements() {
        if (op == Op.MATMUL || op == Op.MATMUL_TN || op == Op.MATMUL_NT) {
            return (long) shape[0] * shape[1];
        }
        if (conv()) {
            return (long) shape[0] * shape[1] * shape[2] * shape[3];
        }
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    /** Minimal bytes moved (float32): inputs read once, outputs written once; 0 where not meaningful. */
    public long bytes() {
        long n = elements() * 4;
        switch (op) {
            case MOMENTS:
                return n;
            case LN_FWD:
            case BN_TRAIN_FWD:
            case BN_INFER:
            case GN_FWD:
            case RMS_FWD:
                return 2 * n;
            case BN_TRAIN_BWD:
                return 3 * n;
            case LN_FWD_BWD:
            case GN_FWD_BWD:
            case RMS_FWD_BWD:
                return 5 * n; // forward (x in, y out) + backward (x, dy in, dx out)
            case COPY:
                return 2 * n;
            default:
                return 0;
        }
    }

    /** Whether this is one of the convolution ops (shape {n, h, w, c, k, o}). */
    public boolean conv() {
        return op == Op.CONV_FWD || op == Op.CONV_BWD_INPUT || op == Op.CONV_BWD_FILTER;
    }

    /** Floating-point operations of a product (2mkn) or a convolution (2 n oh ow k k c o), else 0. */
    public double flops() {
        if (conv()) {
            double oh = shape[1] - shape[4] + 1;
            double ow = shape[2] - shape[4] + 1;
            return 2.0 * shape[0] * oh * ow * shape[4] * shape[4] * shape[3] * shape[5];
        }
        if (op == Op.MATMUL || op == Op.MATMUL_TN || op == Op.MATMUL_NT) {
            return 2.0 * shape[0] * shape[1] * shape[2];
        }
        return 0;
    }

    @Override
    public String toString() {
        return id + Arrays.toString(shape);
    }
}
