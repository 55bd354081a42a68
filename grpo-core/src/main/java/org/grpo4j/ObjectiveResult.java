package org.grpo4j;

import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * What one evaluation of the GRPO objective returns. The arrays are new; the caller owns them.
 *
 * @param loss       the scalar loss to minimise
 * @param gradient   {@code [N, T]} dLoss/dlogp_new; exactly 0 where the mask is 0
 * @param advantages {@code [N]} the advantages used
 * @param metrics    diagnostics
 */
public record ObjectiveResult(double loss, INDArray gradient, INDArray advantages, ObjectiveMetrics metrics) {
}
