package org.norm4j.files;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * The checks every reader makes before it opens a file, with one-line messages naming the file: it exists, it
 * is not a directory, it is readable. {@code -} is standard input.
 */
public final class InputFile {
    private InputFile() {
    }

    /**
     * Checks that {@code file} can be read as a file ({@code -} always can).
     *
     * @throws IOException "FILE: no such file", "FILE: is a directory: expected a file", "FILE: not readable"
     */
    public static void check(Path file) throws IOException {
        if (OutputFile.isStdio(file)) {
            return;
        }
        if (Files.isDirectory(file)) {
            throw new IOException(Text.escape(file.toString()) + ": is a directory: expected a file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "no such file");
        }
        if (!Files.isReadable(file)) {
            throw new AccessDeniedException(file.toString(), null, "not readable");
        }
    }

    /** The one-line message of a failed {@link #check}: "FILE: reason". */
    public static String message(Path file, IOException e) {
        if (e instanceof NoSuchFileException) {
            return Text.escape(file.toString()) + ": no such file";
        }
        if (e instanceof AccessDeniedException) {
            return Text.escape(file.toString()) + ": not readable (permission denied)";
        }
        String m = String.valueOf(e.getMessage());
        return m.startsWith(file.toString()) ? Text.escape(m)
                : Text.escape(file + ": " + OutputFile.reason(e));
    }

    /** Opens {@code file} after {@link #check}; {@code -} is standard input (not closed by closing the stream). */
    public static InputStream open(Path file) throws IOException {
        check(file);
        if (OutputFile.isStdio(file)) {
            return new java.io.FilterInputStream(System.in) {
                @Override
                public void close() {
                    // standard input stays open
                }
            };
        }
        return Files.newInputStream(file);
    }
}
