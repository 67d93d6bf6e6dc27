package org.norm4j.cli.io;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * How {@code transform} prints a computed value: {@code repr} (the default, {@link Numbers#format}), or a
 * printf-style {@code %.Nf}, {@code %.Ne} or {@code %.Ng} with Python's exact semantics (pandas'
 * {@code to_csv(float_format=...)}): the double's exact decimal value rounded half-even to N decimals
 * ({@code f}), N decimals after the first digit ({@code e}), or N significant digits ({@code g}, plain notation
 * for exponents from -4 to N-1, trailing zeros removed). NaN and infinities print as {@code nan}, {@code inf},
 * {@code -inf} in every format.
 *
 * @param kind 'r' (repr), 'f', 'e' or 'g'
 * @param digits N
 */
public record FloatFormat(char kind, int digits) {
    /** The default: Python's {@code repr}. */
    public static final FloatFormat REPR = new FloatFormat('r', 0);

    /**
     * Parses {@code repr}, {@code %.Nf}, {@code %.Ne} or {@code %.Ng} (N from 0 to 17; {@code g} from 1).
     *
     * @throws IllegalArgumentException naming the format otherwise
     */
    public static FloatFormat parse(String f) {
        if (f.equals("repr")) {
            return REPR;
        }
        if (f.matches("%\\.\\d{1,2}[feg]")) {
            int n = Integer.parseInt(f.substring(2, f.length() - 1));
            char k = f.charAt(f.length() - 1);
            if (n <= 17 && (k != 'g' || n >= 1)) {
                return new FloatFormat(k, n);
            }
        }
        throw new IllegalArgumentException("'" + f + "': expected repr, %.Nf, %.Ne (N from 0 to 17) or %.Ng (N from "
                + "1 to 17)");
    }

    /** {@code --precision N}: N significant digits, {@code %.Ng}. */
    public static FloatFormat precision(int n) {
        if (n < 1 || n > 17) {
            throw new IllegalArgumentException("--precision " + n + ": expected 1 to 17 significant digits");
        }
        return new FloatFormat('g', n);
    }

    /** Appends {@code v} in this format. */
    public void append(StringBuilder sb, double v) {
        if (kind == 'r' || Double.isNaN(v) || Double.isInfinite(v)) {
            Numbers.append(sb, v);
            return;
        }
        BigDecimal x = new BigDecimal(v);
        switch (kind) {
            case 'f' -> {
                String s = x.setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
                if (v < 0 || v == 0 && 1 / v < 0) {
                    sb.append(s.startsWith("-") ? "" : "-");
                }
                sb.append(s);
            }
            case 'e' -> scientific(sb, v, x, digits + 1, true);
            default -> general(sb, v, x);
        }
    }

    private static void scientific(StringBuilder sb, double v, BigDecimal x, int sig, boolean keepZeros) {
        if (v < 0 || v == 0 && 1 / v < 0) {
            sb.append('-');
        }
        String d;
        int exp;
        if (v == 0) {
            d = "0".repeat(sig);
            exp = 0;
        } else {
            BigDecimal r = x.abs().round(new MathContext(sig, RoundingMode.HALF_EVEN));
            d = r.unscaledValue().toString();
            exp = d.length() - 1 - r.scale();
            d = (d + "0".repeat(Math.max(0, sig - d.length()))).substring(0, sig);
        }
        String frac = d.substring(1);
        if (!keepZeros) {
            frac = frac.replaceAll("0+$", "");
        }
        sb.append(d.charAt(0));
        if (!frac.isEmpty()) {
            sb.append('.').append(frac);
        }
        sb.append(exp < 0 ? "e-" : "e+");
        if (Math.abs(exp) < 10) {
            sb.append('0');
        }
        sb.append(Math.abs(exp));
    }

    private void general(StringBuilder sb, double v, BigDecimal x) {
        int exp = 0;
        if (v != 0) {
            BigDecimal r = x.abs().round(new MathContext(digits, RoundingMode.HALF_EVEN));
            exp = r.precision() - 1 - r.scale();
        }
        if (exp < -4 || exp >= digits) {
            scientific(sb, v, x, digits, false);
            return;
        }
        String s = x.setScale(Math.max(0, digits - 1 - exp), RoundingMode.HALF_EVEN).toPlainString();
        if (s.indexOf('.') >= 0) {
            s = s.replaceAll("0+$", "");
            if (s.endsWith(".")) {
                s = s.substring(0, s.length() - 1);
            }
        }
        if ((v < 0 || v == 0 && 1 / v < 0) && !s.startsWith("-")) {
            sb.append('-');
        }
        sb.append(s);
    }
}
