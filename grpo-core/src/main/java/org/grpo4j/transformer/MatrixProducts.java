package org.grpo4j.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The 2-D matrix product every layer uses. {@code INDArray.mmul} in ND4J 1.0.0-M2.1 multiplies into an
 * 'f'-ordered temporary and then copies it into a new 'c'-ordered result with a strided {@code assign}: at the
 * studies' shapes ({@code [4608, 64] × [64, 256]}, {@code [4608, 64] × [64, 192]}) that copy took longer than
 * the product itself (JFR: 9.5% of a GRPO step in {@code execTransformAny} under {@code mmul}).
 * {@code Nd4j.gemm} writes the product directly and gives bit-identical results, so it replaces
 * {@code mmul} everywhere on the training and decoding paths.
 */
final class MatrixProducts {
    private MatrixProducts() {
    }

    /**
     * {@code a · b}.
     *
     * @param a {@code [M, K]}
     * @param b {@code [K, N]}
     * @return a new {@code [M, N]} array, 'c' order
     * @throws IllegalArgumentException if the inner dimensions differ (from ND4J)
     */
    static INDArray times(INDArray a, INDArray b) {
        return Nd4j.gemm(a, b, false, false);
    }
}
