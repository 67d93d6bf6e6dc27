package org.norm4j.cli.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.norm4j.cli.CliException;

/**
 * Streams the rows of a NumPy {@code .npy} file (format versions 1 to 3) holding a little-endian float32
 * ({@code <f4}) or float64 ({@code <f8}) array in C order, of shape {@code (rows, columns)} or {@code (rows,)}
 * (one column). Only one chunk of rows is in memory at a time. The header is parsed here; the file size must
 * match the shape exactly.
 */
public final class NpyReader implements AutoCloseable {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

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
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new CliException(file + ": no such file");
        } catch (IOException e) {
            throw new CliException(file + ": cannot read (" + e.getMessage() + ")", e);
        }
        try {
            return readHeader(file, ch);
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CliException(file + ": cannot read (" + e.getMessage() + ")", e);
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
        long size = ch.size();
        ByteBuffer pre = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN);
        ch.read(pre, 0);
        if (size < 10 || !java.util.Arrays.equals(java.util.Arrays.copyOf(pre.array(), 6), MAGIC)) {
            throw new CliException(file + ": not a .npy file (no \\x93NUMPY magic string at byte 0)");
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
            throw new CliException(file + ": .npy format version " + major + " (byte 6): expected 1, 2 or 3");
        }
        if (start + headerLen > size || headerLen > (1 << 20)) {
            throw new CliException(file + ": truncated .npy header (" + headerLen + " bytes declared, file has "
                    + size + ")");
        }
        ByteBuffer hb = ByteBuffer.allocate((int) headerLen);
        ch.read(hb, start);
        String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new CliException(file + ": malformed .npy header: " + header.strip());
        }
        String descr = d.group(1);
        boolean f32 = descr.equals("<f4");
        if (!f32 && !descr.equals("<f8")) {
            throw new CliException(file + ": dtype '" + descr + "': expected little-endian float32 ('<f4') or "
                    + "float64 ('<f8')");
        }
        if (f.group(1).equals("True")) {
            throw new CliException(file + ": fortran_order True: expected C order (numpy.ascontiguousarray)");
        }
        long[] dims = shape(file, s.group(1));
        if (dims.length != 1 && dims.length != 2) {
            throw new CliException(file + ": shape " + s.group(0).substring(s.group(0).indexOf('('))
                    + ": expected a 2-D array (rows, columns) or a 1-D array (rows,)");
        }
        long rows = dims[0];
        long cols = dims.length == 2 ? dims[1] : 1;
        if (cols < 1 || cols > Integer.MAX_VALUE / 8) {
            throw new CliException(file + ": " + cols + " columns: expected between 1 and " + Integer.MAX_VALUE / 8);
        }
        int width = f32 ? 4 : 8;
        long data = start + headerLen;
        long need = rows * cols * width;
        if (size - data != need) {
            throw new CliException(file + ": " + (size - data < need ? "truncated" : "trailing bytes") + ": shape ("
                    + rows + ", " + cols + ") of " + descr + " needs " + need + " data bytes after the header, found "
                    + (size - data));
        }
        return new NpyReader(file, ch, f32, rows, (int) cols, dims.length, data);
    }

    private static long[] shape(Path file, String text) {
        String[] parts = text.split(",");
        long[] dims = new long[parts.length];
        int n = 0;
        for (String p : parts) {
            if (!p.isBlank()) {
                try {
                    dims[n++] = Long.parseLong(p.strip().replace("L", ""));
                } catch (NumberFormatException e) {
                    throw new CliException(file + ": shape entry '" + p.strip() + "' is not an integer");
                }
            }
        }
        return java.util.Arrays.copyOf(dims, n);
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
