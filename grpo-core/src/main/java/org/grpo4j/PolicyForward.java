package org.grpo4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The result of a differentiable forward pass of a {@link Policy} over a {@link SequenceBatch} of N sequences with
 * T completion tokens. It keeps what the backward pass needs, so {@link #backward} may be called once the loss's
 * gradient is known.
 */
public interface PolicyForward {

    /**
     * Per-token log-probabilities of the completion tokens given everything before them.
     *
     * @return {@code [N, T]}; padded positions hold 0
     */
    INDArray logProbs();

    /**
     * Per-token entropy (nats) of the next-token distribution at each completion position.
     *
     * @return {@code [N, T]}; padded positions hold 0
     */
    INDArray entropies();

    /**
     * Back-propagates an upstream gradient into the policy's {@link Parameter#gradient() gradient buffers}, adding
     * to what they hold.
     *
     * @param dLossDLogProbs dLoss/dlogp, shape {@code [N, T]}; padded positions are ignored
     * @throws IllegalArgumentException if the shape is not {@code [N, T]}
     */
    void backward(INDArray dLossDLogProbs);

    /**
     * Back-propagates upstream gradients with respect to both the log-probabilities and the entropies (an entropy
     * bonus, {@code docs/objective.md}, "Entropy bonus"): the entropy's gradient flows into the whole next-token
     * distribution, {@code dH/dz_k = −p_k (log p_k + H)} for the logits z, not only the taken token's.
     *
     * <p>The default handles {@code dLossDEntropies == null} as {@link #backward(INDArray)} and otherwise throws;
     * a policy that supports an entropy bonus overrides it.
     *
     * @param dLossDLogProbs  dLoss/dlogp, shape {@code [N, T]}; padded positions are ignored
     * @param dLossDEntropies dLoss/dH, shape {@code [N, T]}, or null; padded positions are ignored
     * @throws IllegalArgumentException      if a shape is not {@code [N, T]}
     * @throws UnsupportedOperationException if {@code dLossDEntropies} is given and this policy cannot
     *                                       back-propagate through its entropies
     */
    default void backward(INDArray dLossDLogProbs, INDArray dLossDEntropies) {
        if (dLossDEntropies != null) {
            throw new UnsupportedOperationException(getClass().getName() + " cannot back-propagate through its "
                    + "entropies, which an entropy bonus (entropyControl.entropyCoefficient > 0) needs");
        }
        backward(dLossDLogProbs);
    }
}
