package org.norm4j.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.norm4j.cli.CliException;
import org.norm4j.files.InputFile;
import org.norm4j.files.OutputFile;
import org.norm4j.files.Text;

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
    private final java.io.Reader in;
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
        this.fileName = OutputFile.isStdio(file) ? "(standard input)" : Text.escape(String.valueOf(file));
        this.delimiter = delimiter;
        boolean stdin = OutputFile.isStdio(file);
        InputStream raw = InputFile.open(file);
        this.sizeBytes = stdin ? -1 : Files.size(file);
        this.counter = new CountingInputStream(raw);
        this.in = new InputStreamReader(counter, StandardCharsets.UTF_8);
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
        } catch (IOException e) {
            throw new CliException(InputFile.message(file, e), e);
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

    /** The file's size in bytes (for standard input: the bytes read so far). */
    public long sizeBytes() {
        return sizeBytes < 0 ? counter.count() : sizeBytes;
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
                l = readLine();
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

    /** Longest line accepted, in characters: one line is held in memory at a time. */
    static final int MAX_LINE = 1 << 24;

    private final StringBuilder lineBuf = new StringBuilder(256);

    private final char[] cbuf = new char[1 << 16];
    private int pos;
    private int lim;
    private boolean skipLf;

    /** Like {@code BufferedReader.readLine()}, with a bound on the line's length (a binary file may have none). */
    private String readLine() throws IOException {
        StringBuilder sb = lineBuf;
        sb.setLength(0);
        boolean any = false;
        while (true) {
            if (pos >= lim) {
                lim = in.read(cbuf, 0, cbuf.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    return any ? take(sb) : null;
                }
            }
            if (skipLf) {
                skipLf = false;
                if (cbuf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            any = true;
            int i = pos;
            while (i < lim && cbuf[i] != '\n' && cbuf[i] != '\r') {
                i++;
            }
            if (sb.length() + (i - pos) > MAX_LINE) {
                throw new CliException(fileName + ", line " + (lineNumber + 1) + ": longer than " + MAX_LINE
                        + " characters: expected a text file with line breaks");
            }
            sb.append(cbuf, pos, i - pos);
            if (i < lim) {
                skipLf = cbuf[i] == '\r';
                pos = i + 1;
                return take(sb);
            }
            pos = lim;
        }
    }

    private String take(StringBuilder sb) {
        String l = sb.toString();
        if (sb.capacity() > 1 << 16) {
            sb.setLength(0);
            sb.trimToSize();
        }
        return l;
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
                    + (header != null ? " (" + Text.printable(shorten(header[i])) + ")" : "") + ": "
                    + (cell.isEmpty() ? "empty cell" : "'" + Text.printable(shorten(cell)) + "' is not a number"),
                    lineNumber);
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
