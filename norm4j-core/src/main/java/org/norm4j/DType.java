package org.norm4j;

/**
 * Element type of a {@link Tensor}. FLOAT32 is the working type of models (Keras {@code floatx()} is
 * {@code "float32"}); FLOAT64 is supported everywhere for statistics and reference computations.
 */
public enum DType {
    /** 32-bit IEEE 754 float, TensorFlow {@code tf.float32}. */
    FLOAT32(4),
    /** 64-bit IEEE 754 float, TensorFlow {@code tf.float64}. */
    FLOAT64(8);

    private final int byteSize;

    DType(int byteSize) {
        this.byteSize = byteSize;
    }

    /** Bytes per element. */
    public int byteSize() {
        return byteSize;
    }

    /** The NumPy/TensorFlow name: {@code float32} or {@code float64}. */
    public String pyName() {
        return this == FLOAT32 ? "float32" : "float64";
    }
}
