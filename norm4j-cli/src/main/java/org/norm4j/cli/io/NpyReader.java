package org.norm4j.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.norm4j.cli.CliException;
import org.norm4j.files.InputFile;
import org.norm4j.files.OutputFile;
import org.norm4j.files.Text;

/**
 * Streams the rows of a NumPy {@code .npy} file (format versions 1 to 3) holding a little-endian float32
 * ({@code <f4}) or float64 ({@code <f8}) array in C order, of shape {@code (rows, columns)} or {@code (rows,)}
 * (one column). Only one chunk of rows is in memory at a time. The header is parsed here; the file size must
 * match the shape exactly.
 */
public final class NpyReader implements AutoCloseable {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private final Path file;
    private final FileChannel channel;
    private final boolean float32;
    private final long rows;
    private final int columns;
    private final int rank;
    private final long dataOffset;
    private long rowsRead;
    private ByteBuffer buffer;

    private NpyReader(Path file, FileChannel channel, boolean float32, long rows, int columns, int rank,
            long dataOffset) {
        this.file = file;
        this.channel = channel;
        this.float32 = float32;
        this.rows = rows;
        this.columns = columns;
        this.rank = rank;
        this.dataOffset = dataOffset;
    }

    /** Whether a file is to be read as {@code .npy}: its name ends with {@code .npy} or it starts with the magic. */
    public static boolean isNpy(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy") || hasMagic(file);
    }

    /** Whether a file starts with the {@code .npy} magic string. */
    public static boolean hasMagic(Path file) {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.allocate(MAGIC.length);
            while (b.hasRemaining() && ch.read(b) > 0) {
                // keep reading
            }
            return !b.hasRemaining() && java.util.Arrays.equals(b.array(), MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Opens a file and reads its header.
     *
     * @throws CliException if the file is missing, not a 2-D (or 1-D) little-endian float32/float64 C-order
     *     array, or its size does not match its shape
     */
    public static NpyReader open(Path file) {
        if (OutputFile.isStdio(file)) {
            throw new CliException("-: a .npy file cannot be read from standard input: expected its file name");
        }
        FileChannel ch;
        try {
            InputFile.check(file);
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CliException(InputFile.message(file, e), e);
        }
        try {
            return readHeader(file, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CliException(InputFile.message(file, e), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // already failing
        }
    }

    private static NpyReader readHeader(Path file, FileChannel ch) throws IOException {
        String name = Text.escape(file.toString());
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        while (pre.hasRemaining() && ch.read(pre, pre.position()) > 0) {
            // keep reading
        }
        if (size < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(pre.array(), 6), MAGIC)) {
            throw new CliException(name + ": not a .npy file (no \\x93NUMPY magic string at byte 0)");
        }
        int major = pre.get(6);
        long headerLen;
        long start;
        if (major == 1) {
            headerLen = pre.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLen = pre.getInt(8) & 0xffffffffL;
            start = 12;
        } else {
            throw new CliException(name + ": .npy format version " + major + " (byte 6): expected 1, 2 or 3");
        }
        if (start + headerLen > size || headerLen > (1 << 20)) {
            throw new CliException(name + ": truncated .npy header (" + headerLen + " bytes declared, file has "
                    + size + ")");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        while (hb.hasRemaining() && ch.read(hb, start + hb.position()) > 0) {
            // keep reading
        }
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        NpyHeader h;
        try {
            h = NpyHeader.parse(header);
        } catch (IllegalArgumentException e) {
            throw new CliException(name + ": .npy header: " + e.getMessage());
        }
        String descr = h.descr();
        boolean f32 = descr.equals("<f4");
        if (!f32 && !descr.equals("<f8")) {
            throw new CliException(name + ": dtype '" + Text.printable(descr) + "': expected little-endian float32 "
                    + "('<f4') or float64 ('<f8')");
        }
        if (h.fortranOrder()) {
            throw new CliException(name + ": fortran_order True: expected C order (numpy.ascontiguousarray)");
        }
        long[] dims = h.shape();
        if (dims.length != 1 && dims.length != 2) {
            throw new CliException(name + ": shape " + java.util.Arrays.toString(dims)
                    + ": expected a 2-D array (rows, columns) or a 1-D array (rows,)");
        }
        long rows = dims[0];
        long cols = dims.length == 2 ? dims[1] : 1;
        if (cols < 1 || cols > Integer.MAX_VALUE / 8) {
            throw new CliException(name + ": " + cols + " columns: expected between 1 and " + Integer.MAX_VALUE / 8);
        }
        int width = f32 ? 4 : 8;
        long data = start + headerLen;
        long found = size - data;
        long need;
        try {
            need = Math.multiplyExact(Math.multiplyExact(rows, cols), width);
        } catch (ArithmeticException e) {
            need = Long.MAX_VALUE; // more than any file: reported as truncated below
        }
        if (found != need) {
            throw new CliException(name + ": " + (found < need ? "truncated" : "trailing bytes") + ": shape ("
                    + rows + ", " + cols + ") of " + descr + " needs " + (need == Long.MAX_VALUE ? "more than 2^63"
                    : String.valueOf(need)) + " data bytes after the header, found " + found);
        }
        return new NpyReader(file, ch, f32, rows, (int) cols, dims.length, data);
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** True for float32 data, false for float64. */
    public boolean float32() {
        return float32;
    }

    /** Number of rows. */
    public long rows() {
        return rows;
    }

    /** Number of columns (1 for a 1-D array). */
    public int columns() {
        return columns;
    }

    /** 1 or 2: the rank of the stored array. */
    public int rank() {
        return rank;
    }

    /** Rows read so far. */
    public long rowsRead() {
        return rowsRead;
    }

    /**
     * Reads up to {@code maxRows} rows into {@code dst} (row-major, {@code columns} values a row).
     *
     * @return the number of rows read, 0 at the end
     */
    public int read(double[] dst, int maxRows) {
        int n = (int) Math.min(maxRows, rows - rowsRead);
        if (n <= 0) {
            return 0;
        }
        int width = float32 ? 4 : 8;
        int bytes = n * columns * width;
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        buffer.clear().limit(bytes);
        long pos = dataOffset + rowsRead * columns * width;
        try {
            while (buffer.hasRemaining()) {
                int k = channel.read(buffer, pos + buffer.position());
                if (k < 0) {
                    throw new CliException(file + ": file shrank while reading (row " + (rowsRead + 1) + ")");
                }
            }
        } catch (IOException e) {
            throw new CliException(file + ": read error at row " + (rowsRead + 1) + " (" + e.getMessage() + ")", e);
        }
        buffer.flip();
        int count = n * columns;
        if (float32) {
            java.nio.FloatBuffer fb = buffer.asFloatBuffer();
            for (int i = 0; i < count; i++) {
                dst[i] = fb.get(i);
            }
        } else {
            buffer.asDoubleBuffer().get(dst, 0, count);
        }
        rowsRead += n;
        return n;
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            throw new CliException(file + ": cannot close (" + e.getMessage() + ")", e);
        }
    }
}
