package org.grpo4j.theory;

/**
 * How {@link ExactGrpo} feeds the enumerated groups to the objective.
 */
public enum Evaluation {
    /**
     * One objective call per joint batch (one group per prompt, exactly the batch the trainer forms). Exact for
     * any objective; one call per enumerated batch.
     */
    PER_BATCH,
    /**
     * All enumerated groups stacked into one objective call, each group's gradient rescaled to a batch of P
     * groups and weighted by its probability. Exact for objectives that are <em>separable</em>: a group's
     * gradient depends on the other groups of the batch only through the batch size N in the aggregation's
     * 1/N. {@link org.grpo4j.objective.Nd4jGrpoObjective} is separable for every configuration except
     * {@link org.grpo4j.AdvantageScaling#BATCH_STD}, whose standard deviation spans the batch, so
     * {@code BATCH_STD} is rejected. Tens of times faster for small groups.
     */
    STACKED
}
