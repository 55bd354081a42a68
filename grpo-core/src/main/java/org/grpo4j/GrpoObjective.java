package org.grpo4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The GRPO objective as a pure function: from rewards and log-probabilities to the loss, its gradient with respect
 * to the new policy's per-token log-probabilities, the advantages and metrics. It never mutates its inputs.
 * Every formula is written out in {@code docs/objective.md}. Every finite input gives a finite loss, gradient
 * and metrics (the log-ratios are clamped to [−20, 20]) or is rejected.
 *
 * <p>Shapes: N = groups × G sequences (group-major), T completion tokens; rewards and advantages {@code [N]},
 * log-probabilities, mask and gradient {@code [N, T]}.
 */
public interface GrpoObjective {

    /**
     * Evaluates the loss and its gradient.
     *
     * @param input  rewards, log-probabilities and mask
     * @param config the variant
     * @return loss, dLoss/dlogp_new {@code [N, T]}, advantages {@code [N]} and metrics
     * @throws IllegalArgumentException if a shape does not match (both shapes are named), N is not a whole number
     *                                  of groups of {@code config.groupSize()}, T exceeds
     *                                  {@code config.maxCompletionLength()}, a reward or log-probability is NaN or
     *                                  infinite, the mask holds a value other than 0 or 1, the arrays' data types
     *                                  differ or are not floating, {@code logpRef} is missing while β &gt; 0, β,
     *                                  an advantage or (for {@link PolicyLoss#KL_COV}) the KL-Cov coefficient
     *                                  exceeds {@code max(type) / (4 e^20)} for the log-probabilities' type
     *                                  (docs/objective.md, "Finite results"), or
     *                                  {@code input} or {@code config} is null
     */
    ObjectiveResult evaluate(ObjectiveInput input, GrpoConfig config);

    /**
     * The advantages of a batch of rewards, as {@link #evaluate} derives them.
     *
     * @param rewards {@code [N]}
     * @param config  the variant (group size, baseline, scaling, epsilon)
     * @return {@code [N]} advantages in the rewards' data type; exactly 0 for every member of a group whose
     *         rewards are all equal
     * @throws IllegalArgumentException if {@code rewards} is not a floating vector, N is not a positive multiple of
     *                                  the group size, a reward is not finite, or an argument is null
     */
    INDArray advantages(INDArray rewards, GrpoConfig config);
}
