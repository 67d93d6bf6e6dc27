package org.norm4j;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.norm4j.ops.Elementwise;
import org.norm4j.ops.Manipulation;
import org.norm4j.ops.Reductions;

/**
 * Records operations for reverse-mode automatic differentiation, like TensorFlow's eager
 * {@code tf.GradientTape}.
 *
 * <p>Ops run eagerly. While a tape is open (between its construction and {@link #close()}), every
 * differentiable op in {@code org.norm4j.ops} whose inputs include a tensor the tape <em>tracks</em> appends one
 * entry (inputs, outputs, backward function) to the tape, and its outputs become tracked too. A tensor is
 * tracked once it is {@link #watch(Tensor) watched}, is the value read from a trainable {@link Variable} (TF
 * watches trainable variables automatically; see {@link #GradientTape(boolean, boolean)}), or is produced by a
 * recorded op. {@link #gradient} walks the entries in reverse order, iteratively, and accumulates the gradient
 * of every tracked tensor with {@link Elementwise#add}; where an op broadcast an input, the engine sums the
 * incoming gradient back to that input's shape, once, so the ops' backward functions never do.
 *
 * <pre>{@code
 * Variable w = new Variable(Tensor.randomNormal(DType.FLOAT32, 0, 1, 42, 3, 2), "w", true);
 * Tensor x = Tensor.ones(DType.FLOAT32, 4, 3);
 * Tensor loss;
 * try (GradientTape tape = new GradientTape()) {
 *     loss = x.matmul(w.value()).square().mean();
 *     List<Tensor> grads = tape.gradient(loss, List.of(w));
 * }
 * }</pre>
 *
 * <p><b>Semantics, as in TensorFlow.</b>
 * <ul>
 *   <li>A non-scalar target without {@code outputGradients} is differentiated as {@code sum(target)}: the seed
 *       is a tensor of ones of the target's shape.</li>
 *   <li>A source that the target does not depend on (or that the tape never tracked) gets {@code null}, TF's
 *       {@code None}; pass {@link UnconnectedGradients#ZERO} to get zeros instead.</li>
 *   <li>A non-persistent tape answers one {@code gradient} call, then releases its entries; a second call throws
 *       {@link IllegalStateException}. {@link #persistent()} tapes can be asked any number of times.</li>
 *   <li>{@code gradient} may be called after {@link #close()}; recording stops at close.</li>
 *   <li>Tapes are thread-confined: each thread has its own stack of open tapes, and ops record only on the
 *       tapes of the thread that runs them.</li>
 * </ul>
 *
 * <p><b>Nested tapes and higher order.</b> Every open tape records independently, so an outer tape sees the
 * computations an inner tape saw. While a tape computes gradients it stops recording on itself, but every other
 * open tape records the ops the backward pass runs. Backward functions of the elementwise ops, reductions,
 * manipulations, {@code matmul}, {@link org.norm4j.ops.Activations} and {@code Nn.moments} are themselves built
 * from recorded ops, so an outer tape can differentiate a gradient computed by an inner tape (second and higher
 * order). The fused backward passes of {@code Nn.fusedBatchNorm} and {@code Nn.localResponseNormalization} run
 * the raw ops {@code FusedBatchNormGradV3} and {@code LRNGrad}, which have no gradient here: an outer tape that
 * needs to differentiate through one of them throws {@link UnsupportedOperationException} naming the op, rather
 * than returning a wrong answer. {@code Nn.batchNormalization}, {@code l2Normalize}, {@code standardize} and
 * {@code weightedMoments} are composed of recorded ops and support higher order.
 *
 * <p><b>Cost when no tape is open.</b> Each op pays one volatile read ({@link #anyRecording()}), no allocation.
 * With a tape open on the thread, an op also reads a thread-local and checks its inputs against each open
 * tape's identity set.
 */
public final class GradientTape implements AutoCloseable {

    /** What {@link #gradient} returns for a source the target does not depend on (TF's {@code tf.UnconnectedGradients}). */
    public enum UnconnectedGradients {
        /** {@code null}, TF's {@code None} (the default). */
        NONE,
        /** A tensor of zeros shaped like the source. */
        ZERO
    }

    /**
     * The backward function of a recorded op with several outputs.
     */
    @FunctionalInterface
    public interface Backward {
        /**
         * Gradients of the target with respect to the op's inputs.
         *
         * @param upstream the gradient of the target with respect to each output, {@code null} for outputs the
         *     target does not depend on (at least one is non-null)
         * @param needed which inputs need a gradient; the function may return {@code null} for the others
         * @return one gradient per input (or {@code null}); each either has the input's shape or the shape the
         *     input was broadcast to in the forward pass (the engine sums it back)
         */
        Tensor[] apply(Tensor[] upstream, boolean[] needed);
    }

    /** The backward function of a recorded op with one output. */
    @FunctionalInterface
    public interface SingleBackward {
        /**
         * Gradients of the target with respect to the op's inputs; see {@link Backward#apply}.
         *
         * @param upstream the gradient of the target with respect to the output, never null
         * @param needed which inputs need a gradient
         * @return one gradient per input (or {@code null})
         */
        Tensor[] apply(Tensor upstream, boolean[] needed);
    }

    /** One recorded op; shared by all tapes that record it. */
    private static final class Entry {
        final String op;
        final Tensor[] inputs;
        final Tensor[] outputs;
        final Backward backward;

        Entry(String op, Tensor[] inputs, Tensor[] outputs, Backward backward) {
            this.op = op;
            this.inputs = inputs;
            this.outputs = outputs;
            this.backward = backward;
        }
    }

    /** Number of tapes opened and not yet closed, over all threads: the one check every op pays. */
    private static final AtomicInteger OPEN = new AtomicInteger();
    /** The innermost open tape of this thread; tapes link outwards through {@link #outer}. */
    private static final ThreadLocal<GradientTape> TOP = new ThreadLocal<>();

    private final boolean persistent;
    private final boolean watchAccessedVariables;
    private final Thread owner;
    private GradientTape outer;
    private boolean closed;
    private boolean consumed;
    private int paused;
    private List<Entry> entries = new ArrayList<>();
    private Set<Tensor> tracked = Collections.newSetFromMap(new IdentityHashMap<>());
    /** Variables read while recording, in order of first access, with every value snapshot read. */
    private Map<Variable, List<Tensor>> variableReads = new LinkedHashMap<>();
    private Set<Variable> watchedVariables = Collections.newSetFromMap(new IdentityHashMap<>());

    /** A non-persistent tape that watches trainable variables automatically ({@code tf.GradientTape()}). */
    public GradientTape() {
        this(false, true);
    }

    /**
     * {@code tf.GradientTape(persistent, watch_accessed_variables)}; recording starts now, on this thread.
     *
     * @param persistent whether {@link #gradient} may be called more than once
     * @param watchAccessedVariables whether reading a trainable {@link Variable} while recording watches it
     */
    public GradientTape(boolean persistent, boolean watchAccessedVariables) {
        this.persistent = persistent;
        this.watchAccessedVariables = watchAccessedVariables;
        this.owner = Thread.currentThread();
        this.outer = TOP.get();
        TOP.set(this);
        OPEN.incrementAndGet();
    }

    /** {@code tf.GradientTape(persistent=True)}: gradients may be computed any number of times. */
    public static GradientTape persistent() {
        return new GradientTape(true, true);
    }

    /** Whether this tape is persistent. */
    public boolean isPersistent() {
        return persistent;
    }

    /** Whether this tape records ops now: open, not paused, not computing gradients, not consumed. */
    public boolean isRecording() {
        return !closed && paused == 0 && !consumed;
    }

    // ---- watching -------------------------------------------------------------------------------------

    /**
     * {@code tape.watch(tensor)}: ops on {@code t} recorded from now on are differentiated with respect to it.
     *
     * @return {@code t}
     */
    public Tensor watch(Tensor t) {
        Objects.requireNonNull(t, "tensor to watch must not be null");
        checkNotConsumed("watch");
        tracked.add(t);
        return t;
    }

    /** Watches each tensor; see {@link #watch(Tensor)}. */
    public void watch(Tensor... ts) {
        Objects.requireNonNull(ts, "tensors to watch must not be null");
        for (Tensor t : ts) {
            watch(t);
        }
    }

    /**
     * {@code tape.watch(variable)}: every read of {@code v} while this tape records is watched, trainable or
     * not; its current value is watched now.
     */
    public void watch(Variable v) {
        Objects.requireNonNull(v, "variable to watch must not be null");
        checkNotConsumed("watch");
        watchedVariables.add(v);
        noteRead(v, v.peek());
    }

    /** {@code tape.watched_variables()}: the variables read or watched on this tape, in order of first access. */
    public List<Variable> watchedVariables() {
        return variableReads == null ? List.of() : List.copyOf(variableReads.keySet());
    }

    /** Called by {@link Variable#value()} when a tape may be open on this thread. */
    static void onVariableRead(Variable v, Tensor value) {
        for (GradientTape t = TOP.get(); t != null; t = t.outer) {
            if (t.isRecording() && ((t.watchAccessedVariables && v.trainable()) || t.watchedVariables.contains(v))) {
                t.noteRead(v, value);
            }
        }
    }

    private void noteRead(Variable v, Tensor value) {
        tracked.add(value);
        List<Tensor> reads = variableReads.computeIfAbsent(v, k -> new ArrayList<>(1));
        for (Tensor r : reads) {
            if (r == value) {
                return;
            }
        }
        reads.add(value);
    }

    // ---- recording (for op implementers) --------------------------------------------------------------

    /**
     * True if a tape may record on this thread: the single check an op makes before building its backward
     * function. One volatile read when no tape is open anywhere; no allocation.
     */
    public static boolean anyRecording() {
        if (OPEN.get() == 0) {
            return false;
        }
        for (GradientTape t = TOP.get(); t != null; t = t.outer) {
            if (t.isRecording()) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if a recording tape of this thread tracks one of {@code ts}: the op using them will be recorded.
     * Lets fused ops choose a recordable path only when a gradient can be asked for.
     */
    public static boolean anyTracked(Tensor... ts) {
        if (!anyRecording()) {
            return false;
        }
        for (GradientTape t = TOP.get(); t != null; t = t.outer) {
            if (t.isRecording() && t.tracksAny(ts)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Records an op with one output on every recording tape that tracks one of its inputs, like TF's
     * {@code tape.record_operation}. Call it after computing {@code output}, inside
     * {@code if (GradientTape.anyRecording())}. Null inputs (absent optional arguments) are allowed.
     *
     * @param op the TensorFlow op name, used in error messages
     * @param output the op's result
     * @param backward computes the gradients of the inputs from the gradient of the output
     * @param inputs the op's tensor inputs, in the order {@code backward} returns their gradients
     */
    public static void record(String op, Tensor output, SingleBackward backward, Tensor... inputs) {
        Objects.requireNonNull(backward, "backward must not be null");
        record(op, inputs, new Tensor[] {output}, (g, needed) -> backward.apply(g[0], needed));
    }

    /** Records an op with several outputs; see {@link #record(String, Tensor, SingleBackward, Tensor...)}. */
    public static void record(String op, Tensor[] inputs, Tensor[] outputs, Backward backward) {
        Objects.requireNonNull(op, "op must not be null");
        Objects.requireNonNull(inputs, "inputs must not be null");
        Objects.requireNonNull(outputs, "outputs must not be null");
        Objects.requireNonNull(backward, "backward must not be null");
        if (OPEN.get() == 0) {
            return;
        }
        Entry e = null;
        for (GradientTape t = TOP.get(); t != null; t = t.outer) {
            if (t.isRecording() && t.tracksAny(inputs)) {
                if (e == null) {
                    e = new Entry(op, inputs.clone(), outputs.clone(), backward);
                }
                t.entries.add(e);
                for (Tensor o : outputs) {
                    if (o != null) {
                        t.tracked.add(o);
                    }
                }
            }
        }
    }

    /**
     * Records an op that has no gradient (TF: no gradient registered), so that a tape which needs to
     * differentiate through it fails with a clear message instead of silently dropping a term.
     */
    public static void recordNoGradient(String op, Tensor[] inputs, Tensor... outputs) {
        record(op, inputs, outputs, (g, needed) -> {
            throw new UnsupportedOperationException("No gradient defined for op " + op
                    + ": norm4j does not differentiate it (used as a backward pass, it supports first-order "
                    + "gradients only)");
        });
    }

    private boolean tracksAny(Tensor[] ts) {
        for (Tensor t : ts) {
            if (t != null && tracked.contains(t)) {
                return true;
            }
        }
        return false;
    }

    // ---- pausing and closing --------------------------------------------------------------------------

    /** A pause in recording, ended by {@link #close()}; see {@link #stopRecording()}. */
    public interface Paused extends AutoCloseable {
        /** Resumes recording (idempotent). */
        @Override
        void close();
    }

    /**
     * {@code tape.stop_recording()}: ops run until the returned handle is closed are not recorded on this tape
     * (other tapes are unaffected).
     *
     * <pre>{@code try (GradientTape.Paused p = tape.stopRecording()) { ... } }</pre>
     */
    public Paused stopRecording() {
        paused++;
        boolean[] done = {false};
        return () -> {
            if (!done[0]) {
                done[0] = true;
                paused--;
            }
        };
    }

    /** {@code tape.reset()}: forgets everything recorded and watched so far; recording continues. */
    public void reset() {
        checkNotConsumed("reset");
        entries = new ArrayList<>();
        tracked = Collections.newSetFromMap(new IdentityHashMap<>());
        variableReads = new LinkedHashMap<>();
    }

    /** Stops recording and removes this tape from its thread's stack. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        OPEN.decrementAndGet();
        if (Thread.currentThread() == owner) {
            GradientTape top = TOP.get();
            if (top == this) {
                TOP.set(outer);
                if (outer == null) {
                    TOP.remove();
                }
            } else {
                for (GradientTape t = top; t != null; t = t.outer) {
                    if (t.outer == this) {
                        t.outer = outer;
                        break;
                    }
                }
            }
        }
        // closed on another thread: the owner's stack skips it (isRecording() is false)
    }

    private void checkNotConsumed(String what) {
        if (consumed) {
            throw new IllegalStateException(what + "() on a non-persistent GradientTape whose gradient() was "
                    + "already computed: a non-persistent tape can only be used to compute one set of gradients; "
                    + "use GradientTape.persistent() to call gradient() several times");
        }
    }

    // ---- gradients ------------------------------------------------------------------------------------

    /**
     * {@code tape.gradient(target, sources)}: the gradient of {@code target} (of {@code sum(target)} when it is
     * not a scalar) with respect to each source; {@code null} for a source the target does not depend on.
     *
     * @throws IllegalStateException if this tape is not persistent and already computed gradients
     */
    public Tensor[] gradient(Tensor target, Tensor... sources) {
        return gradient(target, sources, null, UnconnectedGradients.NONE);
    }

    /**
     * {@code tape.gradient(target, sources, output_gradients)}: with a seed, the vector-Jacobian product
     * {@code outputGradients^T * d target / d source}.
     *
     * @param outputGradients the gradient of the final loss with respect to {@code target}, of the target's
     *     shape and dtype; {@code null} means ones (the gradient of {@code sum(target)})
     */
    public Tensor[] gradient(Tensor target, Tensor[] sources, Tensor outputGradients) {
        return gradient(target, sources, outputGradients, UnconnectedGradients.NONE);
    }

    /**
     * {@code tape.gradient(target, sources, output_gradients, unconnected_gradients)}.
     *
     * @param unconnected what to return for a source the target does not depend on
     */
    public Tensor[] gradient(Tensor target, Tensor[] sources, Tensor outputGradients,
            UnconnectedGradients unconnected) {
        Objects.requireNonNull(sources, "sources must not be null");
        for (int i = 0; i < sources.length; i++) {
            Objects.requireNonNull(sources[i], "sources[" + i + "] must not be null");
        }
        Map<Tensor, Tensor> g = backprop(target, sources, outputGradients, unconnected);
        Tensor[] out = new Tensor[sources.length];
        for (int i = 0; i < sources.length; i++) {
            out[i] = orZero(g.get(sources[i]), sources[i], unconnected);
        }
        return out;
    }

    /**
     * {@code tape.gradient(target, variables)}: the gradient with respect to each variable, summed over every
     * value of it read while recording (a variable assigned and read again inside the tape gets both terms, as
     * in TF); {@code null} for a variable the target does not depend on or the tape never watched.
     */
    public List<Tensor> gradient(Tensor target, List<Variable> variables) {
        return gradient(target, variables, null, UnconnectedGradients.NONE);
    }

    /** {@link #gradient(Tensor, List)} with a seed and a policy for unconnected variables. */
    public List<Tensor> gradient(Tensor target, List<Variable> variables, Tensor outputGradients,
            UnconnectedGradients unconnected) {
        Objects.requireNonNull(variables, "variables must not be null");
        List<Tensor> sources = new ArrayList<>();
        List<List<Tensor>> reads = new ArrayList<>(variables.size());
        for (int i = 0; i < variables.size(); i++) {
            Variable v = Objects.requireNonNull(variables.get(i), "variables[" + i + "] must not be null");
            List<Tensor> r = variableReads == null ? null : variableReads.get(v);
            reads.add(r == null ? List.of() : List.copyOf(r));
            sources.addAll(reads.get(i));
        }
        Map<Tensor, Tensor> g = backprop(target, sources.toArray(new Tensor[0]), outputGradients, unconnected);
        List<Tensor> out = new ArrayList<>(variables.size());
        for (int i = 0; i < variables.size(); i++) {
            Tensor sum = null;
            for (Tensor r : reads.get(i)) {
                Tensor gr = g.get(r);
                if (gr != null) {
                    sum = sum == null ? gr : Elementwise.add(sum, gr);
                }
            }
            Variable v = variables.get(i);
            out.add(sum != null || unconnected == UnconnectedGradients.NONE ? sum
                    : Tensor.zeros(v.dtype(), v.shape().dims()));
        }
        return out;
    }

    private static Tensor orZero(Tensor g, Tensor source, UnconnectedGradients unconnected) {
        if (g != null || unconnected != UnconnectedGradients.ZERO) {
            return g;
        }
        return Tensor.zeros(source.dtype(), source.shape().dims());
    }

    /** The reverse walk. Returns the gradient of every source reached (identity map). */
    private Map<Tensor, Tensor> backprop(Tensor target, Tensor[] sources, Tensor seed,
            UnconnectedGradients unconnected) {
        Objects.requireNonNull(target, "target must not be null");
        Objects.requireNonNull(unconnected, "unconnected must not be null");
        checkNotConsumed("gradient");
        if (seed != null && (!seed.shape().equals(target.shape()) || seed.dtype() != target.dtype())) {
            throw new IllegalArgumentException("outputGradients has shape " + seed.shape() + " and dtype "
                    + seed.dtype().pyName() + ": expected the target's shape " + target.shape() + " and dtype "
                    + target.dtype().pyName());
        }
        if (!persistent) {
            consumed = true; // a second call fails even if this one throws
        }
        List<Entry> tape = entries;
        Set<Tensor> trackedNow = tracked;
        if (!persistent) {
            release();
        }
        paused++; // the ops run by backward functions are recorded on other open tapes only
        try {
            return walk(tape, trackedNow, target, sources, seed);
        } finally {
            paused--;
        }
    }

    private void release() {
        entries = List.of();
        tracked = Collections.newSetFromMap(new IdentityHashMap<>());
        variableReads = null;
        watchedVariables = Collections.newSetFromMap(new IdentityHashMap<>());
    }

    private static Map<Tensor, Tensor> walk(List<Entry> tape, Set<Tensor> trackedNow, Tensor target,
            Tensor[] sources, Tensor seed) {
        Map<Tensor, Tensor> grads = new IdentityHashMap<>();
        if (!trackedNow.contains(target)) {
            return grads; // the target does not depend on anything watched
        }
        Set<Tensor> sourceSet = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Tensor> relevant = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Tensor s : sources) {
            sourceSet.add(s);
            if (trackedNow.contains(s)) {
                relevant.add(s);
            }
        }
        // forward sweep: which entries depend on a source (the others need no backward pass)
        int n = tape.size();
        boolean[] useful = new boolean[n];
        for (int i = 0; i < n; i++) {
            Entry e = tape.get(i);
            for (Tensor in : e.inputs) {
                if (in != null && relevant.contains(in)) {
                    useful[i] = true;
                    break;
                }
            }
            if (useful[i]) {
                for (Tensor o : e.outputs) {
                    if (o != null) {
                        relevant.add(o);
                    }
                }
            }
        }
        if (!relevant.contains(target)) {
            return grads;
        }
        grads.put(target, seed != null ? seed : Tensor.ones(target.dtype(), target.shape().dims()));
        // reverse sweep over the ordered tape
        for (int i = n - 1; i >= 0; i--) {
            if (!useful[i]) {
                continue;
            }
            Entry e = tape.get(i);
            Tensor[] upstream = new Tensor[e.outputs.length];
            boolean any = false;
            for (int k = 0; k < upstream.length; k++) {
                Tensor o = e.outputs[k];
                if (o != null) {
                    upstream[k] = sourceSet.contains(o) ? grads.get(o) : grads.remove(o);
                    any |= upstream[k] != null;
                }
            }
            if (!any) {
                continue;
            }
            boolean[] needed = new boolean[e.inputs.length];
            for (int k = 0; k < needed.length; k++) {
                needed[k] = e.inputs[k] != null && relevant.contains(e.inputs[k]);
            }
            Tensor[] down = e.backward.apply(upstream, needed);
            if (down == null || down.length != e.inputs.length) {
                throw new IllegalStateException("backward function of " + e.op + " returned "
                        + (down == null ? "null" : down.length + " gradients") + ": expected " + e.inputs.length);
            }
            for (int k = 0; k < down.length; k++) {
                if (needed[k] && down[k] != null) {
                    Tensor in = e.inputs[k];
                    grads.merge(in, sumToShape(down[k], in, e.op), Elementwise::add);
                }
            }
        }
        return grads;
    }

    /**
     * Undoes broadcasting: sums {@code g} over the axes along which {@code input} was broadcast to g's shape,
     * then reshapes it to the input's shape. The only place in norm4j where broadcasting is undone.
     */
    static Tensor sumToShape(Tensor g, Tensor input, String op) {
        Shape target = input.shape();
        if (g.shape().equals(target)) {
            return g;
        }
        int[] gd = g.shape().dims();
        int[] td = target.dims();
        int lead = gd.length - td.length;
        boolean ok = lead >= 0;
        for (int i = 0; ok && i < td.length; i++) {
            ok = td[i] == gd[i + lead] || td[i] == 1;
        }
        if (!ok) {
            throw new IllegalStateException("backward function of " + op + " returned a gradient of shape "
                    + g.shape() + " for an input of shape " + target + ": expected the input's shape or a shape "
                    + "it broadcasts to");
        }
        int[] axes = new int[gd.length];
        int count = 0;
        for (int i = 0; i < gd.length; i++) {
            if (i < lead || (td[i - lead] == 1 && gd[i] != 1)) {
                axes[count++] = i;
            }
        }
        Tensor s = Reductions.sum(g, java.util.Arrays.copyOf(axes, count), true);
        return Manipulation.reshape(s, td);
    }
}
