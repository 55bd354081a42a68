package org.grpo4j;

import java.util.Arrays;

/**
 * One sampled completion: its token ids, the log-probability of each token under the distribution it was sampled
 * from, and whether it was cut at the length limit before an end-of-sequence token.
 *
 * @param tokens    completion token ids, the end-of-sequence token included when one was sampled (copied)
 * @param logProbs  {@code logProbs[t]} is the log-probability of {@code tokens[t]} under the sampling distribution
 *                  (after temperature, top-k, top-p and min-p); same length as {@code tokens} (copied)
 * @param truncated {@code true} if generation stopped at the maximum length without an end-of-sequence token
 */
public record Completion(int[] tokens, float[] logProbs, boolean truncated) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if an array is null or the lengths differ
     */
    public Completion {
        Checks.notNull("tokens", tokens);
        Checks.notNull("logProbs", logProbs);
        if (tokens.length != logProbs.length) {
            throw new IllegalArgumentException("logProbs length (" + logProbs.length + ") must equal tokens length ("
                    + tokens.length + ")");
        }
        tokens = tokens.clone();
        logProbs = logProbs.clone();
    }

    /** @return a copy of the completion's token ids */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** @return a copy of the per-token sampling log-probabilities */
    @Override
    public float[] logProbs() {
        return logProbs.clone();
    }

    /** @return the number of completion tokens */
    public int length() {
        return tokens.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Completion c && truncated == c.truncated && Arrays.equals(tokens, c.tokens)
                && Arrays.equals(logProbs, c.logProbs);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(tokens) + Arrays.hashCode(logProbs) + (truncated ? 1 : 0);
    }

    @Override
    public String toString() {
        return "Completion[tokens=" + Arrays.toString(tokens) + ", truncated=" + truncated + "]";
    }
}
