package org.grpo4j.verify.process;

import java.util.regex.Pattern;

/** Parses the reward lines of the protocol strictly: one finite JSON number per line. */
final class RewardLines {
    /** RFC 8259 section 6: {@code -? int frac? exp?}, no leading zeros, no {@code +}, no hex, no NaN. */
    private static final Pattern NUMBER = Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][+-]?[0-9]+)?");

    private RewardLines() {
    }

    /**
     * The reward on a line, or null if the line is not one: a JSON number, optionally surrounded by spaces or tabs,
     * and optionally ending in a carriage return, whose value is finite as a double.
     *
     * @param line the line, without its line feed
     * @return the reward, or null
     */
    static Double parse(String line) {
        String s = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
        int from = 0;
        int to = s.length();
        while (from < to && (s.charAt(from) == ' ' || s.charAt(from) == '\t')) {
            from++;
        }
        while (to > from && (s.charAt(to - 1) == ' ' || s.charAt(to - 1) == '\t')) {
            to--;
        }
        String number = s.substring(from, to);
        if (!NUMBER.matcher(number).matches()) {
            return null;
        }
        double v = Double.parseDouble(number);
        return Double.isFinite(v) ? v : null;
    }

    /** A line quoted for a message: at most 80 characters, non-printable ones escaped. */
    static String quote(String line) {
        StringBuilder b = new StringBuilder("'");
        int n = Math.min(line.length(), 80);
        for (int i = 0; i < n; i++) {
            char c = line.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        b.append('\'');
        if (line.length() > n) {
            b.append(" (").append(line.length()).append(" characters)");
        }
        return b.toString();
    }
}
