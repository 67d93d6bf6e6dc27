package org.norm4j.ops;

import java.util.Locale;

/** Data layouts accepted by {@link Nn#fusedBatchNorm}: where the channel axis is. */
public enum DataFormat {
    /** Channels last, rank 4: batch, height, width, channels (TensorFlow's default). */
    NHWC(4, true),
    /** Channels first, rank 4 (PyTorch's layout). */
    NCHW(4, false),
    /** Channels last, rank 5. */
    NDHWC(5, true),
    /** Channels first, rank 5. */
    NCDHW(5, false);

    private final int rank;
    private final boolean channelsLast;

    DataFormat(int rank, boolean channelsLast) {
        this.rank = rank;
        this.channelsLast = channelsLast;
    }

    /** The rank of data in this format. */
    public int rank() {
        return rank;
    }

    /** The channel axis: {@code rank - 1} for channels-last formats, 1 otherwise. */
    public int channelAxis() {
        return channelsLast ? rank - 1 : 1;
    }

    /**
     * Parses a TensorFlow {@code data_format} string, case-insensitively.
     *
     * @throws IllegalArgumentException naming the accepted values
     */
    public static DataFormat parse(String s) {
        if (s == null) {
            throw new NullPointerException("dataFormat must not be null");
        }
        try {
            return valueOf(s.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("dataFormat = \"" + s
                    + "\": expected one of NHWC, NCHW, NDHWC, NCDHW", e);
        }
    }
}
