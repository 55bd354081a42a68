package org.grpo4j.tasks.study.report;

import org.grpo4j.Checks;
import org.grpo4j.tasks.study.GrpoArm;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.transformer.PositionEncoding;

/**
 * One split of one (axis, encoding, p) group after one GRPO run, aggregated over seeds: accuracy before and after,
 * the gain, and pass@1 / pass@n before and after (n = samples per prompt).
 *
 * @param axis           the study
 * @param positions      the position encoding
 * @param oodFraction    p
 * @param split          the evaluation split
 * @param inDistribution whether it is the ID split
 * @param arm            which prompts GRPO trained on
 * @param beta           β
 * @param steps          the horizon
 * @param before         sampled accuracy of the base model (its mean Q)
 * @param after          sampled accuracy after GRPO
 * @param gain           after − before, per seed
 * @param greedyBefore   greedy accuracy of the base model
 * @param greedyAfter    greedy accuracy after GRPO
 * @param passAt1Before  pass@1 before
 * @param passAt1After   pass@1 after
 * @param passAtNBefore  pass@n before
 * @param passAtNAfter   pass@n after
 */
public record SummaryRow(StudyAxis axis, PositionEncoding positions, double oodFraction, String split,
                         boolean inDistribution, GrpoArm arm, double beta, int steps, Estimate before,
                         Estimate after, Estimate gain, Estimate greedyBefore, Estimate greedyAfter,
                         Estimate passAt1Before, Estimate passAt1After, Estimate passAtNBefore,
                         Estimate passAtNAfter) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if a reference is null
     */
    public SummaryRow {
        Checks.notNull("axis", axis);
        Checks.notNull("positions", positions);
        Checks.notNull("split", split);
        Checks.notNull("arm", arm);
        Checks.notNull("before", before);
        Checks.notNull("after", after);
        Checks.notNull("gain", gain);
        Checks.notNull("greedyBefore", greedyBefore);
        Checks.notNull("greedyAfter", greedyAfter);
        Checks.notNull("passAt1Before", passAt1Before);
        Checks.notNull("passAt1After", passAt1After);
        Checks.notNull("passAtNBefore", passAtNBefore);
        Checks.notNull("passAtNAfter", passAtNAfter);
    }
}
