package org.norm4j.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CSV reader's number parsing (fast path and fallback) gives exactly Double.parseDouble's double. */
class CsvNumbersTest {
    @TempDir
    Path dir;

    @Test
    void decimalsParseExactlyAsDoubleParseDouble() throws IOException {
        Random rnd = new Random(20261202);
        List<String> cells = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            StringBuilder sb = new StringBuilder(rnd.nextInt(4) == 0 ? "-" : rnd.nextInt(20) == 0 ? "+" : "");
            int digits = 1 + rnd.nextInt(24);
            int dot = rnd.nextInt(digits + 2) - 1; // -1: none; digits: trailing dot
            for (int k = 0; k < digits; k++) {
                if (k == dot) {
                    sb.append('.');
                }
                sb.append((char) ('0' + rnd.nextInt(10)));
            }
            if (dot == digits) {
                sb.append('.');
            }
            if (rnd.nextInt(10) == 0) {
                sb.append('e').append(rnd.nextInt(40) - 20);
            }
            cells.add(sb.toString());
        }
        cells.addAll(List.of("0.1", "-0.0", "9007199254740993", "123456789012345.6", "0.30000000000000004",
                "1e23", "4.9e-324", ".5", "5."));
        Path f = Files.write(dir.resolve("n.csv"), cells);
        try (CsvReader r = CsvReader.open(f, CsvFormat.of(',', false))) {
            int i = 0;
            while (r.next()) {
                String cell = cells.get(i++);
                assertEquals(Double.doubleToRawLongBits(Double.parseDouble(cell)),
                        Double.doubleToRawLongBits(r.number(0)), cell);
            }
            assertEquals(cells.size(), i);
        }
    }
}
