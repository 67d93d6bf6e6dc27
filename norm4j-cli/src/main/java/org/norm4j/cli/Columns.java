package org.norm4j.cli;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Resolves a {@code --columns} list: comma-separated header names, 1-based column numbers and ranges
 * {@code FROM-TO} (inclusive), in any mix. A token that is a header name always means that column, so a column
 * named {@code 3} is found by name first. Duplicates are dropped; the order given is kept.
 */
final class Columns {
    private Columns() {
    }

    /**
     * The 0-based columns a spec selects ({@code null} or blank spec: every column).
     *
     * @throws CliException for an unknown name or a number outside {@code 1..columns}
     */
    static int[] resolve(String spec, String[] header, int columns, String fileName) {
        if (spec == null || spec.isBlank()) {
            int[] all = new int[columns];
            for (int i = 0; i < columns; i++) {
                all[i] = i;
            }
            return all;
        }
        Set<Integer> picked = new LinkedHashSet<>();
        for (String raw : spec.split(",")) {
            String t = raw.strip();
            if (t.isEmpty()) {
                throw new CliException("--columns '" + spec + "': empty entry: expected names or numbers separated "
                        + "by commas");
            }
            int byName = indexOf(header, t);
            if (byName >= 0) {
                picked.add(byName);
            } else if (t.matches("\\d+")) {
                picked.add(number(t, columns, fileName, header) - 1);
            } else if (t.matches("\\d+-\\d+")) {
                int from = number(t.substring(0, t.indexOf('-')), columns, fileName, header);
                int to = number(t.substring(t.indexOf('-') + 1), columns, fileName, header);
                if (from > to) {
                    throw new CliException("--columns range '" + t + "': expected FROM <= TO");
                }
                for (int c = from; c <= to; c++) {
                    picked.add(c - 1);
                }
            } else {
                throw new CliException(fileName + ": unknown column '" + t + "' in --columns"
                        + (header == null ? " (the file has no header: use column numbers 1.." + columns + ")"
                                : ": expected one of " + list(header)));
            }
        }
        int[] out = new int[picked.size()];
        int k = 0;
        for (int c : picked) {
            out[k++] = c;
        }
        return out;
    }

    private static int number(String t, int columns, String fileName, String[] header) {
        long c;
        try {
            c = Long.parseLong(t);
        } catch (NumberFormatException e) {
            c = -1;
        }
        if (c < 1 || c > columns) {
            throw new CliException(fileName + ": column " + t + " in --columns is out of range: the file has "
                    + columns + " column" + (columns == 1 ? "" : "s") + ", numbered from 1");
        }
        return (int) c;
    }

    private static int indexOf(String[] header, String name) {
        if (header != null) {
            for (int i = 0; i < header.length; i++) {
                if (header[i].equals(name)) {
                    return i;
                }
            }
        }
        return -1;
    }

    private static String list(String[] header) {
        List<String> shown = new ArrayList<>();
        for (int i = 0; i < header.length && i < 12; i++) {
            shown.add(header[i]);
        }
        return String.join(", ", shown) + (header.length > 12 ? ", ... (" + header.length + " columns)" : "");
    }
}
