package org.norm4j;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Guards the layout rules of docs/architecture.md on every Java source file of the repository: the tiers
 * only depend downwards (layers and models never import kernels; kernels import neither ops nor anything
 * above), and no file exceeds 800 lines.
 */
class ArchitectureTest {
    private static final int MAX_LINES = 800;

    private static List<Path> sources() throws IOException {
        Path root = Path.of("").toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.walk(root)) {
            s.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .forEach(out::add);
        }
        assertTrue(out.size() > 50, "found only " + out.size() + " sources under " + root);
        return out;
    }

    @Test
    void noFileIsLongerThan800Lines() throws IOException {
        List<String> tooLong = new ArrayList<>();
        for (Path p : sources()) {
            long n;
            try (Stream<String> lines = Files.lines(p)) {
                n = lines.count();
            }
            if (n > MAX_LINES) {
                tooLong.add(p + " (" + n + " lines)");
            }
        }
        assertTrue(tooLong.isEmpty(), "files over " + MAX_LINES + " lines: " + tooLong);
    }

    @Test
    void tiersDependOnlyDownwards() throws IOException {
        List<String> bad = new ArrayList<>();
        for (Path p : sources()) {
            String path = p.toString().replace('\\', '/');
            if (path.contains("/src/test/")) {
                continue;
            }
            String text = Files.readString(p);
            boolean upper = path.contains("/org/norm4j/layers/") || path.contains("/org/norm4j/models/")
                    || path.contains("/org/norm4j/cli/");
            boolean kernel = path.contains("/org/norm4j/kernel/");
            if (upper && text.contains("import org.norm4j.kernel.")) {
                bad.add(p + " imports org.norm4j.kernel (layers and models go through org.norm4j.ops)");
            }
            if (kernel && (text.contains("import org.norm4j.ops.") || text.contains("import org.norm4j.layers.")
                    || text.contains("import org.norm4j.Tensor;"))) {
                bad.add(p + " (kernels work on arrays; they must not import ops, layers or Tensor)");
            }
        }
        assertTrue(bad.isEmpty(), "tier violations: " + bad);
    }
}
