package org.norm4j.cli.io;

import com.fasterxml.jackson.core.io.NumberInput;
import com.fasterxml.jackson.core.io.NumberOutput;

/**
 * Strict parsing and exact printing of the numbers in text files. Parsing accepts what Java, NumPy
 * ({@code np.savetxt}) and pandas write: decimal and scientific notation, {@code NaN}/{@code nan}, and
 * {@code Infinity}/{@code inf} with an optional sign, around optional spaces. It rejects what
 * {@link Double#parseDouble} would let through by accident: Java type suffixes ({@code 1f}, {@code 2d}) and
 * hexadecimal literals. Decimal text is parsed by FastDoubleParser (bundled in jackson-core), correctly rounded
 * like {@link Double#parseDouble}.
 *
 * <p>Printing writes the shortest decimal that parses back to the same double, laid out as Python's
 * {@code repr(float)} does: plain notation while the decimal point falls within 16 digits
 * ({@code 92433800.0}, {@code 0.0001}, {@code 1234567890123456.0}), otherwise scientific with a signed two-digit
 * exponent ({@code 1e-05}, {@code 1.5e+16}); {@code nan}, {@code inf}, {@code -inf}. The shortest digits come from
 * the Schubfach algorithm: {@link Double#toString} from Java 19 on, jackson-core's copy on Java 17, whose own
 * {@link Double#toString} is not always shortest ({@code 2.0E23} prints as {@code 2.0000000000000002E23} there).
 */
public final class Numbers {
    private Numbers() {
    }

    /**
     * The value of a cell, or {@code null} when the cell is not a number (empty included).
     */
    public static Double parse(String cell) {
        String s = cell.strip();
        int n = s.length();
        if (n == 0) {
            return null;
        }
        char last = s.charAt(n - 1);
        if (last >= '0' && last <= '9' || last == '.') {
            if (s.indexOf('x') >= 0 || s.indexOf('X') >= 0) {
                return null;
            }
            try {
                return NumberInput.parseDouble(s, true);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return special(s);
    }

    private static Double special(String s) {
        String body = s;
        double sign = 1;
        if (s.startsWith("-") || s.startsWith("+")) {
            sign = s.charAt(0) == '-' ? -1 : 1;
            body = s.substring(1);
        }
        if (body.equalsIgnoreCase("nan")) {
            return Double.NaN;
        }
        if (body.equalsIgnoreCase("inf") || body.equalsIgnoreCase("infinity")) {
            return sign * Double.POSITIVE_INFINITY;
        }
        return null;
    }

    /** The text of a value as Python's {@code repr} prints it; it parses back to the same double. */
    public static String format(double v) {
        StringBuilder sb = new StringBuilder(24);
        append(sb, v);
        return sb.toString();
    }

    /** Appends {@link #format(double)} of {@code v}. */
    public static void append(StringBuilder sb, double v) {
        if (Double.isNaN(v)) {
            sb.append("nan");
            return;
        }
        if (Double.isInfinite(v)) {
            sb.append(v > 0 ? "inf" : "-inf");
            return;
        }
        if (v == 0) {
            sb.append(1 / v < 0 ? "-0.0" : "0.0");
            return;
        }
        if (JDK_SHORTEST && !STRING_PER_VALUE) {
            // Java 19+ appends Schubfach's digits straight into the builder: no String per value
            int start = sb.length();
            sb.append(v);
            for (int k = sb.length() - 1; k > start; k--) {
                if (sb.charAt(k) == 'E') { // |v| < 1e-3 or >= 1e7: re-laid out as Python's repr
                    String java = sb.substring(start);
                    sb.setLength(start);
                    layout(sb, java, v);
                    return;
                }
            }
            return; // 1e-3 <= |v| < 1e7: Java's plain form is Python's (ulp is far below two-digit spacing there)
        }
        String java = JDK_SHORTEST ? Double.toString(v) : NumberOutput.toString(v, true);
        if (java.indexOf('E') < 0) {
            sb.append(java);
            return;
        }
        layout(sb, java, v);
    }

    /** The former path (a String per value), kept switchable for A/B measurements: -Dnorm4j.format.string=true. */
    static final boolean STRING_PER_VALUE = Boolean.getBoolean("norm4j.format.string");

    /**
     * Whether {@link Double#toString} gives the shortest digits: from Java 19 on it is Schubfach, the algorithm
     * jackson-core bundles (same digits, faster); Java 17's is not always shortest.
     */
    private static final boolean JDK_SHORTEST = Runtime.version().feature() >= 19;

    /** Re-lays out Java's shortest text ({@code 1.0E-5}, {@code 123.45}) the way Python's repr does. */
    static void layout(StringBuilder sb, String java, double v) {
        int i = 0;
        if (java.charAt(0) == '-') {
            sb.append('-');
            i = 1;
        }
        int e = java.indexOf('E');
        int end = e < 0 ? java.length() : e;
        int exp = e < 0 ? 0 : Integer.parseInt(java, e + 1, java.length(), 10);
        char[] d = new char[end - i];
        int n = 0;
        int point = -1;
        for (int k = i; k < end; k++) {
            char c = java.charAt(k);
            if (c == '.') {
                point = n;
            } else {
                d[n++] = c;
            }
        }
        int decpt = (point < 0 ? n : point) + exp; // value = 0.d[0]d[1]... * 10^decpt
        int from = 0;
        while (from < n - 1 && d[from] == '0') {
            from++;
            decpt--;
        }
        while (n - 1 > from && d[n - 1] == '0') {
            n--;
        }
        int digits = n - from;
        if (digits == 2) { // Java prints at least two digits (4.9E-324); Python one when one round-trips
            int one = oneDigit(d[from] - '0', d[from + 1] - '0', decpt, Math.abs(v));
            if (one > 0) {
                d[from] = (char) ('0' + one % 10);
                decpt += one / 10;
                digits = 1;
            }
        }
        if (decpt > -4 && decpt <= 16) {
            if (decpt <= 0) {
                sb.append("0.");
                for (int k = decpt; k < 0; k++) {
                    sb.append('0');
                }
                sb.append(d, from, digits);
            } else if (decpt >= digits) {
                sb.append(d, from, digits);
                for (int k = digits; k < decpt; k++) {
                    sb.append('0');
                }
                sb.append(".0");
            } else {
                sb.append(d, from, decpt).append('.').append(d, from + decpt, digits - decpt);
            }
            return;
        }
        sb.append(d[from]);
        if (digits > 1) {
            sb.append('.').append(d, from + 1, digits - 1);
        }
        int x = decpt - 1;
        sb.append(x < 0 ? "e-" : "e+");
        int ax = Math.abs(x);
        if (ax < 10) {
            sb.append('0');
        }
        sb.append(ax);
    }

    /**
     * The one-digit decimal {@code k * 10^(decpt-1)} (k in 1..9; 10 meaning 1 at the next power) that parses back
     * to {@code av}, the nearer candidate first; 0 when neither does.
     */
    private static int oneDigit(int first, int second, int decpt, double av) {
        int down = first;
        int up = first + 1;
        int[] order = second >= 5 ? new int[] {up, down} : new int[] {down, up};
        for (int k : order) {
            if (k == 0) {
                continue;
            }
            double c = Double.parseDouble(k + "e" + (decpt - 1));
            if (c == av) {
                return k == 10 ? 11 : k;
            }
        }
        return 0;
    }
}
