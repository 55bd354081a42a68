package org.grpo4j.spark.bench;

/** Where a measured rollout step runs. */
public enum RolloutMode {
    /** {@code KeyedGroupSampler} and a {@code VerifierRunner} in the driver's JVM: no Spark at all. */
    LOCAL(0),
    /** The Spark sampler on {@code local[1]}: one executor core, the same work as LOCAL plus Spark's overhead. */
    SPARK_1(1),
    /** The Spark sampler on {@code local[2]}: two executor cores. */
    SPARK_2(2);

    private final int cores;

    RolloutMode(int cores) {
        this.cores = cores;
    }

    /** @return executor cores, 0 for no Spark */
    public int cores() {
        return cores;
    }
}
