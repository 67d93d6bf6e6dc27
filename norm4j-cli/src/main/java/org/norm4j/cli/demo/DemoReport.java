package org.norm4j.cli.demo;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.DefaultDrawingSupplier;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.norm4j.cli.CliException;
import org.norm4j.cli.io.AtomicOutput;

/**
 * The demo's outputs: the results table (text and Markdown), the per-epoch numbers as CSV, and a PNG chart
 * (JFreeChart, drawn off-screen) of the training loss and held-out accuracy per epoch of every variant.
 */
public final class DemoReport {
    /** The chart's file name in the output directory. */
    public static final String CHART = "norm4j-demo.png";
    /** The CSV's file name. */
    public static final String CSV = "norm4j-demo.csv";
    /** The report's file name. */
    public static final String REPORT = "report.md";

    private static final Color[] COLORS = {new Color(0x4d4d4d), new Color(0x1f77b4), new Color(0xd62728),
        new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e)};

    private DemoReport() {
    }

    /** The first epoch reaching 90% held-out accuracy, as text ({@code -} if none did). */
    static String reach(VariantResult r) {
        int e = r.epochsToReach(0.90);
        return e < 0 ? "-" : String.valueOf(e);
    }

    /** The results as a fixed-width text table. */
    public static String table(List<VariantResult> results) {
        StringBuilder sb = new StringBuilder();
        String fmt = "%-15s %17s %19s %15s %14s %10s%n";
        sb.append(String.format(Locale.ROOT, fmt, "variant", "final train loss", "held-out accuracy",
                "held-out loss", "epochs to 90%", "s/epoch"));
        for (VariantResult r : results) {
            int last = r.epochs() - 1;
            sb.append(String.format(Locale.ROOT, fmt, r.variant().id(), num(r.trainLoss(last), "%.4f"),
                    num(r.heldOutAccuracy(last), "%.4f"), num(r.heldOutLoss(last), "%.4f"), reach(r),
                    num(r.secondsPerEpoch(), "%.2f")));
        }
        return sb.toString();
    }

    private static String num(double v, String fmt) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, fmt, v) : String.valueOf(v);
    }

    /** The per-epoch numbers as CSV text. */
    public static String csv(List<VariantResult> results) {
        StringBuilder sb = new StringBuilder(
                "variant,epoch,train_loss,train_accuracy,heldout_loss,heldout_accuracy,epoch_seconds\n");
        for (VariantResult r : results) {
            for (int e = 0; e < r.epochs(); e++) {
                sb.append(r.variant().id()).append(',').append(e + 1).append(',').append(r.trainLoss(e)).append(',')
                        .append(r.trainAccuracy(e)).append(',').append(r.heldOutLoss(e)).append(',')
                        .append(r.heldOutAccuracy(e)).append(',')
                        .append(String.format(Locale.ROOT, "%.3f", r.seconds(e))).append('\n');
            }
        }
        return sb.toString();
    }

    /** The chart: training loss (log scale) above, held-out accuracy below, one line per variant. */
    public static JFreeChart chart(List<VariantResult> results, String title) {
        XYSeriesCollection loss = new XYSeriesCollection();
        XYSeriesCollection acc = new XYSeriesCollection();
        int epochs = 1;
        for (VariantResult r : results) {
            XYSeries l = new XYSeries(r.variant().id());
            XYSeries a = new XYSeries(r.variant().id());
            for (int e = 0; e < r.epochs(); e++) {
                if (Double.isFinite(r.trainLoss(e)) && r.trainLoss(e) > 0) {
                    l.add(e + 1, r.trainLoss(e));
                }
                a.add(e + 1, r.heldOutAccuracy(e));
            }
            loss.addSeries(l);
            acc.addSeries(a);
            epochs = Math.max(epochs, r.epochs());
        }
        NumberAxis epochAxis = new NumberAxis("epoch");
        epochAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        epochAxis.setRange(0.8, epochs + 0.2);
        LogAxis lossAxis = new LogAxis("training loss (log scale)");
        lossAxis.setSmallestValue(1e-4);
        lossAxis.setTickUnit(new NumberTickUnit(1.0)); // one tick per power of ten, minor ticks between
        lossAxis.setMinorTickCount(9);
        lossAxis.setMinorTickMarksVisible(true);
        lossAxis.setNumberFormatOverride(new java.text.DecimalFormat("0.####"));
        NumberAxis accAxis = new NumberAxis("held-out accuracy");
        accAxis.setAutoRangeIncludesZero(false);
        XYPlot top = new XYPlot(loss, null, lossAxis, renderer(results));
        XYPlot bottom = new XYPlot(acc, null, accAxis, renderer(results));
        bottom.getRenderer().setDefaultSeriesVisibleInLegend(false); // one legend entry per variant
        for (XYPlot p : new XYPlot[] {top, bottom}) {
            p.setBackgroundPaint(Color.WHITE);
            p.setDomainGridlinePaint(new Color(0xdddddd));
            p.setRangeGridlinePaint(new Color(0xdddddd));
        }
        CombinedDomainXYPlot plot = new CombinedDomainXYPlot(epochAxis);
        plot.setGap(12);
        plot.add(top, 1);
        plot.add(bottom, 1);
        JFreeChart chart = new JFreeChart(title, new Font(Font.SANS_SERIF, Font.BOLD, 16), plot, true);
        chart.setBackgroundPaint(Color.WHITE);
        return chart;
    }

    /** Each variant keeps its colour and marker whichever variants are drawn. */
    private static XYLineAndShapeRenderer renderer(List<VariantResult> results) {
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        Shape[] shapes = DefaultDrawingSupplier.createStandardSeriesShapes();
        for (int i = 0; i < results.size(); i++) {
            int k = results.get(i).variant().ordinal();
            r.setSeriesPaint(i, COLORS[k % COLORS.length]);
            r.setSeriesStroke(i, new BasicStroke(2.2f));
            r.setSeriesShape(i, shapes[k % shapes.length]);
        }
        return r;
    }

    /** The report in Markdown, embedding the chart. */
    public static String markdown(List<VariantResult> results, List<String> setup, String command) {
        StringBuilder sb = new StringBuilder();
        if (!results.isEmpty() && results.get(0).variant().cnn()) {
            sb.append("# norm4j demo: what normalization does to a convolutional network\n\n");
            sb.append("Each variant is the same CNN (28x28x1 images scaled to 0-1 -> Conv2D(32, 3) -> norm -> relu -> "
                    + "MaxPooling2D -> Conv2D(64, 3) -> norm -> relu -> MaxPooling2D -> Dense(10, softmax), Adam, "
                    + "categorical cross-entropy, accuracy) trained with the same seed and batch order; only the "
                    + "normalization layer differs. Held-out loss and accuracy are measured after every epoch on "
                    + "images the model never trains on.\n\n");
        } else {
            sb.append("# norm4j demo: what normalization does to the seed's MNIST model\n\n");
            sb.append("Each variant is the seed's model (784 inputs -> Dense(128, relu) -> Dense(10, softmax), Adam, "
                    + "categorical cross-entropy, accuracy) trained on the same raw pixels 0-255, with the same "
                    + "seed and batch order; only the normalization differs. Held-out loss and accuracy are "
                    + "measured after every epoch on images the model never trains on.\n\n");
        }
        sb.append("![Training loss and held-out accuracy per epoch](").append(CHART).append(")\n\n");
        sb.append("| variant | final train loss | held-out accuracy | held-out loss | epochs to 90% | s/epoch |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (VariantResult r : results) {
            int last = r.epochs() - 1;
            sb.append("| ").append(r.variant().id()).append(" | ").append(num(r.trainLoss(last), "%.4f"))
                    .append(" | ").append(num(r.heldOutAccuracy(last), "%.4f")).append(" | ")
                    .append(num(r.heldOutLoss(last), "%.4f")).append(" | ").append(reach(r))
                    .append(" | ").append(num(r.secondsPerEpoch(), "%.2f")).append(" |\n");
        }
        sb.append("\n\"epochs to 90%\": the first epoch after which held-out accuracy was at least 0.90 "
                + "(- if none). s/epoch: training time only, held-out evaluation excluded.\n\n");
        for (VariantResult r : results) {
            int stalledAt = r.stalledAfter();
            if (stalledAt > 0) {
                sb.append("**").append(r.variant().id()).append("** stalled: its training loss stopped changing "
                        + "after epoch ").append(stalledAt).append(" (saturated units: nothing more is learned).\n\n");
            }
        }
        sb.append("## Variants\n\n");
        for (VariantResult r : results) {
            sb.append("- **").append(r.variant().id()).append("**: ").append(r.variant().description())
                    .append(".\n  Layers: `").append(r.summary()).append("`\n");
        }
        sb.append("\n## Setup\n\n");
        for (String s : setup) {
            sb.append("- ").append(s).append('\n');
        }
        sb.append("\nPer-epoch numbers: [").append(CSV).append("](").append(CSV).append("). Reproduce with:\n\n```\n")
                .append(command).append("\n```\n");
        return sb.toString();
    }

    /** Writes the chart, CSV and report into {@code dir}, each through a temporary file. */
    public static void write(Path dir, List<VariantResult> results, String title, List<String> setup,
            String command) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new CliException(dir + ": cannot create the output directory (" + e.getMessage() + ")", e);
        }
        JFreeChart chart = chart(results, title);
        try (AtomicOutput out = AtomicOutput.create(dir.resolve(CHART))) {
            try {
                ChartUtils.writeChartAsPNG(out.stream(), chart, 1100, 820);
            } catch (IOException e) {
                throw new CliException(out.target() + ": cannot write the chart (" + e.getMessage() + ")", e);
            }
            out.commit();
        }
        text(dir.resolve(CSV), csv(results));
        text(dir.resolve(REPORT), markdown(results, setup, command));
    }

    private static void text(Path target, String content) {
        AtomicOutput.write(target, content.getBytes(StandardCharsets.UTF_8));
    }
}
