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
                    + "(pandas' set). transform: what fit used, by default.")
    String naValues;

    @Option(names = "--skip-rows", paramLabel = "N",
            description = "Skip the first N lines of the file (e.g. a metadata line) before anything else. "
                    + "Default: 0 (transform: what fit used, recorded in the stats file).")
    Integer skipRows;

    @Option(names = "--comment", paramLabel = "CHAR",
            description = "Skip lines whose first non-space character is CHAR (e.g. '#'). Default: none "
                    + "(transform: what fit used).")
    String comment;

    @Option(names = "--encoding", paramLabel = "NAME",
            description = "Text encoding of CSV input (and output): UTF-8, ISO-8859-1, windows-1252, ... Bytes "
                    + "that are not valid in it are an error. Default: UTF-8 (transform: what fit used).")
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
            description = "Threads that parse (and, for transform, format) CSV blocks; for a Parquet fit, 2 or more "
                    + "decode on a second thread. The results are bit-identical for every N. Default: the available "
                    + "processors (or -Dnorm4j.threads).")
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
        return format(delim, headerGiven, null, null);
    }

    /**
     * The CSV layout for {@code transform}: an option not given takes the value {@code fit} recorded in the stats
     * file ({@code recorded}, null when unknown); one given with another value is used, and noted on {@code err}.
     */
    CsvFormat format(char delim, Boolean headerGiven, org.norm4j.stats.io.StatsFile.CsvOptions recorded,
            java.io.PrintWriter err) {
        Set<String> na = new LinkedHashSet<>(CsvFormat.DEFAULT_NA);
        if (naValues != null) {
            na.clear();
            for (String t : naValues.split(",", -1)) {
                na.add(t.strip());
            }
        } else if (recorded != null) {
            na.clear();
            na.addAll(recorded.naValues());
        }
        int skip = skipRows != null ? skipRows : recorded != null ? recorded.skipRows() : 0;
        String comment = this.comment != null ? this.comment : recorded != null ? recorded.comment() : null;
        String encoding = this.encoding != null ? this.encoding : recorded != null ? recorded.encoding() : "UTF-8";
        if (recorded != null && err != null) {
            differs(err, "--skip-rows", skipRows, recorded.skipRows());
            differs(err, "--comment", this.comment, recorded.comment());
            differs(err, "--encoding", this.encoding, recorded.encoding());
            if (naValues != null && !na.equals(new LinkedHashSet<>(recorded.naValues()))) {
                note(err, "--na-values differs from the missing-value tokens fit used ("
                        + String.join(",", recorded.naValues()) + ")");
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
        return new CsvFormat(delim, headerGiven, na, skip, comment == null ? 0 : comment.charAt(0), cs);
    }

    private static void differs(java.io.PrintWriter err, String option, Object given, Object recorded) {
        if (given != null && !given.equals(recorded)) {
            note(err, option + " " + given + " differs from the " + (recorded == null ? "none" : recorded)
                    + " that fit used (recorded in the stats file)");
        }
    }

    private static void note(java.io.PrintWriter err, String text) {
        err.println("norm4j transform: note: " + text);
        err.flush();
    }

    /** What a stats file records of how {@code format} read a CSV file; {@code guessed}: the header was guessed. */
    static org.norm4j.stats.io.StatsFile.CsvOptions recorded(CsvFormat format, boolean guessed) {
        return new org.norm4j.stats.io.StatsFile.CsvOptions(format.skipRows(), format.comment() == 0 ? null
                : String.valueOf(format.comment()), format.charset().name(), new java.util.ArrayList<>(
                new java.util.TreeSet<>(format.naValues())), guessed);
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
