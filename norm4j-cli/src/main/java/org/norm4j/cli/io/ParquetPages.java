package org.norm4j.cli.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.statistics.Statistics;
import org.apache.parquet.format.DataPageHeader;
import org.apache.parquet.format.DataPageHeaderV2;
import org.apache.parquet.format.PageHeader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.io.ParquetDecodingException;
import shaded.parquet.org.apache.thrift.TConfiguration;
import shaded.parquet.org.apache.thrift.TException;
import shaded.parquet.org.apache.thrift.protocol.TCompactProtocol;
import shaded.parquet.org.apache.thrift.transport.TIOStreamTransport;

/**
 * The pages of one column chunk, read lazily from the file (one page in memory at a time) and checked before use:
 * every page header is parsed with a Thrift message limit of the bytes left in the chunk (so a corrupted length
 * cannot allocate more than the file holds), sizes are checked against the chunk, a page checksum (CRC-32) is
 * verified where the writer stored one, a page decompresses to exactly its declared size, and the data pages
 * hold no more values than the chunk declares. parquet-column decodes the pages ({@code ColumnReader}).
 */
final class ParquetPages implements PageReader {
    /** Bytes read at a time for a page header; a longer header (large statistics) is read again whole. */
    private static final int HEADER_WINDOW = 1 << 14;

    private final FileChannel ch;
    private final ColumnDescriptor column;
    private final CompressionCodecName codec;
    private final long totalValues;
    private final long end;
    private final Statistics<?> noStats;
    /**
     * Whether this column's page buffers are reused (the decompressed page, or the stored page when uncompressed):
     * only when a page is decoded before the next is read. The compressed bytes are a short-lived array, so memory
     * holds one page per column, not two.
     */
    private final boolean reuse;
    private byte[] raw = new byte[0];
    private byte[] plain = new byte[0];
    private long pos;
    private long values;
    private DictionaryPage dictionary;

    ParquetPages(FileChannel ch, ColumnDescriptor column, CompressionCodecName codec, long start, long size,
            long totalValues, boolean reuse) throws IOException {
        this.reuse = reuse;
        this.ch = ch;
        this.column = column;
        this.codec = codec;
        this.pos = start;
        this.end = start + size;
        this.totalValues = totalValues;
        this.noStats = Statistics.createStats(column.getPrimitiveType());
        if (pos < end) {
            long at = pos;
            Page p = next();
            if (p.header.getType() == org.apache.parquet.format.PageType.DICTIONARY_PAGE) {
                if (!p.header.isSetDictionary_page_header()) {
                    throw new IOException("a dictionary page without its header");
                }
                int n = p.header.getDictionary_page_header().getNum_values();
                if (n < 0) {
                    throw new IOException("a dictionary page of " + n + " values");
                }
                int us = p.header.getUncompressed_page_size();
                long least = (long) n * minBytes(column);
                if (least > us) { // a dictionary is allocated for its declared size when decoded
                    throw new IOException("a dictionary page of " + us + " bytes declares " + n + " values of at "
                            + "least " + minBytes(column) + " bytes");
                }
                dictionary = new DictionaryPage(BytesInput.from(inflate(p.bytes, 0, p.length, us), 0, us), n,
                        encoding(p.header.getDictionary_page_header().getEncoding()));
            } else {
                pos = at; // a data page: read again by readPage
            }
        }
    }

    /** A page: its header and its {@code length} stored bytes (in {@code bytes}, which may be longer). */
    /** The fewest bytes a plain-encoded value of the column takes (binary: its 4-byte length). */
    private static int minBytes(ColumnDescriptor c) {
        switch (c.getPrimitiveType().getPrimitiveTypeName()) {
            case BOOLEAN:
                return 0; // bit-packed; a boolean column has no dictionary
            case INT32:
            case FLOAT:
            case BINARY:
                return 4;
            case INT96:
                return 12;
            case FIXED_LEN_BYTE_ARRAY:
                return Math.max(1, c.getPrimitiveType().getTypeLength());
            default:
                return 8;
        }
    }

    private record Page(PageHeader header, byte[] bytes, int length) {
    }

    /** Reads the page at {@code pos} (header and its compressed bytes, checksum verified) and moves past it. */
    private Page next() throws IOException {
        long left = end - pos;
        PageHeader h = null;
        int headerBytes = 0;
        for (int window = (int) Math.min(left, HEADER_WINDOW); h == null; window = (int) Math.min(left,
                (long) window * 4)) {
            byte[] b = read(pos, window);
            ByteArrayInputStream in = new ByteArrayInputStream(b);
            try {
                h = new PageHeader();
                h.read(new TCompactProtocol(new TIOStreamTransport(new TConfiguration(window,
                        TConfiguration.DEFAULT_MAX_FRAME_SIZE, 64), in)));
                headerBytes = window - in.available();
            } catch (TException | RuntimeException e) {
                h = null;
                if (window >= left) {
                    throw new IOException("a page header at byte " + pos + " is not valid (" + e.getMessage() + ")",
                            e);
                }
            }
        }
        int cs = h.getCompressed_page_size();
        int us = h.getUncompressed_page_size();
        if (h.getType() == null || cs < 0 || us < 0 || cs > left - headerBytes) {
            throw new IOException("a page header at byte " + pos + " declares type " + h.getType() + ", "
                    + cs + " compressed and " + us + " uncompressed bytes: expected a known type and at most the "
                    + (left - headerBytes) + " bytes left in the column chunk");
        }
        byte[] bytes;
        if (reuse && codec == CompressionCodecName.UNCOMPRESSED) { // the stored bytes are the page: kept per column
            if (raw.length < cs) {
                raw = new byte[cs];
            }
            bytes = raw;
            readInto(pos + headerBytes, bytes, cs);
        } else {
            bytes = read(pos + headerBytes, cs);
        }
        if (h.isSetCrc()) {
            CRC32 crc = new CRC32();
            crc.update(bytes, 0, cs);
            if ((int) crc.getValue() != h.getCrc()) {
                throw new IOException("the page at byte " + pos + " fails its checksum (CRC-32 "
                        + Integer.toHexString((int) crc.getValue()) + ", stored " + Integer.toHexString(h.getCrc())
                        + "): the file is corrupted");
            }
        }
        pos += headerBytes + (long) cs;
        return new Page(h, bytes, cs);
    }

    private byte[] read(long at, int n) throws IOException {
        byte[] b = new byte[n];
        readInto(at, b, n);
        return b;
    }

    private void readInto(long at, byte[] b, int n) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(b, 0, n);
        while (buf.hasRemaining()) {
            if (ch.read(buf, at + buf.position()) < 0) {
                throw new IOException("unexpected end of file at byte " + (at + buf.position()));
            }
        }
    }

    private static Encoding encoding(org.apache.parquet.format.Encoding e) throws IOException {
        if (e == null) {
            throw new IOException("a page with an unknown encoding");
        }
        return Encoding.valueOf(e.name());
    }

    /**
     * Refuses a page whose declared uncompressed size is beyond what its codec can expand {@code len} bytes to
     * (deflate at most ~1032:1, snappy ~22:1: a 3-byte copy of 64 bytes), before the output is allocated. zstd
     * states its size in the frame, checked against the declaration in {@link #inflate}.
     */
    static void checkExpansion(CompressionCodecName codec, int len, int size) throws IOException {
        long most = codec == CompressionCodecName.GZIP ? 1032L * len + 1024
                : codec == CompressionCodecName.SNAPPY ? 22L * len + 1024 : Long.MAX_VALUE;
        if (size > most) {
            throw new IOException("a " + codec.name().toLowerCase(java.util.Locale.ROOT) + " page of " + len
                    + " bytes declares " + size + " uncompressed bytes: expected at most " + most
                    + " for this codec");
        }
    }

    /**
     * Decompresses {@code in[off, off + len)} to {@code size} bytes, after checking the declared size against the
     * length the snappy or zstd data states; returns the array that holds them from index 0 ({@code in} itself
     * when uncompressed and {@code off == 0}).
     */
    private byte[] inflate(byte[] in, int off, int len, int size) throws IOException {
        checkExpansion(codec, len, size);
        if (codec == CompressionCodecName.SNAPPY) {
            int declared;
            try {
                declared = io.airlift.compress.snappy.SnappyDecompressor.getUncompressedLength(in, off);
            } catch (RuntimeException e) {
                throw new IOException("a snappy page is not valid (" + e.getMessage() + ")", e);
            }
            if (declared != size) {
                throw new IOException("a snappy page holds " + declared + " bytes: expected its declared " + size);
            }
        } else if (codec == CompressionCodecName.ZSTD) {
            long declared;
            try {
                declared = io.airlift.compress.zstd.ZstdDecompressor.getDecompressedSize(in, off, len);
            } catch (RuntimeException e) {
                throw new IOException("a zstd page is not valid (" + e.getMessage() + ")", e);
            }
            if (declared >= 0 && declared != size) {
                throw new IOException("a zstd page holds " + declared + " bytes: expected its declared " + size);
            }
            if (declared < 0 && size > 64L * len + 1024) {
                throw new IOException("a zstd page of " + len + " bytes without its content size declares "
                        + size + " bytes");
            }
        }
        if (codec == CompressionCodecName.UNCOMPRESSED) {
            ParquetCodecs.decompress(codec, in, off, len, in, size); // checks len == size
            return off == 0 ? in : java.util.Arrays.copyOfRange(in, off, off + len);
        }
        byte[] out;
        if (reuse) {
            if (plain.length < size) {
                plain = new byte[size];
            }
            out = plain;
        } else {
            out = new byte[size];
        }
        ParquetCodecs.decompress(codec, in, off, len, out, size);
        return out;
    }

    @Override
    public DictionaryPage readDictionaryPage() {
        return dictionary;
    }

    @Override
    public long getTotalValueCount() {
        return totalValues;
    }

    @Override
    public DataPage readPage() {
        try {
            while (pos < end) {
                Page p = next();
                PageHeader h = p.header;
                switch (h.getType()) {
                    case DATA_PAGE: {
                        DataPageHeader d = h.getData_page_header();
                        if (d == null) {
                            throw new IOException("a data page without its header");
                        }
                        count(d.getNum_values());
                        int us = h.getUncompressed_page_size();
                        byte[] data = inflate(p.bytes, 0, p.length, us);
                        return new DataPageV1(BytesInput.from(data, 0, us), d.getNum_values(), us, noStats,
                                encoding(d.getRepetition_level_encoding()), encoding(d.getDefinition_level_encoding()),
                                encoding(d.getEncoding()));
                    }
                    case DATA_PAGE_V2: {
                        DataPageHeaderV2 d = h.getData_page_header_v2();
                        if (d == null) {
                            throw new IOException("a data page (v2) without its header");
                        }
                        count(d.getNum_values());
                        int rl = d.getRepetition_levels_byte_length();
                        int dl = d.getDefinition_levels_byte_length();
                        int cs = p.length;
                        int us = h.getUncompressed_page_size();
                        if (rl < 0 || dl < 0 || (long) rl + dl > Math.min(cs, us) || d.getNum_nulls() < 0
                                || d.getNum_rows() < 0 || d.getNum_nulls() > d.getNum_values()) {
                            throw new IOException("a data page (v2) declares " + rl + " + " + dl + " level bytes, "
                                    + d.getNum_nulls() + " nulls and " + d.getNum_rows() + " rows in a page of "
                                    + cs + " bytes");
                        }
                        int lv = rl + dl;
                        if (!d.isIs_compressed() && cs != us) {
                            throw new IOException("an uncompressed data page (v2) of " + cs + " bytes declares " + us);
                        }
                        BytesInput data = d.isIs_compressed()
                                ? BytesInput.from(inflate(p.bytes, lv, cs - lv, us - lv), 0, us - lv)
                                : BytesInput.from(p.bytes, lv, cs - lv);
                        return new DataPageV2(d.getNum_rows(), d.getNum_nulls(), d.getNum_values(),
                                BytesInput.from(p.bytes, 0, rl), BytesInput.from(p.bytes, rl, dl),
                                encoding(d.getEncoding()), data, us, noStats, false);
                    }
                    case DICTIONARY_PAGE:
                        throw new IOException("a second dictionary page");
                    default:
                        break; // index pages: skipped
                }
            }
            return null;
        } catch (IOException e) {
            throw new ParquetDecodingException("column '" + column.getPath()[0] + "': " + e.getMessage(), e);
        }
    }

    private void count(int n) throws IOException {
        if (n < 0 || values + n > totalValues) {
            throw new IOException("data pages of " + (values + n) + " values: expected the " + totalValues
                    + " values the column chunk declares");
        }
        values += n;
    }
}
