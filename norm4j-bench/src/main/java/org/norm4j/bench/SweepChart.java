package org.norm4j.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The size sweep as a PNG: GB/s against elements (log scale), one line per (op, engine). */
final class SweepChart {
    private SweepChart() {
    }

    /**
     * @param series name to {elements, GB/s} points
     * @param copyGbs the copy bandwidth, drawn as a reference line (NaN for none)
     */
    static void write(Path png, Map<String, double[][]> series, double copyGbs) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (Map.Entry<String, double[][]> e : series.entrySet()) {
            XYSeries s = new XYSeries(e.getKey());
            for (double[] p : e.getValue()) {
                if (!Double.isNaN(p[1])) {
                    s.add(p[0], p[1]);
                }
            }
            data.addSeries(s);
        }
        if (!Double.isNaN(copyGbs)) {
            XYSeries s = new XYSeries("2-thread copy of 256 MiB");
            s.add(Workloads.SWEEP_ELEMENTS[0], copyGbs);
            s.add(Workloads.SWEEP_ELEMENTS[Workloads.SWEEP_ELEMENTS.length - 1], copyGbs);
            data.addSeries(s);
        }
        LogAxis x = new LogAxis("elements (float32), log scale");
        x.setBase(4);
        x.setSmallestValue(1 << 12);
        x.setTickUnit(new NumberTickUnit(1));
        x.setNumberFormatOverride(new ElementsFormat());
        NumberAxis y = new NumberAxis("GB/s (minimal bytes / time)");
        y.setAutoRangeIncludesZero(true);
        XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
        for (int i = 0; i < data.getSeriesCount(); i++) {
            String name = String.valueOf(data.getSeriesKey(i));
            boolean ln = name.startsWith("LayerNorm");
            Color c = name.startsWith("2-thread") ? Color.GRAY
                    : name.contains("norm4j") ? (ln ? new Color(0xC62828) : new Color(0x1565C0))
                    : name.contains("PyTorch") ? (ln ? new Color(0xF4A261) : new Color(0x4DB6AC))
                    : (ln ? new Color(0xE57373) : new Color(0x90CAF9));
            r.setSeriesPaint(i, c);
            r.setSeriesStroke(i, name.contains("norm4j") ? new BasicStroke(3f)
                    : new BasicStroke(1.6f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND, 1f, new float[] {6f, 4f},
                            0f));
        }
        XYPlot plot = new XYPlot(data, x, y, r);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        JFreeChart chart = new JFreeChart("LayerNorm and BatchNorm forward: throughput against size", plot);
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, 960, 560);
    }

    /** Tick labels as element counts: 16 K, 256 K, 4 M, 64 M. */
    private static final class ElementsFormat extends NumberFormat {
        private static final long serialVersionUID = 1L;

        @Override
        public StringBuffer format(double v, StringBuffer sb, FieldPosition pos) {
            long n = Math.round(v);
            return sb.append(n >= 1 << 20 ? (n >> 20) + " M" : n >= 1 << 10 ? (n >> 10) + " K" : Long.toString(n));
        }

        @Override
        public StringBuffer format(long v, StringBuffer sb, FieldPosition pos) {
            return format((double) v, sb, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            return null;
        }
    }
}
