package org.norm4j.cli.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnReader;
import org.apache.parquet.column.impl.ColumnReadStoreImpl;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.format.converter.ParquetMetadataConverter;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.hadoop.metadata.ColumnChunkMetaData;
import org.apache.parquet.hadoop.metadata.ParquetMetadata;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;
import org.norm4j.cli.CliException;
import org.norm4j.files.OutputFile;
import org.norm4j.files.Text;

/**
 * A Parquet file, read with parquet-java's column-level API (parquet-column's {@code ColumnReader}, one per
 * column and row group) over norm4j's own page reader ({@link ParquetPages}), without Hadoop. Validated before
 * use: the magic bytes at both ends, the footer length against the file length before it is allocated (and at most
 * 64 MiB), the footer's Thrift message limited to its length, a flat schema (every column a top-level primitive),
 * every column chunk inside the file with a supported codec and one value per row, every page as
 * {@link ParquetPages} describes. Nulls read as NaN (missing values).
 */
public final class ParquetReader implements AutoCloseable {
    private static final byte[] MAGIC = "PAR1".getBytes(StandardCharsets.US_ASCII);
    private static final int MAX_FOOTER = 64 << 20;
    private static final String NUMERIC = "a numeric column: double, float, int32, int64 (signed or unsigned "
            + "8 to 64 bits) or boolean";

    /** How a fitted column's values become doubles. */
    public enum Kind { DOUBLE, FLOAT, INT32, UINT32, INT64, UINT64, BOOLEAN }

    private static final GroupConverter IGNORED = new GroupConverter() {
        private final PrimitiveConverter none = new PrimitiveConverter() {
        };

        @Override
        public Converter getConverter(int fieldIndex) {
            return none;
        }

        @Override
        public void start() {
        }

        @Override
        public void end() {
        }
    };

    private final Path file;
    private final String name;
    private final FileChannel ch;
    private final ParquetMetadata meta;
    private final MessageType schema;
    private final List<ColumnDescriptor> columns;
    private final String[] names;
    private final long rows;
    private int group = -1;
    private ColumnReadStoreImpl store;

    private ParquetReader(Path file, FileChannel ch, ParquetMetadata meta) {
        this.file = file;
        this.name = Text.escape(file.toString());
        this.ch = ch;
        this.meta = meta;
        this.schema = meta.getFileMetaData().getSchema();
        this.columns = schema.getColumns();
        this.names = new String[columns.size()];
        long n = 0;
        for (BlockMetaData b : meta.getBlocks()) {
            n += b.getRowCount();
        }
        this.rows = n;
    }

    /** Whether {@code file} is read as Parquet: its name ends in {@code .parquet}, or it starts with {@code PAR1}. */
    public static boolean isParquet(Path file) {
        if (OutputFile.isStdio(file)) {
            return false;
        }
        if (file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".parquet")) {
            return true;
        }
        if (!Files.isRegularFile(file)) {
            return false;
        }
        try (var in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(4), MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Opens and validates a Parquet file.
     *
     * @throws CliException naming the file, and the column where there is one, if it cannot be used
     */
    public static ParquetReader open(Path file) {
        String name = Text.escape(file.toString());
        if (OutputFile.isStdio(file)) {
            throw new CliException("-: a Parquet file cannot be read from standard input (its footer is at the "
                    + "end): expected a file name");
        }
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            ParquetReader r = new ParquetReader(file, ch, footer(ch, name));
            r.validate();
            return r;
        } catch (NoSuchFileException e) {
            close(ch);
            throw new CliException(name + ": no such file", e);
        } catch (IOException e) {
            close(ch);
            throw new CliException(name + ": " + Text.escape(String.valueOf(e.getMessage())), e);
        } catch (CliException e) {
            close(ch);
            throw e;
        } catch (RuntimeException e) {
            close(ch);
            throw new CliException(name + ": not a valid Parquet file (" + Text.escape(String.valueOf(e)) + ")", e);
        }
    }

    private static void close(FileChannel ch) {
        if (ch != null) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
        }
    }

    private static ParquetMetadata footer(FileChannel ch, String name) throws IOException {
        long size = ch.size();
        if (size < 12) {
            throw new CliException(name + ": " + size + " bytes: not a Parquet file (expected at least 12 bytes, "
                    + "PAR1 at both ends)");
        }
        byte[] head = new byte[4];
        byte[] tail = new byte[8];
        readFully(ch, ByteBuffer.wrap(head), 0);
        readFully(ch, ByteBuffer.wrap(tail), size - 8);
        if (!java.util.Arrays.equals(head, MAGIC)) {
            throw new CliException(name + ": not a Parquet file (it does not start with PAR1)");
        }
        if (tail[4] == 'P' && tail[5] == 'A' && tail[6] == 'R' && tail[7] == 'E') {
            throw new CliException(name + ": an encrypted Parquet file (PARE): expected an unencrypted file");
        }
        if (!java.util.Arrays.equals(java.util.Arrays.copyOfRange(tail, 4, 8), MAGIC)) {
            throw new CliException(name + ": not a Parquet file, or truncated (it does not end with PAR1)");
        }
        long len = ByteBuffer.wrap(tail, 0, 4).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
        if (len == 0 || len > size - 12 || len > MAX_FOOTER) {
            throw new CliException(name + ": footer of " + len + " bytes in a file of " + size + " bytes: expected "
                    + "1 to " + Math.min(size - 12, MAX_FOOTER) + " bytes");
        }
        byte[] footer = new byte[(int) len];
        readFully(ch, ByteBuffer.wrap(footer), size - 8 - len);
        try {
            return new ParquetMetadataConverter().readParquetMetadata(new ByteArrayInputStream(footer),
                    ParquetMetadataConverter.NO_FILTER, null, false, (int) len);
        } catch (IOException | RuntimeException e) {
            throw new CliException(name + ": the footer is not valid Parquet metadata ("
                    + Text.escape(String.valueOf(e.getMessage())) + ")", e);
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            if (ch.read(b, at + b.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
    }

    private void validate() throws IOException {
        List<Type> fields = schema.getFields();
        if (fields.isEmpty()) {
            throw new CliException(name + ": no columns");
        }
        for (Type t : fields) {
            if (!t.isPrimitive() || t.isRepetition(Type.Repetition.REPEATED)) {
                throw new CliException(name + ": column '" + Text.printable(t.getName()) + "' is a "
                        + (t.isPrimitive() ? "repeated" : "nested") + " column: expected flat columns of "
                        + "single values");
            }
        }
        for (int c = 0; c < columns.size(); c++) {
            names[c] = columns.get(c).getPath()[0];
        }
        long dataEnd = ch.size() - 8 - footerLength();
        long total = 0;
        for (BlockMetaData b : meta.getBlocks()) {
            long n = b.getRowCount();
            if (n < 0 || total + n < 0) {
                throw new CliException(name + ": a row group of " + n + " rows: expected 0 to 2^63-1 in all");
            }
            total += n;
            List<ColumnChunkMetaData> cs = b.getColumns();
            if (cs.size() != columns.size()) {
                throw new CliException(name + ": a row group of " + cs.size() + " columns: expected "
                        + columns.size() + " (as in the schema)");
            }
            for (int c = 0; c < cs.size(); c++) {
                ColumnChunkMetaData m = cs.get(c);
                String col = "column '" + Text.printable(names[c]) + "'";
                if (!m.getPath().toDotString().equals(names[c])) {
                    throw new CliException(name + ": " + col + ": a column chunk of '"
                            + Text.printable(m.getPath().toDotString()) + "' in its place");
                }
                long start = m.getStartingPos();
                long size = m.getTotalSize();
                if (start < 4 || size < 0 || size > dataEnd - start) {
                    throw new CliException(name + ": " + col + ": a column chunk at byte " + start + " of " + size
                            + " bytes: expected it within the data, bytes 4 to " + dataEnd);
                }
                if (!ParquetCodecs.supported(m.getCodec())) {
                    throw new CliException(name + ": " + col + ": compression codec "
                            + m.getCodec().name().toLowerCase(Locale.ROOT) + ": expected one of "
                            + ParquetCodecs.names());
                }
                if (m.getValueCount() != n) {
                    throw new CliException(name + ": " + col + ": " + m.getValueCount() + " values in a row "
                            + "group of " + n + " rows: expected one value (or null) per row");
                }
            }
        }
    }

    private long footerLength() throws IOException {
        byte[] b = new byte[4];
        readFully(ch, ByteBuffer.wrap(b), ch.size() - 8);
        return ByteBuffer.wrap(b).order(java.nio.ByteOrder.LITTLE_ENDIAN).getInt() & 0xffffffffL;
    }

    /** The column names, in file order. */
    public String[] names() {
        return names.clone();
    }

    /** Number of columns. */
    public int columns() {
        return columns.size();
    }

    /** Number of rows. */
    public long rows() {
        return rows;
    }

    /** The file's schema. */
    public MessageType schema() {
        return schema;
    }

    /** The codec of the first column chunk (what a transformed file is written with by default). */
    public org.apache.parquet.hadoop.metadata.CompressionCodecName codec() {
        for (BlockMetaData b : meta.getBlocks()) {
            if (!b.getColumns().isEmpty()) {
                return b.getColumns().get(0).getCodec();
            }
        }
        return org.apache.parquet.hadoop.metadata.CompressionCodecName.SNAPPY;
    }

    /** The descriptor of column {@code c}. */
    public ColumnDescriptor descriptor(int c) {
        return columns.get(c);
    }

    /**
     * How column {@code c} is read as numbers.
     *
     * @throws CliException naming the column and its type if it is not numeric
     */
    public Kind kind(int c) {
        PrimitiveType t = columns.get(c).getPrimitiveType();
        LogicalTypeAnnotation a = t.getLogicalTypeAnnotation();
        LogicalTypeAnnotation.IntLogicalTypeAnnotation i = a instanceof LogicalTypeAnnotation.IntLogicalTypeAnnotation
                ? (LogicalTypeAnnotation.IntLogicalTypeAnnotation) a : null;
        switch (t.getPrimitiveTypeName()) {
            case DOUBLE:
                return Kind.DOUBLE;
            case FLOAT:
                return Kind.FLOAT;
            case BOOLEAN:
                return Kind.BOOLEAN;
            case INT32:
                if (a == null || i != null) {
                    return i != null && !i.isSigned() ? Kind.UINT32 : Kind.INT32;
                }
                break;
            case INT64:
                if (a == null || i != null) {
                    return i != null && !i.isSigned() ? Kind.UINT64 : Kind.INT64;
                }
                break;
            default:
                break;
        }
        throw new CliException(name + ": column '" + Text.printable(names[c]) + "' is "
                + t.getPrimitiveTypeName().name().toLowerCase(Locale.ROOT) + (a == null ? "" : " (" + a + ")")
                + ": expected " + NUMERIC + " (choose the columns to fit with --columns; the others pass "
                + "through transform unchanged)");
    }

    /** Moves to the next row group; false after the last. Its rows: {@link #groupRows()}. */
    public boolean nextGroup() {
        if (group + 1 >= meta.getBlocks().size()) {
            store = null;
            return false;
        }
        group++;
        BlockMetaData b = meta.getBlocks().get(group);
        Map<ColumnDescriptor, PageReader> pages = new HashMap<>();
        PageReadStore prs = new PageReadStore() {
            @Override
            public PageReader getPageReader(ColumnDescriptor d) {
                return pages.computeIfAbsent(d, k -> {
                    int c = columns.indexOf(k);
                    try {
                        return pages(c, false); // a ColumnReader keeps a page's bytes while it reads them
                    } catch (IOException e) {
                        throw new org.apache.parquet.io.ParquetDecodingException("column '" + names[c] + "': "
                                + e.getMessage(), e);
                    }
                });
            }

            @Override
            public long getRowCount() {
                return b.getRowCount();
            }
        };
        store = new ColumnReadStoreImpl(prs, IGNORED, schema, meta.getFileMetaData().getCreatedBy());
        return true;
    }

    /** Rows in the current row group. */
    public long groupRows() {
        return meta.getBlocks().get(group).getRowCount();
    }

    /** A reader of column {@code c} in the current row group (created on first use). */
    public ColumnReader column(int c) {
        try {
            return store.getColumnReader(columns.get(c));
        } catch (RuntimeException e) {
            throw fail(c, e);
        }
    }

    /** A failure while decoding column {@code c} of the current row group, as a one-line error. */
    public CliException fail(int c, Exception e) {
        Throwable t = e;
        while (t.getCause() != null && t.getMessage() == null) {
            t = t.getCause();
        }
        return new CliException(name + ": row group " + (group + 1) + ", column '" + Text.printable(names[c])
                + "': not valid (" + Text.escape(String.valueOf(t.getMessage())) + ")", e);
    }

    /**
     * The values of column {@code c} (of kind {@link #kind(int)}) in the current row group, as numbers: read them
     * with {@link #read}. Decoded a page at a time ({@link ParquetNumbers}), faster than a {@link ColumnReader}.
     */
    public ParquetNumbers numbers(int c) {
        try {
            return new ParquetNumbers(pages(c, true), columns.get(c), kind(c));
        } catch (IOException | RuntimeException e) {
            throw fail(c, e);
        }
    }

    /**
     * Reads the next {@code n} values of {@code numbers} (column {@code c}) into {@code buf[off + i * stride]}, a
     * null as NaN; {@code nulls} (or null) gets, at the same places, whether the value was null.
     */
    public void read(int c, ParquetNumbers numbers, double[] buf, int off, int stride, int n, boolean[] nulls) {
        try {
            numbers.read(buf, off, stride, n, nulls);
        } catch (IOException | RuntimeException e) {
            throw fail(c, e);
        }
    }

    /** The pages of column {@code c} in the current row group; {@code reuse}: see {@link ParquetPages}. */
    private ParquetPages pages(int c, boolean reuse) throws IOException {
        ColumnChunkMetaData m = meta.getBlocks().get(group).getColumns().get(c);
        return new ParquetPages(ch, columns.get(c), m.getCodec(), m.getStartingPos(), m.getTotalSize(),
                m.getValueCount(), reuse);
    }

    /** An unsigned 64-bit integer as the nearest double (halved with the lost bit kept as a sticky bit). */
    static double unsigned(long v) {
        return v >= 0 ? v : ((v >>> 1) | (v & 1)) * 2.0;
    }

    private int[] fillColumns;
    private ParquetNumbers[] fillNumbers;
    private long fillLeft;

    /**
     * Fills {@code buf} with up to {@code max} rows of columns {@code cols}, row-major, in file order across row
     * groups (from the start of the file; do not mix with {@link #nextGroup()}), a null as NaN; returns the rows,
     * 0 at the end.
     */
    public int fill(int[] cols, double[] buf, int max) {
        if (fillNumbers == null) {
            fillColumns = cols.clone();
            fillNumbers = new ParquetNumbers[cols.length];
        }
        while (fillLeft == 0) {
            if (!nextGroup()) {
                return 0;
            }
            fillLeft = groupRows();
            for (int k = 0; k < cols.length; k++) {
                fillNumbers[k] = numbers(fillColumns[k]);
            }
        }
        int n = (int) Math.min(max, fillLeft);
        int f = cols.length;
        for (int k = 0; k < f; k++) { // column by column into row-major rows
            read(fillColumns[k], fillNumbers[k], buf, k, f, n, null);
        }
        fillLeft -= n;
        return n;
    }

    /** The file name given. */
    public Path file() {
        return file;
    }

    @Override
    public void close() {
        close(ch);
    }

    /** Copies the next value (or null) of column {@code c} from {@code r} to {@code w}, exactly. */
    public void copy(int c, ColumnReader r, org.apache.parquet.column.ColumnWriter w) {
        try {
            int d = r.getCurrentDefinitionLevel();
            if (d != columns.get(c).getMaxDefinitionLevel()) {
                w.writeNull(0, d);
            } else {
                switch (columns.get(c).getPrimitiveType().getPrimitiveTypeName()) {
                    case BOOLEAN:
                        w.write(r.getBoolean(), 0, d);
                        break;
                    case INT32:
                        w.write(r.getInteger(), 0, d);
                        break;
                    case INT64:
                        w.write(r.getLong(), 0, d);
                        break;
                    case FLOAT:
                        w.write(r.getFloat(), 0, d);
                        break;
                    case DOUBLE:
                        w.write(r.getDouble(), 0, d);
                        break;
                    default: // binary, fixed-length binary, int96
                        w.write(r.getBinary(), 0, d);
                        break;
                }
            }
            r.consume();
        } catch (RuntimeException e) {
            throw fail(c, e);
        }
    }
}
