package org.grpo4j.bench.limits;

/** Array sizes of the STREAM-like benchmarks, in floats per array (three arrays for the triad). */
public enum StreamSize {
    /** 64 Ki floats (256 KiB) per array: the three arrays fit the 1 MiB L2 cache. */
    L2_256KIB(1 << 16),
    /** 16 Mi floats (64 MiB) per array: 192 MiB in all, six times the 32 MiB L3, so the data comes from DRAM. */
    DRAM_64MIB(1 << 24);

    private final int floats;

    StreamSize(int floats) {
        this.floats = floats;
    }

    /** @return floats per array */
    public int floats() {
        return floats;
    }
}
