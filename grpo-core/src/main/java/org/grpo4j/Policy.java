package org.grpo4j;

import java.util.List;
import java.util.random.RandomGenerator;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A stochastic sequence policy pi_theta(y | x) over a vocabulary of token ids {@code [0, vocabularySize())}: it
 * samples completions for prompts, scores given completions token by token, and back-propagates an upstream
 * gradient dLoss/dlogp into its {@link #parameters()}.
 *
 * <p>A tabular policy (one token per completion), a transformer and a user's own model all fit: the trainer only
 * needs {@link #sample}, {@link #forward} and {@link #parameters}. Implementations are not required to be
 * thread-safe.
 */
public interface Policy {

    /** @return V, the number of token ids */
    int vocabularySize();

    /**
     * Whether {@link #sample}, {@link #forward}, the backward pass and the optimiser may run inside an ND4J memory
     * workspace ({@link org.grpo4j.memory.Workspaces#step}): true only when the policy caches no array created
     * during those calls (or creates its caches in {@link org.grpo4j.memory.Workspaces#outside()}). The trainer
     * and pretraining then reuse one block of native memory per step; the default, false, is always safe.
     *
     * @return false unless the implementation guarantees the rule above
     */
    default boolean supportsWorkspaces() {
        return false;
    }

    /**
     * Samples one completion for each prompt.
     *
     * @param prompts  the prompts' token ids
     * @param sampling temperature, filters and stop conditions
     * @param rng      the only source of randomness
     * @return one completion per prompt, in order
     * @throws IllegalArgumentException if a prompt is empty, holds an id outside the vocabulary or does not fit
     *                                  the policy's context
     */
    List<Completion> sample(List<int[]> prompts, SamplingConfig sampling, RandomGenerator rng);

    /**
     * A differentiable forward pass over a batch of N sequences with T completion tokens.
     *
     * @param batch the sequences
     * @return log-probabilities {@code [N, T]}, entropies {@code [N, T]} and the backward pass
     * @throws IllegalArgumentException if a token is outside the vocabulary or a sequence does not fit the context
     */
    PolicyForward forward(SequenceBatch batch);

    /**
     * Per-token log-probabilities of the completions, without keeping what a backward pass would need.
     *
     * @param batch the sequences
     * @return {@code [N, T]}; padded positions hold 0
     * @throws IllegalArgumentException as {@link #forward}
     */
    default INDArray logProbs(SequenceBatch batch) {
        return forward(batch).logProbs();
    }

    /**
     * The trainable tensors and their gradient buffers, in a fixed order.
     *
     * @return live views of the parameters
     */
    List<Parameter> parameters();

    /** Sets every gradient buffer to zero. */
    default void zeroGradients() {
        for (Parameter p : parameters()) {
            p.gradient().assign(0);
        }
    }

    /**
     * A deep copy with equal parameter values and zeroed gradients, e.g. the frozen reference policy.
     *
     * @return an independent policy
     */
    Policy copy();
}
