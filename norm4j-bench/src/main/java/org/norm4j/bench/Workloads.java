package org.norm4j.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.norm4j.bench.Workload.Section;

/** Every workload of the report, by id. Adding one is one line here (and a case in each engine). */
public final class Workloads {
    private static final Map<String, Workload> ALL = new LinkedHashMap<>();
    /** Sweep sizes in elements: 16 K to 64 M, by factors of 4. */
    public static final int[] SWEEP_ELEMENTS = {1 << 14, 1 << 16, 1 << 18, 1 << 20, 1 << 22, 1 << 24, 1 << 26};

    static {
        add("copy_256m", Section.PROBE, Op.COPY, false, "Copy 256 MiB, 2 threads", 1 << 26);
        // large tensors: the anchors, then the other normalizations
        add("ln_fwd_8192x1024", Section.LARGE, Op.LN_FWD, false, "LayerNorm fwd [8192, 1024]", 8192, 1024);
        add("ln_fwdbwd_8192x1024", Section.LARGE, Op.LN_FWD_BWD, false, "LayerNorm fwd+bwd [8192, 1024]", 8192,
                1024);
        add("bn_fwd_nhwc", Section.LARGE, Op.BN_TRAIN_FWD, false, "BatchNorm train fwd NHWC [32, 56, 56, 64]", 32,
                56, 56, 64);
        add("bn_bwd_nhwc", Section.LARGE, Op.BN_TRAIN_BWD, false, "BatchNorm bwd NHWC [32, 56, 56, 64]", 32, 56, 56,
                64);
        add("bn_infer_nhwc", Section.LARGE, Op.BN_INFER, false, "BatchNorm inference NHWC [32, 56, 56, 64]", 32, 56,
                56, 64);
        add("bn_fwd_nchw", Section.LARGE, Op.BN_TRAIN_FWD, true, "BatchNorm train fwd NCHW [32, 64, 56, 56]", 32,
                64, 56, 56);
        add("moments_1mx64", Section.LARGE, Op.MOMENTS, false, "moments axis 0 [1 000 000, 64]", 1_000_000, 64);
        add("gn_fwd", Section.LARGE, Op.GN_FWD, false, "GroupNorm(32) fwd [32, 56, 56, 64]", 32, 56, 56, 64);
        add("gn_fwdbwd", Section.LARGE, Op.GN_FWD_BWD, false, "GroupNorm(32) fwd+bwd [32, 56, 56, 64]", 32, 56, 56,
                64);
        add("rms_fwd", Section.LARGE, Op.RMS_FWD, false, "RMSNorm fwd [32, 56, 56, 64]", 32, 56, 56, 64);
        add("rms_fwdbwd", Section.LARGE, Op.RMS_FWD_BWD, false, "RMSNorm fwd+bwd [32, 56, 56, 64]", 32, 56, 56, 64);
        // minibatch shapes of real training
        add("ln_fwd_128x128", Section.MINIBATCH, Op.LN_FWD, false, "LayerNorm fwd [128, 128]", 128, 128);
        add("ln_fwd_128x784", Section.MINIBATCH, Op.LN_FWD, false, "LayerNorm fwd [128, 784]", 128, 784);
        add("ln_fwd_32x128", Section.MINIBATCH, Op.LN_FWD, false, "LayerNorm fwd [32, 128]", 32, 128);
        add("bn_fwd_128x128", Section.MINIBATCH, Op.BN_TRAIN_FWD, false, "BatchNorm train fwd [128, 128]", 128, 128);
        add("bn_fwd_128x784", Section.MINIBATCH, Op.BN_TRAIN_FWD, false, "BatchNorm train fwd [128, 784]", 128, 784);
        add("bn_fwd_32x128", Section.MINIBATCH, Op.BN_TRAIN_FWD, false, "BatchNorm train fwd [32, 128]", 32, 128);
        // Dense products and training
        add("matmul_fwd", Section.TRAINING, Op.MATMUL, false, "matmul [32, 784] x [784, 128]", 32, 784, 128);
        add("matmul_tn", Section.TRAINING, Op.MATMUL_TN, false, "matmul x^T g: [784, 32] x [32, 128]", 784, 32, 128);
        add("matmul_nt", Section.TRAINING, Op.MATMUL_NT, false, "matmul g W^T: [32, 128] x [128, 784]", 32, 128, 784);
        add("conv1_fwd", Section.TRAINING, Op.CONV_FWD, false, "conv2d [32, 28, 28, 1] * [3, 3, 1, 32]", 32, 28, 28, 1,
                3, 32);
        add("conv1_bwd_filter", Section.TRAINING, Op.CONV_BWD_FILTER, false, "conv2d filter gradient, first conv", 32,
                28, 28, 1, 3, 32);
        add("conv2_fwd", Section.TRAINING, Op.CONV_FWD, false, "conv2d [32, 13, 13, 32] * [3, 3, 32, 64]", 32, 13, 13,
                32, 3, 64);
        add("conv2_bwd_input", Section.TRAINING, Op.CONV_BWD_INPUT, false, "conv2d input gradient, second conv", 32,
                13, 13, 32, 3, 64);
        add("conv2_bwd_filter", Section.TRAINING, Op.CONV_BWD_FILTER, false, "conv2d filter gradient, second conv",
                32, 13, 13, 32, 3, 64);
        add("train_step", Section.TRAINING, Op.TRAIN_STEP, false, "seed model: 1 training step, batch 32", 32, 784);
        add("train_epoch", Section.TRAINING, Op.TRAIN_EPOCH, false, "seed model: 1 epoch, 8000 MNIST digits",
                8000, 784);
        add("train_epoch_fashion", Section.TRAINING, Op.TRAIN_EPOCH_FASHION, false,
                "seed model: 1 epoch, 60 000 Fashion-MNIST images", 60_000, 784);
        // size sweep: LayerNorm rows of 1024, BatchNorm NHWC with 64 channels
        for (int n : SWEEP_ELEMENTS) {
            add("sweep_ln_" + n, Section.SWEEP, Op.LN_FWD, false, "LayerNorm fwd [" + n / 1024 + ", 1024]",
                    n / 1024, 1024);
            add("sweep_bn_" + n, Section.SWEEP, Op.BN_TRAIN_FWD, false, "BatchNorm fwd [" + n / 64 + ", 1, 1, 64]",
                    n / 64, 1, 1, 64);
        }
    }

    private Workloads() {
    }

    private static void add(String id, Section section, Op op, boolean nchw, String label, int... shape) {
        ALL.put(id, new Workload(id, section, op, shape, nchw, label));
    }

    /** The workload named {@code id}. */
    public static Workload get(String id) {
        Workload w = ALL.get(id);
        if (w == null) {
            throw new IllegalArgumentException("workload '" + id + "': expected one of " + ALL.keySet());
        }
        return w;
    }

    /** The workloads of the given sections, in report order. */
    public static List<Workload> of(List<Section> sections) {
        List<Workload> out = new ArrayList<>();
        for (Workload w : ALL.values()) {
            if (sections.contains(w.section())) {
                out.add(w);
            }
        }
        return out;
    }

    /** Every workload. */
    public static List<Workload> all() {
        return List.copyOf(ALL.values());
    }
}
