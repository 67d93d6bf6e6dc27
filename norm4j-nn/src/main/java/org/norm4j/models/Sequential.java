package org.norm4j.models;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import org.norm4j.DType;
import org.norm4j.GradientTape;
import org.norm4j.Shape;
import org.norm4j.StepArrays;
import org.norm4j.Tensor;
import org.norm4j.Variable;
import org.norm4j.layers.Input;
import org.norm4j.layers.Layer;
import org.norm4j.losses.Loss;
import org.norm4j.losses.Losses;
import org.norm4j.metrics.Metric;
import org.norm4j.metrics.Metrics;
import org.norm4j.optimizers.Optimizer;
import org.norm4j.optimizers.Optimizers;

/**
 * {@code keras.Sequential}: a stack of layers, each feeding the next, with {@code compile}, {@code fit},
 * {@code evaluate}, {@code predict} and {@code summary}.
 *
 * <pre>{@code
 * Sequential model = new Sequential(
 *         new Input(784),
 *         new BatchNormalization(),
 *         new Dense(128, "relu"),
 *         new BatchNormalization(),
 *         new Dense(10, "softmax"));
 * model.compile("adam", "categorical_crossentropy", "accuracy");
 * History h = model.fit(x, y, FitOptions.builder().epochs(10).build());
 * }</pre>
 */
public class Sequential {
    private String name = "sequential";
    private final List<Layer> layers = new ArrayList<>();
    private int[] inputShape;
    private Optimizer optimizer;
    private Loss loss;
    private List<Metric> metrics = List.of();
    private boolean stopTraining;

    /** A model with the given layers (an {@link Input} first fixes the input shape). */
    public Sequential(Layer... layers) {
        for (Layer l : layers) {
            add(l);
        }
    }

    /** Appends a layer ({@code model.add}). */
    public Sequential add(Layer layer) {
        Objects.requireNonNull(layer, "layer must not be null");
        if (layer instanceof Input) {
            if (!layers.isEmpty()) {
                throw new IllegalArgumentException("Input layer '" + layer.name()
                        + "' added after other layers: expected Input only as the first layer");
            }
            inputShape = ((Input) layer).batchShape();
        }
        layers.add(layer);
        if (inputShape != null) {
            build(inputShape);
        }
        return this;
    }

    /**
     * Builds every layer for inputs of {@code batchShape} (batch dimension -1 or any size), inferring each
     * layer's input from the previous layer's {@code computeOutputShape}. Without arguments ({@code build()}) it
     * builds for the shape of the model's {@code Input} layer.
     *
     * @throws IllegalArgumentException if {@code batchShape} is empty and the model has no {@code Input} layer
     */
    public Sequential build(int... batchShape) {
        Objects.requireNonNull(batchShape, "batchShape must not be null");
        if (batchShape.length == 0) {
            if (inputShape == null) {
                throw new IllegalArgumentException("build(): batchShape is empty and model '" + name + "' has no "
                        + "Input layer: expected the input shape with its batch dimension, e.g. build(-1, 784)");
            }
            batchShape = inputShape;
        }
        this.inputShape = batchShape.clone();
        this.inputShape[0] = -1;
        int[] s = this.inputShape;
        for (Layer l : layers) {
            l.buildFor(s);
            s = l.computeOutputShape(s);
        }
        return this;
    }

    /** Runs the layers in order ({@code model(x, training=...)}). */
    public Tensor call(Tensor x, boolean training) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("model '" + name + "' has no layers: expected add() first");
        }
        if (inputShape == null) {
            build(x.shape().dims());
        }
        Tensor h = x;
        for (Layer l : layers) {
            h = l.apply(h, training);
        }
        return h;
    }

    // ---- compile -----------------------------------------------------------------------------------

    /** {@code model.compile(optimizer, loss, metrics)}. */
    public Sequential compile(Optimizer optimizer, Loss loss, List<Metric> metrics) {
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer must not be null");
        this.loss = Objects.requireNonNull(loss, "loss must not be null");
        this.metrics = List.copyOf(metrics);
        return this;
    }

    /** {@code model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])}. */
    public Sequential compile(String optimizer, String loss, String... metrics) {
        Loss l = Losses.get(loss);
        List<Metric> ms = new ArrayList<>();
        for (String m : metrics) {
            ms.add(Metrics.get(m, l));
        }
        return compile(Optimizers.get(optimizer), l, ms);
    }

    /** {@code model.compile(optimizer, loss, metrics=[...])} with a configured optimizer. */
    public Sequential compile(Optimizer optimizer, String loss, String... metrics) {
        Loss l = Losses.get(loss);
        List<Metric> ms = new ArrayList<>();
        for (String m : metrics) {
            ms.add(Metrics.get(m, l));
        }
        return compile(optimizer, l, ms);
    }

    private void requireCompiled(String what) {
        if (optimizer == null || loss == null) {
            throw new IllegalStateException("You must call compile() before " + what + " on model '" + name
                    + "': expected model.compile(optimizer, loss, metrics...) first");
        }
    }

    // ---- fit / evaluate / predict ------------------------------------------------------------------

    /** {@code model.fit(x, y, epochs=epochs, batch_size=batchSize)} with the other Keras defaults. */
    public History fit(Tensor x, Tensor y, int epochs, int batchSize) {
        return fit(x, y, FitOptions.builder().epochs(epochs).batchSize(batchSize).build());
    }

    /**
     * {@code model.fit(x, y, ...)}: trains and returns the per-epoch history. Each step copies its batch rows into
     * arrays that the next full-size step overwrites (no new, zeroed batch arrays per step), and once every layer is
     * built, the steps run inside a {@link StepArrays}: the arrays its ops allocate (activations, gradients, the
     * normalizations' per-channel scratch) are handed to the next step again, zero-filled, instead of new ones
     * (same bits; about a fifth of the allocation of an epoch of the seed model remains). So a tensor made during
     * a step (a batch, an activation, a gradient) is valid during its own step only: a custom layer, loss or
     * metric must not keep one beyond the step (copy it, or keep numbers; variables copy what they are assigned).
     */
    public History fit(Tensor x, Tensor y, FitOptions options) {
        requireCompiled("fit");
        checkXY(x, y, "fit");
        Tensor trainX = x;
        Tensor trainY = y;
        Tensor valX = options.validationX();
        Tensor valY = options.validationY();
        if (valX != null) {
            checkXY(valX, valY, "validation_data");
        } else if (options.validationSplit() > 0) {
            int n = x.shape().dim(0);
            int split = (int) (n * (1 - options.validationSplit()));
            if (split == 0 || split == n) {
                throw new IllegalArgumentException("validation_split = " + options.validationSplit() + " of " + n
                        + " samples leaves an empty training or validation set: expected both non-empty");
            }
            trainX = x.slice(0, split);
            trainY = y.slice(0, split);
            valX = x.slice(split, n);
            valY = y.slice(split, n);
        }
        int n = trainX.shape().dim(0);
        int bs = options.batchSize();
        int steps = (n + bs - 1) / bs;
        History history = new History();
        stopTraining = false;
        for (Callback cb : options.callbacks()) {
            cb.onTrainBegin(this);
        }
        List<Variable> trainable = trainableWeights();
        BatchArrays batches = new BatchArrays(trainX, trainY, Math.min(bs, n));
        StepArrays arrays = new StepArrays();
        for (int epoch = 0; epoch < options.epochs() && !stopTraining; epoch++) {
            long t0 = System.nanoTime();
            int[] order = order(n, options.shuffle(), options.seed(), epoch);
            double lossSum = 0;
            long seen = 0;
            for (Metric m : metrics) {
                m.resetState();
            }
            for (int step = 0; step < steps; step++) {
                int from = step * bs;
                int to = Math.min(n, from + bs);
                Tensor xb = batches.x(trainX, order, from, to);
                Tensor yb = batches.y(trainY, order, from, to);
                List<Variable> vars = trainable;
                Supplier<Step> body = () -> {
                    Step st = trainStep(xb, yb, vars);
                    for (Metric m : metrics) {
                        m.updateState(yb, st.pred());
                    }
                    return st;
                };
                Step st = allBuilt() ? arrays.step(body) : body.get();
                trainable = st.trainable();
                lossSum += st.lossValue() * (to - from);
                seen += to - from;
                if (!options.callbacks().isEmpty()) {
                    Map<String, Double> logs = logs(lossSum / seen);
                    for (Callback cb : options.callbacks()) {
                        cb.onBatchEnd(this, epoch, step + 1, steps, logs);
                    }
                }
            }
            Map<String, Double> logs = logs(lossSum / seen);
            if (valX != null) {
                Map<String, Double> val = evaluate(valX, valY, bs);
                val.forEach((k, v) -> logs.put("val_" + k, v));
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            history.append(logs, seconds);
            if (options.verbose() > 0) {
                options.out().println(progressLine(epoch, options.epochs(), steps, seconds, logs));
            }
            for (Callback cb : options.callbacks()) {
                cb.onEpochEnd(this, epoch, logs);
            }
        }
        for (Callback cb : options.callbacks()) {
            cb.onTrainEnd(this);
        }
        return history;
    }

    /**
     * One training step on a batch: the forward pass and the loss (plus the layers' regularization losses, as
     * Keras adds {@code model.losses}) under a tape, the gradients, the optimizer's update, then the weight
     * constraints (Keras's optimizers project constrained weights after each update). {@code trainable} is the
     * list of trainable weights, empty until the first call has built the layers. The weights' values read by the
     * forward pass are used only inside the tape block ({@link Variable#readsWithin}), so the optimizer updates
     * them in place without first copying them; a gradient or prediction that shares a weight's array (a layer
     * that returns a weight as is) keeps the copy.
     */
    private Step trainStep(Tensor xb, Tensor yb, List<Variable> trainable) {
        Step st = Variable.readsWithin(() -> {
            List<Variable> vars = trainable;
            try (GradientTape tape = new GradientTape()) {
                Tensor pred = call(xb, true);
                Tensor lossValue = loss.call(yb, pred);
                for (Layer l : layers) {
                    for (Tensor penalty : l.losses()) {
                        lossValue = lossValue.add(penalty);
                    }
                }
                if (vars.isEmpty()) {
                    vars = trainableWeights(); // layers are built lazily by the first call
                }
                return new Step(pred, lossValue, tape.gradient(lossValue, vars), vars);
            }
        });
        for (Variable v : st.trainable()) {
            boolean shared = v.sharesArrayWith(st.pred()) || v.sharesArrayWith(st.loss());
            for (Tensor g : st.grads()) {
                shared |= v.sharesArrayWith(g);
            }
            if (shared) {
                v.value(); // read outside the step: the update copies first, as without readsWithin
            }
        }
        optimizer.applyGradients(st.grads(), st.trainable());
        for (Layer l : layers) {
            l.applyConstraints();
        }
        return st;
    }

    /**
     * What a training step leaves: the batch's predictions, loss and gradients, the trainable weights, and the
     * loss as a number (read inside the step: the tensors are valid during their step only).
     */
    private record Step(Tensor pred, Tensor loss, List<Tensor> grads, List<Variable> trainable, double lossValue) {
        Step(Tensor pred, Tensor loss, List<Tensor> grads, List<Variable> trainable) {
            this(pred, loss, grads, trainable, loss.item());
        }
    }

    /** Whether every layer is built: from then on a step creates no lasting state and its arrays can be recycled. */
    private boolean allBuilt() {
        for (Layer l : layers) {
            if (!l.built()) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Double> logs(double meanLoss) {
        Map<String, Double> logs = new LinkedHashMap<>();
        logs.put("loss", meanLoss);
        for (Metric m : metrics) {
            logs.put(m.name(), m.result());
        }
        return logs;
    }

    static String progressLine(int epoch, int epochs, int steps, double seconds, Map<String, Double> logs) {
        StringBuilder sb = new StringBuilder();
        sb.append("Epoch ").append(epoch + 1).append('/').append(epochs).append(" - ").append(steps).append('/')
                .append(steps).append(" - ").append(String.format(Locale.ROOT, "%.1fs", seconds));
        for (Map.Entry<String, Double> e : logs.entrySet()) {
            sb.append(" - ").append(e.getKey()).append(": ").append(String.format(Locale.ROOT, "%.4f", e.getValue()));
        }
        return sb.toString();
    }

    /**
     * {@code model.evaluate(x, y, batch_size)} in inference mode: the mean loss and every compiled metric.
     */
    public Map<String, Double> evaluate(Tensor x, Tensor y, int batchSize) {
        requireBatchSize(batchSize, "evaluate");
        requireCompiled("evaluate");
        checkXY(x, y, "evaluate");
        int n = x.shape().dim(0);
        double lossSum = 0;
        List<Metric> fresh = metrics;
        for (Metric m : fresh) {
            m.resetState();
        }
        for (int from = 0; from < n; from += batchSize) {
            int to = Math.min(n, from + batchSize);
            Tensor xb = x.slice(from, to);
            Tensor yb = y.slice(from, to);
            Tensor pred = call(xb, false);
            lossSum += loss.call(yb, pred).item() * (to - from);
            for (Metric m : fresh) {
                m.updateState(yb, pred);
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        out.put("loss", lossSum / n);
        for (Metric m : fresh) {
            out.put(m.name(), m.result());
        }
        return out;
    }

    /** {@code model.evaluate(x, y)} with batch size 32. */
    public Map<String, Double> evaluate(Tensor x, Tensor y) {
        return evaluate(x, y, 32);
    }

    /**
     * {@code model.predict(x, batch_size)}: outputs in inference mode, batch by batch, concatenated. An empty
     * {@code x} (0 samples) gives an empty output of the model's output shape, as in Keras.
     *
     * @throws IllegalArgumentException if {@code batchSize < 1} or {@code x} is a scalar
     */
    public Tensor predict(Tensor x, int batchSize) {
        Objects.requireNonNull(x, "x must not be null");
        requireBatchSize(batchSize, "predict");
        if (x.rank() == 0) {
            throw new IllegalArgumentException("predict: x is a scalar: expected a batch (samples along axis 0)");
        }
        int n = x.shape().dim(0);
        if (n == 0) {
            return emptyOutput(x);
        }
        List<Tensor> parts = new ArrayList<>();
        for (int from = 0; from < n; from += batchSize) {
            parts.add(call(x.slice(from, Math.min(n, from + batchSize)), false));
        }
        return concat(parts, n);
    }

    /** {@code model.predict(x)} with batch size 32. */
    public Tensor predict(Tensor x) {
        return predict(x, 32);
    }

    private static void requireBatchSize(int batchSize, String what) {
        if (batchSize < 1) {
            throw new IllegalArgumentException(what + ": batchSize = " + batchSize + ": expected >= 1");
        }
    }

    /** The 0-sample output of an empty input: the output shape is inferred layer by layer, nothing is run. */
    private Tensor emptyOutput(Tensor x) {
        if (layers.isEmpty()) {
            throw new IllegalStateException("model '" + name + "' has no layers: expected add() first");
        }
        if (inputShape == null) {
            build(x.shape().dims());
        }
        int[] s = x.shape().dims();
        s[0] = -1;
        for (Layer l : layers) {
            s = l.computeOutputShape(s);
        }
        s = s.clone();
        s[0] = 0;
        return Tensor.wrapNew(x.dtype(), Shape.of(s));
    }

    private static Tensor concat(List<Tensor> parts, int n) {
        if (parts.size() == 1) {
            return parts.get(0);
        }
        int[] dims = parts.get(0).shape().dims();
        dims[0] = n;
        Shape s = Shape.of(dims);
        Tensor out = Tensor.wrapNew(parts.get(0).dtype(), s);
        int off = 0;
        for (Tensor p : parts) {
            System.arraycopy(p.raw(), 0, out.raw(), off, p.size());
            off += p.size();
        }
        return out;
    }

    private void checkXY(Tensor x, Tensor y, String what) {
        Objects.requireNonNull(x, () -> what + ": x must not be null");
        Objects.requireNonNull(y, () -> what + ": y must not be null");
        if (x.rank() == 0 || y.rank() == 0 || x.shape().dim(0) != y.shape().dim(0)) {
            throw new IllegalArgumentException(what + ": x has shape " + x.shape() + " and y has shape " + y.shape()
                    + ": expected the same number of samples along axis 0");
        }
        if (x.shape().dim(0) == 0) {
            throw new IllegalArgumentException(what + ": x has no samples: expected at least one");
        }
    }

    private static int[] order(int n, boolean shuffle, long seed, int epoch) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            SplittableRandom rnd = new SplittableRandom(seed * 1_000_003L + epoch);
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    /** Rows {@code order[from..to)} of {@code t}, copied into a new batch tensor. */
    static Tensor gather(Tensor t, int[] order, int from, int to) {
        return gather(t, order, from, to, null);
    }

    /**
     * Rows {@code order[from..to)} of {@code t}, copied into {@code dst} (an array of t's element type and exactly
     * the batch's size, whose previous contents do not matter: every element is written) or, when {@code dst} is
     * null, into a new array; wrapped as the batch tensor.
     */
    static Tensor gather(Tensor t, int[] order, int from, int to, Object dst) {
        int[] dims = t.shape().dims();
        int row = t.size() / Math.max(1, dims[0]);
        dims[0] = to - from;
        Shape shape = Shape.of(dims);
        Tensor out = dst == null ? Tensor.wrapNew(t.dtype(), shape)
                : dst instanceof float[] ? Tensor.wrap((float[]) dst, shape) : Tensor.wrap((double[]) dst, shape);
        Object src = t.raw();
        Object data = out.raw();
        for (int i = from; i < to; i++) {
            System.arraycopy(src, order[i] * row, data, (i - from) * row, row);
        }
        return out;
    }

    /**
     * The arrays of one {@code fit}'s full-size batches, reused from step to step: a batch tensor is read only
     * during its own step (the forward pass, the tape, which is closed when the step ends, and the metrics), so the
     * next step may overwrite it. The last, shorter batch of an epoch gets arrays of its own.
     */
    private static final class BatchArrays {
        private final Object x;
        private final Object y;
        private final int batchSize;

        BatchArrays(Tensor x, Tensor y, int batchSize) {
            this.batchSize = batchSize;
            this.x = newArray(x, batchSize);
            this.y = newArray(y, batchSize);
        }

        private static Object newArray(Tensor t, int rows) {
            int n = t.size() / Math.max(1, t.shape().dim(0)) * rows;
            return t.dtype() == DType.FLOAT32 ? new float[n] : new double[n];
        }

        Tensor x(Tensor t, int[] order, int from, int to) {
            return gather(t, order, from, to, to - from == batchSize ? x : null);
        }

        Tensor y(Tensor t, int[] order, int from, int to) {
            return gather(t, order, from, to, to - from == batchSize ? y : null);
        }
    }

    // ---- weights, summary, config ------------------------------------------------------------------

    /** Asks {@code fit} to stop after the current epoch (what EarlyStopping does). */
    public void stopTraining(boolean value) {
        this.stopTraining = value;
    }

    /** The layers in order. */
    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    /** All weights, layer by layer in creation order. */
    public List<Variable> weights() {
        List<Variable> out = new ArrayList<>();
        for (Layer l : layers) {
            out.addAll(l.weights());
        }
        return out;
    }

    /** Trainable weights of all layers. */
    public List<Variable> trainableWeights() {
        List<Variable> out = new ArrayList<>();
        for (Layer l : layers) {
            out.addAll(l.trainableWeights());
        }
        return out;
    }

    /** Non-trainable weights of all layers. */
    public List<Variable> nonTrainableWeights() {
        List<Variable> out = new ArrayList<>();
        for (Layer l : layers) {
            out.addAll(l.nonTrainableWeights());
        }
        return out;
    }

    /** The model's name. */
    public String name() {
        return name;
    }

    /** Renames the model; returns it. */
    public Sequential name(String newName) {
        this.name = Objects.requireNonNull(newName, "name must not be null");
        return this;
    }

    /** The batch input shape the model was built for (batch -1), or null. */
    public int[] inputShape() {
        return inputShape == null ? null : inputShape.clone();
    }

    /** The compiled optimizer, loss and metrics (null before compile). */
    public Optimizer optimizer() {
        return optimizer;
    }

    /** The compiled loss, or null. */
    public Loss loss() {
        return loss;
    }

    /** The compiled metrics. */
    public List<Metric> metrics() {
        return metrics;
    }

    /** {@code model.summary()} as text: layer, output shape, parameter count, and the totals. */
    public String summary() {
        if (inputShape == null) {
            throw new IllegalStateException("model '" + name + "' is not built: expected an Input layer, build(...) "
                    + "or a first call before summary()");
        }
        StringBuilder sb = new StringBuilder();
        String line = "-".repeat(78) + "\n";
        sb.append("Model: \"").append(name).append("\"\n").append(line);
        sb.append(String.format(Locale.ROOT, "%-36s%-26s%16s%n", "Layer (type)", "Output Shape", "Param #"));
        sb.append("=".repeat(78)).append('\n');
        int[] s = inputShape;
        long total = 0;
        long trainable = 0;
        for (Layer l : layers) {
            if (l instanceof Input) {
                continue;
            }
            s = l.computeOutputShape(s);
            long p = l.countParams();
            total += p;
            for (Variable v : l.trainableWeights()) {
                trainable += v.shape().size();
            }
            sb.append(String.format(Locale.ROOT, "%-36s%-26s%,16d%n", l.name() + " (" + l.className() + ")",
                    Layer.showShape(s), p));
        }
        sb.append("=".repeat(78)).append('\n');
        sb.append(String.format(Locale.ROOT, " Total params: %,d (%s)%n", total, bytes(total)));
        sb.append(String.format(Locale.ROOT, " Trainable params: %,d (%s)%n", trainable, bytes(trainable)));
        sb.append(String.format(Locale.ROOT, " Non-trainable params: %,d (%s)%n", total - trainable,
                bytes(total - trainable)));
        return sb.toString();
    }

    private static String bytes(long params) {
        double b = params * 4.0;
        if (b < 1024) {
            return String.format(Locale.ROOT, "%.2f B", b);
        }
        if (b < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.2f KB", b / 1024);
        }
        return String.format(Locale.ROOT, "%.2f MB", b / (1024 * 1024));
    }

    /** Keras-style config: {@code {"name": ..., "layers": [{"class_name": ..., "config": {...}}, ...]}}. */
    public Map<String, Object> getConfig() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("name", name);
        List<Object> ls = new ArrayList<>();
        if (inputShape != null && (layers.isEmpty() || !(layers.get(0) instanceof Input))) {
            Map<String, Object> in = new LinkedHashMap<>();
            in.put("class_name", "InputLayer");
            Map<String, Object> ic = new LinkedHashMap<>();
            List<Object> b = new ArrayList<>();
            b.add(null);
            for (int i = 1; i < inputShape.length; i++) {
                b.add(inputShape[i]);
            }
            ic.put("batch_shape", b);
            ic.put("dtype", "float32");
            ic.put("name", "input_layer");
            in.put("config", ic);
            ls.add(in);
        }
        for (Layer l : layers) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("class_name", l.className());
            e.put("config", l.getConfig());
            ls.add(e);
        }
        c.put("layers", ls);
        return c;
    }

    @Override
    public String toString() {
        return "<Sequential name=" + name + ", layers=" + layers.size() + ", input=" + (inputShape == null ? "?"
                : Arrays.toString(inputShape)) + ">";
    }

    /** Element type of the model's computations. */
    public DType dtype() {
        return DType.FLOAT32;
    }
}
