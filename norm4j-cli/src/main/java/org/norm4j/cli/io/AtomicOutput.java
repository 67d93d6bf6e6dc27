package org.norm4j.cli.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Arrays;
import org.norm4j.cli.CliException;
import org.norm4j.files.OutputFile;
import org.norm4j.files.Text;

/**
 * The command's side of norm4j's output policy ({@link OutputFile}): the same behaviour, with failures as
 * {@link CliException}s. A regular file is written to a temporary file in the target's directory and renamed
 * onto the target only by {@link #commit()}; {@link #close()} without a commit deletes the temporary file. So a
 * failed command never leaves a partial output behind, and an existing target is replaced only by a complete
 * file. {@code -} is standard output; devices and FIFOs are written directly; links are followed.
 *
 * <pre>{@code
 * AtomicOutput.check(target, input);          // before reading anything
 * try (AtomicOutput out = AtomicOutput.create(target)) {
 *     out.stream().write(bytes);
 *     out.commit();
 * }
 * }</pre>
 */
public final class AtomicOutput implements AutoCloseable {
    private final Path target;
    private final OutputFile file;

    private AtomicOutput(Path target, OutputFile file) {
        this.target = target;
        this.file = file;
    }

    /**
     * Checks before any work that {@code target} can be written and is none of the inputs (see
     * {@link OutputFile#check}).
     *
     * @throws CliException naming the target otherwise
     */
    public static void check(Path target, Path... inputs) {
        try {
            OutputFile.check(target, Arrays.asList(inputs));
        } catch (IOException e) {
            throw new CliException(Text.escape(e.getMessage()), e);
        }
    }

    /**
     * Opens the output (a temporary file beside a regular {@code target}).
     *
     * @throws CliException if the directory does not exist or is not writable, or the target is a directory
     */
    public static AtomicOutput create(Path target) {
        try {
            OutputFile f = OutputFile.open(target);
            for (Path old : f.legacyTemps()) {
                System.err.println("norm4j: note: " + Text.escape(old.toString()) + " looks like a temporary file "
                        + "that an older norm4j left when killed while writing " + Text.escape(target.toString())
                        + ": delete it if no norm4j is writing there");
            }
            return new AtomicOutput(target, f);
        } catch (IOException e) {
            throw new CliException(Text.escape(e.getMessage()), e);
        }
    }

    /** The stream to write. */
    public OutputStream stream() {
        return file.stream();
    }

    /** The name given. */
    public Path target() {
        return target;
    }

    /** Whether the output is standard output. */
    public static boolean isStdout(Path target) {
        return OutputFile.isStdio(target);
    }

    /** Completes the output (fsync and rename for a regular file). */
    public void commit() {
        try {
            file.commit();
        } catch (IOException e) {
            throw new CliException(Text.escape(e.getMessage()), e);
        }
    }

    /** Deletes the temporary file unless {@link #commit()} ran. */
    @Override
    public void close() {
        CliException.close(file::close, target + ": cannot delete the temporary file");
    }

    /** Writes all of {@code bytes} to {@code target} by the policy. */
    public static void write(Path target, byte[] bytes) {
        try (AtomicOutput out = create(target)) {
            try {
                out.stream().write(bytes);
            } catch (IOException e) {
                throw new CliException(target + ": write error (" + e.getMessage() + ")", e);
            }
            out.commit();
        }
    }
}
