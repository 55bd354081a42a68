package org.grpo4j;

import org.grpo4j.correction.CorrectionMetrics;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one evaluation of the GRPO objective returns. The arrays are new; the caller owns them.
 *
 * @param loss       the scalar loss to minimise
 * @param gradient   {@code [N, T]} dLoss/dlogp_new; exactly 0 where the mask is 0
 * @param advantages {@code [N]} the advantages used
 * @param metrics    diagnostics
 * @param correction diagnostics of the per-token corrections ({@link CorrectionMetrics#none()} without them)
 * @param entropyGradient {@code [N, T]} dLoss/dH of the entropy bonus ({@code −coef · w}, 0 where the mask is 0),
 *                   to back-propagate with {@link PolicyForward#backward(INDArray, INDArray)}; null without a bonus
 */
public record ObjectiveResult(double loss, INDArray gradient, INDArray advantages, ObjectiveMetrics metrics,
                              CorrectionMetrics correction, INDArray entropyGradient) {

    /**
     * Checks the correction metrics' presence.
     *
     * @throws IllegalArgumentException if {@code correction} is null
     */
    public ObjectiveResult {
        Checks.notNull("correction", correction);
    }

    /**
     * A result without per-token corrections.
     *
     * @param loss       the scalar loss
     * @param gradient   {@code [N, T]} dLoss/dlogp_new
     * @param advantages {@code [N]}
     * @param metrics    diagnostics
     * @throws IllegalArgumentException never
     */
    public ObjectiveResult(double loss, INDArray gradient, INDArray advantages, ObjectiveMetrics metrics) {
        this(loss, gradient, advantages, metrics, CorrectionMetrics.none(), null);
    }
}
