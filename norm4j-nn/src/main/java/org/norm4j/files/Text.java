package org.norm4j.files;

/** Text from files made safe to print in a one-line message. */
public final class Text {
    private Text() {
    }

    /**
     * A value read from a file, for a message: {@link #escape escaped}, and cut to 200 characters (197 and
     * {@code ...}).
     */
    public static String printable(String s) {
        String out = escape(s);
        return out.length() <= 200 ? out : out.substring(0, 197) + "...";
    }

    /**
     * {@code s} with control characters escaped ({@code \n}, {@code \t}, {@code \r}, other C0 and C1 controls and
     * DEL as {@code \xNN}), so that bytes read from a binary or gzipped file never reach a terminal raw. For file
     * names and whole messages, which are never cut.
     */
    public static String escape(String s) {
        if (s == null) {
            return "null";
        }
        StringBuilder sb = null;
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            boolean control = c < 0x20 || (c >= 0x7f && c <= 0x9f);
            if (control && sb == null) {
                sb = new StringBuilder(n + 16).append(s, 0, i);
            }
            if (sb != null) {
                if (c == '\n') {
                    sb.append("\\n");
                } else if (c == '\t') {
                    sb.append("\\t");
                } else if (c == '\r') {
                    sb.append("\\r");
                } else if (control) {
                    sb.append(String.format("\\x%02x", (int) c));
                } else {
                    sb.append(c);
                }
            }
        }
        return sb == null ? s : sb.toString();
    }
}
