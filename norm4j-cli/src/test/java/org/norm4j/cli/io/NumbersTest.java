package org.norm4j.cli.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class NumbersTest {
    /** 3 000 doubles (random bit patterns, random magnitudes, short decimals) and what CPython's repr prints. */
    @Test
    void formatIsPythonRepr() throws IOException {
        int checked = 0;
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                NumbersTest.class.getResourceAsStream("python-repr.txt"), StandardCharsets.US_ASCII))) {
            String line;
            while ((line = r.readLine()) != null) {
                int sp = line.indexOf(' ');
                double v = Double.longBitsToDouble(Long.parseUnsignedLong(line.substring(0, sp), 16));
                String repr = line.substring(sp + 1);
                assertEquals(repr, Numbers.format(v), line);
                StringBuilder sb = new StringBuilder("1.5E7,"); // appended after other text (Java 19+: in place)
                Numbers.append(sb, v);
                assertEquals("1.5E7," + repr, sb.toString(), line);
                assertEquals(Double.doubleToRawLongBits(v), Double.doubleToRawLongBits(Numbers.parse(repr)), line);
                checked++;
            }
        }
        assertEquals(3000, checked);
    }

    @Test
    void specialValues() {
        assertEquals("nan", Numbers.format(Double.NaN));
        assertEquals("inf", Numbers.format(Double.POSITIVE_INFINITY));
        assertEquals("-inf", Numbers.format(Double.NEGATIVE_INFINITY));
        assertEquals("-0.0", Numbers.format(-0.0));
        assertEquals("0.0", Numbers.format(0.0));
        assertEquals("92433800.0", Numbers.format(92433800));
        assertEquals("2e+23", Numbers.format(2e23));
        assertEquals("1e-05", Numbers.format(1e-5));
    }

    @Test
    void parseIsStrict() {
        assertNull(Numbers.parse("1f"));
        assertNull(Numbers.parse("2d"));
        assertNull(Numbers.parse("0x1p3"));
        assertNull(Numbers.parse(""));
        assertNull(Numbers.parse("five"));
        assertEquals(-1.5, Numbers.parse(" -1.5 "));
        assertEquals(0.1, Numbers.parse("1e-1"));
        assertEquals(Double.NEGATIVE_INFINITY, Numbers.parse("-inf"));
    }
}
