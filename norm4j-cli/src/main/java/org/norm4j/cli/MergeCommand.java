package org.norm4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.norm4j.cli.io.AtomicOutput;
import org.norm4j.files.InputFile;
import org.norm4j.stats.io.StatsFile;
import org.norm4j.stats.io.StatsFileException;
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
            files.add(read(p));
        }
        StatsFile whole = files.get(0);
        for (int i = 1; i < files.size(); i++) {
            try {
                whole = whole.merge(files.get(i));
            } catch (IllegalArgumentException e) {
                throw new CliException(parts.get(i) + ": " + e.getMessage() + " (as in " + parts.get(0) + ")", e);
            }
        }
        StreamingMoments merged = whole.moments();
        AtomicOutput.write(out, whole.toJson(Main.versionString()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        FitCommand.summary(spec, out).printf(Locale.ROOT, "merged %d stats files: %,d rows x %d features -> %s%n",
                files.size(), merged.count(), whole.features(), out);
        FitCommand.summary(spec, out).flush();
        return 0;
    }

    /** Reads a stats file, its failures as one-line command errors. */
    static StatsFile read(Path p) {
        try {
            return StatsFile.read(p);
        } catch (StatsFileException e) {
            throw new CliException(e.getMessage(), e);
        } catch (IOException e) {
            throw new CliException(InputFile.message(p, e), e);
        }
    }
}
