package org.norm4j.files;

import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * norm4j's one output policy, used by every writer (the command's outputs, the demo's files, model files).
 *
 * <ul>
 *   <li>{@code -} is standard output.</li>
 *   <li>A regular file (or a new name) is replaced atomically: the bytes go to a temporary file in the target's
 *       directory named {@code .NAME.norm4j-PID-RANDOM.tmp}, which is flushed and {@code fsync}ed, renamed onto
 *       the target, and the directory is {@code fsync}ed. The replaced file's permission bits are kept; a new
 *       file gets those of the umask (created like any file, not 0600).</li>
 *   <li>A symbolic link is followed: its final target is replaced, the link stays.</li>
 *   <li>A character device or a FIFO ({@code /dev/null}, {@code /dev/stdout}, a named pipe) is written
 *       directly.</li>
 *   <li>{@link #check} refuses, before any work: an output that is the same file as an input (through links
 *       too), a directory, a missing or unwritable directory.</li>
 *   <li>Temporary files are deleted on failure, by a shutdown hook on SIGINT/SIGTERM, and a later
 *       {@link #open} in the same directory deletes those left by a killed process (SIGKILL, power loss): a
 *       temporary file of this kind whose process id is no longer running.</li>
 * </ul>
 *
 * <pre>{@code
 * OutputFile.write(path, out -> out.write(bytes));
 * }</pre>
 *
 * <p>Errors are {@link IOException}s whose message is one line naming the file.
 */
public final class OutputFile implements AutoCloseable {
    /** The name meaning standard output (and standard input for inputs). */
    public static final String STDIO = "-";

    private static final String TAG = ".norm4j-";
    private static final Pattern TEMP = Pattern.compile("\\..+\\.norm4j-(\\d+)-[0-9a-f]+\\.tmp");
    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final long PID = ProcessHandle.current().pid();
    private static volatile boolean exiting;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(OutputFile::deleteLive, "norm4j-temp-cleanup"));
    }

    /** Writes the bytes of an output. */
    @FunctionalInterface
    public interface Body {
        /** Writes everything to {@code out} (which need not be closed). */
        void write(OutputStream out) throws IOException;
    }

    private final Path target;
    private final Path temp;
    private final FileChannel channel;
    private final OutputStream raw;
    private final OutputStream stream;
    private final int staleRemoved;
    private List<Path> legacy = List.of();
    private boolean done;

    private OutputFile(Path target, Path temp, FileChannel channel, OutputStream stream, int staleRemoved) {
        this.target = target;
        this.temp = temp;
        this.channel = channel;
        this.raw = stream;
        this.stream = new FilterOutputStream(stream) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush(); // commit() and close() of the OutputFile end the output
            }
        };
        this.staleRemoved = staleRemoved;
    }

    /**
     * Writes {@code target} by this policy: {@link #check} (no inputs), {@link #open}, the body, {@link #commit}.
     * On any failure the temporary file is deleted and an existing target is untouched.
     */
    public static void write(Path target, Body body) throws IOException {
        check(target, java.util.List.of());
        try (OutputFile out = open(target)) {
            body.write(out.stream());
            out.commit();
        }
    }

    /** Whether a path is {@code -}, standard input or output. */
    public static boolean isStdio(Path p) {
        return p != null && p.toString().equals(STDIO);
    }

    /**
     * Checks, before any work, that {@code target} can be written and is none of {@code inputs}: its directory
     * exists and is writable, it is not a directory, and it is not the same file as an input (compared with
     * {@link Files#isSameFile}, so through links and other names too).
     *
     * @throws IOException naming the target (and the input) and what was expected
     */
    public static void check(Path target, Collection<Path> inputs) throws IOException {
        if (isStdio(target)) {
            return;
        }
        Path real = resolve(target);
        if (Files.isDirectory(real)) {
            throw new IOException(target + ": is a directory: expected a file name for the output");
        }
        for (Path in : inputs) { // a device or FIFO is a stream: writing it destroys no input (a terminal is both)
            if (in != null && !isStdio(in) && Files.isRegularFile(real) && Files.exists(in)
                    && Files.isSameFile(real, in)) {
                throw new IOException(target + ": is the same file as the input " + in
                        + ": expected another output name (writing it would destroy the input)");
            }
        }
        if (Files.exists(real) && !Files.isRegularFile(real)) {
            if (!Files.isWritable(real)) {
                throw new IOException(target + ": not writable");
            }
            return; // a device or a FIFO, written directly
        }
        Path dir = real.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(target + ": directory " + dir + " does not exist: expected an existing directory");
        }
        if (!Files.isWritable(dir)) {
            throw new IOException(target + ": directory " + dir + " is not writable");
        }
    }

    /**
     * Opens {@code target} for writing by this policy. Call {@link #commit()} when complete; {@link #close()}
     * without a commit discards a temporary file.
     */
    public static OutputFile open(Path target) throws IOException {
        if (isStdio(target)) {
            return new OutputFile(target, null, null, System.out, 0);
        }
        Path real = resolve(target);
        if (Files.exists(real) && !Files.isRegularFile(real) && !Files.isDirectory(real)) {
            OutputStream os = new BufferedOutputStream(new FileOutputStream(real.toFile()), 1 << 16);
            return new OutputFile(target, null, null, os, 0);
        }
        if (Files.isDirectory(real)) {
            throw new IOException(target + ": is a directory: expected a file name for the output");
        }
        Path dir = real.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IOException(target + ": directory " + dir + " does not exist: expected an existing directory");
        }
        int stale = removeStale(dir);
        Set<PosixFilePermission> perms = null;
        if (Files.exists(real) && Files.getFileAttributeView(real, PosixFileAttributeView.class) != null) {
            perms = Files.getPosixFilePermissions(real);
        }
        Path temp = null;
        FileChannel ch = null;
        for (int attempt = 0; ch == null; attempt++) {
            temp = dir.resolve("." + real.getFileName() + TAG + PID + "-"
                    + Long.toHexString(ThreadLocalRandom.current().nextLong() & Long.MAX_VALUE) + ".tmp");
            try {
                // default attributes: the umask decides a new file's mode, as for any file. Under the lock the
                // shutdown hook takes: a file is either created and registered before the hook deletes the
                // registered files, or not created at all
                synchronized (LIVE) {
                    if (exiting) {
                        throw new IOException(target + ": not written: the JVM is shutting down");
                    }
                    LIVE.add(temp);
                    ch = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                }
            } catch (java.nio.file.FileAlreadyExistsException e) {
                LIVE.remove(temp);
                if (attempt > 8) {
                    throw new IOException(target + ": cannot create a temporary file in " + dir, e);
                }
            } catch (IOException e) {
                LIVE.remove(temp);
                throw new IOException(target + ": cannot create a file in " + dir + " (" + reason(e) + ")", e);
            }
        }
        try {
            if (perms != null) {
                Files.setPosixFilePermissions(temp, perms);
            }
        } catch (IOException e) {
            discard(temp, ch);
            throw new IOException(target + ": cannot set the permissions of " + temp.getFileName() + " ("
                    + reason(e) + ")", e);
        }
        OutputStream os = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
        OutputFile f = new OutputFile(real, temp, ch, os, stale);
        f.legacy = legacyTemps(dir, real.getFileName().toString());
        return f;
    }

    /** The stream to write (buffered; closing it only flushes: {@link #commit()} ends the output). */
    public OutputStream stream() {
        return stream;
    }

    /** The file that will hold the output ({@code -} for standard output, a link's target for a link). */
    public Path target() {
        return target;
    }

    /** Temporary files of killed runs that {@link #open} deleted in the target's directory. */
    public int staleRemoved() {
        return staleRemoved;
    }

    /**
     * Files beside the target named as older norm4j versions named their temporary files for it
     * ({@code .NAME.DIGITS.tmp}, {@code .NAMEDIGITS.tmp}): left by a run killed while writing, but they carry no
     * process id, so they are reported here, never deleted.
     */
    public List<Path> legacyTemps() {
        return legacy;
    }

    private static List<Path> legacyTemps(Path dir, String name) {
        List<Path> out = new ArrayList<>();
        Pattern p = Pattern.compile("\\." + Pattern.quote(name) + "\\.?-?[0-9]+\\.tmp");
        String glob = "." + name.replaceAll("[\\[\\]{}*?\\\\]", "?") + "*.tmp";
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, glob)) {
            for (Path f : ds) {
                boolean file = Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS);
                if (file && p.matcher(f.getFileName().toString()).matches()) {
                    out.add(f);
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException ignored) {
            // nothing to report
        }
        return out;
    }

    /**
     * Completes the output: flushes; for a regular file also {@code fsync}s the temporary file, renames it onto
     * the target and {@code fsync}s the directory.
     */
    public void commit() throws IOException {
        if (done) {
            return;
        }
        try {
            raw.flush();
            if (temp == null) {
                if (raw != System.out) {
                    raw.close();
                }
                done = true;
                return;
            }
            channel.force(true);
            raw.close();
        } catch (IOException e) {
            throw new IOException(target + ": write error (" + reason(e) + ")", e);
        }
        try {
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new IOException(target + ": cannot rename " + temp.getFileName() + " onto it (" + reason(e) + ")",
                    e);
        }
        done = true;
        LIVE.remove(temp);
        syncDirectory(target.getParent());
    }

    /** Deletes the temporary file unless {@link #commit()} ran (for a device or stdout: flushes). */
    @Override
    public void close() throws IOException {
        if (done) {
            return;
        }
        done = true;
        if (temp == null) {
            if (raw != System.out) {
                raw.close();
            } else {
                raw.flush();
            }
            return;
        }
        discard(temp, channel);
    }

    private static void discard(Path temp, FileChannel ch) throws IOException {
        try {
            ch.close();
        } catch (IOException ignored) {
            // the file is deleted anyway
        }
        try {
            Files.deleteIfExists(temp);
        } finally {
            LIVE.remove(temp);
        }
    }

    /**
     * Follows symbolic links (also dangling ones: the output is created where the link points) to the path to
     * replace.
     */
    static Path resolve(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        if (Files.exists(abs)) {
            // a device or FIFO is opened by the name given (/dev/stdout -> /proc/self/fd/1 -> pipe:[N] cannot be
            // followed by name); an existing file or directory by its real path
            return Files.isRegularFile(abs) || Files.isDirectory(abs) ? abs.toRealPath() : abs;
        }
        Path p = abs.normalize();
        for (int hops = 0; Files.isSymbolicLink(p); hops++) {
            if (hops > 40) {
                throw new IOException(target + ": too many levels of symbolic links");
            }
            Path link = Files.readSymbolicLink(p);
            p = p.getParent().resolve(link).normalize();
        }
        return p;
    }

    /**
     * Deletes the temporary files of this kind in {@code dir} left by processes that are no longer running.
     *
     * @return how many were deleted
     */
    public static int removeStale(Path dir) {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, ".*" + TAG + "*.tmp")) {
            for (Path p : ds) {
                Matcher m = TEMP.matcher(p.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                    continue;
                }
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (pid != PID && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                    continue; // another running process is writing it
                }
                if (pid == PID && LIVE.contains(p)) {
                    continue;
                }
                try {
                    if (Files.deleteIfExists(p)) {
                        n++;
                    }
                } catch (IOException ignored) {
                    // not ours to delete after all (permissions): leave it
                }
            }
        } catch (IOException | java.nio.file.DirectoryIteratorException ignored) {
            // an unreadable directory: nothing to clean
        }
        return n;
    }

    private static void syncDirectory(Path dir) {
        if (dir == null) {
            return;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not every platform can open or fsync a directory; the rename itself is done
        }
    }

    private static void deleteLive() {
        synchronized (LIVE) { // no temporary file is created after this (see open)
            exiting = true;
            for (Path p : LIVE) {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException ignored) {
                    // best effort while the JVM exits
                }
            }
        }
    }

    /** The reason of an I/O error without a repeated file name. */
    static String reason(IOException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return String.valueOf(e.getMessage());
    }
}
