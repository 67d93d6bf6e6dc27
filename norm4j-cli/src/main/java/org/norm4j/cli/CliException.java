package org.norm4j.cli;

import java.io.IOException;

/**
 * A failure the user can act on: bad input, a missing file, a stats file of another version. Its message is
 * one line that names the file (and the line and column where there is one); {@link Main} prints it as
 * {@code norm4j: error: MESSAGE} and exits with status 1, without a stack trace.
 */
public class CliException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** A failure with a one-line message. */
    public CliException(String message) {
        super(message);
    }

    /** A failure with a one-line message and its cause (kept for debugging, not printed). */
    public CliException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A close that may fail with an I/O error ({@code stream::close}). */
    @FunctionalInterface
    public interface IoClose {
        /** Closes. */
        void close() throws IOException;
    }

    /**
     * Runs {@code close}; an I/O error becomes a CliException {@code "<what> (<the error>)"}, e.g. {@code "data.csv:
     * cannot close (...)"}.
     */
    public static void close(IoClose close, String what) {
        try {
            close.close();
        } catch (IOException e) {
            throw new CliException(what + " (" + e.getMessage() + ")", e);
        }
    }
}
