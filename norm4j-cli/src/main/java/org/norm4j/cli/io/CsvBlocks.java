package org.norm4j.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.norm4j.cli.CliException;

/**
 * Reads the rest of a CSV file in blocks of whole lines and works on them on several threads, handing the results
 * on in file order.
 *
 * <p>The main thread reads (and decompresses) the bytes and cuts them after the last line break of each block of
 * about {@value #BLOCK} bytes; workers run {@code fast} on a {@link CsvReader#block reader of the block}, at most
 * two blocks per thread in flight (bounded memory). {@code fast} must not depend on anything but the block: it
 * throws at the first bad row. A block where it threw is worked on again, in order on the main thread, by
 * {@code careful} with the block's true line numbers (its messages and bad-row counts are then exactly those of
 * reading the file in one pass). The results, their order and so everything computed from them in the sink are
 * the same for every number of threads.
 */
public final class CsvBlocks {
    /** Bytes per block (a block is longer when one line is). */
    static final int BLOCK = 1 << 19;

    private CsvBlocks() {
    }

    /** Work on one block. */
    @FunctionalInterface
    public interface Work<R> {
        /** The result for every record of {@code block}. */
        R run(CsvReader block);
    }

    /** Receives the results in file order, on the calling thread. */
    @FunctionalInterface
    public interface Sink<R> {
        /** One block's result. */
        void accept(R result);
    }

    private record Block(byte[] data, int length, boolean afterCr) {
    }

    private record Done<R>(Block block, R value, long lines, boolean failed) {
    }

    /**
     * Works on every record after those {@code r} has read ({@link CsvReader#stopAfterPending()} is called here).
     *
     * @param threads worker threads; 1 works on the calling thread
     */
    public static <R> void run(CsvReader r, int threads, Work<R> fast, Work<R> careful, Sink<R> sink) {
        r.stopAfterPending();
        Splitter split = new Splitter(r.rest(), r.restAfterCr(), r);
        long base = r.linesRead();
        if (threads <= 1) {
            Block b;
            while ((b = split.next()) != null) {
                base = deliver(attempt(r, b, fast), r, base, careful, sink);
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, t -> {
            Thread th = new Thread(t, "norm4j-csv");
            th.setDaemon(true);
            return th;
        });
        ArrayDeque<Future<Done<R>>> inFlight = new ArrayDeque<>();
        try {
            boolean more = true;
            while (true) {
                while (more && inFlight.size() < 2 * threads) {
                    Block b = split.next();
                    if (b == null) {
                        more = false;
                    } else {
                        inFlight.add(pool.submit(() -> attempt(r, b, fast)));
                    }
                }
                Future<Done<R>> head = inFlight.poll();
                if (head == null) {
                    return;
                }
                base = deliver(get(head), r, base, careful, sink);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static <R> Done<R> attempt(CsvReader r, Block b, Work<R> fast) {
        CsvReader br = r.block(b.data(), b.length(), b.afterCr(), 0);
        try {
            R v = fast.run(br);
            return new Done<>(b, v, br.linesRead(), false);
        } catch (CliException e) {
            return new Done<>(b, null, 0, true);
        }
    }

    private static <R> long deliver(Done<R> d, CsvReader r, long base, Work<R> careful, Sink<R> sink) {
        if (!d.failed()) {
            sink.accept(d.value());
            return base + d.lines();
        }
        Block b = d.block();
        CsvReader br = r.block(b.data(), b.length(), b.afterCr(), base);
        sink.accept(careful.run(br));
        return br.linesRead();
    }

    private static <R> Done<R> get(Future<Done<R>> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(c);
        }
    }

    /** Cuts a stream after the last line break of each block. */
    private static final class Splitter {
        private final InputStream in;
        private final CsvReader r;
        private byte[] carry = new byte[0];
        private int carryLength;
        private boolean afterCr;
        private boolean eof;

        Splitter(InputStream in, boolean afterCr, CsvReader r) {
            this.in = in;
            this.afterCr = afterCr;
            this.r = r;
        }

        Block next() {
            if (eof && carryLength == 0) {
                return null;
            }
            byte[] data = new byte[Math.max(BLOCK, carryLength + BLOCK / 2)];
            System.arraycopy(carry, 0, data, 0, carryLength);
            int n = carryLength;
            int scanned = 0;
            while (true) {
                n += fill(data, n);
                int k = n - 1;
                while (k >= scanned && data[k] != '\n' && data[k] != '\r') {
                    k--;
                }
                if (k >= scanned || eof || n > CsvReader.MAX_LINE + BLOCK) {
                    int cut = k >= scanned && !eof ? k + 1 : n;
                    carry = Arrays.copyOfRange(data, cut, n);
                    carryLength = carry.length;
                    Block b = new Block(data, cut, afterCr);
                    afterCr = cut > 0 && data[cut - 1] == '\r';
                    return cut == 0 && eof ? null : b;
                }
                scanned = n; // a line longer than the block: read on
                data = Arrays.copyOf(data, data.length * 2);
            }
        }

        private int fill(byte[] data, int from) {
            int n = from;
            try {
                while (n < data.length) {
                    int got = in.read(data, n, data.length - n);
                    if (got < 0) {
                        eof = true;
                        break;
                    }
                    n += got;
                }
            } catch (IOException e) {
                throw new CliException(r.file() + ": read error (" + e.getMessage() + ")", e);
            }
            return n - from;
        }
    }
}
