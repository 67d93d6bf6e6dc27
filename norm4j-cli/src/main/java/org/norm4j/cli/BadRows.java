package org.norm4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.norm4j.cli.io.BadRowException;

/**
 * What to do with a bad row ({@code fit}) or bad cell ({@code transform}): fail (the default) or, with
 * {@code --skip-bad-rows}, count it and go on.
 */
final class BadRows {
    private final boolean skip;
    private final String what;
    private long count;
    private String first;

    /** Skipped rows, reported as "skipped N bad rows". */
    BadRows(boolean skip) {
        this(skip, "skipped %,d bad row%s");
    }

    /** Reported with {@code what}, a format with the count and the plural suffix. */
    BadRows(boolean skip, String what) {
        this.skip = skip;
        this.what = what;
    }

    /** Rethrows {@code e} unless skipping; otherwise counts it. */
    void handle(BadRowException e) {
        if (!skip) {
            throw e;
        }
        if (first == null) {
            first = e.getMessage();
        }
        count++;
    }

    long count() {
        return count;
    }

    /** Prints {@code skipped N bad rows (first: ...)} when any row was skipped. */
    void report(PrintWriter err) {
        if (count > 0) {
            err.printf(Locale.ROOT, "norm4j: " + what + " (first: %s)%n", count, count == 1 ? "" : "s", first);
            err.flush();
        }
    }
}
