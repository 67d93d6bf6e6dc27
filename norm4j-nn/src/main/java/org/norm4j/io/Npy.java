package org.norm4j.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.norm4j.DType;
import org.norm4j.Shape;
import org.norm4j.Tensor;

/**
 * NumPy's {@code .npy} format (version 1.0) for one tensor: little-endian {@code <f4} or {@code <f8}, C order.
 * Used for the weights inside saved models, so NumPy can read them with {@code np.load}.
 */
public final class Npy {
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|=]?)([fi])(\\d)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order':\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npy() {
    }

    /** The bytes of a {@code .npy} file holding {@code t}. */
    public static byte[] write(Tensor t) {
        StringBuilder shape = new StringBuilder("(");
        int[] dims = t.shape().dims();
        for (int i = 0; i < dims.length; i++) {
            shape.append(dims[i]).append(dims.length == 1 ? "," : (i < dims.length - 1 ? ", " : ""));
        }
        shape.append(')');
        String dict = "{'descr': '" + (t.dtype() == DType.FLOAT32 ? "<f4" : "<f8") + "', 'fortran_order': False, "
                + "'shape': " + shape + ", }";
        int unpadded = MAGIC.length + 2 + 2 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(MAGIC.length + 4 + header.length() + t.size() * t.dtype().byteSize())
                .order(ByteOrder.LITTLE_ENDIAN);
        buf.put(MAGIC).put((byte) 1).put((byte) 0).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.US_ASCII));
        if (t.dtype() == DType.FLOAT32) {
            buf.asFloatBuffer().put(t.rawFloats());
        } else {
            buf.asDoubleBuffer().put(t.rawDoubles());
        }
        return buf.array();
    }

    /**
     * Reads a {@code .npy} file's bytes; {@code name} is used in errors.
     *
     * @throws IOException on a bad magic string, an unsupported dtype or order, or a truncated payload
     */
    public static Tensor read(byte[] bytes, String name) throws IOException {
        if (bytes.length < 10) {
            throw new IOException(name + ": " + bytes.length + " bytes is too short for a .npy header");
        }
        for (int i = 0; i < MAGIC.length; i++) {
            if (bytes[i] != MAGIC[i]) {
                throw new IOException(name + ": not a .npy file (bad magic string at byte " + i + ")");
            }
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int major = bytes[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = buf.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            headerLen = buf.getInt(8);
            start = 12;
        } else {
            throw new IOException(name + ": .npy version " + major + " at byte 6: expected 1, 2 or 3");
        }
        if (headerLen < 0 || start + (long) headerLen > bytes.length) {
            throw new IOException(name + ": truncated .npy header");
        }
        String header = new String(bytes, start, headerLen, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(header);
        Matcher f = FORTRAN.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !f.find() || !s.find()) {
            throw new IOException(name + ": malformed .npy header: " + header.trim());
        }
        if (d.group(1).equals(">") || !d.group(2).equals("f") || !(d.group(3).equals("4") || d.group(3).equals("8"))) {
            throw new IOException(name + ": dtype '" + d.group(1) + d.group(2) + d.group(3)
                    + "': expected little-endian float32 ('<f4') or float64 ('<f8')");
        }
        if (f.group(1).equals("True")) {
            throw new IOException(name + ": fortran_order True: expected C order");
        }
        String[] parts = s.group(1).split(",");
        int count = 0;
        int[] dims = new int[parts.length];
        int width = d.group(3).equals("4") ? 4 : 8;
        int data = start + headerLen;
        long available = bytes.length - (long) data;
        long values = 1;
        for (String p : parts) {
            if (p.isBlank()) {
                continue;
            }
            long dim;
            try {
                dim = Long.parseLong(p.trim());
            } catch (NumberFormatException e) {
                throw new IOException(name + ": shape entry '" + p.trim() + "': expected a non-negative integer");
            }
            if (dim < 0 || dim > Integer.MAX_VALUE) {
                throw new IOException(name + ": shape entry " + dim + ": expected a size in [0, 2147483647]");
            }
            values = dim == 0 || values <= available / dim ? values * dim : Long.MAX_VALUE;
            dims[count++] = (int) dim;
        }
        dims = java.util.Arrays.copyOf(dims, count);
        if (values > available / width) {
            throw new IOException(name + ": truncated .npy data: shape " + java.util.Arrays.toString(dims)
                    + " needs " + (values == Long.MAX_VALUE ? "more than " + available : values * width) + " bytes, "
                    + available + " present");
        }
        Shape shape = Shape.of(dims);
        buf.position(data);
        if (width == 4) {
            float[] v = new float[shape.size()];
            buf.asFloatBuffer().get(v);
            return Tensor.wrap(v, shape);
        }
        double[] v = new double[shape.size()];
        buf.asDoubleBuffer().get(v);
        return Tensor.wrap(v, shape);
    }

    static byte[] readAll(java.io.InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        in.transferTo(out);
        return out.toByteArray();
    }
}
