package org.norm4j.cli.io;

/**
 * Strict parsing and exact printing of the numbers in text files. Parsing accepts what Java, NumPy
 * ({@code np.savetxt}) and pandas write: decimal and scientific notation, {@code NaN}/{@code nan}, and
 * {@code Infinity}/{@code inf} with an optional sign, around optional spaces. It rejects what
 * {@link Double#parseDouble} would let through by accident: Java type suffixes ({@code 1f}, {@code 2d}) and
 * hexadecimal literals. Printing uses {@link Double#toString(double)}, which parses back to the same double.
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
                return Double.parseDouble(s);
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

    /** The text of a value as Java prints it ({@code 0.1}, {@code 1.0E-7}, {@code NaN}); it parses back exactly. */
    public static String format(double v) {
        return Double.toString(v);
    }
}
