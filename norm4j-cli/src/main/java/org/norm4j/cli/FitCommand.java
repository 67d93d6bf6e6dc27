package org.norm4j.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.norm4j.cli.io.AtomicOutput;
import org.norm4j.cli.io.BadRowException;
import org.norm4j.cli.io.CsvBlocks;
import org.norm4j.cli.io.CsvReader;
import org.norm4j.cli.io.NpyReader;
import org.norm4j.cli.io.ParquetReader;
import org.norm4j.files.InputFile;
import org.norm4j.files.Text;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.ZeroVariancePolicy;
import org.norm4j.stats.io.StatsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code norm4j fit}: per-feature statistics of a CSV, .npy or Parquet file, streamed, saved as a JSON file. */
@Command(name = "fit", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = {"Fit per-feature statistics of a CSV, .npy or Parquet file into a JSON stats file.", "",
            "Fit per-feature statistics (count, mean, variance, min, max; median and quantiles for robust) of a "
                + "CSV, .npy or Parquet file, streaming it in bounded memory, and save them as a versioned JSON stats "
                + "file for 'norm4j transform' and 'norm4j merge'. Everything is computed in float64. Missing "
                + "values (NaN) are ignored, as in scikit-learn (--nan-policy)."},
        footerHeading = "%nExamples:%n",
        footer = {"  norm4j fit data.csv --out stats.json",
            "  norm4j fit data.csv --columns price,weight --method minmax --out stats.json",
            "  norm4j fit data.csv --no-header --columns 2-5 --ddof 1 --out stats.json",
            "  norm4j fit features.npy --zero-variance sklearn --out stats.json",
            "  norm4j fit iris.csv --skip-rows 1 --no-header -c 1-4 --out stats.json",
            "  norm4j fit export.csv.gz --comment '#' --na-values 'NA,-999' --encoding ISO-8859-1 --out stats.json",
            "  norm4j fit data.npz --array features --out stats.json",
            "  norm4j fit data.parquet --columns price,weight --out stats.json",
            "  norm4j fit data.csv --method robust --quantile-range 10,90 --out stats.json",
            "  norm4j fit data.csv --method minmax --feature-range -1,1 --clip --out stats.json",
            "", "Exit codes: 0 success, 1 failure (bad input, missing file), 2 usage error."})
final class FitCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "INPUT", description = "A CSV/TSV file (gzip-compressed or not), a .npy "
            + "file (1-D or 2-D, float, int or bool, C or Fortran order), a .npz archive or a Parquet file, "
            + "recognized by name or content; '-' is standard input (CSV).")
    Path input;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "STATS.json",
            description = "The stats file to write (written to a temporary file, then renamed).")
    Path out;

    @Option(names = {"-m", "--method"}, defaultValue = "standard", paramLabel = "METHOD",
            description = "standard: (x - mean) / std; minmax: (x - min) / (max - min) mapped to --feature-range; "
                    + "maxabs: x / max(|min|, |max|); robust: (x - median) / (q_hi - q_lo); normalize: each row "
                    + "divided by its --norm. As scikit-learn's StandardScaler, MinMaxScaler, MaxAbsScaler, "
                    + "RobustScaler, Normalizer. Default: ${DEFAULT-VALUE}.")
    String method;

    @Mixin
    ScalerOptions scalerOptions;

    @Option(names = {"-c", "--columns"}, paramLabel = "LIST",
            description = "Columns to fit: names and/or 1-based numbers and ranges, e.g. 'age,income' or '1,3-5'. "
                    + "Default: all. Other columns pass through 'transform' unchanged.")
    String columns;

    @Option(names = "--ddof", defaultValue = "0", paramLabel = "0|1",
            description = "Variance estimator: 0 population M2/n (Keras, TensorFlow, scikit-learn), 1 sample "
                    + "M2/(n-1) (Spark MLlib, pandas). Default: ${DEFAULT-VALUE}.")
    int ddof;

    @Option(names = "--zero-variance", paramLabel = "POLICY",
            description = "What a zero-spread feature becomes: keras (divide by 1e-7), sklearn (divide by 1), "
                    + "spark (0, or 0.5 for minmax). Default: keras for standard, sklearn for minmax and maxabs.")
    String zeroVariance;

    @Option(names = "--chunk-rows", defaultValue = "4096", paramLabel = "N",
            description = "Rows accumulated per chunk (memory bound). Default: ${DEFAULT-VALUE}.")
    int chunkRows;

    @Mixin
    InputOptions in;

    /** The header guess of a CSV input, reported after a successful fit (null when given). */
    private String guess;

    @Override
    public Integer call() {
        ScalingMethod m = parse(() -> ScalingMethod.parse(method), "--method");
        StatsFile.Options options = parse(() -> scalerOptions.options(m), "--method " + m.configName());
        ZeroVariancePolicy policy = zeroVariance == null ? m.defaultPolicy()
                : parse(() -> ZeroVariancePolicy.parse(zeroVariance), "--zero-variance");
        if (ddof != 0 && ddof != 1) {
            throw new ParameterException(spec.commandLine(), "--ddof " + ddof + ": expected 0 or 1");
        }
        if (chunkRows < 1) {
            throw new ParameterException(spec.commandLine(), "--chunk-rows " + chunkRows + ": expected >= 1");
        }
        AtomicOutput.check(out, input); // before reading anything
        checkInput(input);
        long t0 = System.nanoTime();
        BadRows bad = new BadRows(in.skipBadRows);
        long budget = parse(() -> scalerOptions.memoryBudgetBytes(), "--memory-budget");
        int sketchK = parse(() -> scalerOptions.sketchK(), "--sketch-k");
        Fitting fitting = new Fitting(m, options, ddof, policy, scalerOptions.nanPolicy(), budget, sketchK,
                input.toString(), spec.commandLine().getErr());
        StatsFile stats = ParquetReader.isParquet(input) ? fitParquet(fitting)
                : NpyReader.isNpy(input) ? fitNpy(fitting) : fitCsv(fitting, bad);
        if (ddof >= stats.moments().count()) {
            throw new CliException(input + ": " + stats.moments().count() + " row" + (stats.moments().count() == 1
                    ? "" : "s") + " with --ddof " + ddof + ": expected more rows than ddof (the sample variance "
                    + "needs 2)");
        }
        AtomicOutput.write(out, stats.toJson(Main.versionString()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        double seconds = (System.nanoTime() - t0) / 1e9;
        PrintWriter err = spec.commandLine().getErr();
        bad.report(err);
        if (guess != null) {
            err.println("norm4j fit: " + Text.escape(input.toString()) + ": " + guess);
            err.flush();
        }
        fitting.warnConstant(stats, err);
        long rows = stats.moments().count();
        summary(spec, out).printf(Locale.ROOT,
                "fit %s: %,d rows x %d feature%s of %s in %.2f s (%,.0f rows/s) -> %s%n", m.configName(),
                rows, stats.features(), stats.features() == 1 ? "" : "s", input, seconds,
                rows / Math.max(seconds, 1e-9), out);
        summary(spec, out).flush();
        return 0;
    }

    /** Where the one-line summary goes: stdout, or stderr when the output itself is stdout. */
    static PrintWriter summary(CommandSpec spec, Path out) {
        return AtomicOutput.isStdout(out) ? spec.commandLine().getErr() : spec.commandLine().getOut();
    }

    /** Checks that an input can be read: exists, is not a directory, is readable ({@code -} is stdin). */
    static void checkInput(Path file) {
        try {
            InputFile.check(file);
        } catch (java.io.IOException e) {
            throw new CliException(InputFile.message(file, e), e);
        }
    }

    private <T> T parse(java.util.function.Supplier<T> f, String option) {
        try {
            return f.get();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), option + ": " + e.getMessage());
        }
    }

    /** Rows per chunk: the option, capped so that one chunk holds at most 2^20 values (8 MiB). */
    static int chunk(int chunkRows, int features) {
        return Math.max(1, Math.min(chunkRows, (1 << 20) / features));
    }

    private StatsFile fitCsv(Fitting fit, BadRows bad) {
        char delim = delimiter();
        org.norm4j.cli.io.CsvFormat format;
        try {
            format = in.format(delim, in.header);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        try (CsvReader r = CsvReader.open(input, format)) {
            try {
                StatsFile s = fitCsv(r, fit, bad, delim, format);
                guess = r.guess();
                return s;
            } catch (CliException e) {
                if (r.guess() == null) {
                    throw e;
                }
                throw new CliException(e.getMessage() + " [" + r.guess() + "]", e);
            }
        }
    }

    private StatsFile fitCsv(CsvReader r, Fitting fit, BadRows bad, char delim,
            org.norm4j.cli.io.CsvFormat format) {
        int[] cols = Columns.resolve(columns, r.header(), r.columns(), input.toString());
        int f = cols.length;
        int threads;
        try {
            threads = in.threads();
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        fit.start(f);
        int chunk = chunk(chunkRows, f);
        double[] buf = new double[chunk * f];
        int[] n = {0};
        long[] total = {0};
        BadRows strict = new BadRows(false);
        try (Progress p = Progress.start(Progress.wanted(in.progress), "fit", r.sizeBytes(), " MiB", 1 << 20,
                true)) {
            CsvBlocks.Sink<double[]> sink = values -> { // rows in file order, chunked by count: thread-independent
                for (int i = 0; i < values.length; i += f) {
                    System.arraycopy(values, i, buf, n[0] * f, f);
                    if (++n[0] == chunk) {
                        fit.update(buf, chunk);
                        total[0] += chunk;
                        n[0] = 0;
                    }
                }
                p.stepTo(r.bytesRead());
                p.rows(total[0] + n[0]);
            };
            r.stopAfterPending();
            sink.accept(rows(r, cols, bad));
            CsvBlocks.run(r, threads, b -> rows(b, cols, strict), b -> rows(b, cols, bad), sink);
            fit.update(buf, n[0]);
            total[0] += n[0];
            p.stepTo(r.sizeBytes());
            p.rows(total[0]);
        }
        long rows = total[0];
        if (rows == 0) {
            throw new CliException(input + ": no data rows" + (bad.count() > 0 ? " (all " + bad.count()
                    + " rows were bad and skipped)" : r.header() != null ? " (only a header)" : ""));
        }
        String[] header = r.header();
        String[] names = new String[f];
        for (int k = 0; k < f; k++) {
            names[k] = header == null ? null : header[cols[k]];
        }
        StatsFile.Input layout = new StatsFile.Input("csv", r.columns(), header != null,
                InputOptions.delimiterName(delim), InputOptions.recorded(format, r.guess() != null));
        return fit.result(layout, cols, names, bad.count());
    }

    /** The fitted values of every good record {@code r} returns, row after row; bad rows go to {@code bad}. */
    private static double[] rows(CsvReader r, int[] cols, BadRows bad) {
        int f = cols.length;
        double[] v = new double[f * 64];
        int k = 0;
        while (r.next()) {
            try {
                r.requireWellFormed();
                if (k + f > v.length) {
                    v = Arrays.copyOf(v, v.length * 2);
                }
                for (int j = 0; j < f; j++) {
                    v[k + j] = r.number(cols[j]);
                }
                k += f;
            } catch (BadRowException e) {
                bad.handle(e);
            }
        }
        return Arrays.copyOf(v, k);
    }

    private char delimiter() {
        try {
            return in.delimiter(input, null);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
    }

    private StatsFile fitNpy(Fitting fit) {
        try (NpyReader r = NpyReader.open(input, in.array)) {
            int[] cols = Columns.resolve(columns, null, r.columns(), input.toString());
            int f = cols.length;
            int c = r.columns();
            if (r.rows() == 0) { // before allocating anything from the declared column count
                throw new CliException(input + ": no data rows (shape (0, " + c + "))");
            }
            fit.start(f);
            int chunk = (int) Math.min(chunk(chunkRows, c), r.rows());
            double[] raw = new double[chunk * c];
            double[] buf = cols.length == c && isIdentity(cols) ? raw : new double[chunk * f];
            try (Progress p = Progress.start(Progress.wanted(in.progress), "fit", r.rows(), " rows", 1, true)) {
                int n;
                while ((n = r.read(raw, chunk)) > 0) {
                    if (buf != raw) {
                        for (int i = 0; i < n; i++) {
                            for (int k = 0; k < f; k++) {
                                buf[i * f + k] = raw[i * c + cols[k]];
                            }
                        }
                    }
                    fit.update(buf, n);
                    p.stepTo(r.rowsRead());
                }
            }
            if (r.rows() == 0) {
                throw new CliException(input + ": no data rows (shape (0, " + c + "))");
            }
            StatsFile.Input layout = new StatsFile.Input("npy", c, false, null);
            return fit.result(layout, cols, new String[f], 0);
        }
    }

    static boolean isIdentity(int[] cols) {
        for (int i = 0; i < cols.length; i++) {
            if (cols[i] != i) {
                return false;
            }
        }
        return true;
    }

    private StatsFile fitParquet(Fitting fit) {
        try (ParquetReader r = ParquetReader.open(input)) {
            String[] header = r.names();
            int[] cols = Columns.resolve(columns, header, r.columns(), input.toString());
            int f = cols.length;
            for (int k = 0; k < f; k++) {
                r.kind(cols[k]); // a non-numeric column is an error before anything is read
            }
            if (r.rows() == 0) {
                throw new CliException(input + ": no data rows");
            }
            fit.start(f);
            // chunks of up to 2^18 values (the file's order; any chunking gives the same exact moments), decoded
            // on a second thread while this one accumulates the previous chunk (one thread: in turn)
            int chunk = (int) Math.max(1, Math.min(Math.min(1 << 16, (1 << 18) / f), r.rows()));
            double[][] bufs = {new double[chunk * f], new double[chunk * f]};
            int threads;
            try {
                threads = in.threads();
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), e.getMessage());
            }
            java.util.concurrent.ExecutorService decoder = threads < 2 ? null
                    : java.util.concurrent.Executors.newSingleThreadExecutor(t -> {
                        Thread th = new Thread(t, "norm4j-parquet");
                        th.setDaemon(true);
                        return th;
                    });
            try (Progress p = Progress.start(Progress.wanted(in.progress), "fit", r.rows(), " rows", 1, true)) {
                long done = 0;
                int cur = 0;
                java.util.concurrent.Future<Integer> next = decode(decoder, r, cols, bufs[0], chunk);
                for (int n; (n = await(next)) > 0; ) {
                    double[] ready = bufs[cur];
                    cur ^= 1;
                    next = decode(decoder, r, cols, bufs[cur], chunk);
                    fit.update(ready, n);
                    done += n;
                    p.stepTo(done);
                }
            } finally {
                if (decoder != null) {
                    decoder.shutdownNow();
                }
            }
            String[] names = new String[f];
            for (int k = 0; k < f; k++) {
                names[k] = header[cols[k]];
            }
            StatsFile.Input layout = new StatsFile.Input("parquet", r.columns(), true, null);
            return fit.result(layout, cols, names, 0);
        }
    }

    /** Decodes the next rows into {@code buf}: on {@code decoder}, or now when it is null. */
    private static java.util.concurrent.Future<Integer> decode(java.util.concurrent.ExecutorService decoder,
            ParquetReader r, int[] cols, double[] buf, int max) {
        if (decoder == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(r.fill(cols, buf, max));
        }
        return decoder.submit(() -> r.fill(cols, buf, max));
    }

    private static int await(java.util.concurrent.Future<Integer> f) {
        try {
            return f.get();
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            if (e.getCause() instanceof Error) {
                throw (Error) e.getCause();
            }
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }
}
