package org.norm4j.cli.io;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * How a delimited text file is laid out: the options of {@link CsvReader}.
 *
 * @param delimiter the field delimiter
 * @param header TRUE if the first record is a header, FALSE if it is data, null to guess (and report the guess)
 * @param naValues cells (compared after stripping spaces) that stand for a missing value, read as NaN
 * @param skipRows physical lines skipped at the start of the file, before anything else (a metadata line)
 * @param comment lines whose first non-space character is this are skipped; 0 for none
 * @param charset the text encoding; it must encode {@code '\n'}, {@code '\r'} and ASCII as ASCII bytes
 */
public record CsvFormat(char delimiter, Boolean header, Set<String> naValues, int skipRows, char comment,
        Charset charset) {
    /** pandas' default missing-value tokens ({@code read_csv}'s {@code na_values}), the empty cell included. */
    public static final List<String> DEFAULT_NA = List.of("", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN",
            "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A", "NA", "NULL", "NaN", "None", "n/a", "nan", "null");

    /** Checks the values. */
    public CsvFormat {
        if (skipRows < 0) {
            throw new IllegalArgumentException("--skip-rows " + skipRows + ": expected >= 0");
        }
        naValues = Set.copyOf(naValues);
        byte[] probe = "a,\"\n\r".getBytes(charset);
        if (!Arrays.equals(probe, "a,\"\n\r".getBytes(StandardCharsets.US_ASCII))) {
            throw new IllegalArgumentException("--encoding " + charset.name() + ": expected an encoding that "
                    + "writes ASCII as single bytes (UTF-8, ISO-8859-1, windows-1252, ...)");
        }
    }

    /** Comma-separated, UTF-8, the default missing tokens, header given or guessed. */
    public static CsvFormat of(char delimiter, Boolean header) {
        return new CsvFormat(delimiter, header, Set.copyOf(DEFAULT_NA), 0, (char) 0, StandardCharsets.UTF_8);
    }
}
