package org.norm4j.cli.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Mutations of a valid file, as a fault injector would make them: bit flips, truncations, insertions of random
 * or structural bytes, duplicated spans, and numbers replaced by huge ones. Deterministic for a seed, so a
 * failure names the seed that reproduces it.
 */
final class Mutator {
    private static final byte[][] HUGE = {"99999999999999999999".getBytes(), "1e999".getBytes(), "-1e400".getBytes(),
        "4611686018427387904".getBytes(), "2147483648".getBytes(), "-9223372036854775809".getBytes(),
        "18446744073709551616".getBytes(), "0".getBytes(), "-1".getBytes()};
    private static final byte[] STRUCTURAL = {0, (byte) 0xff, '\n', '\r', '"', '\'', ',', '{', '}', '(', ')', '[', ']',
        ':', '-', '9', ' ', '\t', 0x1b, (byte) 0x93};

    private Mutator() {
    }

    /** One to three mutations of {@code valid}. */
    static byte[] mutate(byte[] valid, Random rnd) {
        byte[] b = valid;
        int n = 1 + rnd.nextInt(3);
        for (int i = 0; i < n; i++) {
            b = once(b, rnd);
        }
        return b;
    }

    private static byte[] once(byte[] b, Random rnd) {
        if (b.length == 0) {
            return new byte[] {STRUCTURAL[rnd.nextInt(STRUCTURAL.length)]};
        }
        int at = rnd.nextInt(b.length);
        switch (rnd.nextInt(6)) {
            case 0: { // bit flip
                byte[] c = b.clone();
                c[at] ^= (byte) (1 << rnd.nextInt(8));
                return c;
            }
            case 1: // truncation
                return java.util.Arrays.copyOf(b, at);
            case 2: { // insertion of random or structural bytes
                byte[] ins = new byte[1 + rnd.nextInt(8)];
                for (int k = 0; k < ins.length; k++) {
                    ins[k] = rnd.nextBoolean() ? (byte) rnd.nextInt(256) : STRUCTURAL[rnd.nextInt(STRUCTURAL.length)];
                }
                return splice(b, at, 0, ins);
            }
            case 3: { // a duplicated span
                int len = 1 + rnd.nextInt(Math.min(64, b.length - at));
                byte[] span = java.util.Arrays.copyOfRange(b, at, at + len);
                return splice(b, rnd.nextInt(b.length + 1), 0, span);
            }
            case 4: { // a number replaced by a huge one (or the first digit run after a random point)
                int start = at;
                while (start < b.length && (b[start] < '0' || b[start] > '9')) {
                    start++;
                }
                if (start == b.length) {
                    return splice(b, at, 0, HUGE[rnd.nextInt(HUGE.length)]);
                }
                int end = start;
                while (end < b.length && b[end] >= '0' && b[end] <= '9') {
                    end++;
                }
                return splice(b, start, end - start, HUGE[rnd.nextInt(HUGE.length)]);
            }
            default: { // one byte overwritten by a structural byte
                byte[] c = b.clone();
                c[at] = STRUCTURAL[rnd.nextInt(STRUCTURAL.length)];
                return c;
            }
        }
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] ins) {
        ByteArrayOutputStream o = new ByteArrayOutputStream(b.length + ins.length);
        o.write(b, 0, at);
        o.write(ins, 0, ins.length);
        o.write(b, at + remove, b.length - at - remove);
        return o.toByteArray();
    }
}
