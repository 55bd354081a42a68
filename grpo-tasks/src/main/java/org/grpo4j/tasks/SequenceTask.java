package org.grpo4j.tasks;

/**
 * A deterministic string transformation a toy model learns: the answer to input x is {@code apply(x)}.
 */
public enum SequenceTask {
    /** The answer is the input itself. */
    COPY,
    /** The answer is the input reversed. */
    REVERSE;

    /**
     * The answer for an input.
     *
     * @param x the input symbols
     * @return a new array holding the answer
     */
    public int[] apply(int[] x) {
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = switch (this) {
                case COPY -> x[i];
                case REVERSE -> x[x.length - 1 - i];
            };
        }
        return y;
    }
}
