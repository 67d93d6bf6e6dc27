package org.norm4j.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** IDX headers are checked against the file before anything is allocated from them, without overflow. */
class IdxHeaderTest {
    @TempDir
    Path dir;

    private static byte[] idx(int[] dims, int dataBytes) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + dataBytes);
        b.putInt(0x800 | dims.length);
        for (int d : dims) {
            b.putInt(d);
        }
        return b.array();
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    private IOException refused(String name, byte[] bytes) throws IOException {
        Path p = Files.write(dir.resolve(name), bytes);
        long before = allocated();
        IOException e = assertThrows(IOException.class, () -> Idx.read(p));
        long used = allocated() - before;
        assertTrue(used < 8L << 20, name + ": allocated " + used + " bytes to refuse a " + bytes.length + "-byte file");
        assertTrue(e.getMessage().startsWith(p.toString() + ":"), e.getMessage());
        return e;
    }

    @Test
    void dimensionsWhoseProductOverflowsAreRefused() throws IOException {
        int m = Integer.MAX_VALUE;
        IOException e = refused("overflow-long", idx(new int[] {m, m, m, m, m, m, m, m}, 16));
        assertTrue(e.getMessage().contains("more than one Java array"), e.getMessage());
        e = refused("overflow-int", idx(new int[] {65536, 65536, 65536}, 16));
        assertTrue(e.getMessage().contains("more than one Java array"), e.getMessage());
        e = refused("zero-times-huge", idx(new int[] {0, m, m, m}, 16));
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
    }

    @Test
    void aShortFileDeclaringAHugeArrayIsRefusedBeforeAllocatingIt() throws IOException {
        IOException e = refused("short", idx(new int[] {60000, 28, 28}, 1000));
        assertTrue(e.getMessage().contains("truncated") && e.getMessage().contains("47040000"), e.getMessage());
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(idx(new int[] {60000, 28, 28}, 1000));
        }
        e = refused("short.gz", gz.toByteArray());
        assertTrue(e.getMessage().contains("truncated"), e.getMessage());
    }

    @Test
    void trailingBytesAndDirectoriesAreNamed() throws IOException {
        IOException e = refused("long", idx(new int[] {2, 2}, 5));
        assertTrue(e.getMessage().contains("trailing bytes"), e.getMessage());
        IOException d = assertThrows(IOException.class, () -> Idx.read(dir));
        assertTrue(d.getMessage().endsWith("is a directory: expected an IDX file"), d.getMessage());
        byte[] ok = idx(new int[] {2, 2}, 4);
        ok[ok.length - 1] = 7;
        assertArrayEquals(new byte[] {0, 0, 0, 7}, Idx.read(Files.write(dir.resolve("ok"), ok)).data());
    }
}
