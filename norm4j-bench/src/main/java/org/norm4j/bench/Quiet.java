package org.norm4j.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How busy the machine is with other people's work: the busy share of all CPUs over a short window while
 * the driver itself idles, from {@code /proc/stat}. The driver waits for a quiet machine before each
 * measurement; the 1-minute load average is useless for that, since each measurement loads the machine itself.
 */
final class Quiet {
    private Quiet() {
    }

    /** Busy CPUs (0 .. cores) averaged over {@code ms} milliseconds; -1 where /proc/stat is unreadable. */
    static double busyCpus(long ms) {
        long[] a = read();
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long[] b = read();
        if (a == null || b == null || b[0] == a[0]) {
            return -1;
        }
        double busyShare = 1.0 - (double) (b[1] - a[1]) / (b[0] - a[0]);
        return busyShare * Runtime.getRuntime().availableProcessors();
    }

    /** The 1-minute load average, or -1. */
    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Waits (up to {@code maxWaitMs}) until fewer than {@code maxBusy} CPUs are busy; returns the last reading.
     */
    static double waitForQuiet(double maxBusy, long maxWaitMs) {
        long end = System.currentTimeMillis() + maxWaitMs;
        double busy = busyCpus(400);
        while (busy > maxBusy && System.currentTimeMillis() < end) {
            try {
                Thread.sleep(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            busy = busyCpus(400);
        }
        return busy;
    }

    /** {total jiffies, idle + iowait jiffies} of the "cpu" line. */
    private static long[] read() {
        try {
            String line = Files.readAllLines(Path.of("/proc/stat")).get(0);
            String[] f = line.trim().split("\\s+");
            long total = 0;
            for (int i = 1; i < f.length && i <= 8; i++) {
                total += Long.parseLong(f[i]);
            }
            return new long[] {total, Long.parseLong(f[4]) + Long.parseLong(f[5])};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
