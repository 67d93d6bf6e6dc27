package org.norm4j.cli;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.norm4j.cli.io.AtomicOutput;
import org.norm4j.cli.io.BadRowException;
import org.norm4j.cli.io.CsvReader;
import org.norm4j.cli.io.NpyReader;
import org.norm4j.cli.io.NpyWriter;
import org.norm4j.cli.io.Numbers;
import org.norm4j.stats.FeatureScaler;
import org.norm4j.stats.RowNorm;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.io.StatsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code norm4j transform}: applies (or undoes) a stats file to a CSV or .npy file, streaming. */
@Command(name = "transform", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = {"Normalize (or --invert) a CSV or .npy file with a stats file.", "",
            "Normalize a CSV or .npy file with a stats file from 'norm4j fit' (or undo it with "
                + "--invert), streaming, in float64. Fitted columns are replaced by their normalized values, "
                + "printed so that they parse back to the same double; other columns pass through unchanged. "
                + "The output is written to a temporary file in the same directory and renamed only on success."},
        footerHeading = "%nExamples:%n",
        footer = {"  norm4j transform data.csv --stats stats.json --out data.norm.csv",
            "  norm4j transform data.norm.csv --stats stats.json --invert --out data.back.csv",
            "  norm4j transform features.npy --stats stats.json --out features.norm.npy --dtype float64",
            "", "Exit codes: 0 success, 1 failure (bad input, missing file, stats mismatch), 2 usage error."})
final class TransformCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "A CSV/TSV file or a .npy file.")
    Path input;

    @Option(names = {"-s", "--stats"}, required = true, paramLabel = "STATS.json",
            description = "Statistics from 'norm4j fit' or 'norm4j merge'.")
    Path statsPath;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUTPUT",
            description = "The output file, of the input's kind (CSV or .npy).")
    Path out;

    @Option(names = "--invert", description = "Undo the normalization (x = mean + y * std for standard).")
    boolean invert;

    @Option(names = "--dtype", paramLabel = "float32|float64",
            description = ".npy output dtype. Default: the input's.")
    String dtype;

    @Option(names = "--chunk-rows", defaultValue = "4096", paramLabel = "N",
            description = "Rows per chunk for .npy files. Default: ${DEFAULT-VALUE}.")
    int chunkRows;

    @Mixin
    InputOptions in;

    @Override
    public Integer call() {
        if (dtype != null && !dtype.equals("float32") && !dtype.equals("float64")) {
            throw new ParameterException(spec.commandLine(), "--dtype '" + dtype + "': expected float32 or float64");
        }
        if (chunkRows < 1) {
            throw new ParameterException(spec.commandLine(), "--chunk-rows " + chunkRows + ": expected >= 1");
        }
        if (AtomicOutput.isStdout(input) && AtomicOutput.isStdout(statsPath)) {
            throw new ParameterException(spec.commandLine(), "INPUT and --stats are both '-': expected standard "
                    + "input for one of them at most");
        }
        AtomicOutput.check(out, input, statsPath); // before reading anything
        FitCommand.checkInput(statsPath);
        FitCommand.checkInput(input);
        boolean npyIn = NpyReader.isNpy(input);
        if (!AtomicOutput.isStdout(out)
                && npyIn != out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".npy")) {
            throw new ParameterException(spec.commandLine(), "--out " + out + ": the output has the input's format ("
                    + (npyIn ? ".npy" : "CSV") + "): expected a name " + (npyIn ? "" : "not ") + "ending in .npy");
        }
        StatsFile stats = MergeCommand.read(statsPath);
        if (invert && stats.method() == ScalingMethod.NORMALIZE) {
            throw new ParameterException(spec.commandLine(), "--invert with " + statsPath + " of method normalize: "
                    + "expected a feature scaler (a row normalization cannot be undone: the norms are not kept)");
        }
        long t0 = System.nanoTime();
        BadRows bad = new BadRows(in.skipBadRows);
        long rows = npyIn ? npy(stats) : csv(stats, bad);
        double seconds = (System.nanoTime() - t0) / 1e9;
        bad.report(spec.commandLine().getErr());
        FitCommand.summary(spec, out).printf(Locale.ROOT, "%s %s: %,d rows x %d feature%s of %s in %.2f s "
                + "(%,.0f rows/s) -> %s%n", invert ? "inverted" : "transformed", stats.method().configName(),
                rows, stats.features(), stats.features() == 1 ? "" : "s", input, seconds,
                rows / Math.max(seconds, 1e-9), out);
        FitCommand.summary(spec, out).flush();
        return 0;
    }

    private void checkColumns(StatsFile stats, int columns, String[] header) {
        StatsFile.Input layout = stats.input();
        if (columns != layout.columns()) {
            throw new CliException(input + ": " + columns + " column" + (columns == 1 ? "" : "s") + ", but "
                    + statsPath + " was fitted on " + layout.columns() + ": expected the same column layout");
        }
        if (header != null) {
            int[] cols = stats.columns();
            String[] names = stats.names();
            for (int j = 0; j < cols.length; j++) {
                if (names[j] != null && !names[j].equals(header[cols[j]])) {
                    throw new CliException(input + ": column " + (cols[j] + 1) + " is '" + header[cols[j]]
                            + "', but " + statsPath + " has '" + names[j] + "' there: expected the same columns");
                }
            }
        }
    }

    private long csv(StatsFile stats, BadRows bad) {
        char delim;
        try {
            delim = in.delimiter(input, stats.input().delimiter());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Boolean header = in.header != null ? in.header : Boolean.valueOf(stats.input().header());
        Apply scaler = new Apply(stats, invert);
        long rows = 0;
        try (CsvReader r = CsvReader.open(input, delim, header)) {
            checkColumns(stats, r.columns(), r.header());
            int[] feature = new int[r.columns()];
            Arrays.fill(feature, -1);
            int[] cols = stats.columns();
            for (int j = 0; j < cols.length; j++) {
                feature[cols[j]] = j;
            }
            try (AtomicOutput ao = AtomicOutput.create(out)) {
                try (BufferedWriter w = new BufferedWriter(new java.io.OutputStreamWriter(ao.stream(),
                        StandardCharsets.UTF_8), 1 << 16);
                        Progress p = Progress.start(Progress.wanted(in.progress), invert ? "invert" : "transform",
                                r.sizeBytes(), " MiB", 1 << 20, true)) {
                    if (r.headerLine() != null) {
                        w.write(r.headerLine());
                        w.write('\n');
                    }
                    StringBuilder sb = new StringBuilder(256);
                    double[] values = new double[cols.length];
                    while (r.next()) {
                        try {
                            r.requireWellFormed();
                            for (int j = 0; j < cols.length; j++) {
                                values[j] = r.number(cols[j]);
                            }
                            scaler.row(values);
                            sb.setLength(0);
                            for (int c = 0; c < feature.length; c++) {
                                if (c > 0) {
                                    sb.append(delim);
                                }
                                int j = feature[c];
                                if (j < 0) {
                                    sb.append(r.rawField(c));
                                } else {
                                    sb.append(Numbers.format(values[j]));
                                }
                            }
                            sb.append('\n');
                            w.append(sb);
                            rows++;
                        } catch (BadRowException e) {
                            bad.handle(e);
                        }
                        if ((rows & 4095) == 0) {
                            p.stepTo(r.bytesRead());
                            p.rows(rows);
                        }
                    }
                    p.stepTo(r.sizeBytes());
                    p.rows(rows);
                } catch (IOException e) {
                    throw new CliException(out + ": write error (" + e.getMessage() + ")", e);
                } catch (UncheckedIOException e) {
                    throw new CliException(out + ": write error (" + e.getCause().getMessage() + ")", e);
                }
                ao.commit();
            }
        }
        return rows;
    }

    private long npy(StatsFile stats) {
        Apply scaler = new Apply(stats, invert);
        try (NpyReader r = NpyReader.open(input)) {
            checkColumns(stats, r.columns(), null);
            int c = r.columns();
            int[] cols = stats.columns();
            boolean f32 = dtype == null ? r.float32() : dtype.equals("float32");
            // at most the rows the file holds: an empty array's declared columns allocate nothing
            int chunk = (int) Math.min(FitCommand.chunk(chunkRows, c), r.rows());
            double[] buf = new double[chunk * c];
            try (AtomicOutput ao = AtomicOutput.create(out)) {
                try (NpyWriter w = new NpyWriter(out, ao.stream(), f32, r.rows(), c, r.rank());
                        Progress p = Progress.start(Progress.wanted(in.progress), invert ? "invert" : "transform",
                                r.rows(), " rows", 1, true)) {
                    int n;
                    while ((n = r.read(buf, chunk)) > 0) {
                        scaler.apply(buf, n, c, cols);
                        w.write(buf, n);
                        p.stepTo(r.rowsRead());
                    }
                    w.finish();
                }
                ao.commit();
            }
            return r.rows();
        }
    }

    /** The fitted statistics as one operation on rows: a feature scaler, or a row norm for normalize. */
    private static final class Apply {
        private final FeatureScaler scaler;
        private final RowNorm norm;
        private final boolean inverse;
        private final int[] identity;

        Apply(StatsFile stats, boolean inverse) {
            this.norm = stats.method() == ScalingMethod.NORMALIZE ? stats.rowNorm() : null;
            this.scaler = norm == null ? stats.scaler() : null;
            this.inverse = inverse;
            this.identity = new int[stats.features()];
            Arrays.setAll(identity, j -> j);
        }

        /** Transforms {@code rows} rows of {@code stride} values in place, feature j at column cols[j]. */
        void apply(double[] data, int rows, int stride, int[] cols) {
            if (norm != null) {
                norm.apply(data, rows, stride, cols);
            } else {
                scaler.apply(data, rows, stride, cols, inverse);
            }
        }

        /** Transforms one row of the features' values in place. */
        void row(double[] values) {
            apply(values, 1, values.length, identity);
        }
    }
}
