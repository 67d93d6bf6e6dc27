package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Running out of memory ends the command with one line and exit code 1, not a stack trace. */
class OutOfMemoryTest {
    @TempDir
    Path dir;

    @Test
    void outOfMemoryIsOneLineAndExitCodeOne() throws Exception {
        // the demo's embedded MNIST sample (10 000 x 784 floats) does not fit in a 16 MiB heap
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx16m",
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"), Main.class.getName(), "demo",
                "-e", "1", "--variants", "none", "--no-progress", "-o", dir.resolve("demo").toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(2, TimeUnit.MINUTES), "the child did not end");
        assertEquals(1, p.exitValue(), output);
        String last = output.strip().lines().reduce((a, b) -> b).orElse("");
        assertTrue(last.startsWith("norm4j: error: out of memory") && last.contains("-Xmx"), output);
        assertFalse(output.contains("\tat "), () -> "a stack trace:\n" + output);
        assertFalse(output.contains("Exception in thread"), output);
    }
}
