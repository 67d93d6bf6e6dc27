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
 * Streams the rows of a NumPy {@code .npy} file (format versions 1 to 3) of shape {@code (rows, columns)} or
 * {@code (rows,)} (one column), in C or Fortran order, of dtype float32, float64, bool, or a signed or unsigned
 * integer of 1, 2, 4 or 8 bytes, either byte order ({@code <f8}, {@code >i4}, {@code |u1}, {@code |b1}, ...).
 * Values are widened to float64: exactly, except 64-bit integers beyond 2^53, which are rounded to the nearest
 * double. Only one chunk of rows is in memory at a time (a Fortran-order chunk is read column by column). The
 * header is parsed here; the file size must match the shape exactly.
 */
public final class NpyReader implements AutoCloseable {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private final Path file;
    private final String name;
    private Path temp;
    private final FileChannel channel;
    private final boolean float32;
    private final char kind;
    private final int width;
    private final ByteOrder order;
    private final boolean fortran;
    private final long rows;
    private final int columns;
    private final int rank;
    private final long dataOffset;
    private long rowsRead;
    private ByteBuffer buffer;

    private NpyReader(Path file, String name, FileChannel channel, String descr, boolean fortran, long rows,
            int columns, int rank, long dataOffset) {
        this.file = file;
        this.name = name;
        this.channel = channel;
        this.kind = descr.charAt(1);
        this.width = descr.charAt(2) - '0';
        this.order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        this.float32 = kind == 'f' && width == 4;
        this.fortran = fortran;
        this.rows = rows;
        this.columns = columns;
        this.rank = rank;
        this.dataOffset = dataOffset;
    }

    /**
     * Whether a file is to be read as {@code .npy} (or {@code .npz}): its name ends with {@code .npy} or
     * {@code .npz}, or it starts with the magic string of either.
     */
    public static boolean isNpy(Path file) {
        return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npy") || hasMagic(file)
                || !OutputFile.isStdio(file) && java.nio.file.Files.isRegularFile(file) && NpzArchive.isNpz(file);
    }

    /**
     * Opens a {@code .npy} file, or array {@code array} (null: the only one) of a {@code .npz} archive, inflated
     * to a temporary file that {@link #close()} deletes.
     */
    public static NpyReader open(Path file, String array) {
        if (OutputFile.isStdio(file) || !NpzArchive.isNpz(file)) {
            if (array != null) {
                throw new CliException(Text.escape(file.toString()) + ": --array " + Text.printable(array)
                        + " given, but this is not a .npz archive: expected --array only with a .npz file");
            }
            return open(file);
        }
        Path tmp = NpzArchive.extract(file, array);
        try {
            FileChannel ch = FileChannel.open(tmp, StandardOpenOption.READ);
            String name = Text.escape(file.toString());
            try {
                NpyReader r = readHeader(file, name, ch);
                r.temp = tmp;
                return r;
            } catch (RuntimeException e) {
                closeQuietly(ch);
                throw e;
            }
        } catch (IOException e) {
            throw new CliException(Text.escape(file.toString()) + ": read error (" + e.getMessage() + ")", e);
        } catch (RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            java.nio.file.Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a temporary file: best effort
        }
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
            return readHeader(file, Text.escape(file.toString()), ch);
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

    private static NpyReader readHeader(Path file, String name, FileChannel ch) throws IOException {
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
        if (!descr.matches("[<>|=](f[48]|[iu][1248]|b1)") || descr.charAt(2) != '1' && descr.charAt(0) == '|') {
            throw new CliException(name + ": dtype '" + Text.printable(descr) + "': expected float32 or float64 "
                    + "('<f4', '<f8'), bool ('|b1') or an integer ('|i1', '|u1', '<i2', '<u2', '<i4', '<u4', '<i8', "
                    + "'<u8'; '>' for big-endian)");
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
        int width = descr.charAt(2) - '0';
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
        return new NpyReader(file, name, ch, descr, h.fortranOrder(), rows, (int) cols, dims.length, data);
    }

    /** The file. */
    public Path file() {
        return file;
    }

    /** True for float32 data, false for float64 and the others (bool and integers widen to float64). */
    public boolean float32() {
        return float32;
    }

    /** The dtype string of the header, e.g. {@code <f8}. */
    public String descr() {
        return order == ByteOrder.BIG_ENDIAN ? ">" + kind + width : "<" + kind + width;
    }

    /** Whether the file is in Fortran (column-major) order. */
    public boolean fortran() {
        return fortran;
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
        int bytes = n * columns * width;
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate(bytes).order(order);
        }
        buffer.clear();
        if (!fortran) {
            fill(0, bytes, dataOffset + rowsRead * columns * width);
            convert(0, n * columns, dst, 0, 1);
        } else { // column j's values of these rows lie together
            for (int j = 0; j < columns; j++) {
                fill(j * n * width, n * width, dataOffset + ((long) j * rows + rowsRead) * width);
                convert(j * n, n, dst, j, columns);
            }
        }
        rowsRead += n;
        return n;
    }

    private void fill(int at, int length, long filePos) {
        ByteBuffer b = buffer.duplicate();
        b.limit(at + length).position(at);
        try {
            while (b.hasRemaining()) {
                int k = channel.read(b, filePos + b.position() - at);
                if (k < 0) {
                    throw new CliException(name + ": file shrank while reading (row " + (rowsRead + 1) + ")");
                }
            }
        } catch (IOException e) {
            throw new CliException(name + ": read error at row " + (rowsRead + 1) + " (" + e.getMessage() + ")", e);
        }
    }

    /** Widens {@code count} values from value index {@code from} of the buffer to {@code dst[at + i * stride]}. */
    private void convert(int from, int count, double[] dst, int at, int stride) {
        ByteBuffer b = buffer;
        for (int i = 0; i < count; i++) {
            int p = (from + i) * width;
            dst[at + i * stride] = switch (kind) {
                case 'f' -> width == 4 ? b.getFloat(p) : b.getDouble(p);
                case 'b' -> b.get(p) != 0 ? 1 : 0;
                case 'i' -> switch (width) {
                    case 1 -> b.get(p);
                    case 2 -> b.getShort(p);
                    case 4 -> b.getInt(p);
                    default -> (double) b.getLong(p);
                };
                default -> switch (width) {
                    case 1 -> b.get(p) & 0xff;
                    case 2 -> b.getShort(p) & 0xffff;
                    case 4 -> b.getInt(p) & 0xffffffffL;
                    default -> unsigned(b.getLong(p));
                };
            };
        }
    }

    /** An unsigned 64-bit integer as the nearest double. */
    static double unsigned(long x) {
        if (x >= 0) {
            return x;
        }
        return ((double) ((x >>> 1) | (x & 1))) * 2.0;
    }

    @Override
    public void close() {
        try {
            CliException.close(channel::close, name + ": cannot close");
        } finally {
            if (temp != null) {
                deleteQuietly(temp);
            }
        }
    }
}
