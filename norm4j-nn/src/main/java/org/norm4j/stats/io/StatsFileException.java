package org.norm4j.stats.io;

/** A stats file that is not valid: the message names the file, the field, the value and what was expected. */
public class StatsFileException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** A failure with a one-line message. */
    public StatsFileException(String message) {
        super(message);
    }

    /** A failure with a one-line message and its cause. */
    public StatsFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
