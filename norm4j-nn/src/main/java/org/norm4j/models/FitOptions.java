package org.norm4j.models;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import org.norm4j.Tensor;

/**
 * The optional arguments of {@link Sequential#fit}, with Keras's names and defaults: {@code epochs=1},
 * {@code batch_size=32}, {@code shuffle=true}, {@code validation_split=0}, {@code validation_data=null},
 * {@code callbacks=[]}, {@code verbose=1} (one progress line per epoch; 0 is silent). {@code seed} fixes the
 * shuffling order (Keras takes it from the global seed).
 *
 * <pre>{@code
 * model.fit(x, y, FitOptions.builder().epochs(10).batchSize(32).validationSplit(0.1).seed(42).build());
 * }</pre>
 */
public record FitOptions(int epochs, int batchSize, boolean shuffle, long seed, double validationSplit,
        Tensor validationX, Tensor validationY, List<Callback> callbacks, int verbose, PrintStream out) {

    /** Checks every value and names the offending one. */
    public FitOptions {
        if (epochs < 1) {
            throw new IllegalArgumentException("epochs = " + epochs + ": expected >= 1");
        }
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch_size = " + batchSize + ": expected >= 1");
        }
        if (!(validationSplit >= 0 && validationSplit < 1)) {
            throw new IllegalArgumentException("validation_split = " + validationSplit
                    + ": expected a fraction in [0, 1)");
        }
        if ((validationX == null) != (validationY == null)) {
            throw new IllegalArgumentException("validation_data needs both x and y: expected two tensors or none");
        }
        callbacks = Collections.unmodifiableList(new ArrayList<>(callbacks));
        Objects.requireNonNull(out, "out must not be null");
    }

    /** A builder starting from Keras's defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Keras's defaults with one epoch. */
    public static FitOptions defaults() {
        return builder().build();
    }

    /** Builder for {@link FitOptions}. */
    public static final class Builder {
        private int epochs = 1;
        private int batchSize = 32;
        private boolean shuffle = true;
        private long seed = 0;
        private double validationSplit = 0;
        private Tensor validationX;
        private Tensor validationY;
        private final List<Callback> callbacks = new ArrayList<>();
        private int verbose = 1;
        private PrintStream out = System.out;

        /** {@code epochs}, default 1. */
        public Builder epochs(int v) {
            this.epochs = v;
            return this;
        }

        /** {@code batch_size}, default 32. */
        public Builder batchSize(int v) {
            this.batchSize = v;
            return this;
        }

        /** {@code shuffle}, default true. */
        public Builder shuffle(boolean v) {
            this.shuffle = v;
            return this;
        }

        /** Seed of the shuffling order, default 0. */
        public Builder seed(long v) {
            this.seed = v;
            return this;
        }

        /** {@code validation_split}: the last fraction of the data, taken before shuffling. */
        public Builder validationSplit(double v) {
            this.validationSplit = v;
            return this;
        }

        /** {@code validation_data=(x, y)}; takes precedence over {@code validationSplit}. */
        public Builder validationData(Tensor x, Tensor y) {
            this.validationX = x;
            this.validationY = y;
            return this;
        }

        /** Adds callbacks. */
        public Builder callbacks(Callback... cbs) {
            this.callbacks.addAll(List.of(cbs));
            return this;
        }

        /** {@code verbose}: 0 silent, 1 (default) one line per epoch. */
        public Builder verbose(int v) {
            this.verbose = v;
            return this;
        }

        /** Where progress lines go (default {@code System.out}). */
        public Builder out(PrintStream v) {
            this.out = v;
            return this;
        }

        /** The options. */
        public FitOptions build() {
            return new FitOptions(epochs, batchSize, shuffle, seed, validationSplit, validationX, validationY,
                    callbacks, verbose, out);
        }
    }
}
