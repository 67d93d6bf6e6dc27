package org.norm4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.norm4j.cli.io.BadRowException;

/** What to do with a bad row: fail (the default) or, with {@code --skip-bad-rows}, count it and go on. */
final class BadRows {
    private final boolean skip;
    private long count;
    private String first;

    BadRows(boolean skip) {
        this.skip = skip;
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
            err.printf(Locale.ROOT, "norm4j: skipped %,d bad row%s (first: %s)%n", count, count == 1 ? "" : "s",
                    first);
            err.flush();
        }
    }
}
