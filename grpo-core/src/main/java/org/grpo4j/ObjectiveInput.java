package org.grpo4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The tensors the GRPO objective is a function of, for a batch of N = groups × G sequences with T completion
 * tokens. Sequences are group-major: sequences {@code [g*G, (g+1)*G)} are the G completions of prompt g. All
 * per-token arrays share one floating data type (FLOAT or DOUBLE), which the result uses too. The objective reads
 * these arrays and never writes them.
 *
 * @param rewards    {@code [N]} scalar reward of each sequence
 * @param advantages {@code [N]} precomputed advantages to use instead of deriving them from {@code rewards}
 *                   (the trainer computes them once per batch, before it is split into mini-batches), or null
 * @param logpNew    {@code [N, T]} log-probabilities of the completion tokens under the policy being optimised;
 *                   the gradient is taken with respect to this array
 * @param logpOld    {@code [N, T]} log-probabilities under the policy that sampled the batch, or null for
 *                   on-policy ({@code logpOld = logpNew}, treated as a constant)
 * @param logpRef    {@code [N, T]} log-probabilities under the frozen reference policy; may be null only when
 *                   {@link GrpoConfig#beta()} is 0
 * @param mask       {@code [N, T]} 1 for a completion token, 0 for padding or a token excluded from the loss
 * @param logpSampling {@code [N, T]} log-probabilities the sampler recorded when it drew the tokens
 *                   ({@link Completion#logProbs()}), or null; read only by a
 *                   {@link org.grpo4j.correction.RolloutCorrection} that uses them (absent: no importance weight)
 * @param entropies  {@code [N, T]} entropies (nats) of the policy's next-token distributions
 *                   ({@link PolicyForward#entropies()}), or null; read only by an
 *                   {@link org.grpo4j.correction.EntropyControl} that masks tokens, which requires them
 */
public record ObjectiveInput(INDArray rewards, INDArray advantages, INDArray logpNew, INDArray logpOld,
                             INDArray logpRef, INDArray mask, INDArray logpSampling, INDArray entropies) {

    /**
     * Checks that the required arrays are present; shapes and values are checked by the objective, which knows
     * the configuration.
     *
     * @throws IllegalArgumentException if {@code rewards}, {@code logpNew} or {@code mask} is null
     */
    public ObjectiveInput {
        Checks.notNull("rewards", rewards);
        Checks.notNull("logpNew", logpNew);
        Checks.notNull("mask", mask);
    }

    /**
     * Input without sampling log-probabilities or entropies.
     *
     * @param rewards    {@code [N]}
     * @param advantages {@code [N]} or null
     * @param logpNew    {@code [N, T]}
     * @param logpOld    {@code [N, T]} or null for on-policy
     * @param logpRef    {@code [N, T]} or null when β = 0
     * @param mask       {@code [N, T]}
     * @throws IllegalArgumentException if {@code rewards}, {@code logpNew} or {@code mask} is null
     */
    public ObjectiveInput(INDArray rewards, INDArray advantages, INDArray logpNew, INDArray logpOld,
                          INDArray logpRef, INDArray mask) {
        this(rewards, advantages, logpNew, logpOld, logpRef, mask, null, null);
    }

    /**
     * Input whose advantages are derived from the rewards.
     *
     * @param rewards {@code [N]}
     * @param logpNew {@code [N, T]}
     * @param logpOld {@code [N, T]} or null for on-policy
     * @param logpRef {@code [N, T]} or null when β = 0
     * @param mask    {@code [N, T]}
     * @return the input
     * @throws IllegalArgumentException if {@code rewards}, {@code logpNew} or {@code mask} is null
     */
    public static ObjectiveInput of(INDArray rewards, INDArray logpNew, INDArray logpOld, INDArray logpRef,
                                    INDArray mask) {
        return new ObjectiveInput(rewards, null, logpNew, logpOld, logpRef, mask);
    }

    /**
     * This input with precomputed advantages.
     *
     * @param precomputed {@code [N]}
     * @return a new input sharing the other arrays
     * @throws IllegalArgumentException never for a non-null record
     */
    public ObjectiveInput withAdvantages(INDArray precomputed) {
        return new ObjectiveInput(rewards, precomputed, logpNew, logpOld, logpRef, mask, logpSampling, entropies);
    }

    /**
     * This input with the sampler's log-probabilities.
     *
     * @param sampling {@code [N, T]} or null
     * @return a new input sharing the other arrays
     * @throws IllegalArgumentException never for a non-null record
     */
    public ObjectiveInput withLogpSampling(INDArray sampling) {
        return new ObjectiveInput(rewards, advantages, logpNew, logpOld, logpRef, mask, sampling, entropies);
    }

    /**
     * This input with the policy's per-token entropies.
     *
     * @param h {@code [N, T]} or null
     * @return a new input sharing the other arrays
     * @throws IllegalArgumentException never for a non-null record
     */
    public ObjectiveInput withEntropies(INDArray h) {
        return new ObjectiveInput(rewards, advantages, logpNew, logpOld, logpRef, mask, logpSampling, h);
    }
}
