package org.norm4j.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.norm4j.cli.io.AtomicOutput;
import org.norm4j.cli.stats.StatsFile;
import org.norm4j.stats.StreamingMoments;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code norm4j merge}: the statistics of a whole from those of its parts (Chan et al.'s pairwise merge). */
@Command(name = "merge", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        sortOptions = false,
        description = {"Merge stats files fitted on parts into the stats of the whole.", "",
            "Combine stats files fitted on parts of a data set (shards, days, workers) into the stats "
                + "of the whole, exactly to rounding: counts add, and means and centred sums of squares combine "
                + "with the pairwise formula of Chan, Golub and LeVeque. The parts must share the method, ddof, "
                + "zero-variance policy and column layout."},
        footerHeading = "%nExamples:%n",
        footer = {"  norm4j fit part1.csv --out s1.json && norm4j fit part2.csv --out s2.json",
            "  norm4j merge s1.json s2.json --out stats.json",
            "", "Exit codes: 0 success, 1 failure (missing file, incompatible stats), 2 usage error."})
final class MergeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "STATS", description = "Stats files to merge.")
    List<Path> parts;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "STATS.json",
            description = "The merged stats file (written to a temporary file, then renamed).")
    Path out;

    @Override
    public Integer call() {
        if (parts.stream().filter(AtomicOutput::isStdout).count() > 1) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(), "'-' given more than once: "
                    + "expected standard input for one part at most");
        }
        AtomicOutput.check(out, parts.toArray(new Path[0])); // before reading anything
        List<StatsFile> files = new ArrayList<>();
        for (Path p : parts) {
            files.add(StatsFile.read(p));
        }
        StatsFile first = files.get(0);
        StreamingMoments merged = first.moments();
        long skipped = first.skippedRows();
        List<String> sources = new ArrayList<>(first.sources());
        for (int i = 1; i < files.size(); i++) {
            StatsFile f = files.get(i);
            checkCompatible(first, parts.get(0), f, parts.get(i));
            try {
                Math.addExact(merged.count(), f.moments().count());
                skipped = Math.addExact(skipped, f.skippedRows());
            } catch (ArithmeticException e) {
                throw new CliException(parts.get(i) + ": merging its rows makes more than " + Long.MAX_VALUE
                        + " rows: expected a total that fits in a long");
            }
            merged.merge(f.moments());
            sources.addAll(f.sources());
        }
        StatsFile whole = new StatsFile(first.method(), first.ddof(), first.policy(), first.input(), first.columns(),
                first.names(), merged, skipped, sources);
        whole.write(out, Main.versionString());
        FitCommand.summary(spec, out).printf(Locale.ROOT, "merged %d stats files: %,d rows x %d features -> %s%n",
                files.size(), merged.count(), whole.features(), out);
        FitCommand.summary(spec, out).flush();
        return 0;
    }

    private static void checkCompatible(StatsFile a, Path pa, StatsFile b, Path pb) {
        same("method", a.method().configName(), b.method().configName(), pa, pb);
        same("ddof", a.ddof(), b.ddof(), pa, pb);
        same("zero_variance_policy", a.policy().configName(), b.policy().configName(), pa, pb);
        same("input kind", a.input().kind(), b.input().kind(), pa, pb);
        same("number of input columns", a.input().columns(), b.input().columns(), pa, pb);
        same("input header", a.input().header(), b.input().header(), pa, pb);
        same("input delimiter", a.input().delimiter(), b.input().delimiter(), pa, pb);
        same("number of features", a.features(), b.features(), pa, pb);
        if (!Arrays.equals(a.columns(), b.columns())) {
            throw new CliException(pb + ": fitted columns " + oneBased(b.columns()) + ", but " + pa + " has "
                    + oneBased(a.columns()) + ": expected the same columns");
        }
        if (!Arrays.equals(a.names(), b.names())) {
            throw new CliException(pb + ": feature names " + Arrays.toString(b.names()) + ", but " + pa + " has "
                    + Arrays.toString(a.names()) + ": expected the same names");
        }
    }

    private static void same(String what, Object x, Object y, Path pa, Path pb) {
        if (!Objects.equals(x, y)) {
            throw new CliException(pb + ": " + what + " " + y + ", but " + pa + " has " + x + ": expected the same "
                    + what + " in every part");
        }
    }

    private static String oneBased(int[] cols) {
        int[] c = cols.clone();
        for (int i = 0; i < c.length; i++) {
            c[i]++;
        }
        return Arrays.toString(c);
    }
}
