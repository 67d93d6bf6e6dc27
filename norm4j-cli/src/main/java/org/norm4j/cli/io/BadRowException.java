package org.norm4j.cli.io;

import org.norm4j.cli.CliException;

/**
 * One bad row of an input file (malformed, a non-numeric cell, a wrong number of columns). Without
 * {@code --skip-bad-rows} it ends the command with status 1; with it, the row is counted and skipped.
 */
public final class BadRowException extends CliException {
    private static final long serialVersionUID = 1L;

    private final long line;

    /**
     * A bad row.
     *
     * @param message the one-line message, naming the file, the line and (where there is one) the column
     * @param line the 1-based line number in the file
     */
    public BadRowException(String message, long line) {
        super(message);
        this.line = line;
    }

    /** The 1-based line number of the row. */
    public long line() {
        return line;
    }
}
