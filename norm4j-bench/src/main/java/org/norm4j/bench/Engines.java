package org.norm4j.bench;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The engines and their variants: which class implements each, the JVM flags and environment of its forked
 * JVM, the ops it has, and which class path it needs ({@code main}: norm4j, TensorFlow Java and DJL;
 * {@code nd4j}: ND4J, whose JavaCPP clashes with TensorFlow's). A new variant is one more entry here.
 */
public final class Engines {
    /** Environment that shows native engines' kernels without glibc handing out fresh mmap pages per call. */
    public static final Map<String, String> KERNEL_VIEW_ENV = Map.of("MALLOC_MMAP_MAX_", "0",
            "MALLOC_TRIM_THRESHOLD_", "4294967296", "MALLOC_TOP_PAD_", "1073741824", "OMP_NUM_THREADS", "2",
            "TF_CPP_MIN_LOG_LEVEL", "2");
    /** The same without the malloc settings: what a user of the native engine gets by default. */
    public static final Map<String, String> SHIPPED_ENV = Map.of("OMP_NUM_THREADS", "2", "TF_CPP_MIN_LOG_LEVEL", "2");

    /**
     * One engine variant.
     *
     * @param id the name used on command lines and in results
     * @param className the {@link Engine} implementation
     * @param classPath "main" or "nd4j"
     * @param jvmArgs flags appended to the forked JVM's command line
     * @param env environment of the forked JVM (on top of the driver's)
     * @param ops the workloads it can run
     * @param peer true for the engines norm4j is compared with
     */
    public record Spec(String id, String className, String classPath, List<String> jvmArgs, Map<String, String> env,
            Set<Op> ops, boolean peer) {
        /** True if this variant runs workload {@code w}. */
        public boolean runs(Workload w) {
            return ops.contains(w.op());
        }
    }

    private static final Map<String, Spec> SPECS = new LinkedHashMap<>();

    static {
        Set<Op> all = EnumSet.complementOf(EnumSet.of(Op.COPY));
        add(new Spec("norm4j", "org.norm4j.bench.Norm4jEngine", "main",
                heap("--add-modules", "jdk.incubator.vector"), Map.of(), all, false));
        add(new Spec("norm4j-1t", "org.norm4j.bench.Norm4jEngine", "main",
                heap("--add-modules", "jdk.incubator.vector", "-Dnorm4j.threads=1"), Map.of(), all, false));
        add(new Spec("norm4j-into", "org.norm4j.bench.Norm4jEngine", "main",
                heap("--add-modules", "jdk.incubator.vector", "-D" + Norm4jEngine.INTO_PROPERTY + "=true"), Map.of(),
                EnumSet.of(Op.LN_FWD, Op.RMS_FWD, Op.BN_TRAIN_FWD, Op.BN_TRAIN_BWD, Op.BN_INFER), false));
        // the scalar fallback skips the 60 000-image epoch (about 8 s a call)
        add(new Spec("norm4j-scalar", "org.norm4j.bench.Norm4jEngine", "main", heap("-Dnorm4j.kernels=scalar"),
                Map.of(), EnumSet.complementOf(EnumSet.of(Op.COPY, Op.TRAIN_EPOCH_FASHION)), false));
        add(new Spec("java", "org.norm4j.bench.JavaEngine", "main", heap(), Map.of(),
                EnumSet.of(Op.COPY, Op.MOMENTS, Op.LN_FWD), false));
        add(new Spec("tf", "org.norm4j.bench.TfEngine", "main", List.of(), KERNEL_VIEW_ENV,
                EnumSet.of(Op.LN_FWD, Op.LN_FWD_BWD, Op.BN_TRAIN_FWD, Op.BN_TRAIN_BWD, Op.BN_INFER, Op.GN_FWD,
                        Op.GN_FWD_BWD, Op.RMS_FWD, Op.RMS_FWD_BWD, Op.MOMENTS, Op.MATMUL, Op.MATMUL_TN,
                        Op.MATMUL_NT, Op.CONV_FWD, Op.CONV_BWD_INPUT, Op.CONV_BWD_FILTER), true));
        add(new Spec("tf-composed", "org.norm4j.bench.TfEngine", "main", List.of("-Dnorm4j.bench.tf.composed=true"),
                KERNEL_VIEW_ENV, EnumSet.of(Op.LN_FWD), true));
        List<String> djl = List.of("-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=2",
                "-Dai.djl.pytorch.num_interop_threads=1", "-Dai.djl.default_engine=PyTorch");
        // no GroupNorm: DJL's mean reduces one axis at a time and has no group_norm binding
        Set<Op> djlOps = EnumSet.of(Op.LN_FWD, Op.LN_FWD_BWD, Op.BN_TRAIN_FWD, Op.BN_TRAIN_BWD, Op.BN_INFER,
                Op.RMS_FWD, Op.RMS_FWD_BWD, Op.MOMENTS, Op.MATMUL, Op.MATMUL_TN,
                Op.MATMUL_NT, Op.TRAIN_STEP, Op.TRAIN_EPOCH, Op.TRAIN_EPOCH_FASHION, Op.CONV_FWD);
        add(new Spec("djl", "org.norm4j.bench.DjlEngine", "main", djl, KERNEL_VIEW_ENV, djlOps, true));
        add(new Spec("djl-shipped", "org.norm4j.bench.DjlEngine", "main", djl, SHIPPED_ENV, EnumSet.of(Op.LN_FWD,
                Op.BN_TRAIN_FWD), true));
        add(new Spec("nd4j", "org.norm4j.bench.Nd4jEngine", "nd4j", List.of(), SHIPPED_ENV, // outputs preallocated
                EnumSet.of(Op.LN_FWD, Op.BN_TRAIN_FWD, Op.BN_TRAIN_BWD, Op.BN_INFER, Op.MOMENTS, Op.MATMUL,
                        Op.MATMUL_TN, Op.MATMUL_NT), true));
    }

    private Engines() {
    }

    /**
     * The Java engines' heap: sized and touched up front, so that no measurement pays first-touch page faults
     * on the heap. The peers keep the JVM defaults: a large pre-touched Java heap slows PyTorch's batch norm
     * several times over on this machine (measured: 4.8 ms with defaults, 32 ms with -Xms3g).
     */
    static List<String> heap(String... more) {
        List<String> l = new java.util.ArrayList<>(List.of(HEAP_FLAGS.split(" ")));
        l.addAll(List.of(more));
        return List.copyOf(l);
    }

    /** The heap flags of the Java engines, as in the report. */
    public static final String HEAP_FLAGS = "-Xms3g -Xmx3g -XX:+AlwaysPreTouch";

    private static void add(Spec s) {
        SPECS.put(s.id(), s);
    }

    /** The variant named {@code id}. */
    public static Spec spec(String id) {
        Spec s = SPECS.get(id);
        if (s == null) {
            throw new IllegalArgumentException("engine '" + id + "': expected one of " + SPECS.keySet());
        }
        return s;
    }

    /** Every variant, in report order. */
    public static List<Spec> all() {
        return List.copyOf(SPECS.values());
    }

    /** Instantiates the engine of variant {@code id} (loading its libraries). */
    public static Engine create(String id) throws ReflectiveOperationException {
        return (Engine) Class.forName(spec(id).className()).getDeclaredConstructor().newInstance();
    }
}
