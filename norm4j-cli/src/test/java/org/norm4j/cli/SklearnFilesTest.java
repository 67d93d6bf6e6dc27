package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CSV files scikit-learn ships (copied in test resources, with StandardScaler's mean_ and var_ from
 * expected.py): a metadata line skipped with --skip-rows, a class column left out, a gzip space-separated file.
 */
class SklearnFilesTest {
    @TempDir
    Path dir;

    Path fixture(String name) throws IOException {
        try (InputStream in = SklearnFilesTest.class.getResourceAsStream("sklearn/" + name)) {
            Path p = dir.resolve(name);
            Files.copy(in, p);
            return p;
        }
    }

    @Test
    void statisticsMatchScikitLearn() throws IOException {
        List<String> expected;
        try (InputStream in = SklearnFilesTest.class.getResourceAsStream("sklearn/expected.txt")) {
            expected = new String(in.readAllBytes(), StandardCharsets.US_ASCII).lines().toList();
        }
        assertEquals(27, expected.size());
        for (String[] run : new String[][] {
            {"iris.csv", "--skip-rows", "1", "--no-header", "-c", "1-4"},
            {"wine_data.csv", "--skip-rows", "1", "--no-header", "-c", "1-13"},
            {"diabetes_data_raw.csv.gz", "-d", " ", "--no-header"}}) {
            Path in = fixture(run[0]);
            Path s = dir.resolve(run[0] + ".json");
            Object[] args = new Object[run.length + 3];
            args[0] = "fit";
            args[1] = in;
            System.arraycopy(run, 1, args, 2, run.length - 1);
            args[run.length + 1] = "-o";
            args[run.length + 2] = s;
            Cli fit = Cli.run(args);
            assertEquals(0, fit.code, fit::toString);
            JsonNode f = FitTransformTest.json(s).get("features");
            int checked = 0;
            for (String line : expected) {
                String[] p = line.split(" ");
                if (!p[0].equals(run[0])) {
                    continue;
                }
                JsonNode feature = f.get(Integer.parseInt(p[1]) - 1);
                double mean = Double.parseDouble(p[2]);
                double var = Double.parseDouble(p[3]);
                assertEquals(mean, feature.get("mean").asDouble(), 1e-14 * Math.abs(mean), line);
                assertEquals(var, feature.get("variance").asDouble(), 1e-13 * var, line);
                checked++;
            }
            assertEquals(f.size(), checked, run[0]);
        }
    }

    @Test
    void theMetadataLineIsShownWhenTheHeaderIsGuessed() throws IOException {
        Cli fit = Cli.run("fit", fixture("iris.csv"), "-o", dir.resolve("s.json"));
        assertEquals(0, fit.code, fit::toString);
        assertTrue(fit.err.contains("iris.csv: line 1 taken as the header: column 3 is 'setosa' above numbers "
                + "(--no-header reads it as data)"), fit.err);
    }
}
