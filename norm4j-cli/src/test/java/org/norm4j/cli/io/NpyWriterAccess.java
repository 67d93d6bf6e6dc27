package org.norm4j.cli.io;

/** Test access to the package-private header writer. */
public final class NpyWriterAccess {
    private NpyWriterAccess() {
    }

    public static byte[] header(boolean float32, long rows, int columns) {
        return NpyWriter.header(float32, rows, columns, 2);
    }
}
