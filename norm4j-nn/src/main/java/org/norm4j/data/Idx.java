package org.norm4j.data;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import org.norm4j.files.Text;

/**
 * Reader for the IDX format of the MNIST and Fashion-MNIST distributions: a big-endian header (two zero
 * bytes, a type byte, the number of dimensions, then one 32-bit size per dimension) followed by the data.
 * Only unsigned bytes (type 0x08) are supported, which is what those datasets use. Gzip-compressed files are
 * recognized by their content, whatever their name.
 */
public final class Idx {
    private static final int TYPE_UBYTE = 0x08;

    private Idx() {
    }

    /** An IDX array: its dimensions and its unsigned bytes in row-major order. */
    public record Array(int[] dims, byte[] data) {
        /** Number of items along the first dimension. */
        public int count() {
            return dims[0];
        }

        /** Unsigned value of element {@code i}. */
        public int unsigned(int i) {
            return data[i] & 0xff;
        }
    }

    /**
     * Reads an IDX file, gzip-compressed or not.
     *
     * @throws IOException with the file name and what was wrong: a bad magic number, an unsupported type, or
     *     a file shorter than its header says
     */
    public static Array read(Path file) throws IOException {
        String name = Text.escape(file.toString());
        if (Files.isDirectory(file)) {
            throw new IOException(name + ": is a directory: expected an IDX file");
        }
        long length;
        InputStream in;
        try {
            length = Files.size(file);
            in = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new IOException(name + ": no such file", e);
        }
        try (in) {
            return read(in, name, length);
        }
    }

    /**
     * Reads IDX data from a stream (gzip detected from the first two bytes); {@code name} is used in errors.
     */
    public static Array read(InputStream raw, String name) throws IOException {
        return read(raw, name, -1);
    }

    /**
     * Reads IDX data; {@code length} is the stream's length in bytes when known ({@code -1} otherwise), checked
     * against the header before anything is allocated. Without a known length (gzip, a stream) the data array
     * grows with the bytes that actually arrive, so a short file declaring a huge array fails without
     * allocating it.
     */
    static Array read(InputStream raw, String name, long length) throws IOException {
        try {
            return parse(raw, name, length);
        } catch (IOException e) {
            String m = e.getMessage();
            if (m != null && m.startsWith(name + ":")) {
                throw e;
            }
            // from the gzip decoder or the stream: name the file, escape what the stream said
            throw new IOException(name + ": " + (e instanceof EOFException ? "truncated (" : "unreadable (")
                    + Text.printable(String.valueOf(m)) + ")", e);
        }
    }

    private static Array parse(InputStream raw, String name, long length) throws IOException {
        BufferedInputStream buf = new BufferedInputStream(raw, 1 << 16);
        buf.mark(2);
        int b0 = buf.read();
        int b1 = buf.read();
        buf.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        InputStream in = gzip ? new GZIPInputStream(buf, 1 << 16) : buf;
        if (gzip) {
            length = -1;
        }
        DataInputStream data = new DataInputStream(in);
        long offset = 0;
        try {
            int magic = data.readInt();
            offset = 4;
            int zero = magic >>> 16;
            int type = (magic >>> 8) & 0xff;
            int rank = magic & 0xff;
            if (zero != 0 || rank < 1 || rank > 8) {
                throw new IOException(name + ": bad IDX magic number 0x" + String.format("%08x", magic)
                        + " at byte 0: expected 0x000008NN (e.g. 0x00000803 for images, 0x00000801 for labels)");
            }
            if (type != TYPE_UBYTE) {
                throw new IOException(name + ": IDX element type 0x" + Integer.toHexString(type)
                        + " at byte 2: expected 0x08 (unsigned byte)");
            }
            int[] dims = new int[rank];
            long size = 1;
            for (int i = 0; i < rank; i++) {
                dims[i] = data.readInt();
                offset += 4;
                if (dims[i] < 0) {
                    throw new IOException(name + ": dimension " + i + " is " + dims[i] + " at byte " + (offset - 4)
                            + ": expected a size >= 0");
                }
                size = size > Integer.MAX_VALUE ? size : size * dims[i]; // stays below 2^62: no overflow
            }
            if (size > Integer.MAX_VALUE - 8) {
                throw new IOException(name + ": dimensions " + Arrays.toString(dims) + " hold more than "
                        + (Integer.MAX_VALUE - 8) + " bytes: more than one Java array");
            }
            if (length >= 0 && length - offset != size) {
                boolean shorter = length - offset < size;
                throw new IOException(name + ": " + (shorter ? "truncated IDX file" : "trailing bytes") + ": header "
                        + Arrays.toString(dims) + " needs " + size + " data bytes but " + (shorter ? "only " : "")
                        + (length - offset) + " follow (after byte " + offset + "): expected exactly " + size);
            }
            byte[] out = new byte[(int) Math.min(size, length >= 0 ? size : 1 << 20)];
            int read = 0;
            while (read < size) {
                if (read == out.length) {
                    out = Arrays.copyOf(out, (int) Math.min(size, 2L * out.length));
                }
                int r = data.read(out, read, out.length - read);
                if (r < 0) {
                    throw new IOException(name + ": truncated IDX file: the header " + Arrays.toString(dims)
                            + " needs " + size + " data bytes but only " + read + " follow (ends at byte "
                            + (offset + read) + ")");
                }
                read += r;
            }
            if (data.read() >= 0) {
                throw new IOException(name + ": trailing bytes after the " + size + " data bytes that the header "
                        + Arrays.toString(dims) + " declares");
            }
            return new Array(dims, out);
        } catch (EOFException e) {
            throw new IOException(name + ": truncated IDX header at byte " + offset, e);
        } catch (java.util.zip.ZipException e) {
            throw new IOException(name + ": corrupt gzip data (" + Text.printable(e.getMessage()) + ")", e);
        }
    }
}
