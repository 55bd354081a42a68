package org.grpo4j.tasks.study.report;

import org.grpo4j.Checks;

/**
 * Evaluation prompts grouped by their base correct mass Q: the theory's predicted ceiling for them against the
 * accuracy observed after GRPO.
 *
 * @param label         the bin, e.g. {@code "Q = 0"} or {@code "0.25 < Q ≤ 0.5"}
 * @param beta          β of the GRPO runs pooled here
 * @param prompts       how many prompts (over every cell, split and seed) fell in the bin; ≥ 0
 * @param meanQ         their mean base Q (NaN when empty)
 * @param meanPredicted their mean predicted ceiling (NaN when empty)
 * @param meanObserved  their mean sampled accuracy after GRPO (NaN when empty)
 */
public record QBin(String label, double beta, int prompts, double meanQ, double meanPredicted,
                   double meanObserved) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if {@code label} is null or {@code prompts < 0}
     */
    public QBin {
        Checks.notNull("label", label);
        Checks.atLeast("prompts", prompts, 0);
    }
}
