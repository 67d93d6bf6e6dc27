package org.norm4j.cli;

import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options shared by the commands that read data files: CSV layout, bad rows and progress. */
public final class InputOptions {
    @Option(names = "--header", negatable = true,
            description = "The first CSV line is a header (--header) or data (--no-header). "
                    + "Default: detected (a header when any of its cells is not a number).")
    Boolean header;

    @Option(names = {"-d", "--delimiter"}, paramLabel = "CHAR",
            description = "CSV field delimiter: one character, or 'tab'. Default: ',' (tab for .tsv files).")
    String delimiter;

    @Option(names = "--skip-bad-rows",
            description = "Skip malformed rows, rows with a non-numeric cell and rows with a wrong column count "
                    + "(counted and reported) instead of failing.")
    boolean skipBadRows;

    @Option(names = "--progress", negatable = true,
            description = "Draw a progress bar on stderr. Default: only in a terminal.")
    Boolean progress;

    /** The delimiter for a file: the option, else tab for {@code .tsv}, else a comma. */
    char delimiter(Path file, String fallback) {
        String d = delimiter != null ? delimiter : fallback;
        if (d == null) {
            return file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".tsv") ? '\t' : ',';
        }
        return parseDelimiter(d);
    }

    static char parseDelimiter(String d) {
        if (d.equalsIgnoreCase("tab") || d.equals("\\t")) {
            return '\t';
        }
        if (d.length() != 1 || d.equals("\"") || d.equals("\n") || d.equals("\r")) {
            throw new IllegalArgumentException("--delimiter '" + d + "': expected one character (not a quote), "
                    + "or 'tab'");
        }
        return d.charAt(0);
    }

    static String delimiterName(char c) {
        return c == '\t' ? "tab" : String.valueOf(c);
    }
}
