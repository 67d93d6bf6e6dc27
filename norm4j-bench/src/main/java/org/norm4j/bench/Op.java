package org.norm4j.bench;

/** What a workload computes. Each engine says which of these it can run ({@link Engine#prepare}). */
public enum Op {
    /** LayerNorm forward over the last axis, gamma and beta per last-axis element. */
    LN_FWD,
    /** LayerNorm forward then backward (dx, dgamma, dbeta) over the last axis. */
    LN_FWD_BWD,
    /** Batch normalization in training mode (batch statistics) over every axis but the channel axis. */
    BN_TRAIN_FWD,
    /** The gradient op of training batch normalization alone (FusedBatchNormGradV3's contract). */
    BN_TRAIN_BWD,
    /** Batch normalization in inference mode (given mean and variance): one multiply-add per element. */
    BN_INFER,
    /** GroupNorm forward, channels last, 32 groups (Keras's default). */
    GN_FWD,
    /** GroupNorm forward then backward. */
    GN_FWD_BWD,
    /** RMSNorm forward over the last axis with a scale. */
    RMS_FWD,
    /** RMSNorm forward then backward. */
    RMS_FWD_BWD,
    /** tf.nn.moments over axis 0 (mean and biased variance per column). */
    MOMENTS,
    /** c = a x b. */
    MATMUL,
    /** a^T x b: the kernel gradient of a Dense layer, x^T g. */
    MATMUL_TN,
    /** a x b^T: the input gradient of a Dense layer, g W^T. */
    MATMUL_NT,
    /** tf.nn.conv2d, NHWC, HWIO filter, stride 1, VALID; shape {n, h, w, c, k, o}. */
    CONV_FWD,
    /** Conv2DBackpropInput of {@link #CONV_FWD}'s convolution. */
    CONV_BWD_INPUT,
    /** Conv2DBackpropFilter of {@link #CONV_FWD}'s convolution. */
    CONV_BWD_FILTER,
    /** One training step (forward, loss, backward, Adam) of the seed's model, batch 32. */
    TRAIN_STEP,
    /** One epoch of the seed's model over the embedded MNIST training digits, batch 32. */
    TRAIN_EPOCH,
    /**
     * One epoch of the seed's model over the 60 000 Fashion-MNIST training images, batch 32 (the training
     * target); the data come from {@link Data#FASHION_DIR}.
     */
    TRAIN_EPOCH_FASHION,
    /** A 2-thread copy of a large array: the memory-bandwidth probe. */
    COPY
}
