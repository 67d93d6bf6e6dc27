package org.norm4j.cli.io;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.parquet.bytes.HeapByteBufferAllocator;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ColumnWriteStore;
import org.apache.parquet.column.ColumnWriter;
import org.apache.parquet.column.ParquetProperties;
import org.apache.parquet.hadoop.ColumnChunkPageWriteStore;
import org.apache.parquet.hadoop.ParquetFileWriter;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.PositionOutputStream;
import org.apache.parquet.schema.MessageType;

/**
 * A Parquet file written record by record with parquet-java's column-level API ({@code ColumnWriteStore} over
 * {@code ColumnChunkPageWriteStore} and {@code ParquetFileWriter}), without Hadoop, to a stream (the command's
 * {@link AtomicOutput}: Parquet is written front to back). Data pages carry a CRC-32 checksum. A row group is
 * closed by {@link #endGroup()} or when its buffered pages reach 64 MiB.
 */
public final class ParquetOutput implements AutoCloseable {
    private static final long GROUP_BYTES = 64L << 20;

    private final MessageType schema;
    private final CompressionCodecName codec;
    private final ParquetFileWriter file;
    private final ParquetProperties props;
    private final ColumnWriter[] writers;
    private ColumnChunkPageWriteStore pages;
    private ColumnWriteStore store;
    private long groupRows;

    /** Starts a file of {@code schema} on {@code out}, pages compressed with {@code codec}. */
    public ParquetOutput(OutputStream out, MessageType schema, CompressionCodecName codec) throws IOException {
        this(out, schema, codec, java.util.Set.of());
    }

    /**
     * Starts a file of {@code schema} on {@code out}, pages compressed with {@code codec}, the columns named in
     * {@code plain} without dictionary encoding (scaled values are nearly all distinct: a dictionary would be
     * built and dropped in every row group).
     */
    public ParquetOutput(OutputStream out, MessageType schema, CompressionCodecName codec,
            java.util.Set<String> plain) throws IOException {
        this.schema = schema;
        this.codec = codec;
        ParquetProperties.Builder b = ParquetProperties.builder().withPageWriteChecksumEnabled(true);
        for (String c : plain) {
            b.withDictionaryEncoding(c, false);
        }
        this.props = b.build();
        this.file = new ParquetFileWriter(new Target(out), schema, ParquetFileWriter.Mode.OVERWRITE, GROUP_BYTES, 0,
                ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH,
                ParquetProperties.DEFAULT_STATISTICS_TRUNCATE_LENGTH, true);
        this.file.start();
        this.writers = new ColumnWriter[schema.getColumns().size()];
        startGroup();
    }

    private void startGroup() {
        pages = new ColumnChunkPageWriteStore(new ParquetCodecs().getCompressor(codec), schema,
                new HeapByteBufferAllocator(), ParquetProperties.DEFAULT_COLUMN_INDEX_TRUNCATE_LENGTH, true);
        store = props.newColumnWriteStore(schema, pages);
        java.util.List<ColumnDescriptor> cols = schema.getColumns();
        for (int c = 0; c < writers.length; c++) {
            writers[c] = store.getColumnWriter(cols.get(c));
        }
        groupRows = 0;
    }

    /** The writer of column {@code c} (of the current row group: take it again after {@link #endRecord()}). */
    public ColumnWriter column(int c) {
        return writers[c];
    }

    /** Ends a record (one value written to every column); may close the row group. */
    public void endRecord() throws IOException {
        store.endRecord();
        groupRows++;
        if ((groupRows & 1023) == 0 && store.getBufferedSize() >= GROUP_BYTES) {
            endGroup();
        }
    }

    /** Closes the current row group (nothing if it is empty). */
    public void endGroup() throws IOException {
        if (groupRows == 0) {
            return;
        }
        file.startBlock(groupRows);
        store.flush();
        pages.flushToFileWriter(file);
        file.endBlock();
        store.close();
        pages.close();
        startGroup();
    }

    /** Writes the last row group and the footer. */
    public void finish() throws IOException {
        endGroup();
        file.end(java.util.Map.of());
    }

    @Override
    public void close() {
        store.close();
        pages.close();
    }

    /** The stream as parquet-java's output file: positions counted, never closed by the writer. */
    private static final class Target implements org.apache.parquet.io.OutputFile {
        private final OutputStream out;

        Target(OutputStream out) {
            this.out = out;
        }

        @Override
        public PositionOutputStream create(long blockSizeHint) {
            return new PositionOutputStream() {
                private long pos;

                @Override
                public long getPos() {
                    return pos;
                }

                @Override
                public void write(int b) throws IOException {
                    out.write(b);
                    pos++;
                }

                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                    pos += len;
                }

                @Override
                public void flush() throws IOException {
                    out.flush();
                }

                @Override
                public void close() throws IOException {
                    out.flush(); // the caller owns the stream (an atomic output, committed or abandoned)
                }
            };
        }

        @Override
        public PositionOutputStream createOrOverwrite(long blockSizeHint) {
            return create(blockSizeHint);
        }

        @Override
        public boolean supportsBlockSize() {
            return false;
        }

        @Override
        public long defaultBlockSize() {
            return 0;
        }
    }
}
