package org.norm4j.cli.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import org.norm4j.cli.CliException;
import org.norm4j.files.Text;

/**
 * A NumPy {@code .npz} archive ({@code np.savez}, {@code np.savez_compressed}): a zip file of {@code NAME.npy}
 * entries. One array is extracted (inflated) to a temporary file, which {@link NpyReader} then streams and deletes
 * when closed.
 */
final class NpzArchive {
    static final byte[] MAGIC = {'P', 'K', 3, 4};

    private NpzArchive() {
    }

    /** Whether a file is a .npz archive: its name ends with {@code .npz} or it starts with the zip magic. */
    static boolean isNpz(Path file) {
        if (file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".npz")) {
            return true;
        }
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(4), MAGIC);
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    /**
     * Extracts array {@code array} (null: the only one) to a temporary {@code .npy} file.
     *
     * @throws CliException naming the archive for a broken zip, no arrays, an unknown name, or several arrays and
     *     no name
     */
    static Path extract(Path npz, String array) {
        String name = Text.escape(npz.toString());
        try (ZipFile z = new ZipFile(npz.toFile())) {
            List<String> arrays = new ArrayList<>();
            Enumeration<? extends ZipEntry> en = z.entries();
            while (en.hasMoreElements()) {
                String n = en.nextElement().getName();
                if (n.endsWith(".npy")) {
                    arrays.add(n.substring(0, n.length() - 4));
                }
            }
            if (arrays.isEmpty()) {
                throw new CliException(name + ": no arrays in the .npz archive: expected NAME.npy entries");
            }
            String pick = array != null ? array : arrays.size() == 1 ? arrays.get(0) : null;
            if (pick == null || !arrays.contains(pick)) {
                throw new CliException(name + ": " + (pick == null ? arrays.size() + " arrays" : "no array '"
                        + Text.printable(pick) + "'") + " in the .npz archive: expected --array with one of "
                        + Text.printable(String.join(", ", arrays)));
            }
            Path tmp = Files.createTempFile("norm4j-npz-", ".npy");
            tmp.toFile().deleteOnExit(); // also on SIGINT/SIGTERM (JVM shutdown); only SIGKILL leaves it
            try (InputStream in = z.getInputStream(z.getEntry(pick + ".npy"));
                    OutputStream out = Files.newOutputStream(tmp)) {
                in.transferTo(out);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(tmp);
                throw e;
            }
            return tmp;
        } catch (ZipException e) {
            throw new CliException(name + ": not a valid .npz (zip) archive (" + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new CliException(name + ": read error (" + e.getMessage() + ")", e);
        }
    }
}
