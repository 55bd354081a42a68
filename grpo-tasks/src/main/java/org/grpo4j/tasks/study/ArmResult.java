package org.grpo4j.tasks.study;

import java.util.List;
import org.grpo4j.Checks;

/**
 * The model after one GRPO run of a cell, measured on every evaluation split.
 *
 * @param arm    which prompts GRPO trained on
 * @param beta   the KL coefficient β (0: KL-free)
 * @param steps  GRPO steps taken when measured (the short or the long horizon)
 * @param splits one measurement per evaluation split, in the dataset's order
 */
public record ArmResult(GrpoArm arm, double beta, int steps, List<SplitMetrics> splits) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a reference is null, {@code beta} is negative or not finite, or
     *                                  {@code steps < 1}
     */
    public ArmResult {
        Checks.notNull("arm", arm);
        Checks.nonNegative("beta", beta);
        Checks.atLeast("steps", steps, 1);
        splits = List.copyOf(Checks.notNull("splits", splits));
    }

    /**
     * @param name a split's name
     * @return its measurement
     * @throws IllegalArgumentException if there is none
     */
    public SplitMetrics split(String name) {
        return CellResult.find(splits, name);
    }
}
