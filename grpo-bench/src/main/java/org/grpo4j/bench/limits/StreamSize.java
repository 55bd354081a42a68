package org.grpo4j.bench.limits;

/** Array sizes of the STREAM-like benchmarks, in floats per array (three arrays for the triad). */
public enum StreamSize {
    /** 64 Ki floats (256 KiB) per array: the three arrays fit a core's 2 MiB L2 cache. */
    L2_256KIB(1 << 16),
    /**
     * 16 Mi floats (64 MiB) per array: 192 MiB in all, inside the 480 MiB L3 that {@code lscpu} reports on the
     * project's machines (and outside the 32–105 MiB L3 of most other x86 servers).
     */
    L3_64MIB(1 << 24),
    /** 256 Mi floats (1 GiB) per array: 3 GiB in all, six times that L3, so the data comes from DRAM. */
    DRAM_1GIB(1 << 28);

    private final int floats;

    StreamSize(int floats) {
        this.floats = floats;
    }

    /** @return floats per array */
    public int floats() {
        return floats;
    }
}
