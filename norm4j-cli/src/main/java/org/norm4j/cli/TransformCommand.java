package org.norm4j.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.zip.GZIPOutputStream;
import org.norm4j.cli.io.AtomicOutput;
import org.norm4j.cli.io.BadRowException;
import org.norm4j.cli.io.CsvBlocks;
import org.norm4j.cli.io.CsvFormat;
import org.norm4j.cli.io.CsvReader;
import org.norm4j.cli.io.NpyReader;
import org.norm4j.cli.io.NpyWriter;
import org.norm4j.cli.io.ParquetOutput;
import org.norm4j.cli.io.ParquetReader;
import org.norm4j.cli.io.FloatFormat;
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
        description = {"Normalize (or --invert) a CSV, .npy or Parquet file with a stats file.", "",
            "Normalize a CSV, .npy or Parquet file with a stats file from 'norm4j fit' (or undo it with "
                + "--invert), streaming, in float64. Fitted columns are replaced by their normalized values, "
                + "printed so that they parse back to the same double; other columns pass through unchanged. "
                + "The output is written to a temporary file in the same directory and renamed only on success."},
        footerHeading = "%nExamples:%n",
        footer = {"  norm4j transform data.csv --stats stats.json --out data.norm.csv",
            "  norm4j transform data.norm.csv --stats stats.json --invert --out data.back.csv",
            "  norm4j transform features.npy --stats stats.json --out features.norm.npy --dtype float64",
            "  norm4j transform data.csv.gz --stats stats.json --precision 6 --out data.norm.csv.gz",
            "  norm4j transform data.parquet --stats stats.json --compression zstd --out data.norm.parquet",
            "", "Exit codes: 0 success, 1 failure (bad input, missing file, stats mismatch), 2 usage error."})
final class TransformCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "A CSV/TSV file (gzip-compressed or not), a .npy "
            + "file, a .npz archive or a Parquet file; '-' is standard input (CSV).")
    Path input;

    @Option(names = {"-s", "--stats"}, required = true, paramLabel = "STATS.json",
            description = "Statistics from 'norm4j fit' or 'norm4j merge'.")
    Path statsPath;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "OUTPUT",
            description = "The output file, of the input's kind (CSV, gzip-compressed when the name ends in .gz; "
                    + ".npy for .npy and .npz input; .parquet for Parquet); '-' is standard output.")
    Path out;

    @Option(names = "--invert", description = "Undo the normalization (x = mean + y * std for standard).")
    boolean invert;

    @Option(names = "--dtype", paramLabel = "float32|float64",
            description = ".npy output dtype. Default: the input's.")
    String dtype;

    @Option(names = "--compression", paramLabel = "CODEC",
            description = "Parquet output codec: uncompressed, snappy, gzip or zstd. Default: the input's.")
    String compression;

    @Option(names = "--float-format", paramLabel = "FMT",
            description = "How CSV output prints computed values: repr (Python's repr: shortest round-trip), or "
                    + "%.Nf, %.Ne, %.Ng as Python's printf-style formatting (pandas' float_format). Default: repr.")
    String floatFormat;

    @Option(names = "--precision", paramLabel = "N",
            description = "CSV output with N significant digits: the same as --float-format %.Ng.")
    Integer precision;

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
        floatFormat(); // a usage error before anything is read
        if (AtomicOutput.isStdout(input) && AtomicOutput.isStdout(statsPath)) {
            throw new ParameterException(spec.commandLine(), "INPUT and --stats are both '-': expected standard "
                    + "input for one of them at most");
        }
        AtomicOutput.check(out, input, statsPath); // before reading anything
        FitCommand.checkInput(statsPath);
        FitCommand.checkInput(input);
        boolean parquetIn = ParquetReader.isParquet(input);
        boolean npyIn = !parquetIn && NpyReader.isNpy(input);
        String outName = AtomicOutput.isStdout(out) ? null : out.getFileName().toString().toLowerCase(Locale.ROOT);
        if (outName != null && (npyIn != outName.endsWith(".npy") || parquetIn != outName.endsWith(".parquet"))) {
            // a .csv.gz output is CSV
            String ext = npyIn ? ".npy" : ".parquet";
            throw new ParameterException(spec.commandLine(), "--out " + out + ": the output has the input's format ("
                    + (npyIn ? ".npy" : parquetIn ? "Parquet" : "CSV") + "): expected a name "
                    + (npyIn || parquetIn ? "ending in " + ext : "not ending in .npy or .parquet"));
        }
        org.apache.parquet.hadoop.metadata.CompressionCodecName codec = codec(parquetIn);
        StatsFile stats = MergeCommand.read(statsPath);
        if (invert && stats.method() == ScalingMethod.NORMALIZE) {
            throw new ParameterException(spec.commandLine(), "--invert with " + statsPath + " of method normalize: "
                    + "expected a feature scaler (a row normalization cannot be undone: the norms are not kept)");
        }
        long t0 = System.nanoTime();
        BadRows bad = new BadRows(in.skipBadRows, "wrote %,d bad cell%s as nan (rows are never dropped)");
        long rows = parquetIn ? parquet(stats, codec) : npyIn ? npy(stats) : csv(stats, bad);
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
        CsvFormat format;
        try {
            delim = in.delimiter(input, stats.input().delimiter());
            format = in.format(delim, in.header != null ? in.header : Boolean.valueOf(stats.input().header()),
                    stats.input().csv(), spec.commandLine().getErr());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        Apply scaler = new Apply(stats, invert);
        long written;
        try (CsvReader r = CsvReader.open(input, format)) {
            checkColumns(stats, r.columns(), r.header());
            int[] feature = new int[r.columns()];
            Arrays.fill(feature, -1);
            int[] cols = stats.columns();
            for (int j = 0; j < cols.length; j++) {
                feature[cols[j]] = j;
            }
            String nl = r.lineEnding();
            int threads;
            try {
                threads = in.threads();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            Rows text = new Rows(feature, scaler, delim, nl, format.charset(), floatFormat());
            BadRows strict = new BadRows(false);
            try (AtomicOutput ao = AtomicOutput.create(out)) {
                try (OutputStream w = gzipped(out) ? new GZIPOutputStream(ao.stream(), 1 << 16)
                        : new BufferedOutputStream(ao.stream(), 1 << 16);
                        Progress p = Progress.start(Progress.wanted(in.progress), invert ? "invert" : "transform",
                                r.sizeBytes(), " MiB", 1 << 20, true)) {
                    if (r.headerLine() != null) {
                        w.write((r.headerLine() + nl).getBytes(format.charset()));
                    }
                    long[] rows = {0};
                    CsvBlocks.Sink<Rows.Out> sink = o -> {
                        try {
                            w.write(o.bytes());
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                        rows[0] += o.rows();
                        p.stepTo(r.bytesRead());
                        p.rows(rows[0]);
                    };
                    r.stopAfterPending();
                    sink.accept(text.write(r, bad));
                    CsvBlocks.run(r, threads, b -> text.write(b, strict), b -> text.write(b, bad), sink);
                    p.stepTo(r.sizeBytes());
                    p.rows(rows[0]);
                    written = rows[0];
                } catch (IOException e) {
                    throw new CliException(out + ": write error (" + e.getMessage() + ")", e);
                } catch (UncheckedIOException e) {
                    throw new CliException(out + ": write error (" + e.getCause().getMessage() + ")", e);
                }
                ao.commit();
            }
        }
        return written;
    }

    /** The output text of a block of records: fitted cells scaled, the rest as read; rows are never dropped. */
    private record Rows(int[] feature, Apply scaler, char delim, String nl, java.nio.charset.Charset charset,
            FloatFormat fmt) {
        /** What a fitted cell holds: a number to scale, a missing token to keep as written, or a bad cell. */
        private static final byte NUMBER = 0;
        private static final byte MISSING = 1;
        private static final byte BAD = 2;

        record Out(byte[] bytes, long rows) {
        }

        /**
         * Every record of {@code r}, encoded: the fitted values of a record scaled together (a row norm needs
         * them all), the other cells as read; a bad cell goes to {@code bad} and is written as nan.
         */
        Out write(CsvReader r, BadRows bad) {
            StringBuilder sb = new StringBuilder(1 << 16);
            double[] values = new double[scaler.features()];
            byte[] kind = new byte[values.length];
            long rows = 0;
            while (r.next()) {
                r.requireWellFormed(); // a row is never dropped: a malformed one is an error
                for (int c = 0; c < feature.length; c++) {
                    int j = feature[c];
                    if (j < 0) {
                        continue;
                    }
                    try {
                        values[j] = r.number(c);
                        kind[j] = Double.isNaN(values[j]) ? MISSING : NUMBER;
                    } catch (BadRowException e) {
                        bad.handle(e);
                        values[j] = Double.NaN;
                        kind[j] = BAD;
                    }
                }
                scaler.row(values);
                for (int c = 0; c < feature.length; c++) {
                    if (c > 0) {
                        sb.append(delim);
                    }
                    int j = feature[c];
                    if (j < 0 || kind[j] == MISSING) {
                        r.appendRawField(sb, c); // pass-through cells and missing tokens stay as written
                    } else if (kind[j] == BAD) {
                        sb.append("nan");
                    } else {
                        fmt.append(sb, values[j]);
                    }
                }
                sb.append(nl);
                rows++;
            }
            return new Out(sb.toString().getBytes(charset), rows);
        }
    }

    private FloatFormat floatFormat() {
        try {
            if (floatFormat != null && precision != null) {
                throw new IllegalArgumentException("--float-format and --precision both given: expected one");
            }
            return precision != null ? FloatFormat.precision(precision)
                    : floatFormat != null ? FloatFormat.parse(floatFormat) : FloatFormat.REPR;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), (floatFormat != null && precision == null
                    ? "--float-format " : "") + e.getMessage());
        }
    }

    /** Whether an output is written gzip-compressed: its name ends in {@code .gz}. */
    static boolean gzipped(Path file) {
        return !AtomicOutput.isStdout(file) && file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".gz");
    }

    private long npy(StatsFile stats) {
        Apply scaler = new Apply(stats, invert);
        try (NpyReader r = NpyReader.open(input, in.array)) {
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

        /** Number of features. */
        int features() {
            return identity.length;
        }

        /** Transforms one row of the features' values in place. */
        void row(double[] values) {
            apply(values, 1, values.length, identity);
        }
    }

    /** The Parquet output codec of --compression (null: the input's); a usage error for a non-Parquet input. */
    private org.apache.parquet.hadoop.metadata.CompressionCodecName codec(boolean parquetIn) {
        if (compression == null) {
            return null;
        }
        if (!parquetIn) {
            throw new ParameterException(spec.commandLine(), "--compression " + compression + ": only for a "
                    + "Parquet output (a .gz name compresses CSV)");
        }
        for (var c : org.norm4j.cli.io.ParquetCodecs.SUPPORTED) {
            if (c.name().equalsIgnoreCase(compression) || c == org.apache.parquet.hadoop.metadata
                    .CompressionCodecName.UNCOMPRESSED && compression.equalsIgnoreCase("none")) {
                return c;
            }
        }
        throw new ParameterException(spec.commandLine(), "--compression '" + compression + "': expected one of "
                + org.norm4j.cli.io.ParquetCodecs.names());
    }

    private long parquet(StatsFile stats, org.apache.parquet.hadoop.metadata.CompressionCodecName codec) {
        Apply scaler = new Apply(stats, invert);
        try (ParquetReader r = ParquetReader.open(input)) {
            checkColumns(stats, r.columns(), r.names());
            int c = r.columns();
            int[] cols = stats.columns();
            int f = cols.length;
            ParquetReader.Kind[] kinds = new ParquetReader.Kind[f];
            int[] feature = new int[c];
            Arrays.fill(feature, -1);
            boolean[] f32 = new boolean[f];
            for (int j = 0; j < f; j++) {
                kinds[j] = r.kind(cols[j]);
                feature[cols[j]] = j;
                f32[j] = dtype == null ? kinds[j] == ParquetReader.Kind.FLOAT : dtype.equals("float32");
            }
            java.util.List<org.apache.parquet.schema.Type> fields = new java.util.ArrayList<>();
            for (int k = 0; k < c; k++) {
                org.apache.parquet.schema.Type t = r.schema().getType(k);
                int j = feature[k];
                fields.add(j < 0 ? t : org.apache.parquet.schema.Types.primitive(f32[j]
                        ? org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.FLOAT
                        : org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName.DOUBLE, t.getRepetition())
                        .named(t.getName()));
            }
            var schema = new org.apache.parquet.schema.MessageType(r.schema().getName(), fields);
            int chunk = (int) Math.max(1, Math.min(FitCommand.chunk(chunkRows, f), r.rows()));
            double[] buf = new double[chunk * f];
            boolean[] nulls = new boolean[chunk * f];
            int[] identity = new int[f];
            Arrays.setAll(identity, j -> j);
            org.apache.parquet.column.ColumnReader[] readers = new org.apache.parquet.column.ColumnReader[c];
            org.norm4j.cli.io.ParquetNumbers[] numbers = new org.norm4j.cli.io.ParquetNumbers[f];
            try (AtomicOutput ao = AtomicOutput.create(out)) {
                try (OutputStream os = new BufferedOutputStream(ao.stream(), 1 << 16);
                        ParquetOutput w = new ParquetOutput(os, schema, codec != null ? codec : r.codec(),
                                fittedNames(r.names(), cols));
                        Progress p = Progress.start(Progress.wanted(in.progress), invert ? "invert" : "transform",
                                r.rows(), " rows", 1, true)) {
                    long done = 0;
                    while (r.nextGroup()) {
                        for (int k = 0; k < c; k++) { // fitted columns as numbers, the others copied as they are
                            if (feature[k] < 0) {
                                readers[k] = r.column(k);
                            } else {
                                numbers[feature[k]] = r.numbers(k);
                            }
                        }
                        for (long left = r.groupRows(); left > 0; ) {
                            int n = (int) Math.min(chunk, left);
                            for (int j = 0; j < f; j++) {
                                r.read(cols[j], numbers[j], buf, j, f, n, nulls);
                            }
                            scaler.apply(buf, n, f, identity);
                            for (int i = 0; i < n; i++) {
                                for (int k = 0; k < c; k++) {
                                    int j = feature[k];
                                    if (j < 0) {
                                        r.copy(k, readers[k], w.column(k));
                                    } else if (nulls[i * f + j]) {
                                        w.column(k).writeNull(0, 0); // a null stays null
                                    } else if (f32[j]) {
                                        w.column(k).write((float) buf[i * f + j], 0, r.descriptor(k)
                                                .getMaxDefinitionLevel());
                                    } else {
                                        w.column(k).write(buf[i * f + j], 0, r.descriptor(k).getMaxDefinitionLevel());
                                    }
                                }
                                w.endRecord();
                            }
                            left -= n;
                            done += n;
                            p.stepTo(done);
                        }
                        w.endGroup(); // the input's row groups (split where they pass 64 MiB)
                    }
                    w.finish();
                } catch (IOException e) {
                    throw new CliException(out + ": write error (" + e.getMessage() + ")", e);
                }
                ao.commit();
            }
            return r.rows();
        }
    }

    private static java.util.Set<String> fittedNames(String[] names, int[] cols) {
        java.util.Set<String> out = new java.util.HashSet<>();
        for (int c : cols) {
            out.add(names[c]);
        }
        return out;
    }
}
