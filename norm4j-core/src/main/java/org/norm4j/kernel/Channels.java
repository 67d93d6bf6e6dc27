package org.norm4j.kernel;

/**
 * Per-channel passes over a tensor viewed as {@code [outer, channels, inner]}: channels-last data has
 * {@code inner == 1} (column kernels), channels-first data has {@code inner > 1} (row kernels, one set of
 * constants per row). Parameter arrays have one entry per channel and the element type of the data.
 * Work is split in fixed chunks of rows, so results do not depend on the thread count.
 */
public final class Channels {
    private static final int CHUNK = 1 << 13;

    private Channels() {
    }

    /** {@code y = (x - center[c]) * scale[c] + shift[c]} for every element of channel c. */
    public static void scaleShift(Object x, int outer, int channels, int inner, Object center, Object scale,
            Object shift, Object y) {
        Kernels k = KernelProvider.get();
        split(outer, channels, inner, (off, rows) -> {
            if (x instanceof float[]) {
                k.scaleShiftColumns((float[]) x, off, rows, channels, (float[]) center, (float[]) scale,
                        (float[]) shift, (float[]) y);
            } else {
                k.scaleShiftColumns((double[]) x, off, rows, channels, (double[]) center, (double[]) scale,
                        (double[]) shift, (double[]) y);
            }
        }, (off, c) -> {
            if (x instanceof float[]) {
                k.scaleShift((float[]) x, off, inner, ((float[]) center)[c], ((float[]) scale)[c],
                        ((float[]) shift)[c], (float[]) y);
            } else {
                k.scaleShift((double[]) x, off, inner, ((double[]) center)[c], ((double[]) scale)[c],
                        ((double[]) shift)[c], (double[]) y);
            }
        });
    }

    /** {@code dx = (dy - cc[c]) * a[c] + (x - center[c]) * b[c]} for every element of channel c. */
    public static void backward(Object dy, Object x, int outer, int channels, int inner, Object a, Object center,
            Object b, Object cc, Object dx) {
        Kernels k = KernelProvider.get();
        split(outer, channels, inner, (off, rows) -> {
            if (x instanceof float[]) {
                k.normalizeBackwardColumns((float[]) dy, (float[]) x, off, rows, channels, (float[]) a,
                        (float[]) center, (float[]) b, (float[]) cc, (float[]) dx);
            } else {
                k.normalizeBackwardColumns((double[]) dy, (double[]) x, off, rows, channels, (double[]) a,
                        (double[]) center, (double[]) b, (double[]) cc, (double[]) dx);
            }
        }, (off, c) -> {
            if (x instanceof float[]) {
                k.normalizeBackward((float[]) dy, (float[]) x, off, inner, ((float[]) a)[c], ((float[]) center)[c],
                        ((float[]) b)[c], ((float[]) cc)[c], (float[]) dx);
            } else {
                k.normalizeBackward((double[]) dy, (double[]) x, off, inner, ((double[]) a)[c],
                        ((double[]) center)[c], ((double[]) b)[c], ((double[]) cc)[c], (double[]) dx);
            }
        });
    }

    /** A block of {@code rows} whole channels-last rows at {@code off}. */
    private interface ColumnChunk {
        void run(int off, int rows);
    }

    /** One channels-first row of {@code inner} elements at {@code off}, of channel {@code c}. */
    private interface ChannelRow {
        void run(int off, int c);
    }

    /**
     * The fixed split of {@code [outer, channels, inner]}: channels-last ({@code inner == 1}) in chunks of whole
     * rows of about {@value #CHUNK} elements, one task each; channels-first in rows of one channel, tasks of about
     * {@value #CHUNK} elements of whole rows.
     */
    private static void split(int outer, int channels, int inner, ColumnChunk columns, ChannelRow row) {
        long total = (long) outer * channels * inner;
        if (inner == 1) {
            int rowsPerTask = Math.max(1, CHUNK / Math.max(1, channels));
            int tasks = (outer + rowsPerTask - 1) / rowsPerTask;
            Parallel.forEach(tasks, total, t -> {
                int r0 = t * rowsPerTask;
                columns.run(r0 * channels, Math.min(rowsPerTask, outer - r0));
            });
            return;
        }
        int rows = outer * channels;
        int rowsPerTask = Math.max(1, CHUNK / inner);
        int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
        Parallel.forEach(tasks, total, t -> {
            for (int r = t * rowsPerTask, r1 = Math.min(rows, r + rowsPerTask); r < r1; r++) {
                row.run(r * inner, r % channels);
            }
        });
    }
}
