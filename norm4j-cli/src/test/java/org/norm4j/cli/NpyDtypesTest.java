package org.norm4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.cli.io.NpyReader;

/** .npy in Fortran order and of bool and integer dtypes, and .npz archives, as NumPy writes them (make.py). */
class NpyDtypesTest {
    @TempDir
    Path dir;

    Path fixture(String name) throws IOException {
        try (InputStream in = NpyDtypesTest.class.getResourceAsStream("npy/" + name)) {
            Path p = dir.resolve(name);
            Files.copy(in, p, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            return p;
        }
    }

    JsonNode fit(Path in, String... extra) throws IOException {
        Path s = dir.resolve(in.getFileName() + ".json");
        String[] args = new String[5 + extra.length];
        args[0] = "fit";
        args[1] = in.toString();
        args[2] = "--method";
        args[3] = "minmax";
        args[4] = "-o=" + s;
        System.arraycopy(extra, 0, args, 5, extra.length);
        Cli r = Cli.run((Object[]) args);
        assertEquals(0, r.code, r::toString);
        return FitTransformTest.json(s).get("features");
    }

    /** a[i][j] = (4i + j) * 1.5 - 2, 3 x 4. */
    static void assertA(JsonNode f) {
        assertEquals(4, f.size());
        for (int j = 0; j < 4; j++) {
            assertEquals(j * 1.5 - 2, f.get(j).get("min").asDouble(), 0.0);
            assertEquals((8 + j) * 1.5 - 2, f.get(j).get("max").asDouble(), 0.0);
            assertEquals((4 + j) * 1.5 - 2, f.get(j).get("mean").asDouble(), 1e-15);
        }
    }

    @Test
    void fortranOrder() throws IOException {
        assertA(fit(fixture("fortran-f8.npy")));
        assertA(fit(fixture("fortran-f4.npy")));
        Path in = fixture("fortran-f8.npy");
        fit(in);
        Cli t = Cli.run("transform", in, "-s", dir.resolve("fortran-f8.npy.json"), "-o", dir.resolve("o.npy"));
        assertEquals(0, t.code, t::toString);
        try (NpyReader r = NpyReader.open(dir.resolve("o.npy"))) {
            double[] v = new double[12];
            assertEquals(3, r.read(v, 3));
            assertEquals(4, r.columns());
            for (int j = 0; j < 4; j++) { // scikit-learn's x * scale_ + min_ is within an ulp of 0, 0.5, 1
                assertEquals(0.0, v[j], 0.0);
                assertEquals(0.5, v[4 + j], 1e-15);
                assertEquals(1.0, v[8 + j], 1e-15);
            }
        }
    }

    @Test
    void integerAndBoolDtypes() throws IOException {
        JsonNode i4 = fit(fixture("i4.npy"));
        assertEquals(2.0, i4.get(0).get("mean").asDouble(), 0.0);
        assertEquals(-2.0, i4.get(1).get("min").asDouble(), 0.0);
        assertEquals(1.0, i4.get(1).get("mean").asDouble(), 0.0);
        JsonNode u1 = fit(fixture("u1.npy"));
        assertEquals(255.0, u1.get(0).get("max").asDouble(), 0.0);
        assertEquals(128.0, u1.get(0).get("mean").asDouble(), 0.0);
        JsonNode b1 = fit(fixture("b1.npy"));
        assertEquals(3, b1.get(0).get("count").asInt());
        assertEquals(2.0 / 3, b1.get(0).get("mean").asDouble(), 1e-16);
        JsonNode big = fit(fixture("i8-big-endian.npy"));
        assertEquals(-5.0, big.get(0).get("min").asDouble(), 0.0);
        assertEquals(7.0, big.get(0).get("max").asDouble(), 0.0);
        JsonNode u8 = fit(fixture("u8.npy"));
        assertEquals(18446744073709551615.0, u8.get(0).get("max").asDouble(), 0.0);
        assertEquals(1.0, u8.get(0).get("min").asDouble(), 0.0);
    }

    @Test
    void npzArchives() throws IOException {
        Path two = fixture("two.npz");
        assertA(fit(two, "--array", "features"));
        BadInputTest.fails(Cli.run("fit", two, "-o", dir.resolve("s.json")),
                "two.npz: 2 arrays in the .npz archive: expected --array with one of features, labels");
        BadInputTest.fails(Cli.run("fit", two, "--array", "nope", "-o", dir.resolve("s.json")), "no array 'nope'");
        JsonNode t = fit(fixture("compressed.npz")); // a.T, deflated
        assertEquals(3, t.size());
        for (int j = 0; j < 3; j++) {
            assertEquals(4 * j * 1.5 - 2, t.get(j).get("min").asDouble(), 0.0);
            assertEquals((4 * j + 3) * 1.5 - 2, t.get(j).get("max").asDouble(), 0.0);
        }
        BadInputTest.fails(Cli.run("fit", fixture("i4.npy"), "--array", "x", "-o", dir.resolve("s.json")),
                "--array x given, but this is not a .npz archive");
        try (var files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            assertFalse(files.anyMatch(p -> p.getFileName().toString().startsWith("norm4j-npz-")
                    && p.toFile().lastModified() > ProcessHandle.current().info().startInstant().get().toEpochMilli()),
                    "temporary arrays are deleted");
        }
    }
}
