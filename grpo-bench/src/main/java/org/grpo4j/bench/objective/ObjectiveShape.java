package org.grpo4j.bench.objective;

/**
 * The batch shapes {@code [N, T]} the objective is benchmarked on: N sequences (a whole number of groups of 8, TRL's
 * default group size) by T completion tokens.
 */
public enum ObjectiveShape {
    /** 8 groups of 8, 64 tokens: a small unit-test-sized batch. */
    N64_T64(64, 64),
    /** 32 groups of 8, 256 tokens. */
    N256_T256(256, 256),
    /** 128 groups of 8, 512 tokens: a typical GRPO training batch. */
    N1024_T512(1024, 512);

    /** The largest T of any shape; every variant's {@code maxCompletionLength}. */
    public static final int MAX_TOKENS = 512;

    private final int sequences;
    private final int tokens;

    ObjectiveShape(int sequences, int tokens) {
        this.sequences = sequences;
        this.tokens = tokens;
    }

    /** @return N, the number of sequences */
    public int sequences() {
        return sequences;
    }

    /** @return T, the number of completion tokens per sequence */
    public int tokens() {
        return tokens;
    }

    /** @return N * T, the number of elements of each per-token array */
    public long elements() {
        return (long) sequences * tokens;
    }
}
