package org.norm4j.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The rows of every results file in a directory (written by {@link Driver} run). */
final class Results {
    /** One measured (label, engine, workload). */
    record Row(String label, String engine, String workload, double us, double errorUs, double busy, String name,
            String describe, String javaVersion, String jvm, String jvmArgs, String date) {
    }

    final List<Row> rows = new ArrayList<>();

    static Results read(Path dir) throws IOException {
        Results r = new Results();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".tsv")).sorted().toList();
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
                if (line.startsWith("label\t") || line.isBlank()) {
                    continue;
                }
                String[] c = line.split("\t", -1);
                if (c.length < 12) {
                    continue;
                }
                r.rows.add(new Row(c[0], c[1], c[2], parse(c[3]), parse(c[4]), parse(c[5]), c[6], c[7], c[8], c[9],
                        c[10], c[11]));
            }
        }
        return r;
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /** The best (lowest) time of an engine on a workload under a label, or NaN. */
    double us(String label, String engine, String workload) {
        double best = Double.NaN;
        for (Row r : rows) {
            if (r.label().equals(label) && r.engine().equals(engine) && r.workload().equals(workload)
                    && !Double.isNaN(r.us()) && (Double.isNaN(best) || r.us() < best)) {
                best = r.us();
            }
        }
        return best;
    }

    /** Every time of an engine on a workload under a label, in file order. */
    List<Double> all(String label, String engine, String workload) {
        List<Double> out = new ArrayList<>();
        for (Row r : rows) {
            if (r.label().equals(label) && r.engine().equals(engine) && r.workload().equals(workload)) {
                out.add(r.us());
            }
        }
        return out;
    }

    /** The first row of an engine under a label (for its description), or null. */
    Row first(String label, String engine) {
        for (Row r : rows) {
            if (r.label().equals(label) && r.engine().equals(engine) && !r.describe().startsWith("failed")) {
                return r;
            }
        }
        return null;
    }

    /** Labels present, in file order. */
    List<String> labels() {
        return rows.stream().map(Row::label).distinct().toList();
    }
}
