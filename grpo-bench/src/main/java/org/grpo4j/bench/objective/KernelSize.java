package org.grpo4j.bench.objective;

/** Batch shapes of the objective kernel benchmark, N sequences (whole groups of 8) × T tokens, 4K to 4M elements. */
public enum KernelSize {
    /** 4,096 elements. */
    E4K(64, 64),
    /** 65,536 elements. */
    E64K(256, 256),
    /** 1,048,576 elements (4 MiB per FLOAT array: the five arrays just fit the 32 MiB L3). */
    E1M(2048, 512),
    /** 4,194,304 elements (16 MiB per array, 80 MiB in all: DRAM). */
    E4M(8192, 512);

    private final int sequences;
    private final int tokens;

    KernelSize(int sequences, int tokens) {
        this.sequences = sequences;
        this.tokens = tokens;
    }

    /** @return N */
    public int sequences() {
        return sequences;
    }

    /** @return T (at most {@link ObjectiveShape#MAX_TOKENS}) */
    public int tokens() {
        return tokens;
    }

    /** @return N·T */
    public long elements() {
        return (long) sequences * tokens;
    }
}
