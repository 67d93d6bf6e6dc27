package org.norm4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.norm4j.Tensor;
import org.norm4j.cli.demo.DemoReport;
import org.norm4j.cli.demo.Variant;
import org.norm4j.cli.demo.VariantResult;
import org.norm4j.data.Mnist;
import org.norm4j.initializers.Seeds;
import org.norm4j.Norm4j;
import org.norm4j.layers.Layer;
import org.norm4j.stats.ZeroVariancePolicy;
import org.norm4j.models.Callback;
import org.norm4j.models.FitOptions;
import org.norm4j.models.Sequential;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code norm4j demo}: the seed's MNIST model trained with and without normalization, side by side. */
@Command(name = "demo", mixinStandardHelpOptions = true, versionProvider = Main.Version.class, sortOptions = false,
        description = {"Train the seed's MNIST model with and without normalization and compare.", "",
            "Trains the seed's model (784 -> Dense(128, relu) -> Dense(10, softmax), Adam, categorical "
                + "cross-entropy) on the same raw pixels, seed and batch order in several variants: none, "
                + "standardize (the seed's first example, Normalization.adapt), batchnorm (the seed's second "
                + "example), layernorm (built in), seed-layernorm (the seed's user-written class) and groupnorm. "
                + "Shows a live progress bar per epoch, prints a results table, and writes a PNG chart of loss and "
                + "held-out accuracy per epoch, the numbers as CSV and report.md into --out."},
        footerHeading = "%nExamples:%n",
        footer = {"  norm4j demo",
            "  norm4j demo --epochs 10 --variants none,batchnorm --out /tmp/bn",
            "  norm4j demo --data /usr/share/datasets/fashion-mnist --threads 2",
            "", "Exit codes: 0 success, 1 failure (unreadable data, unwritable --out), 2 usage error."})
final class DemoCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--data", paramLabel = "DIR",
            description = "A directory with MNIST-format IDX files (train-images-idx3-ubyte[.gz], ...), e.g. full "
                    + "MNIST or Fashion-MNIST. Default: the embedded 10 000-digit MNIST sample (8000 train, 2000 "
                    + "held out).")
    Path data;

    @Option(names = {"-e", "--epochs"}, defaultValue = "5", paramLabel = "N",
            description = "Epochs per variant. Default: ${DEFAULT-VALUE}.")
    int epochs;

    @Option(names = {"-b", "--batch-size"}, defaultValue = "32", paramLabel = "N",
            description = "Batch size (Keras's default). Default: ${DEFAULT-VALUE}.")
    int batchSize;

    @Option(names = "--seed", defaultValue = "42", paramLabel = "N",
            description = "Global seed: weight initialization and batch order. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = "--variants", defaultValue = "all", paramLabel = "LIST",
            description = "Comma-separated variants: none, standardize, batchnorm, layernorm, seed-layernorm, "
                    + "groupnorm, or all. Default: ${DEFAULT-VALUE}.")
    String variants;

    @Option(names = {"-o", "--out"}, defaultValue = "norm4j-demo", paramLabel = "DIR",
            description = "Where to write norm4j-demo.png, norm4j-demo.csv and report.md (created if needed). "
                    + "Default: ./${DEFAULT-VALUE}.")
    Path out;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads for the kernels. Default: the number of processors.")
    Integer threads;

    @Option(names = "--zero-variance", defaultValue = "keras", paramLabel = "POLICY",
            description = "Zero-variance policy of the standardize variant's Normalization layer (pixels that are "
                    + "always 0 in training): keras (divide by 1e-7), sklearn (by 1), spark (output 0). "
                    + "Default: ${DEFAULT-VALUE}.")
    String zeroVariance;

    @Option(names = "--progress", negatable = true,
            description = "Draw a progress bar per epoch on stderr. Default: only in a terminal; otherwise one "
                    + "line per epoch.")
    Boolean progress;

    @Override
    public Integer call() {
        List<Variant> chosen;
        ZeroVariancePolicy policy;
        try {
            chosen = Variant.parse(variants);
            policy = ZeroVariancePolicy.parse(zeroVariance);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        if (epochs < 1 || batchSize < 1 || (threads != null && threads < 1)) {
            throw new ParameterException(spec.commandLine(), "--epochs, --batch-size and --threads must be >= 1");
        }
        if (Files.exists(out) && !Files.isDirectory(out)) {
            throw new CliException(out + ": exists and is not a directory: expected a directory for --out");
        }
        try { // the output directory is checked before any data is read
            Files.createDirectories(out);
        } catch (java.io.IOException e) {
            throw new CliException(out + ": cannot create the output directory (" + e.getMessage() + ")", e);
        }
        for (String name : new String[] {DemoReport.CHART, DemoReport.CSV, DemoReport.REPORT}) {
            org.norm4j.cli.io.AtomicOutput.check(out.resolve(name));
        }
        if (threads != null) {
            Norm4j.setThreads(threads);
        }
        PrintWriter o = spec.commandLine().getOut();
        Mnist mnist = load();
        Tensor xTrain = mnist.xTrain();
        Tensor yTrain = Mnist.oneHot(mnist.yTrain(), 10);
        Tensor xTest = mnist.xTest();
        Tensor yTest = Mnist.oneHot(mnist.yTest(), 10);
        String dataName = data == null ? "the embedded MNIST sample" : data.toString();
        o.printf(Locale.ROOT, "norm4j demo: %d variant%s x %d epochs on %s (%,d train / %,d held-out images), "
                + "batch %d, seed %d, %d thread%s%n", chosen.size(), chosen.size() == 1 ? "" : "s", epochs, dataName,
                xTrain.shape().dim(0), xTest.shape().dim(0), batchSize, seed, Norm4j.threads(),
                Norm4j.threads() == 1 ? "" : "s");
        o.flush();
        long t0 = System.nanoTime();
        boolean bars = Progress.wanted(progress);
        List<VariantResult> results = new ArrayList<>();
        for (Variant v : chosen) {
            Layer.clearSession();
            Seeds.setGlobalSeed(seed);
            Sequential model = v.model(xTrain, policy);
            model.compile("adam", "categorical_crossentropy", "accuracy");
            VariantResult r = new VariantResult(v, summary(model));
            Recorder rec = new Recorder(r, xTest, yTest, bars, o);
            model.fit(xTrain, yTrain, FitOptions.builder().epochs(epochs).batchSize(batchSize).seed(seed).verbose(0)
                    .callbacks(rec).build());
            results.add(r);
        }
        double total = (System.nanoTime() - t0) / 1e9;
        o.println();
        o.print(DemoReport.table(results));
        List<String> setup = List.of("data: " + dataName + ", " + xTrain.shape().dim(0) + " training and "
                + xTest.shape().dim(0) + " held-out images, raw pixels 0-255",
                "epochs " + epochs + ", batch size " + batchSize + ", seed " + seed + ", Adam (learning rate 1e-3)",
                "standardize's zero-variance policy: " + policy.configName(),
                "threads " + Norm4j.threads() + ", kernels: " + Norm4j.kernels(),
                String.format(Locale.ROOT, "%s, Java %s; total time %.1f s (training and held-out evaluation)",
                        Main.versionString(), System.getProperty("java.version"), total));
        String title = "norm4j demo: the seed's MNIST model (" + xTrain.shape().dim(0) + " train / "
                + xTest.shape().dim(0) + " held-out, batch " + batchSize + ", seed " + seed + ")";
        DemoReport.write(out, results, title, setup, command());
        o.printf(Locale.ROOT, "%nwrote %s, %s and %s in %s (total %.1f s)%n", DemoReport.REPORT, DemoReport.CHART,
                DemoReport.CSV, out, total);
        o.flush();
        return 0;
    }

    private Mnist load() {
        if (data == null) {
            return Mnist.embedded();
        }
        if (!Files.isDirectory(data)) {
            throw new CliException(data + ": no such directory: expected a directory of MNIST-format IDX files");
        }
        try {
            return Mnist.load(data);
        } catch (IOException e) {
            throw new CliException(data + ": " + e.getMessage(), e);
        }
    }

    private String command() {
        StringBuilder sb = new StringBuilder("./norm4j demo");
        if (data != null) {
            sb.append(" --data ").append(data);
        }
        sb.append(" --epochs ").append(epochs).append(" --batch-size ").append(batchSize).append(" --seed ")
                .append(seed).append(" --variants ").append(variants).append(" --zero-variance ")
                .append(zeroVariance);
        if (threads != null) {
            sb.append(" --threads ").append(threads);
        }
        return sb.toString();
    }

    /** The model's layers in one line: {@code Input(784) -> BatchNormalization -> Dense(128, relu) -> ...}. */
    static String summary(Sequential model) {
        List<String> parts = new ArrayList<>();
        for (Layer l : model.layers()) {
            Map<String, Object> c = l.getConfig();
            List<String> args = new ArrayList<>();
            for (String k : new String[] {"units", "activation", "groups", "epsilon"}) {
                if (c.containsKey(k) && c.get(k) != null && !"linear".equals(c.get(k))) {
                    args.add(k.equals("units") || k.equals("activation") ? String.valueOf(c.get(k))
                            : k + "=" + c.get(k));
                }
            }
            if (l.getClass().getSimpleName().equals("Input")) {
                args.add(String.valueOf(model.inputShape()[1]));
            }
            parts.add(l.getClass().getSimpleName() + (args.isEmpty() ? "" : "(" + String.join(", ", args) + ")"));
        }
        return String.join(" -> ", parts);
    }

    /** Records each epoch, evaluates on the held-out images after it, and draws the progress. */
    private final class Recorder implements Callback {
        private final VariantResult result;
        private final Tensor xTest;
        private final Tensor yTest;
        private final boolean bars;
        private final PrintWriter out;
        private Progress bar = Progress.none();
        private long epochStart;

        Recorder(VariantResult result, Tensor xTest, Tensor yTest, boolean bars, PrintWriter out) {
            this.result = result;
            this.xTest = xTest;
            this.yTest = yTest;
            this.bars = bars;
            this.out = out;
        }

        @Override
        public void onTrainBegin(Sequential model) {
            epochStart = System.nanoTime();
        }

        @Override
        public void onBatchEnd(Sequential model, int epoch, int step, int steps, Map<String, Double> logs) {
            if (step == 1 && bars) {
                bar = Progress.start(true, String.format(Locale.ROOT, "%-14s %d/%d", result.variant().id(),
                        epoch + 1, epochs), steps, " steps", 1, false);
            }
            bar.stepTo(step);
            bar.message(String.format(Locale.ROOT, "loss %.4f, accuracy %.4f", logs.get("loss"),
                    logs.get("accuracy")));
        }

        @Override
        public void onEpochEnd(Sequential model, int epoch, Map<String, Double> logs) {
            double seconds = (System.nanoTime() - epochStart) / 1e9;
            Map<String, Double> test = model.evaluate(xTest, yTest, 500);
            result.add(logs.get("loss"), logs.get("accuracy"), test.get("loss"), test.get("accuracy"), seconds);
            String line = String.format(Locale.ROOT, "loss %.4f, accuracy %.4f, held-out accuracy %.4f, %.2f s",
                    logs.get("loss"), logs.get("accuracy"), test.get("accuracy"), seconds);
            if (bar.active()) {
                bar.message(line);
                bar.close();
                bar = Progress.none();
            } else {
                out.printf(Locale.ROOT, "%-14s epoch %d/%d: %s%n", result.variant().id(), epoch + 1, epochs, line);
                out.flush();
            }
            epochStart = System.nanoTime();
        }
    }
}
