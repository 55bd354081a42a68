package org.grpo4j.verify.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.charset.StandardCharsets;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

/** The protocol's hand-written JSON strings and strict reward lines, against independent decoders. */
class ProtocolProperties {

    @Property(tries = 500)
    void jsonStringsDecodeBackToTheTextAndAreValidUtf8(@ForAll String text) {
        StringBuilder b = new StringBuilder();
        JsonLines.string(b, text);
        String json = b.toString();
        for (char c : json.toCharArray()) {
            assertFalse(c < 0x20, "no raw control character in " + json);
        }
        String roundTrip = new String(json.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        assertEquals(json, roundTrip, "no lone surrogate survives unescaped");
        assertEquals(text, decode(json));
    }

    /** An independent decoder of one JSON string (RFC 8259 section 7). */
    private static String decode(String json) {
        if (json.length() < 2 || json.charAt(0) != '"' || json.charAt(json.length() - 1) != '"') {
            throw new IllegalArgumentException("not a JSON string: " + json);
        }
        StringBuilder out = new StringBuilder();
        for (int i = 1; i < json.length() - 1; i++) {
            char c = json.charAt(i);
            if (c == '"') {
                throw new IllegalArgumentException("unescaped quote at " + i);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = json.charAt(++i);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    out.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new IllegalArgumentException("bad escape \\" + e);
            }
        }
        return out.toString();
    }

    @Property(tries = 500)
    void everyFiniteDoubleAsJavaPrintsItIsReadBack(@ForAll double d) {
        if (Double.isFinite(d)) {
            assertEquals(d, RewardLines.parse(Double.toString(d)));
            assertEquals(d, RewardLines.parse(" " + d + "\t\r"));
        } else {
            assertNull(RewardLines.parse(Double.toString(d)));
        }
    }

    @Property(tries = 200)
    void integersAndScientificNotationAreNumbers(@ForAll @IntRange(min = -100000, max = 100000) int i,
                                                 @ForAll @DoubleRange(min = -1e6, max = 1e6) double x) {
        assertEquals((double) i, RewardLines.parse(Integer.toString(i)));
        String sci = String.format(java.util.Locale.ROOT, "%e", x);
        assertEquals(Double.parseDouble(sci), RewardLines.parse(sci));
    }
}
