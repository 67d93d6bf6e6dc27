package org.norm4j.cli.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import org.norm4j.cli.CliException;

/**
 * Streams a delimited text file (CSV, TSV) one record at a time in bounded memory: one line is held at once.
 *
 * <p>Records are lines; blank lines are skipped. A field may be quoted with {@code "} (a doubled {@code ""}
 * inside stands for one quote); a quoted field cannot span lines. The first non-blank line fixes the number
 * of columns. It is a header when asked ({@code header = TRUE}), or, when {@code header} is null, when any of
 * its cells is not a number. Lines and columns are numbered from 1 in every message.
 *
 * <pre>{@code
 * try (CsvReader r = CsvReader.open(path, ',', null)) {
 *     while (r.next()) {
 *         r.requireWellFormed();
 *         double x = r.number(0);
 *     }
 * }
 * }</pre>
 */
public final class CsvReader implements AutoCloseable {
    private final Path file;
    private final String fileName;
    private final char delimiter;
    private final CountingInputStream counter;
    private final BufferedReader in;
    private final long sizeBytes;
    private String[] header;
    private int columns;
    private long firstLine;
    private String headerLine;

    private String line;
    private long lineNumber;
    private String pending;
    private long pendingNumber;
    private int fieldCount;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] quoted = new boolean[16];
    private String malformed;

    private CsvReader(Path file, char delimiter) throws IOException {
        this.file = file;
        this.fileName = String.valueOf(file);
        this.delimiter = delimiter;
        this.sizeBytes = Files.size(file);
        this.counter = new CountingInputStream(Files.newInputStream(file));
        this.in = new BufferedReader(new InputStreamReader(counter, StandardCharsets.UTF_8), 1 << 16);
    }

    /**
     * Opens a file and reads its first non-blank line.
     *
     * @param header TRUE if the first line is a header, FALSE if it is data, null to detect
     * @throws CliException if the file is missing, unreadable or has no non-blank line
     */
    public static CsvReader open(Path file, char delimiter, Boolean header) {
        CsvReader r;
        try {
            r = new CsvReader(file, delimiter);
        } catch (NoSuchFileException e) {
            throw new CliException(file + ": no such file");
        } catch (IOException e) {
            throw new CliException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            r.start(header);
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private void start(Boolean header) {
        if (!readRecord()) {
            throw new CliException(fileName + ": the file is empty: expected at least one row");
        }
        if (line.length() > 0 && line.charAt(0) == '\uFEFF') {
            line = line.substring(1);
            split();
        }
        if (malformed != null) {
            throw new BadRowException(fileName + ", line " + lineNumber + ": " + malformed, lineNumber);
        }
        columns = fieldCount;
        firstLine = lineNumber;
        boolean isHeader = header != null ? header : !allNumeric();
        if (isHeader) {
            this.header = new String[columns];
            for (int i = 0; i < columns; i++) {
                this.header[i] = field(i).strip();
            }
            this.headerLine = line;
        } else {
            pending = line;
            pendingNumber = lineNumber;
        }
    }

    private boolean allNumeric() {
        for (int i = 0; i < fieldCount; i++) {
            if (Numbers.parse(field(i)) == null) {
                return false;
            }
        }
        return true;
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The header's column names, or null when the file has no header. */
    public String[] header() {
        return header == null ? null : header.clone();
    }

    /** The header line exactly as read, or null. */
    public String headerLine() {
        return headerLine;
    }

    /** The number of columns (of the first line). */
    public int columns() {
        return columns;
    }

    /** The file's size in bytes. */
    public long sizeBytes() {
        return sizeBytes;
    }

    /** Bytes read so far (read-ahead included), for progress. */
    public long bytesRead() {
        return counter.count();
    }

    /** Advances to the next non-blank data line; false at the end of the file. */
    public boolean next() {
        if (pending != null) {
            line = pending;
            lineNumber = pendingNumber;
            pending = null;
            split();
            return true;
        }
        return readRecord();
    }

    private boolean readRecord() {
        try {
            String l;
            do {
                l = in.readLine();
                if (l == null) {
                    line = null;
                    return false;
                }
                lineNumber++;
            } while (l.isBlank());
            line = l;
            split();
            return true;
        } catch (IOException e) {
            throw new CliException(fileName + ", line " + (lineNumber + 1) + ": read error (" + e.getMessage()
                    + ")", e);
        }
    }

    private void split() {
        malformed = null;
        fieldCount = 0;
        String l = line;
        int n = l.length();
        int i = 0;
        while (true) {
            ensure(fieldCount + 1);
            int start = i;
            boolean q = false;
            int p = i;
            while (p < n && l.charAt(p) == ' ') {
                p++;
            }
            if (p < n && l.charAt(p) == '"') {
                q = true;
                int j = p + 1;
                while (true) {
                    if (j >= n) {
                        malformed = "unterminated quoted field in column " + (fieldCount + 1);
                        break;
                    }
                    if (l.charAt(j) == '"') {
                        if (j + 1 < n && l.charAt(j + 1) == '"') {
                            j += 2;
                            continue;
                        }
                        break;
                    }
                    j++;
                }
                if (malformed != null) {
                    starts[fieldCount] = start;
                    ends[fieldCount] = n;
                    quoted[fieldCount++] = false;
                    return;
                }
                int k = j + 1;
                while (k < n && l.charAt(k) == ' ') {
                    k++;
                }
                if (k < n && l.charAt(k) != delimiter) {
                    malformed = "text after the closing quote of column " + (fieldCount + 1);
                }
                i = k;
            } else {
                while (i < n && l.charAt(i) != delimiter) {
                    i++;
                }
            }
            starts[fieldCount] = start;
            ends[fieldCount] = Math.min(i, n);
            quoted[fieldCount++] = q;
            if (i >= n) {
                return;
            }
            i++; // skip the delimiter
            if (i == n) {
                ensure(fieldCount + 1);
                starts[fieldCount] = n;
                ends[fieldCount] = n;
                quoted[fieldCount++] = false;
                return;
            }
        }
    }

    private void ensure(int size) {
        if (size > starts.length) {
            int cap = Math.max(size, starts.length * 2);
            starts = Arrays.copyOf(starts, cap);
            ends = Arrays.copyOf(ends, cap);
            quoted = Arrays.copyOf(quoted, cap);
        }
    }

    /**
     * Checks the current record: its quotes are balanced and it has as many fields as the first line.
     *
     * @throws BadRowException naming the file and line otherwise
     */
    public void requireWellFormed() {
        if (malformed != null) {
            throw new BadRowException(fileName + ", line " + lineNumber + ": malformed row: " + malformed,
                    lineNumber);
        }
        if (fieldCount != columns) {
            throw new BadRowException(fileName + ", line " + lineNumber + ": " + fieldCount + " column"
                    + (fieldCount == 1 ? "" : "s") + ": expected " + columns + " (as in line " + firstLine
                    + (header != null ? ", the header" : "") + ")", lineNumber);
        }
    }

    /** The 1-based line number of the current record. */
    public long lineNumber() {
        return lineNumber;
    }

    /** The current line, as read. */
    public String line() {
        return line;
    }

    /** The number of fields of the current record. */
    public int fieldCount() {
        return fieldCount;
    }

    /** Field {@code i} (0-based) of the current record, unquoted. */
    public String field(int i) {
        String raw = line.substring(starts[i], ends[i]);
        if (!quoted[i]) {
            return raw;
        }
        String s = raw.strip();
        return s.substring(1, s.length() - 1).replace("\"\"", "\"");
    }

    /** Field {@code i} (0-based) of the current record exactly as written (quotes and spaces kept). */
    public String rawField(int i) {
        return line.substring(starts[i], ends[i]);
    }

    /**
     * Field {@code i} (0-based) of the current record as a number.
     *
     * @throws BadRowException naming the file, line and column if it is not a number
     */
    public double number(int i) {
        Double v = Numbers.parse(field(i));
        if (v == null) {
            String cell = field(i).strip();
            throw new BadRowException(fileName + ", line " + lineNumber + ", column " + (i + 1)
                    + (header != null ? " (" + header[i] + ")" : "") + ": "
                    + (cell.isEmpty() ? "empty cell" : "'" + shorten(cell) + "' is not a number"), lineNumber);
        }
        return v;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    @Override
    public void close() {
        try {
            in.close();
        } catch (IOException e) {
            throw new CliException(fileName + ": cannot close (" + e.getMessage() + ")", e);
        }
    }
}
