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
}
