package org.norm4j.cli.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.norm4j.cli.CliException;
import org.norm4j.cli.io.BadRowException;
import org.norm4j.cli.io.CsvReader;
import org.norm4j.cli.io.NpyReader;
import org.norm4j.data.Idx;
import org.norm4j.stats.ScalingMethod;
import org.norm4j.stats.ZeroVariancePolicy;
import org.norm4j.stats.io.StatsFile;
import org.norm4j.stats.io.StatsFileException;
import org.norm4j.stats.StreamingMoments;

/**
 * Property tests of every reader the command uses (CSV, NPY, stats JSON, IDX): valid files, mutated (bit flips,
 * truncations, insertions, duplicated spans, huge numbers), give either a correct result or the documented
 * exception (CliException, or IOException for IDX) whose message names the file: never another exception type,
 * never a hang (a time limit per reader), never an allocation out of proportion to the file (measured per read
 * on the reading thread: at most 16 MiB plus 64 bytes per byte of file).
 *
 * <p>Each reader's property runs {@value #TRIES} seeded tries in {@code mvn test} (the whole command, a fifth of
 * that); {@code -Dnorm4j.fuzz.factor=N} runs N times as many (e.g. 100 for a long session),
 * {@code -Dnorm4j.fuzz.seed=S} other files. A failure names the seed.
 */
class MutatedFilesTest {
    static final int TRIES = 500;
    private static final int FACTOR = Integer.getInteger("norm4j.fuzz.factor", 1);
    private static final long BASE_SEED = Long.getLong("norm4j.fuzz.seed", 20261202L);
    private static final Pattern PLAIN_NUMBER = Pattern.compile("-?[0-9]{1,15}(\\.[0-9]{1,15})?");
    private static final List<String> SUMMARY = new ArrayList<>();

    @TempDir
    Path dir;

    @FunctionalInterface
    interface Reader<T> {
        T read(Path file) throws Exception;
    }

    @FunctionalInterface
    interface Verifier<T> {
        void verify(byte[] bytes, T result) throws Exception;
    }

    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** Runs the property: {@code TRIES * FACTOR} mutated files (and the valid ones) through {@code reader}. */
    private <T> void property(String kind, String ext, Function<Random, byte[]> valid, Reader<T> reader,
            Verifier<T> verify, Class<? extends Exception> documented) {
        property(kind, ext, TRIES, valid, reader, verify, documented);
    }

    private <T> void property(String kind, String ext, int baseTries, Function<Random, byte[]> valid,
            Reader<T> reader, Verifier<T> verify, Class<? extends Exception> documented) {
        int tries = baseTries * FACTOR;
        int[] outcome = new int[2];
        assertTimeoutPreemptively(Duration.ofSeconds(60L * FACTOR), () -> {
            for (int t = 0; t < tries; t++) {
                long seed = BASE_SEED * 31 + kind.hashCode() * 7919L + t;
                Random rnd = new Random(seed);
                byte[] good = valid.apply(rnd);
                byte[] bytes = t % 10 == 0 ? good : Mutator.mutate(good, rnd);
                Path file = dir.resolve(kind + "-" + t + ext);
                Files.write(file, bytes);
                long before = allocated();
                T result;
                try {
                    result = reader.read(file);
                } catch (Throwable e) {
                    long used = allocated() - before;
                    assertTrue(used <= (16L << 20) + 64L * bytes.length, () -> kind + " seed " + seed + ": allocated "
                            + used + " bytes reading a " + bytes.length + "-byte file");
                    if (!documented.isInstance(e)) {
                        fail(kind + " seed " + seed + ": " + e + " is not the documented " + documented.getSimpleName()
                                + "\nfile: " + show(bytes), e);
                    }
                    String m = String.valueOf(e.getMessage());
                    assertTrue(m.contains(file.getFileName().toString()), () -> kind + " seed " + seed
                            + ": the message does not name the file: " + m);
                    assertTrue(m.chars().noneMatch(c -> c < 0x20 || c == 0x7f), () -> kind + " seed " + seed
                            + ": raw control character in: " + m);
                    assertTrue(t % 10 != 0, () -> kind + " seed " + seed + ": a valid file was refused: " + m);
                    outcome[1]++;
                    Files.delete(file);
                    continue;
                }
                long used = allocated() - before;
                assertTrue(used <= (16L << 20) + 64L * bytes.length, () -> kind + " seed " + seed + ": allocated "
                        + used + " bytes reading a " + bytes.length + "-byte file");
                try {
                    verify.verify(bytes, result);
                } catch (AssertionError e) {
                    throw new AssertionError(kind + " seed " + seed + ": accepted with a wrong result: "
                            + e.getMessage() + "\nfile: " + show(bytes), e);
                }
                outcome[0]++;
                Files.delete(file);
            }
        });
        String line = String.format(Locale.ROOT, "%s: %d files (%d mutated): %d read correctly, %d refused with the "
                + "documented exception", kind, tries, tries - (tries + 9) / 10, outcome[0], outcome[1]);
        System.out.println("MutatedFilesTest " + line);
        SUMMARY.add(line);
        assertEquals(tries, outcome[0] + outcome[1]);
    }

    @AfterAll
    static void summary() {
        System.out.println("MutatedFilesTest summary: " + SUMMARY);
    }

    private static String show(byte[] b) {
        String s = new String(b, 0, Math.min(b.length, 400), StandardCharsets.ISO_8859_1);
        return org.norm4j.files.Text.printable(s) + (b.length > 400 ? "... (" + b.length + " bytes)" : "");
    }

    // ---- CSV ------------------------------------------------------------------------------------------

    static byte[] validCsv(Random rnd) {
        int cols = 1 + rnd.nextInt(5);
        int rows = 1 + rnd.nextInt(20);
        StringBuilder sb = new StringBuilder();
        if (rnd.nextBoolean()) {
            for (int j = 0; j < cols; j++) {
                sb.append(j > 0 ? "," : "").append(rnd.nextBoolean() ? "c" + j : "\"col " + j + "\"");
            }
            sb.append(rnd.nextBoolean() ? "\n" : "\r\n");
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                sb.append(j > 0 ? "," : "");
                switch (rnd.nextInt(6)) {
                    case 0 -> sb.append(rnd.nextInt(2000) - 1000);
                    case 1 -> sb.append(rnd.nextGaussian() * 100);
                    case 2 -> sb.append("\"").append(rnd.nextInt(50)).append("\"");
                    case 3 -> sb.append(String.format(Locale.ROOT, "%.3e", rnd.nextDouble() * 1e6));
                    case 4 -> sb.append(rnd.nextBoolean() ? "NaN" : " 12.5 ");
                    default -> sb.append(String.format(Locale.ROOT, "%.4f", rnd.nextDouble()));
                }
            }
            sb.append('\n');
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Reads every record; returns {columns, good rows}. Bad rows are the documented BadRowException, counted. */
    static long[] readCsv(Path file) {
        try (CsvReader r = CsvReader.open(file, ',', null)) {
            long good = 0;
            while (r.next()) {
                try {
                    r.requireWellFormed();
                    assertEquals(r.columns(), r.fieldCount());
                    for (int i = 0; i < r.columns(); i++) {
                        double v = r.number(i);
                        String cell = r.field(i).strip();
                        if (PLAIN_NUMBER.matcher(cell).matches()) {
                            assertEquals(Double.parseDouble(cell), v, 0.0, cell);
                        }
                    }
                    good++;
                } catch (BadRowException e) {
                    assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
                    assertTrue(e.getMessage().chars().noneMatch(c -> c < 0x20), e.getMessage());
                }
            }
            return new long[] {r.columns(), good};
        }
    }

    @Test
    void csv() {
        property("csv", ".csv", MutatedFilesTest::validCsv, MutatedFilesTest::readCsv,
                (bytes, r) -> assertTrue(r[0] >= 1 && r[1] >= 0), CliException.class);
    }

    // ---- NPY ------------------------------------------------------------------------------------------

    private static final String[] DTYPES = {"<f4", "<f8", ">f8", "|b1", "|i1", "|u1", "<i2", ">u2", "<i4", "<u4",
        "<i8", ">u8"};

    /** A valid .npy: a random dtype of those read, C or Fortran order, version 1 header padded as NumPy pads it. */
    static byte[] validNpy(Random rnd) {
        String descr = DTYPES[rnd.nextInt(DTYPES.length)];
        boolean fortran = rnd.nextInt(3) == 0;
        int rows = rnd.nextInt(12);
        int cols = 1 + rnd.nextInt(4);
        boolean oneD = cols == 1 && rnd.nextBoolean();
        String dict = "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': ("
                + rows + (oneD ? ",), }" : ", " + cols + "), }");
        String h = dict + " ".repeat(63 - (10 + dict.length()) % 64) + "\n";
        int width = descr.charAt(2) - '0';
        ByteBuffer b = ByteBuffer.allocate(10 + h.length() + rows * cols * width)
                .order(descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort(8, (short) 0);
        b.put(8, (byte) h.length()).put(9, (byte) (h.length() >> 8)).position(10);
        b.put(h.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < rows * cols; i++) {
            switch (descr.substring(1)) {
                case "f4" -> b.putFloat((float) rnd.nextGaussian());
                case "f8" -> b.putDouble(rnd.nextGaussian());
                case "b1" -> b.put((byte) rnd.nextInt(2));
                default -> {
                    byte[] raw = new byte[width];
                    rnd.nextBytes(raw);
                    b.put(raw);
                }
            }
        }
        return b.array();
    }

    record Npy(String descr, boolean fortran, long rows, int cols, double[] values) {
    }

    static Npy readNpy(Path file) {
        try (NpyReader r = NpyReader.open(file, null)) {
            int chunk = (int) Math.min(r.rows(), 64);
            double[] buf = new double[chunk * r.columns()];
            double[] all = new double[(int) (r.rows() * r.columns())];
            int n;
            int at = 0;
            while ((n = r.read(buf, chunk)) > 0) {
                System.arraycopy(buf, 0, all, at, n * r.columns());
                at += n * r.columns();
            }
            return new Npy(r.descr(), r.fortran(), r.rows(), r.columns(), all);
        }
    }

    /**
     * An accepted .npy must hold exactly rows x cols values at the end of the file, decoded here independently
     * in the dtype, byte order and memory order the reader reports.
     */
    static void verifyNpy(byte[] bytes, Npy r) {
        int width = r.descr().charAt(2) - '0';
        char kind = r.descr().charAt(1);
        long data = r.rows() * r.cols() * width;
        ByteBuffer b = ByteBuffer.wrap(bytes).order(r.descr().charAt(0) == '>' ? ByteOrder.BIG_ENDIAN
                : ByteOrder.LITTLE_ENDIAN);
        int off = (int) (bytes.length - data);
        assertTrue(off >= 10, "header shorter than 10 bytes");
        for (int i = 0; i < r.values().length; i++) {
            long row = i / r.cols();
            int col = i % r.cols();
            int at = off + width * (int) (r.fortran() ? col * r.rows() + row : i);
            double expect = switch (kind) {
                case 'f' -> width == 4 ? b.getFloat(at) : b.getDouble(at);
                case 'b' -> b.get(at) == 0 ? 0 : 1;
                case 'i' -> width == 1 ? b.get(at) : width == 2 ? b.getShort(at) : width == 4 ? b.getInt(at)
                        : (double) b.getLong(at);
                default -> width == 1 ? Byte.toUnsignedInt(b.get(at)) : width == 2 ? Short.toUnsignedInt(b.getShort(at))
                        : width == 4 ? Integer.toUnsignedLong(b.getInt(at))
                        : new java.math.BigDecimal(Long.toUnsignedString(b.getLong(at))).doubleValue();
            };
            assertEquals(Double.doubleToRawLongBits(expect), Double.doubleToRawLongBits(r.values()[i]), "value " + i);
        }
    }

    @Test
    void npy() {
        property("npy", ".npy", MutatedFilesTest::validNpy, MutatedFilesTest::readNpy, MutatedFilesTest::verifyNpy,
                CliException.class);
    }

    static byte[] gzip(byte[] raw) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.GZIPOutputStream z = new java.util.zip.GZIPOutputStream(out)) {
            z.write(raw);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A gzip-compressed CSV, mutated as compressed bytes: read like a CSV or refused with one line. */
    @Test
    void csvGzip() {
        property("csvgz", ".csv.gz", rnd -> gzip(validCsv(rnd)), MutatedFilesTest::readCsv,
                (bytes, r) -> assertTrue(r[0] >= 1 && r[1] >= 0), CliException.class);
    }

    static byte[] validNpz(Random rnd) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            byte[] npy = validNpy(rnd);
            java.util.zip.ZipEntry e = new java.util.zip.ZipEntry("arr_0.npy");
            if (rnd.nextBoolean()) { // np.savez stores, np.savez_compressed deflates
                e.setMethod(java.util.zip.ZipEntry.STORED);
                e.setSize(npy.length);
                java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                crc.update(npy);
                e.setCrc(crc.getValue());
            }
            z.putNextEntry(e);
            z.write(npy);
            z.closeEntry();
        } catch (IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    /** An accepted .npz holds the array that java.util.zip extracts, decoded independently. */
    @Test
    void npz() {
        property("npz", ".npz", MutatedFilesTest::validNpz, MutatedFilesTest::readNpy, (bytes, r) -> {
            Path tmp = Files.createTempFile("fuzz-npz", ".npz");
            try {
                Files.write(tmp, bytes);
                try (java.util.zip.ZipFile z = new java.util.zip.ZipFile(tmp.toFile())) {
                    java.util.zip.ZipEntry e = z.stream().filter(x -> x.getName().endsWith(".npy")).findFirst()
                            .orElseThrow();
                    verifyNpy(z.getInputStream(e).readAllBytes(), r);
                }
            } finally {
                Files.delete(tmp);
            }
        }, CliException.class);
    }

    // ---- stats JSON -----------------------------------------------------------------------------------

    static byte[] validStats(Random rnd) {
        int columns = 1 + rnd.nextInt(6);
        List<Integer> pick = new ArrayList<>();
        for (int j = 0; j < columns; j++) {
            if (pick.isEmpty() || rnd.nextBoolean()) {
                pick.add(j);
            }
        }
        int f = pick.size();
        int rows = 2 + rnd.nextInt(30);
        StreamingMoments sm = new StreamingMoments(f);
        double[] row = new double[f];
        for (int i = 0; i < rows; i++) {
            for (int k = 0; k < f; k++) {
                row[k] = rnd.nextGaussian() * (k + 1) + 10 * k;
            }
            sm.update(row);
        }
        int[] cols = pick.stream().mapToInt(Integer::intValue).toArray();
        boolean csv = rnd.nextBoolean();
        boolean header = csv && rnd.nextBoolean();
        String[] names = new String[f];
        for (int k = 0; k < f; k++) {
            names[k] = header ? "c" + cols[k] : null;
        }
        ScalingMethod m = ScalingMethod.values()[rnd.nextInt(3)];
        StatsFile s = new StatsFile(m, StatsFile.Options.DEFAULTS, rnd.nextInt(2),
                ZeroVariancePolicy.values()[rnd.nextInt(3)],
                new StatsFile.Input(csv ? "csv" : "npy", columns, header, csv ? "," : null), cols, names, sm, null, 0,
                List.of("part.csv"));
        return s.toJson("norm4j test").getBytes(StandardCharsets.UTF_8);
    }

    /** An accepted stats file must satisfy every rule of the schema. */
    static void verifyStats(byte[] bytes, StatsFile s) {
        long rows = s.moments().count();
        assertTrue(rows > 0, "rows " + rows);
        assertTrue(s.ddof() == 0 || s.ddof() == 1, "ddof " + s.ddof());
        assertTrue(s.ddof() < rows, "ddof >= rows");
        assertTrue(s.features() >= 1 && s.features() <= s.input().columns());
        Set<Integer> seen = new HashSet<>();
        for (int c : s.columns()) {
            assertTrue(c >= 0 && c < s.input().columns(), "column " + c);
            assertTrue(seen.add(c), "column " + c + " twice");
        }
        double[] m2 = s.moments().m2();
        double[] min = s.min();
        double[] max = s.max();
        for (int j = 0; j < s.features(); j++) {
            assertTrue(!(m2[j] < 0), "m2 " + m2[j]);
            assertTrue(!(min[j] > max[j]) || s.moments().counts()[j] == 0, "min > max with values");
        }
        assertTrue(s.skippedRows() >= 0);
    }

    @Test
    void statsJson() {
        property("stats", ".json", MutatedFilesTest::validStats, StatsFile::read, MutatedFilesTest::verifyStats,
                StatsFileException.class);
    }

    // ---- the command on mutated files ----------------------------------------------------------------

    record Run(int code, String out, String err) {
    }

    static Run command(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = org.norm4j.cli.Main.commandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /**
     * {@code fit} of a mutated CSV, then {@code transform} of the valid CSV with a mutated stats file: exit code 0
     * (and then a stats file that reads back) or 1 with one line naming the file, never an internal error.
     */
    @Test
    void commandOnMutatedFiles() {
        property("command", ".csv", TRIES / 5, MutatedFilesTest::validCsv, file -> {
            Path stats = dir.resolve("cmd.json");
            Run fit = command("fit", file.toString(), "--skip-bad-rows", "-o", stats.toString());
            if (fit.code() != 0) {
                throw new CliException(fit.err().strip() + " (exit " + fit.code() + ")");
            }
            StatsFile s = StatsFile.read(stats);
            byte[] mutated = Mutator.mutate(Files.readAllBytes(stats), new Random(Files.size(file)));
            Path bad = Files.write(dir.resolve("cmd-bad.json"), mutated);
            Run tr = command("transform", file.toString(), "-s", bad.toString(), "-o", dir.resolve("cmd-out.csv")
                    .toString(), "--skip-bad-rows");
            assertTrue(tr.code() == 0 || tr.code() == 1, () -> "exit " + tr.code() + ": " + tr.err());
            assertTrue(!tr.err().contains("internal error") && tr.err().strip().lines().count() <= 2,
                    () -> "transform: " + tr.err());
            return s;
        }, (bytes, s) -> verifyStats(bytes, s), CliException.class);
    }

    // ---- Parquet -----------------------------------------------------------------------------------------

    /** The value of row i, column c of the valid Parquet files: null where (i + c) % 7 == 3. */
    static double parquetValue(long i, int c) {
        return (i + c) % 7 == 3 ? Double.NaN : i * 10 + c + 0.5;
    }

    /** A small Parquet file (1-3 optional double columns, 0-60 rows, a random codec), written by norm4j. */
    static byte[] validParquet(Random rnd) {
        int cols = 1 + rnd.nextInt(3);
        int rows = rnd.nextInt(61);
        List<org.apache.parquet.schema.Type> fields = new ArrayList<>();
        for (int c = 0; c < cols; c++) {
            fields.add(org.apache.parquet.schema.Types.optional(org.apache.parquet.schema.PrimitiveType
                    .PrimitiveTypeName.DOUBLE).named("x" + c));
        }
        var schema = new org.apache.parquet.schema.MessageType("m", fields);
        var codec = org.norm4j.cli.io.ParquetCodecs.SUPPORTED.get(rnd.nextInt(4));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (var w = new org.norm4j.cli.io.ParquetOutput(out, schema, codec)) {
            for (int i = 0; i < rows; i++) {
                for (int c = 0; c < cols; c++) {
                    double v = parquetValue(i, c);
                    if (Double.isNaN(v)) {
                        w.column(c).writeNull(0, 0);
                    } else {
                        w.column(c).write(v, 0, 1);
                    }
                }
                w.endRecord();
                if (rnd.nextInt(20) == 0) {
                    w.endGroup();
                }
            }
            w.finish();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    record Parquet(long rows, org.norm4j.cli.io.ParquetReader.Kind[] kinds, double[][] values) {
    }

    static Parquet readParquet(Path file) {
        try (var r = org.norm4j.cli.io.ParquetReader.open(file)) {
            int cols = r.columns();
            var kinds = new org.norm4j.cli.io.ParquetReader.Kind[cols];
            double[][] v = new double[cols][(int) Math.min(r.rows(), 1 << 16)];
            for (int c = 0; c < cols; c++) {
                kinds[c] = r.kind(c);
            }
            long at = 0;
            while (r.nextGroup()) {
                int n = (int) r.groupRows();
                if (at + n > v[0].length) {
                    throw new AssertionError("more rows than the footer declares");
                }
                for (int c = 0; c < cols; c++) {
                    r.read(c, r.numbers(c), v[c], (int) at, 1, n, null);
                }
                at += n;
            }
            return new Parquet(r.rows(), kinds, v);
        }
    }

    /**
     * An accepted Parquet file gives the written values (nulls as NaN) in every column still declared double: the
     * pages are checksummed, so a mutation of the data must be refused; the footer's own fields (names, types,
     * statistics) are not, and a column whose declared type was changed is read as that type.
     */
    static void verifyParquet(byte[] bytes, Parquet p) {
        for (int c = 0; c < p.kinds().length; c++) {
            if (p.kinds()[c] != org.norm4j.cli.io.ParquetReader.Kind.DOUBLE) {
                continue;
            }
            for (int i = 0; i < p.rows(); i++) {
                double want = parquetValue(i, c);
                double got = p.values()[c][i];
                assertTrue(Double.compare(want, got) == 0, "row " + i + " column " + c + ": " + got + ", written "
                        + want);
            }
        }
    }

    @Test
    void parquet() {
        property("parquet", ".parquet", TRIES / 2, MutatedFilesTest::validParquet, MutatedFilesTest::readParquet,
                MutatedFilesTest::verifyParquet, CliException.class);
    }

    // ---- IDX (plain and gzip) -------------------------------------------------------------------------

    static byte[] validIdx(Random rnd) {
        int rank = 1 + rnd.nextInt(3);
        int[] dims = new int[rank];
        int size = 1;
        for (int i = 0; i < rank; i++) {
            dims[i] = 1 + rnd.nextInt(6);
            size *= dims[i];
        }
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * rank + size);
        b.putInt(0x800 | rank);
        for (int d : dims) {
            b.putInt(d);
        }
        for (int i = 0; i < size; i++) {
            b.put((byte) rnd.nextInt(256));
        }
        if (rnd.nextInt(3) > 0) {
            return b.array();
        }
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(o)) {
            z.write(b.array());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return o.toByteArray();
    }

    /** An accepted IDX file must hold exactly the product of its dimensions in bytes after the header. */
    static void verifyIdx(byte[] bytes, Idx.Array a) throws IOException {
        byte[] plain = bytes;
        if (bytes.length > 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b) {
            try (GZIPInputStream z = new GZIPInputStream(new java.io.ByteArrayInputStream(bytes))) {
                plain = z.readAllBytes();
            }
        }
        long size = 1;
        for (int d : a.dims()) {
            size *= d;
        }
        assertEquals(size, a.data().length);
        int header = 4 + 4 * a.dims().length;
        assertEquals(plain.length, header + a.data().length, "the data must end the file");
        assertArrayEquals(java.util.Arrays.copyOfRange(plain, header, plain.length), a.data());
    }

    @Test
    void idx() {
        property("idx", "", MutatedFilesTest::validIdx, Idx::read, MutatedFilesTest::verifyIdx, IOException.class);
    }
}
