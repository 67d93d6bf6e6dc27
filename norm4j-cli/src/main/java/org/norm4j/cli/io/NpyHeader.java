package org.norm4j.cli.io;

import java.util.ArrayList;
import java.util.List;
import org.norm4j.files.Text;

/**
 * The dictionary of a {@code .npy} header, parsed strictly as NumPy's {@code read_array_header} does: a Python
 * literal {@code {'descr': STR, 'fortran_order': BOOL, 'shape': (INT, ...)}} with exactly these three keys
 * (in any order, each once, an optional trailing comma), followed only by spaces and a newline. Dimensions must
 * be non-negative and fit in a {@code long}.
 *
 * @param descr the dtype string, e.g. {@code <f4}
 * @param fortranOrder the {@code fortran_order} flag
 * @param shape the dimensions
 */
record NpyHeader(String descr, boolean fortranOrder, long[] shape) {

    /**
     * Parses a header dictionary.
     *
     * @throws IllegalArgumentException with a message naming the offending key or value (escaped)
     */
    static NpyHeader parse(String text) {
        return new Parser(text).header();
    }

    private static final class Parser {
        private final String s;
        private int i;

        Parser(String s) {
            this.s = s;
        }

        NpyHeader header() {
            String descr = null;
            Boolean fortran = null;
            long[] shape = null;
            ws();
            expect('{');
            ws();
            while (peek() != '}') {
                String key = string("a key");
                ws();
                expect(':');
                ws();
                switch (key) {
                    case "descr" -> {
                        once(descr == null, key);
                        descr = string("the 'descr' string");
                    }
                    case "fortran_order" -> {
                        once(fortran == null, key);
                        fortran = bool();
                    }
                    case "shape" -> {
                        once(shape == null, key);
                        shape = tuple();
                    }
                    default -> throw new IllegalArgumentException("unknown header key '" + Text.printable(key)
                            + "': expected only 'descr', 'fortran_order' and 'shape'");
                }
                ws();
                if (peek() == ',') {
                    i++;
                    ws();
                } else if (peek() != '}') {
                    throw bad("',' or '}'");
                }
            }
            i++;
            while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\n' || s.charAt(i) == '\0')) {
                i++;
            }
            if (i != s.length()) {
                throw bad("only spaces and a newline after the dictionary");
            }
            if (descr == null || fortran == null || shape == null) {
                throw new IllegalArgumentException("header key '" + (descr == null ? "descr" : fortran == null
                        ? "fortran_order" : "shape") + "' missing: expected 'descr', 'fortran_order' and 'shape'");
            }
            return new NpyHeader(descr, fortran, shape);
        }

        private static void once(boolean first, String key) {
            if (!first) {
                throw new IllegalArgumentException("header key '" + key + "' appears twice: expected it once");
            }
        }

        private char peek() {
            if (i >= s.length()) {
                throw new IllegalArgumentException("header ends at character " + i + ": expected '}'");
            }
            return s.charAt(i);
        }

        private void ws() {
            while (i < s.length() && s.charAt(i) == ' ') {
                i++;
            }
        }

        private void expect(char c) {
            if (peek() != c) {
                throw bad("'" + c + "'");
            }
            i++;
        }

        private IllegalArgumentException bad(String expected) {
            String at = i < s.length() ? "'" + Text.printable(s.substring(i, Math.min(s.length(), i + 12))) + "'"
                    : "the end";
            return new IllegalArgumentException("malformed header at character " + (i + 1) + " (" + at + "): expected "
                    + expected);
        }

        private String string(String what) {
            char q = peek();
            if (q != '\'' && q != '"') {
                throw bad(what + " in quotes");
            }
            int end = s.indexOf(q, i + 1);
            if (end < 0) {
                throw bad("a closing quote");
            }
            String v = s.substring(i + 1, end);
            i = end + 1;
            return v;
        }

        private boolean bool() {
            if (s.startsWith("True", i)) {
                i += 4;
                return true;
            }
            if (s.startsWith("False", i)) {
                i += 5;
                return false;
            }
            throw bad("True or False for 'fortran_order'");
        }

        private long[] tuple() {
            expect('(');
            ws();
            List<Long> dims = new ArrayList<>();
            while (peek() != ')') {
                int from = i;
                while (i < s.length() && Character.isDigit(s.charAt(i))) {
                    i++;
                }
                if (i == from) {
                    throw bad("a non-negative integer in 'shape'");
                }
                String digits = s.substring(from, i);
                if (i < s.length() && s.charAt(i) == 'L') {
                    i++; // Python 2's long suffix
                }
                try {
                    dims.add(Long.parseLong(digits));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("shape entry " + Text.printable(digits)
                            + ": expected a size below 2^63");
                }
                ws();
                if (peek() == ',') {
                    i++;
                    ws();
                } else if (peek() != ')') {
                    throw bad("',' or ')' in 'shape'");
                }
            }
            i++;
            long[] out = new long[dims.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = dims.get(k);
            }
            return out;
        }
    }
}
