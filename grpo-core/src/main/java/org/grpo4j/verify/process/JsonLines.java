package org.grpo4j.verify.process;

import java.util.function.Function;
import org.grpo4j.Prompt;

/** Writes the request lines of the protocol (see {@link ProcessVerifier}): JSON by hand, no dependency. */
final class JsonLines {
    private JsonLines() {
    }

    /**
     * One request line, without the line feed.
     *
     * @param index      the completion's position in this process's batch
     * @param prompt     its prompt
     * @param completion its token ids
     * @param decoder    turns token ids into text, or null for no text fields
     * @return the JSON object
     */
    static String request(int index, Prompt prompt, int[] completion, Function<int[], String> decoder) {
        StringBuilder b = new StringBuilder(64 + 8 * (prompt.length() + completion.length));
        b.append("{\"index\":").append(index);
        b.append(",\"prompt_id\":");
        string(b, prompt.id());
        int[] tokens = prompt.tokens();
        int[] target = prompt.target();
        b.append(",\"prompt\":");
        ints(b, tokens);
        b.append(",\"target\":");
        ints(b, target);
        b.append(",\"completion\":");
        ints(b, completion);
        if (decoder != null) {
            b.append(",\"prompt_text\":");
            string(b, decoder.apply(tokens));
            b.append(",\"target_text\":");
            string(b, decoder.apply(target));
            b.append(",\"completion_text\":");
            string(b, decoder.apply(completion.clone()));
        }
        return b.append('}').toString();
    }

    static void ints(StringBuilder b, int[] values) {
        b.append('[');
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                b.append(',');
            }
            b.append(values[i]);
        }
        b.append(']');
    }

    /**
     * A JSON string: quotes, backslashes and control characters escaped (RFC 8259 section 7), and so are lone
     * surrogates, which UTF-8 could not carry; everything else as itself, so the line is valid UTF-8.
     */
    static void string(StringBuilder b, String s) {
        if (s == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    boolean pairedHigh = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (pairedHigh) {
                        b.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || Character.isSurrogate(c) || c == 0x7f) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('"');
    }
}
