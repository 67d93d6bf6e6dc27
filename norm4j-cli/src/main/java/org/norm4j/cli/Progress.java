package org.norm4j.cli;

import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * A live progress bar on standard error (me.tongfei:progressbar), or nothing. By default a bar is drawn only
 * when the command runs in a terminal ({@code System.console() != null}); {@code --progress} forces it on and
 * {@code --no-progress} off. Updates are cheap: the bar redraws itself a few times a second.
 */
public final class Progress implements AutoCloseable {
    private static final Progress NONE = new Progress(null, 0, "");

    private final ProgressBar bar;
    private final long startNanos;
    private final String gap;

    private Progress(ProgressBar bar, long startNanos, String gap) {
        this.bar = bar;
        this.startNanos = startNanos;
        this.gap = gap;
    }

    /** Whether to draw bars, from the {@code --progress / --no-progress} flag (null: when in a terminal). */
    public static boolean wanted(Boolean flag) {
        return flag != null ? flag : System.console() != null;
    }

    /** No bar. */
    public static Progress none() {
        return NONE;
    }

    /**
     * A bar, or {@link #none()} when {@code enabled} is false.
     *
     * @param max the total, in units of {@code unitSize} ({@code unitName} is shown after the numbers)
     * @param showSpeed whether to show units per second
     */
    public static Progress start(boolean enabled, String task, long max, String unitName, long unitSize,
            boolean showSpeed) {
        if (!enabled) {
            return NONE;
        }
        return start(enabled, task, max, unitName, unitSize, showSpeed, System.err);
    }

    static Progress start(boolean enabled, String task, long max, String unitName, long unitSize, boolean showSpeed,
            PrintStream out) {
        if (!enabled) {
            return NONE;
        }
        ProgressBarBuilder b = new ProgressBarBuilder().setTaskName(task).setInitialMax(max)
                .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(200)
                .setConsumer(new ConsoleProgressBarConsumer(out)).setUnit(unitName, unitSize);
        if (showSpeed) {
            b.showSpeed();
        }
        // the renderer puts no space between the speed and the extra message
        return new Progress(b.build(), System.nanoTime(), showSpeed ? " " : "");
    }

    /** Whether a bar is drawn. */
    public boolean active() {
        return bar != null;
    }

    /** Moves the bar to {@code current}. */
    public void stepTo(long current) {
        if (bar != null) {
            bar.stepTo(current);
        }
    }

    /** Sets the text shown after the bar. */
    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(gap + text);
        }
    }

    /** Shows a row count and the rows per second since the bar started. */
    public void rows(long rows) {
        if (bar != null) {
            message(rowsText(rows, (System.nanoTime() - startNanos) / 1e9));
        }
    }

    /** {@code 1,234,567 rows, 812,345 rows/s}. */
    public static String rowsText(long rows, double seconds) {
        return String.format(Locale.ROOT, "%,d rows, %,.0f rows/s", rows, seconds > 0 ? rows / seconds : 0.0);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
