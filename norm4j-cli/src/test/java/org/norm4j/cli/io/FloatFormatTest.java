package org.norm4j.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FloatFormatTest {
    /** 320 doubles in 10 formats, as CPython's printf-style formatting prints them (python-format.txt). */
    @Test
    void formatsAsPython() throws IOException {
        int checked = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                FloatFormatTest.class.getResourceAsStream("python-format.txt"), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] p = line.split(" ");
                double v = Double.parseDouble(p[0]);
                StringBuilder sb = new StringBuilder();
                FloatFormat.parse(p[1]).append(sb, v);
                assertEquals(p[2], sb.toString(), line);
                checked++;
            }
        }
        assertEquals(3200, checked);
    }

    @Test
    void precisionIsSignificantDigits() {
        StringBuilder sb = new StringBuilder();
        FloatFormat.precision(4).append(sb, 92433800.0);
        sb.append(' ');
        FloatFormat.precision(4).append(sb, Double.NaN);
        sb.append(' ');
        FloatFormat.REPR.append(sb, 92433800.0);
        assertEquals("9.243e+07 nan 92433800.0", sb.toString());
        assertThrows(IllegalArgumentException.class, () -> FloatFormat.parse("%5.2f"));
        assertThrows(IllegalArgumentException.class, () -> FloatFormat.parse("%.0g"));
        assertThrows(IllegalArgumentException.class, () -> FloatFormat.precision(18));
    }
}
