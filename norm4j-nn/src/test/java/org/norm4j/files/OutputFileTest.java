package org.norm4j.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The output policy: atomic replacement, permissions, links, devices, FIFOs, same-file refusal, stale temps. */
class OutputFileTest {
    @TempDir
    Path dir;

    private static boolean posix() {
        return Files.getFileAttributeView(Path.of("."), java.nio.file.attribute.PosixFileAttributeView.class) != null;
    }

    private List<String> names() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void write(Path p, String text) throws IOException {
        OutputFile.write(p, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void replacesKeepingThePermissionBitsOfTheReplacedFile() throws IOException {
        assumeTrue(posix(), "POSIX permissions");
        Path t = dir.resolve("t.json");
        Files.writeString(t, "old");
        Set<PosixFilePermission> mode = PosixFilePermissions.fromString("rw-r-----");
        Files.setPosixFilePermissions(t, mode);
        write(t, "new");
        assertEquals("new", Files.readString(t));
        assertEquals(mode, Files.getPosixFilePermissions(t));
        assertEquals(List.of("t.json"), names());
    }

    @Test
    void aNewFileGetsTheUmasksModeNot0600() throws IOException {
        assumeTrue(posix(), "POSIX permissions");
        Path plain = Files.createFile(dir.resolve("plain")); // what the umask gives any new file
        Path t = dir.resolve("new.csv");
        write(t, "x");
        assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(t));
        assertTrue(Files.getPosixFilePermissions(t).contains(PosixFilePermission.OWNER_READ));
    }

    @Test
    void aSymlinkIsFollowedAndItsTargetReplaced() throws IOException {
        Path real = dir.resolve("real.txt");
        Files.writeString(real, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), real.getFileName());
        write(link, "new");
        assertTrue(Files.isSymbolicLink(link), "the link stays a link");
        assertEquals("new", Files.readString(real));
        assertEquals(List.of("link.txt", "real.txt"), names());
    }

    @Test
    void aDanglingSymlinkCreatesItsTarget() throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("link.txt"), Path.of("made.txt"));
        write(link, "new");
        assertTrue(Files.isSymbolicLink(link));
        assertEquals("new", Files.readString(dir.resolve("made.txt")));
    }

    @Test
    void aCharacterDeviceIsWrittenDirectly() throws IOException {
        Path devNull = Path.of("/dev/null");
        assumeTrue(Files.exists(devNull) && !Files.isRegularFile(devNull), "/dev/null");
        // through a link of our own: code that replaced its output would replace the link, never /dev/null
        Path toNull = Files.createSymbolicLink(dir.resolve("null.bin"), devNull);
        OutputFile.check(toNull, List.of());
        write(toNull, "discarded");
        assertTrue(Files.isSymbolicLink(toNull), "the link is still a link");
        assertFalse(Files.isRegularFile(devNull), "/dev/null is still a device");
        assertEquals(List.of("null.bin"), names());
    }

    @Test
    void aFifoIsWrittenDirectlyNotReplacedAlsoThroughALink() throws Exception {
        Path fifo = dir.resolve("pipe");
        Process mk;
        try {
            mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        } catch (IOException e) {
            assumeTrue(false, "mkfifo not available");
            return;
        }
        assumeTrue(mk.waitFor(10, TimeUnit.SECONDS) && mk.exitValue() == 0, "mkfifo failed");
        CompletableFuture<byte[]> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readAllBytes(fifo);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Path link = Files.createSymbolicLink(dir.resolve("to-pipe"), fifo.getFileName());
        write(link, "through the pipe");
        assertEquals("through the pipe", new String(reader.get(20, TimeUnit.SECONDS), StandardCharsets.UTF_8));
        assertFalse(Files.isRegularFile(fifo), "the FIFO is still a FIFO");
        assertTrue(Files.isSymbolicLink(link), "the link to it is still a link");
        assertEquals(List.of("pipe", "to-pipe"), names());
    }

    @Test
    void theSameFileAsAnInputIsRefusedThroughLinksToo() throws IOException {
        Path in = dir.resolve("d.csv");
        Files.writeString(in, "1\n");
        Path alias = Files.createSymbolicLink(dir.resolve("alias.csv"), in.getFileName());
        Path hard = Files.createLink(dir.resolve("hard.csv"), in);
        for (Path out : List.of(in, alias, hard, dir.resolve(".").resolve("d.csv"))) {
            IOException e = assertThrows(IOException.class, () -> OutputFile.check(out, List.of(dir.resolve("x"),
                    in)));
            assertTrue(e.getMessage().contains("same file as the input") && e.getMessage().contains(out.toString()),
                    e.getMessage());
        }
        assertEquals("1\n", Files.readString(in));
    }

    @Test
    void aDirectoryOrAMissingDirectoryIsRefusedBeforeAnyWork() {
        IOException d = assertThrows(IOException.class, () -> OutputFile.check(dir, List.of()));
        assertTrue(d.getMessage().contains("is a directory"), d.getMessage());
        Path missing = dir.resolve("no/such/dir/out.json");
        IOException m = assertThrows(IOException.class, () -> OutputFile.check(missing, List.of()));
        assertTrue(m.getMessage().contains("does not exist") && m.getMessage().contains("out.json"),
                m.getMessage());
        assertThrows(IOException.class, () -> write(missing, "x"));
    }

    @Test
    void aFailingWriterLeavesTheOldFileAndNoTemporaryFile() throws IOException {
        Path t = dir.resolve("t.bin");
        Files.writeString(t, "old");
        IOException e = assertThrows(IOException.class, () -> OutputFile.write(t, out -> {
            out.write(new byte[100_000]);
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(t));
        assertEquals(List.of("t.bin"), names());
    }

    @Test
    void theTemporaryFileHasARecognizableNameBesideTheTarget() throws IOException {
        Path t = dir.resolve("t.bin");
        try (OutputFile out = OutputFile.open(t)) {
            out.stream().write(1);
            List<String> n = names();
            assertEquals(1, n.size(), n::toString);
            assertTrue(n.get(0).matches("\\.t\\.bin\\.norm4j-" + ProcessHandle.current().pid()
                    + "-[0-9a-f]+\\.tmp"), n.get(0));
            out.commit();
        }
        assertArrayEquals(new byte[] {1}, Files.readAllBytes(t));
        assertEquals(List.of("t.bin"), names());
    }

    @Test
    void staleTemporaryFilesOfDeadProcessesAreRemovedByTheNextRun() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        Process alive = new ProcessBuilder("sleep", "60").start();
        try {
            Path stale = Files.writeString(dir.resolve(".t.bin.norm4j-" + gone.pid() + "-1f.tmp"), "junk");
            Path busy = Files.writeString(dir.resolve(".u.bin.norm4j-" + alive.pid() + "-2e.tmp"), "busy");
            Path foreign = Files.writeString(dir.resolve(".t.bin.12345.tmp"), "not ours");
            try (OutputFile out = OutputFile.open(dir.resolve("t.bin"))) {
                assertEquals(1, out.staleRemoved());
                out.commit();
            }
            assertFalse(Files.exists(stale), "a dead process's temporary file is removed");
            assertTrue(Files.exists(busy), "a running process's temporary file is kept");
            assertTrue(Files.exists(foreign), "another program's file is kept");
        } finally {
            alive.destroyForcibly();
        }
    }

    @Test
    void printableEscapesControlCharacters() {
        assertEquals("a\\x1b[31mb\\nc\\x00\\x7f\\x9b", Text.printable("a\u001b[31mb\nc\u0000\u007f\u009b"));
        assertEquals("plain é", Text.printable("plain é"));
        assertEquals(200, Text.printable("x".repeat(1000)).length());
        assertEquals(1000, Text.escape("x".repeat(1000)).length());
    }

    @Test
    void inputChecksNameTheProblem() throws IOException {
        IOException d = assertThrows(IOException.class, () -> InputFile.check(dir));
        assertTrue(d.getMessage().endsWith("is a directory: expected a file"), d.getMessage());
        Path missing = dir.resolve("nope");
        IOException m = assertThrows(IOException.class, () -> InputFile.check(missing));
        assertEquals(missing + ": no such file", InputFile.message(missing, m));
    }
}
