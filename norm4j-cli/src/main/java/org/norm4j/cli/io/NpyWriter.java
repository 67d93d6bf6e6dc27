package org.norm4j.cli.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.norm4j.cli.CliException;

/**
 * Writes a {@code .npy} file (format 1.0, little-endian {@code <f4} or {@code <f8}, C order) whose shape is
 * known up front, a chunk of rows at a time. {@link #finish()} checks that every declared row was written.
 */
public final class NpyWriter implements AutoCloseable {
    private final Path file;
    private final OutputStream out;
    private final boolean float32;
    private final long rows;
    private final int columns;
    private long written;
    private ByteBuffer buffer;

    /**
     * Writes the header to {@code stream}; {@code file} names it in errors.
     *
     * @param rank 2 for {@code (rows, columns)}, 1 for {@code (rows,)} (then {@code columns} must be 1)
     */
    public NpyWriter(Path file, OutputStream stream, boolean float32, long rows, int columns, int rank) {
        this.file = file;
        this.float32 = float32;
        this.rows = rows;
        this.columns = columns;
        try {
            this.out = stream;
            out.write(header(float32, rows, columns, rank));
        } catch (IOException e) {
            throw new CliException(file + ": cannot write (" + e.getMessage() + ")", e);
        }
    }

    static byte[] header(boolean float32, long rows, int columns, int rank) {
        String shape = rank == 1 ? "(" + rows + ",)" : "(" + rows + ", " + columns + ")";
        String dict = "{'descr': '" + (float32 ? "<f4" : "<f8") + "', 'fortran_order': False, 'shape': " + shape
                + ", }";
        int unpadded = NpyReader.MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String h = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(NpyReader.MAGIC.length + 4 + h.length()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyReader.MAGIC).put((byte) 1).put((byte) 0).putShort((short) h.length());
        b.put(h.getBytes(StandardCharsets.US_ASCII));
        return b.array();
    }

    /** Appends {@code n} rows stored row-major in {@code src}. */
    public void write(double[] src, int n) {
        int count = n * columns;
        int bytes = count * (float32 ? 4 : 8);
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
        buffer.clear();
        if (float32) {
            for (int i = 0; i < count; i++) {
                buffer.putFloat((float) src[i]);
            }
        } else {
            for (int i = 0; i < count; i++) {
                buffer.putDouble(src[i]);
            }
        }
        try {
            out.write(buffer.array(), 0, bytes);
        } catch (IOException e) {
            throw new CliException(file + ": write error (" + e.getMessage() + ")", e);
        }
        written += n;
    }

    /** Flushes the file and checks that the declared number of rows was written. */
    public void finish() {
        if (written != rows) {
            throw new IllegalStateException(file + ": wrote " + written + " rows of the " + rows + " declared");
        }
        try {
            out.flush();
        } catch (IOException e) {
            throw new CliException(file + ": write error (" + e.getMessage() + ")", e);
        }
    }

    @Override
    public void close() {
        CliException.close(out::close, file + ": cannot close");
    }
}
