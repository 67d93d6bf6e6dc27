package org.norm4j.cli.io;

import io.airlift.compress.Compressor;
import io.airlift.compress.Decompressor;
import io.airlift.compress.MalformedInputException;
import io.airlift.compress.snappy.SnappyCompressor;
import io.airlift.compress.snappy.SnappyDecompressor;
import io.airlift.compress.zstd.ZstdCompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * The Parquet page codecs the command reads and writes, without Hadoop: uncompressed, snappy (pandas' and
 * pyarrow's default) and zstd in pure Java (aircompressor), gzip with {@code java.util.zip}. parquet-java's own
 * {@code CodecFactory} needs Hadoop's codec classes (and native snappy-java and zstd-jni); this one needs neither.
 */
public final class ParquetCodecs implements CompressionCodecFactory {
    /** The codecs supported, by their Parquet names. */
    public static final java.util.List<CompressionCodecName> SUPPORTED = java.util.List.of(
            CompressionCodecName.UNCOMPRESSED, CompressionCodecName.SNAPPY, CompressionCodecName.GZIP,
            CompressionCodecName.ZSTD);

    /** Whether {@code codec} can be read and written. */
    public static boolean supported(CompressionCodecName codec) {
        return SUPPORTED.contains(codec);
    }

    /** The names of the supported codecs, lower case, for messages and help. */
    public static String names() {
        StringBuilder sb = new StringBuilder();
        for (CompressionCodecName c : SUPPORTED) {
            sb.append(sb.length() > 0 ? ", " : "").append(c.name().toLowerCase(Locale.ROOT));
        }
        return sb.toString();
    }

    /**
     * Decompresses {@code in} into exactly {@code size} bytes.
     *
     * @throws IOException if the bytes are not valid for the codec or do not decompress to {@code size} bytes
     */
    public static byte[] decompress(CompressionCodecName codec, byte[] in, int size) throws IOException {
        if (codec == CompressionCodecName.UNCOMPRESSED) {
            decompress(codec, in, 0, in.length, in, size); // checks the size
            return in;
        }
        byte[] out = new byte[size];
        decompress(codec, in, 0, in.length, out, size);
        return out;
    }

    /**
     * Decompresses {@code in[off, off + len)} into {@code out[0, size)} (uncompressed: only checks that
     * {@code len == size}; the bytes stay in {@code in}).
     *
     * @throws IOException if the bytes are not valid for the codec or do not decompress to {@code size} bytes
     */
    public static void decompress(CompressionCodecName codec, byte[] in, int off, int len, byte[] out, int size)
            throws IOException {
        switch (codec) {
            case UNCOMPRESSED:
                if (len != size) {
                    throw new IOException("an uncompressed page of " + len + " bytes declares " + size + " bytes");
                }
                return;
            case SNAPPY:
                block(new SnappyDecompressor(), codec, in, off, len, out, size);
                return;
            case ZSTD:
                block(new ZstdDecompressor(), codec, in, off, len, out, size);
                return;
            case GZIP:
                try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(in, off, len))) {
                    if (z.readNBytes(out, 0, size) != size || z.read() >= 0) {
                        throw new IOException("a gzip page does not inflate to its declared " + size + " bytes");
                    }
                } catch (java.util.zip.ZipException | java.io.EOFException e) {
                    throw new IOException("a gzip page is not valid (" + e.getMessage() + ")", e);
                }
                return;
            default:
                throw new IOException("compression codec " + codec + ": expected one of " + names());
        }
    }

    private static void block(Decompressor d, CompressionCodecName codec, byte[] in, int off, int len, byte[] out,
            int size) throws IOException {
        int n;
        try {
            n = d.decompress(in, off, len, out, 0, size);
        } catch (MalformedInputException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw new IOException("a " + codec.name().toLowerCase(Locale.ROOT) + " page is not valid ("
                    + e.getMessage() + ")", e);
        }
        if (n != size) {
            throw new IOException("a " + codec.name().toLowerCase(Locale.ROOT) + " page decompresses to " + n
                    + " bytes: expected its declared " + size);
        }
    }

    /** Compresses {@code in} with {@code codec}. */
    public static byte[] compress(CompressionCodecName codec, byte[] in) throws IOException {
        switch (codec) {
            case UNCOMPRESSED:
                return in;
            case SNAPPY:
                return block(new SnappyCompressor(), in);
            case ZSTD:
                return block(new ZstdCompressor(), in);
            case GZIP:
                ByteArrayOutputStream bo = new ByteArrayOutputStream(in.length / 2 + 64);
                try (GZIPOutputStream z = new GZIPOutputStream(bo, 1 << 16)) {
                    z.write(in);
                }
                return bo.toByteArray();
            default:
                throw new IOException("compression codec " + codec + ": expected one of " + names());
        }
    }

    private static byte[] block(Compressor c, byte[] in) {
        byte[] out = new byte[c.maxCompressedLength(in.length)];
        int n = c.compress(in, 0, in.length, out, 0, out.length);
        return java.util.Arrays.copyOf(out, n);
    }

    @Override
    public BytesInputCompressor getCompressor(CompressionCodecName codec) {
        return new BytesInputCompressor() {
            @Override
            public BytesInput compress(BytesInput bytes) throws IOException {
                return BytesInput.from(ParquetCodecs.compress(codec, bytes.toByteArray()));
            }

            @Override
            public CompressionCodecName getCodecName() {
                return codec;
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
        return new BytesInputDecompressor() {
            @Override
            public BytesInput decompress(BytesInput bytes, int size) throws IOException {
                return BytesInput.from(ParquetCodecs.decompress(codec, bytes.toByteArray(), size));
            }

            @Override
            public void decompress(ByteBuffer in, int compressedSize, ByteBuffer out, int size) throws IOException {
                byte[] b = new byte[compressedSize];
                in.get(b);
                out.put(ParquetCodecs.decompress(codec, b, size));
            }

            @Override
            public void release() {
            }
        };
    }

    @Override
    public void release() {
    }
}
