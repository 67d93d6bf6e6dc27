package org.norm4j.cli.io;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.norm4j.cli.CliException;

/**
 * An output file written under a temporary name in the target's directory and renamed onto the target only
 * by {@link #commit()}; {@link #close()} without a commit deletes the temporary file. So a failed command
 * never leaves a partial output behind, and an existing target is replaced only by a complete file.
 *
 * <pre>{@code
 * try (AtomicOutput out = AtomicOutput.create(target)) {
 *     Files.write(out.temp(), bytes);
 *     out.commit();
 * }
 * }</pre>
 */
public final class AtomicOutput implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private boolean committed;

    private AtomicOutput(Path target, Path temp) {
        this.target = target;
        this.temp = temp;
    }

    /**
     * Creates the temporary file beside {@code target}.
     *
     * @throws CliException if the directory does not exist or is not writable, or the target is a directory
     */
    public static AtomicOutput create(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        Path dir = abs.getParent();
        if (Files.isDirectory(abs)) {
            throw new CliException(target + ": is a directory: expected a file name for the output");
        }
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CliException(target + ": directory " + dir + " does not exist");
        }
        try {
            Path temp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            return new AtomicOutput(abs, temp);
        } catch (IOException e) {
            throw new CliException(target + ": cannot create a file in " + dir + " (" + e.getMessage() + ")", e);
        }
    }

    /** The temporary file to write. */
    public Path temp() {
        return temp;
    }

    /** The final name. */
    public Path target() {
        return target;
    }

    /** Renames the temporary file onto the target (atomically where the file system allows it). */
    public void commit() {
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            committed = true;
        } catch (IOException e) {
            throw new CliException(target + ": cannot rename " + temp.getFileName() + " onto it ("
                    + e.getMessage() + ")", e);
        }
    }

    /** Deletes the temporary file unless {@link #commit()} ran. */
    @Override
    public void close() {
        if (!committed) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot delete " + temp, e);
            }
        }
    }
}
