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
        long total = (long) outer * channels * inner;
        if (inner == 1) {
            int rowsPerTask = Math.max(1, CHUNK / Math.max(1, channels));
            int tasks = (outer + rowsPerTask - 1) / rowsPerTask;
            Parallel.forEach(tasks, total, t -> {
                int r0 = t * rowsPerTask;
                int rows = Math.min(rowsPerTask, outer - r0);
                if (x instanceof float[]) {
                    k.scaleShiftColumns((float[]) x, r0 * channels, rows, channels, (float[]) center,
                            (float[]) scale, (float[]) shift, (float[]) y);
                } else {
                    k.scaleShiftColumns((double[]) x, r0 * channels, rows, channels, (double[]) center,
                            (double[]) scale, (double[]) shift, (double[]) y);
                }
            });
            return;
        }
        int rows = outer * channels;
        int rowsPerTask = Math.max(1, CHUNK / inner);
        int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
        Parallel.forEach(tasks, total, t -> {
            int r0 = t * rowsPerTask;
            int r1 = Math.min(rows, r0 + rowsPerTask);
            for (int r = r0; r < r1; r++) {
                int c = r % channels;
                if (x instanceof float[]) {
                    k.scaleShift((float[]) x, r * inner, inner, ((float[]) center)[c], ((float[]) scale)[c],
                            ((float[]) shift)[c], (float[]) y);
                } else {
                    k.scaleShift((double[]) x, r * inner, inner, ((double[]) center)[c], ((double[]) scale)[c],
                            ((double[]) shift)[c], (double[]) y);
                }
            }
        });
    }

    /** {@code dx = (dy - cc[c]) * a[c] + (x - center[c]) * b[c]} for every element of channel c. */
    public static void backward(Object dy, Object x, int outer, int channels, int inner, Object a, Object center,
            Object b, Object cc, Object dx) {
        Kernels k = KernelProvider.get();
        long total = (long) outer * channels * inner;
        if (inner == 1) {
            int rowsPerTask = Math.max(1, CHUNK / Math.max(1, channels));
            int tasks = (outer + rowsPerTask - 1) / rowsPerTask;
            Parallel.forEach(tasks, total, t -> {
                int r0 = t * rowsPerTask;
                int rows = Math.min(rowsPerTask, outer - r0);
                if (x instanceof float[]) {
                    k.normalizeBackwardColumns((float[]) dy, (float[]) x, r0 * channels, rows, channels,
                            (float[]) a, (float[]) center, (float[]) b, (float[]) cc, (float[]) dx);
                } else {
                    k.normalizeBackwardColumns((double[]) dy, (double[]) x, r0 * channels, rows, channels,
                            (double[]) a, (double[]) center, (double[]) b, (double[]) cc, (double[]) dx);
                }
            });
            return;
        }
        int rows = outer * channels;
        int rowsPerTask = Math.max(1, CHUNK / inner);
        int tasks = (rows + rowsPerTask - 1) / rowsPerTask;
        Parallel.forEach(tasks, total, t -> {
            int r0 = t * rowsPerTask;
            int r1 = Math.min(rows, r0 + rowsPerTask);
            for (int r = r0; r < r1; r++) {
                int c = r % channels;
                if (x instanceof float[]) {
                    k.normalizeBackward((float[]) dy, (float[]) x, r * inner, inner, ((float[]) a)[c],
                            ((float[]) center)[c], ((float[]) b)[c], ((float[]) cc)[c], (float[]) dx);
                } else {
                    k.normalizeBackward((double[]) dy, (double[]) x, r * inner, inner, ((double[]) a)[c],
                            ((double[]) center)[c], ((double[]) b)[c], ((double[]) cc)[c], (double[]) dx);
                }
            }
        });
    }
}
