package org.norm4j.io;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The members of a zip file held in memory, each checked before use: its name unique, its size within the
 * file's (or, compressed, within deflate's maximum ratio) before anything is allocated, and its CRC-32 equal
 * to the one recorded, so that a flipped bit anywhere in a member's data is an error and never a silently
 * different model.
 */
final class ZipMembers {
    /** Deflate cannot expand data more than about 1032 times. */
    private static final long MAX_RATIO = 1100;
    private static final int MAX_MEMBERS = 100_000;

    private ZipMembers() {
    }

    /**
     * Every member's bytes by name (directories left out).
     *
     * @throws KerasFormatException naming the file, the member, the value and what was expected
     */
    static Map<String, byte[]> read(byte[] zip, String where) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                String at = where + "!" + e.getName();
                if (out.size() >= MAX_MEMBERS) {
                    throw new KerasFormatException(where + ": more than " + MAX_MEMBERS + " zip members");
                }
                if (e.isDirectory()) {
                    continue;
                }
                if (out.containsKey(e.getName())) {
                    throw new KerasFormatException(at + ": member appears twice: expected unique names");
                }
                try {
                    out.put(e.getName(), member(in, e, zip.length, at));
                } catch (IOException x) {
                    throw new KerasFormatException(at + ": corrupted member (" + x.getMessage() + ")", x);
                }
            }
        } catch (IOException | IllegalArgumentException e) {
            throw new KerasFormatException(where + ": malformed zip (" + e.getMessage() + ")", e);
        }
        if (out.isEmpty()) {
            throw new KerasFormatException(where + ": a zip without members: expected a .keras archive");
        }
        return out;
    }

    private static byte[] member(InputStream in, ZipEntry e, long zipBytes, String at) throws IOException {
        long limit = e.getMethod() == ZipEntry.STORED ? zipBytes : Math.min(Integer.MAX_VALUE - 64,
                zipBytes * MAX_RATIO);
        long declared = e.getSize();
        if (declared > limit) {
            throw new KerasFormatException(at + ": declares " + declared + " bytes: expected at most " + limit
                    + " in a zip of " + zipBytes + " bytes");
        }
        byte[] data = in.readNBytes((int) Math.min(limit, Integer.MAX_VALUE - 64) + 1);
        if (data.length > limit || (declared >= 0 && data.length != declared)) {
            throw new KerasFormatException(at + ": holds " + data.length + " bytes: expected " + (declared >= 0
                    ? declared : "at most " + limit));
        }
        CRC32 crc = new CRC32();
        crc.update(data);
        if (e.getCrc() >= 0 && crc.getValue() != e.getCrc()) {
            throw new KerasFormatException(at + ": CRC-32 " + Long.toHexString(crc.getValue()) + " of its "
                    + data.length + " bytes: expected " + Long.toHexString(e.getCrc()) + " (corrupted member)");
        }
        return data;
    }
}
