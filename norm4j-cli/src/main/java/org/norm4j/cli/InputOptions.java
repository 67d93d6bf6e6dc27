package org.norm4j.cli;

import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;
import org.norm4j.cli.io.CsvFormat;
import picocli.CommandLine.Option;

/** The options shared by the commands that read data files: CSV layout, bad rows and progress. */
public final class InputOptions {
    @Option(names = "--header", negatable = true,
            description = "The first CSV line is a header (--header) or data (--no-header). "
                    + "Default: guessed (a header when a column has text in the first line and numbers below), "
                    + "and the guess reported on stderr.")
    Boolean header;

    @Option(names = "--na-values", paramLabel = "LIST",
            description = "Comma-separated cells that mean a missing value (read as NaN in fitted columns, kept as "
                    + "written in the others); replaces the default: empty, NA, N/A, n/a, NaN, nan, -NaN, -nan, "
                    + "null, NULL, None, <NA>, #N/A, #N/A N/A, #NA, 1.#IND, -1.#IND, 1.#QNAN, -1.#QNAN "
                    + "(pandas' set).")
    String naValues;

    @Option(names = "--skip-rows", paramLabel = "N", defaultValue = "0",
            description = "Skip the first N lines of the file (e.g. a metadata line) before anything else. "
                    + "Default: ${DEFAULT-VALUE}.")
    int skipRows;

    @Option(names = "--comment", paramLabel = "CHAR",
            description = "Skip lines whose first non-space character is CHAR (e.g. '#'). Default: none.")
    String comment;

    @Option(names = "--encoding", paramLabel = "NAME", defaultValue = "UTF-8",
            description = "Text encoding of CSV input (and output): UTF-8, ISO-8859-1, windows-1252, ... Bytes "
                    + "that are not valid in it are an error. Default: ${DEFAULT-VALUE}.")
    String encoding;

    @Option(names = {"-d", "--delimiter"}, paramLabel = "CHAR",
            description = "CSV field delimiter: one character, or 'tab'. Default: ',' (tab for .tsv files).")
    String delimiter;

    @Option(names = "--skip-bad-rows",
            description = "fit: skip malformed rows, rows with a non-numeric cell and rows with a wrong column "
                    + "count (counted and reported) instead of failing. transform never drops a row: it writes a "
                    + "non-numeric cell of a fitted column as nan (counted and reported).")
    boolean skipBadRows;

    @Option(names = "--array", paramLabel = "NAME",
            description = "The array of a .npz archive to read. Default: its only array.")
    String array;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads that parse (and, for transform, format) CSV blocks; the results are bit-identical "
                    + "for every N. Default: the available processors (or -Dnorm4j.threads).")
    Integer threads;

    @Option(names = "--progress", negatable = true,
            description = "Draw a progress bar on stderr. Default: only in a terminal.")
    Boolean progress;

    /** The worker threads for CSV: the option, else {@code Norm4j.threads()}. */
    int threads() {
        if (threads != null && (threads < 1 || threads > 1024)) {
            throw new IllegalArgumentException("--threads " + threads + ": expected 1 to 1024");
        }
        return threads != null ? threads : org.norm4j.Norm4j.threads();
    }

    /** The CSV layout these options describe, for {@code delimiter} and {@code header} (given or null). */
    CsvFormat format(char delim, Boolean headerGiven) {
        Set<String> na = new LinkedHashSet<>(CsvFormat.DEFAULT_NA);
        if (naValues != null) {
            na.clear();
            for (String t : naValues.split(",", -1)) {
                na.add(t.strip());
            }
        }
        if (comment != null && (comment.length() != 1 || comment.charAt(0) == delim || comment.equals("\"")
                || comment.isBlank())) {
            throw new IllegalArgumentException("--comment '" + comment + "': expected one character, not a space, "
                    + "a quote or the delimiter");
        }
        Charset cs;
        try {
            cs = Charset.forName(encoding);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--encoding '" + encoding + "': unknown encoding: expected e.g. "
                    + "UTF-8, ISO-8859-1, windows-1252");
        }
        return new CsvFormat(delim, headerGiven, na, skipRows, comment == null ? 0 : comment.charAt(0), cs);
    }

    /** The delimiter for a file: the option, else tab for {@code .tsv}, else a comma. */
    char delimiter(Path file, String fallback) {
        String d = delimiter != null ? delimiter : fallback;
        if (d == null) {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            return name.endsWith(".tsv") || name.endsWith(".tsv.gz") ? '\t' : ',';
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
