package org.norm4j.cli.io;

import com.fasterxml.jackson.core.io.NumberInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.PushbackInputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.norm4j.cli.CliException;
import org.norm4j.files.InputFile;
import org.norm4j.files.OutputFile;
import org.norm4j.files.Text;

/**
 * Streams a delimited text file (CSV, TSV) one record at a time in bounded memory: one line is held at once
 * (a hundred when guessing the header).
 *
 * <p>Records are lines ({@code \n}, {@code \r\n} or {@code \r}); blank lines and comment lines are skipped, and
 * {@link CsvFormat#skipRows()} physical lines first of all. A field may be quoted with {@code "} (a doubled
 * {@code ""} inside stands for one quote); a quoted field cannot span lines. The first record fixes the number of
 * columns. A gzip file (magic bytes {@code 1f 8b}) is decompressed on the fly. Bytes are decoded strictly: a byte
 * sequence that is not valid in the encoding is an error naming the line, never replaced. Lines and columns are
 * numbered from 1 in every message.
 *
 * <pre>{@code
 * try (CsvReader r = CsvReader.open(path, CsvFormat.of(',', null))) {
 *     while (r.next()) {
 *         r.requireWellFormed();
 *         double x = r.number(0); // NaN for a missing token
 *     }
 * }
 * }</pre>
 */
public final class CsvReader implements AutoCloseable {
    /** Longest line accepted, in bytes: one line is held in memory at a time. */
    static final int MAX_LINE = 1 << 24;
    /** Records read ahead to guess whether the first one is a header. */
    static final int GUESS_ROWS = 100;

    private final Path file;
    private final String fileName;
    private final CsvFormat format;
    private final char delimiter;
    private final CountingInputStream counter;
    private final InputStream in;
    private final long sizeBytes;
    private final boolean gzip;
    private final CharsetDecoder decoder;
    private final boolean latin1;
    private final boolean numericNa;
    private final int skipUntil;
    private String[] header;
    private int columns;
    private long firstLine;
    private String headerLine;
    private String guess;
    private String lineEnding = "\n";
    private boolean pendingOnly;

    private final byte[] buf;
    private byte[] src;
    private int srcOff;
    private int pos;
    private int lim;
    private boolean skipLf;
    private boolean endedCr;
    private byte[] lb = new byte[256];
    private int ll;
    private char[] lc = new char[256];
    private int len;
    private long lineNumber;
    private long physical;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();

    private int fieldCount;
    private int[] starts = new int[16];
    private int[] ends = new int[16];
    private boolean[] quoted = new boolean[16];
    private String malformed;

    private record Pending(char[] chars, long lineNumber) {
    }

    private CsvReader(Path file, CsvFormat format) throws IOException {
        this.file = file;
        this.format = format;
        this.fileName = OutputFile.isStdio(file) ? "(standard input)" : Text.escape(String.valueOf(file));
        this.delimiter = format.delimiter();
        boolean stdin = OutputFile.isStdio(file);
        InputStream raw = InputFile.open(file);
        this.sizeBytes = stdin ? -1 : Files.size(file);
        this.counter = new CountingInputStream(raw);
        PushbackInputStream peek = new PushbackInputStream(counter, 2);
        byte[] magic = peek.readNBytes(2);
        peek.unread(magic);
        this.gzip = magic.length == 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b;
        this.in = gzip ? new GZIPInputStream(peek, 1 << 16) : peek;
        this.latin1 = format.charset().equals(StandardCharsets.ISO_8859_1);
        this.decoder = format.charset().newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        boolean anyNumeric = false;
        for (String t : format.naValues()) {
            anyNumeric |= Numbers.parse(t) != null && !Double.isNaN(Numbers.parse(t));
        }
        this.numericNa = anyNumeric;
        this.skipUntil = format.skipRows();
        this.buf = new byte[1 << 16];
    }

    /** A reader of one block of {@code parent}'s file: whole lines, numbered from {@code base + 1}. */
    private CsvReader(CsvReader parent, byte[] block, int length, boolean afterCr, long base) {
        this.file = parent.file;
        this.format = parent.format;
        this.fileName = parent.fileName;
        this.delimiter = parent.delimiter;
        this.counter = null;
        this.in = InputStream.nullInputStream();
        this.sizeBytes = parent.sizeBytes;
        this.gzip = parent.gzip;
        this.latin1 = parent.latin1;
        this.decoder = format.charset().newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.numericNa = parent.numericNa;
        this.skipUntil = 0;
        this.header = parent.header;
        this.columns = parent.columns;
        this.firstLine = parent.firstLine;
        this.lineEnding = parent.lineEnding;
        this.buf = block;
        this.lim = length;
        this.skipLf = afterCr;
        this.physical = base;
    }

    /**
     * A reader of {@code length} bytes of this reader's file (whole lines, read on after this reader's records),
     * with the same layout; its lines are numbered from {@code base + 1}. Readers of blocks may run on other
     * threads.
     *
     * @param afterCr whether the byte before the block was a {@code \r} (a {@code \n} first ends no line)
     */
    public CsvReader block(byte[] block, int length, boolean afterCr, long base) {
        return new CsvReader(this, block, length, afterCr, base);
    }

    /** Whether records read ahead (when guessing the header) are still to come from {@link #next()}. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** From now on {@link #next()} returns only the records read ahead, then false; {@link #rest()} is the rest. */
    public void stopAfterPending() {
        pendingOnly = true;
    }

    /**
     * The bytes after the last line read (buffered ones first), for reading on in {@link #block blocks}; use with
     * {@link #stopAfterPending()} so that each byte is read once.
     */
    public InputStream rest() {
        return new java.io.SequenceInputStream(new java.io.ByteArrayInputStream(buf, pos, lim - pos), in);
    }

    /** Whether the last byte read was a {@code \r} whose {@code \n} may start {@link #rest()}. */
    public boolean restAfterCr() {
        return skipLf;
    }

    /** Physical lines read so far (skipped, blank and comment lines included). */
    public long linesRead() {
        return physical;
    }

    /** Opens a UTF-8 file with the default missing tokens ({@link CsvFormat#of}). */
    public static CsvReader open(Path file, char delimiter, Boolean header) {
        return open(file, CsvFormat.of(delimiter, header));
    }

    /**
     * Opens a file and reads its first record (and, when guessing the header, up to {@value #GUESS_ROWS} more).
     *
     * @throws CliException if the file is missing, unreadable or has no record
     */
    public static CsvReader open(Path file, CsvFormat format) {
        CsvReader r;
        try {
            r = new CsvReader(file, format);
        } catch (IOException e) {
            throw new CliException(InputFile.message(file, e), e);
        }
        try {
            r.start(format.header());
            return r;
        } catch (RuntimeException e) {
            r.close();
            throw e;
        }
    }

    private void start(Boolean given) {
        if (!readRecord()) {
            throw new CliException(fileName + ": the file is empty: expected at least one row"
                    + (format.skipRows() > 0 ? " after the " + format.skipRows() + " skipped" : ""));
        }
        if (len > 0 && lc[0] == '\uFEFF') {
            System.arraycopy(lc, 1, lc, 0, --len);
            split();
        }
        lineEnding = endedCr ? "\r\n" : "\n";
        if (malformed != null) {
            throw new BadRowException(fileName + ", line " + lineNumber + ": " + malformed, lineNumber);
        }
        columns = fieldCount;
        firstLine = lineNumber;
        Pending first = new Pending(Arrays.copyOf(lc, len), lineNumber);
        boolean isHeader = given != null ? given : guessHeader(first);
        load(first);
        if (isHeader) {
            this.header = new String[columns];
            for (int i = 0; i < columns; i++) {
                this.header[i] = field(i).strip();
            }
            this.headerLine = line();
        } else {
            pending.addFirst(first);
        }
    }

    /**
     * A header when some column has a text cell in the first record and only numbers (or missing tokens) below
     * it in the next records; with no record below, when any first cell is text. Sets {@link #guess()}.
     */
    private boolean guessHeader(Pending first) {
        int[] numbers = new int[columns];
        int[] texts = new int[columns];
        int sampled = 0;
        while (sampled < GUESS_ROWS && readRecord()) {
            pending.addLast(new Pending(Arrays.copyOf(lc, len), lineNumber));
            sampled++;
            if (malformed == null && fieldCount == columns) {
                for (int c = 0; c < columns; c++) {
                    if (isNumberOrMissing(c)) {
                        numbers[c] += isMissing(c) ? 0 : 1;
                    } else {
                        texts[c]++;
                    }
                }
            }
        }
        load(first);
        for (int c = 0; c < columns; c++) {
            boolean numericBelow = sampled == 0 || numbers[c] > 0 && texts[c] == 0;
            if (numericBelow && !isNumberOrMissing(c)) {
                guess = "line " + lineNumber + " taken as the header: column " + (c + 1) + " is '"
                        + Text.printable(shorten(field(c).strip())) + "'" + (sampled == 0 ? ""
                        : " above numbers") + " (--no-header reads it as data)";
                return true;
            }
        }
        guess = "line " + lineNumber + " read as data: no column has text above numbers (--header reads it as "
                + "the header)";
        return false;
    }

    private boolean isNumberOrMissing(int i) {
        try {
            number(i);
            return true;
        } catch (BadRowException e) {
            return false;
        }
    }

    private void load(Pending p) {
        char[] c = p.chars();
        if (lc.length < c.length) {
            lc = new char[c.length];
        }
        System.arraycopy(c, 0, lc, 0, c.length);
        len = c.length;
        lineNumber = p.lineNumber();
        split();
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** The header's column names, or null when the file has no header. */
    public String[] header() {
        return header == null ? null : header.clone();
    }

    /** The header line exactly as read (without its line ending), or null. */
    public String headerLine() {
        return headerLine;
    }

    /** What the header guess decided and why, or null when {@code --header}/{@code --no-header} was given. */
    public String guess() {
        return guess;
    }

    /** The first record's line ending: {@code "\r\n"} (also for a lone {@code \r}) or {@code "\n"}. */
    public String lineEnding() {
        return lineEnding;
    }

    /** Whether the file is gzip-compressed. */
    public boolean gzip() {
        return gzip;
    }

    /** The number of columns (of the first record). */
    public int columns() {
        return columns;
    }

    /** The file's size in bytes (for standard input: the bytes read so far). */
    public long sizeBytes() {
        return sizeBytes < 0 ? bytesRead() : sizeBytes;
    }

    /** Bytes read so far (read-ahead included; compressed bytes for gzip), for progress. */
    public long bytesRead() {
        return counter == null ? 0 : counter.count();
    }

    /** Advances to the next data record; false at the end of the file. */
    public boolean next() {
        Pending p = pending.pollFirst();
        if (p != null) {
            load(p);
            return true;
        }
        return !pendingOnly && readRecord();
    }

    private boolean readRecord() {
        try {
            while (true) {
                if (!readLine()) {
                    len = 0;
                    return false;
                }
                lineNumber = ++physical;
                if (physical <= skipUntil) {
                    continue;
                }
                decode();
                int k = 0;
                while (k < len && (lc[k] == ' ' || lc[k] == '\t' && delimiter != '\t')) {
                    k++;
                }
                if (k == len || format.comment() != 0 && lc[k] == format.comment()) {
                    continue;
                }
                split();
                return true;
            }
        } catch (IOException e) {
            throw new CliException(fileName + ", line " + (physical + 1) + ": read error (" + e.getMessage()
                    + ")", e);
        }
    }

    /** Reads one line's bytes into {@code lb}; false at the end of the input. */
    private boolean readLine() throws IOException {
        ll = 0;
        src = lb;
        srcOff = 0;
        boolean any = false;
        while (true) {
            if (pos >= lim) {
                lim = in.read(buf, 0, buf.length);
                pos = 0;
                if (lim <= 0) {
                    lim = 0;
                    endedCr = false;
                    return any;
                }
            }
            if (skipLf) {
                skipLf = false;
                if (buf[pos] == '\n') {
                    pos++;
                    continue;
                }
            }
            any = true;
            int i = pos;
            while (i < lim && buf[i] != '\n' && buf[i] != '\r') {
                i++;
            }
            int n = i - pos;
            if (i < lim && ll == 0) { // the whole line is in the buffer: decode it from there
                src = buf;
                srcOff = pos;
                ll = n;
                endedCr = buf[i] == '\r';
                skipLf = endedCr;
                pos = i + 1;
                return true;
            }
            if (ll + n > MAX_LINE) {
                throw new CliException(fileName + ", line " + (physical + 1) + ": longer than " + MAX_LINE
                        + " bytes: expected a text file with line breaks");
            }
            if (ll + n > lb.length) {
                lb = Arrays.copyOf(lb, Math.max(ll + n, lb.length * 2));
            }
            System.arraycopy(buf, pos, lb, ll, n);
            ll += n;
            if (i < lim) {
                endedCr = buf[i] == '\r';
                skipLf = endedCr;
                pos = i + 1;
                return true;
            }
            pos = lim;
        }
    }

    /** Decodes {@code lb} into {@code lc}: ASCII and Latin-1 by widening, anything else strictly. */
    private void decode() {
        if (lc.length < ll) {
            lc = new char[Math.max(ll, lc.length * 2)];
        }
        byte[] b = src;
        int off = srcOff;
        char[] c = lc;
        int i = 0;
        if (latin1) {
            for (; i < ll; i++) {
                c[i] = (char) (b[off + i] & 0xff);
            }
        } else {
            for (; i < ll; i++) {
                byte x = b[off + i];
                if (x < 0) {
                    break;
                }
                c[i] = (char) x;
            }
        }
        if (i == ll) {
            len = ll;
            return;
        }
        decoder.reset();
        CharBuffer out = CharBuffer.wrap(lc);
        ByteBuffer in = ByteBuffer.wrap(b, off, ll);
        CoderResult cr = decoder.decode(in, out, true);
        if (!cr.isError()) {
            cr = decoder.flush(out);
        }
        if (cr.isError()) {
            int at = in.position() - off;
            StringBuilder hex = new StringBuilder();
            for (int k = at; k < Math.min(ll, at + cr.length()); k++) {
                hex.append(String.format("%s0x%02X", hex.length() == 0 ? "" : " ", b[off + k] & 0xff));
            }
            throw new CliException(fileName + ", line " + physical + ": byte " + (at + 1) + " (" + hex + ") is not "
                    + "valid " + format.charset().name() + ": expected text in that encoding (--encoding)");
        }
        len = out.position();
    }

    private void split() {
        malformed = null;
        fieldCount = 0;
        char[] l = lc;
        int n = len;
        int i = 0;
        while (true) {
            ensure(fieldCount + 1);
            int start = i;
            boolean q = false;
            int p = i;
            while (p < n && l[p] == ' ') {
                p++;
            }
            if (p < n && l[p] == '"') {
                q = true;
                int j = p + 1;
                while (true) {
                    if (j >= n) {
                        malformed = "unterminated quoted field in column " + (fieldCount + 1);
                        break;
                    }
                    if (l[j] == '"') {
                        if (j + 1 < n && l[j + 1] == '"') {
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
                while (k < n && l[k] == ' ') {
                    k++;
                }
                if (k < n && l[k] != delimiter) {
                    malformed = "text after the closing quote of column " + (fieldCount + 1);
                }
                i = k;
            } else {
                while (i < n && l[i] != delimiter) {
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
     * Checks the current record: its quotes are balanced and it has as many fields as the first record.
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

    /** The current line, as read (decoded, without its line ending). */
    public String line() {
        return new String(lc, 0, len);
    }

    /** The number of fields of the current record. */
    public int fieldCount() {
        return fieldCount;
    }

    /** Field {@code i} (0-based) of the current record, unquoted. */
    public String field(int i) {
        String raw = rawField(i);
        if (!quoted[i]) {
            return raw;
        }
        String s = raw.strip();
        return s.substring(1, s.length() - 1).replace("\"\"", "\"");
    }

    /** Field {@code i} (0-based) of the current record exactly as written (quotes and spaces kept). */
    public String rawField(int i) {
        return new String(lc, starts[i], ends[i] - starts[i]);
    }

    /** Appends {@link #rawField(int)} without making a string. */
    public void appendRawField(StringBuilder sb, int i) {
        sb.append(lc, starts[i], ends[i] - starts[i]);
    }

    /** Whether field {@code i}, stripped of spaces (and quotes), is one of the missing-value tokens. */
    public boolean isMissing(int i) {
        return format.naValues().contains(field(i).strip());
    }

    /**
     * Field {@code i} (0-based) of the current record as a number; NaN for a missing-value token.
     *
     * @throws BadRowException naming the file, line and column if it is neither
     */
    public double number(int i) {
        if (numericNa && isMissing(i)) {
            return Double.NaN;
        }
        double v = parse(i);
        if (!Double.isNaN(v)) {
            return v;
        }
        Double slow = Numbers.parse(field(i));
        if (slow != null) {
            return slow;
        }
        if (isMissing(i)) {
            return Double.NaN;
        }
        String cell = field(i).strip();
        throw new BadRowException(fileName + ", line " + lineNumber + ", column " + (i + 1)
                + (header != null ? " (" + Text.printable(shorten(header[i])) + ")" : "") + ": "
                + (cell.isEmpty() ? "empty cell (not a missing token: see --na-values)"
                        : "'" + Text.printable(shorten(cell)) + "' is not a number"), lineNumber);
    }

    /** The decimal value of field {@code i}, NaN when it is not a plain decimal (the slow path decides). */
    private double parse(int i) {
        int s = starts[i];
        int e = ends[i];
        char[] l = lc;
        while (s < e && l[s] == ' ') {
            s++;
        }
        while (e > s && l[e - 1] == ' ') {
            e--;
        }
        if (s == e || quoted[i]) {
            return quoted[i] ? orNaN(Numbers.parse(field(i))) : Double.NaN;
        }
        char last = l[e - 1];
        if (!(last >= '0' && last <= '9' || last == '.')) {
            return Double.NaN;
        }
        int h = l[s] == '-' || l[s] == '+' ? s + 1 : s;
        if (h + 1 < e && l[h] == '0' && (l[h + 1] == 'x' || l[h + 1] == 'X')) {
            return Double.NaN;
        }
        // Clinger's fast path: at most 15 digits, at most 22 decimals, no exponent: an exact integer divided by
        // an exact power of ten, one correctly rounded operation. Anything else goes to FastDoubleParser.
        long m = 0;
        int digits = 0;
        int decimals = 0;
        int dot = -1;
        int p = h;
        for (; p < e; p++) {
            char c = l[p];
            if (c >= '0' && c <= '9') {
                m = m * 10 + (c - '0');
                digits++;
            } else if (c == '.' && dot < 0) {
                dot = p;
            } else {
                break;
            }
        }
        if (p == e && digits > 0 && digits <= 15) {
            decimals = dot < 0 ? 0 : e - dot - 1;
            if (decimals <= 22) {
                double d = decimals == 0 ? (double) m : (double) m / POW10[decimals];
                return l[s] == '-' ? -d : d;
            }
        }
        try {
            return NumberInput.parseDouble(l, s, e - s, true);
        } catch (NumberFormatException ex) {
            return Double.NaN;
        }
    }

    private static final double[] POW10 = new double[23];

    static {
        POW10[0] = 1;
        for (int k = 1; k < POW10.length; k++) {
            POW10[k] = POW10[k - 1] * 10; // exact up to 10^22
        }
    }

    private static double orNaN(Double v) {
        return v == null ? Double.NaN : v;
    }

    private static String shorten(String s) {
        return s.length() <= 40 ? s : s.substring(0, 37) + "...";
    }

    @Override
    public void close() {
        CliException.close(in::close, fileName + ": cannot close");
    }
}
