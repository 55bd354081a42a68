package org.grpo4j.bench.profile;

/**
 * One stack frame of a sample.
 *
 * @param type   the class, dotted ({@code org.grpo4j.transformer.FeedForward})
 * @param method the method name
 * @param line   the source line, or -1
 */
public record Frame(String type, String method, int line) {
    /** @return {@code SimpleClass.method} */
    public String shortName() {
        return type.substring(type.lastIndexOf('.') + 1) + "." + method;
    }
}
