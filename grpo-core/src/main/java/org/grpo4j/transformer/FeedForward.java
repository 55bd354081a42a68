package org.grpo4j.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The position-wise feed-forward network of a block, {@code y = act(H W1) W2} (Vaswani et al. 2017, eq. 2),
 * over all {@code R = N·L} rows at once; no biases (as nanoGPT's {@code bias=False}). GELU is written out as
 * {@code z · σ(1.702 z)} with ND4J's sigmoid, not ND4J's {@code gelu} op, whose constant is the float 1.702f even
 * in DOUBLE.
 */
final class FeedForward {
    private FeedForward() {
    }

    /**
     * What a forward pass returns and its backward pass needs.
     *
     * @param input         H, {@code [R, D]}
     * @param preActivation Z = H W1, {@code [R, F]}
     * @param activation    A = act(Z), {@code [R, F]}
     * @param gate          σ(1.702 Z) for GELU, null for ReLU, {@code [R, F]}
     * @param output        A W2, {@code [R, D]}
     * @param kind          the non-linearity
     */
    record Forward(INDArray input, INDArray preActivation, INDArray activation, INDArray gate, INDArray output,
                   MlpActivation kind) {
    }

    /** The slope in GELU's sigmoid approximation {@code z · σ(1.702 z)}. */
    static final double GELU_SLOPE = 1.702;

    /**
     * The forward pass.
     *
     * @param h    {@code [R, D]}
     * @param w1   {@code [D, F]}
     * @param w2   {@code [F, D]}
     * @param kind the non-linearity
     * @return output and cache
     */
    static Forward forward(INDArray h, INDArray w1, INDArray w2, MlpActivation kind) {
        INDArray z = MatrixProducts.times(h, w1);                                                 // [R, F]
        INDArray gate = switch (kind) {
            case GELU -> Transforms.sigmoid(z.mul(GELU_SLOPE), false);                // σ(1.702 Z)
            case RELU -> null;
        };
        INDArray a = switch (kind) {
            case GELU -> z.mul(gate);
            case RELU -> Transforms.relu(z, true);
        };
        return new Forward(h, z, a, gate, MatrixProducts.times(a, w2), kind);
    }

    /**
     * Back-propagates dL/dy, adding dL/dW1 and dL/dW2 into the gradient buffers.
     *
     * @param f      the forward pass
     * @param dy     dL/dy, {@code [R, D]}; not written
     * @param w1     {@code [D, F]}
     * @param w2     {@code [F, D]}
     * @param w1Grad {@code [D, F]}, added to
     * @param w2Grad {@code [F, D]}, added to
     * @return dL/dH, a new {@code [R, D]} array
     */
    static INDArray backward(Forward f, INDArray dy, INDArray w1, INDArray w2, INDArray w1Grad, INDArray w2Grad) {
        Nd4j.gemm(f.activation(), dy, w2Grad, true, false, 1.0, 1.0);                // dW2 += Aᵀ dY
        INDArray dz = Nd4j.gemm(dy, w2, false, true);                                // dA = dY W2ᵀ, [R, F]
        INDArray slope = switch (f.kind()) {                                          // act'(Z), [R, F]
            // d/dz z·σ(kz) = σ + k z σ (1 − σ) = σ + k a (1 − σ)
            case GELU -> f.gate().rsub(1.0).muli(f.activation()).muli(GELU_SLOPE).addi(f.gate());
            case RELU -> Transforms.step(f.preActivation());
        };
        dz.muli(slope);
        Nd4j.gemm(f.input(), dz, w1Grad, true, false, 1.0, 1.0);                     // dW1 += Hᵀ dZ
        return Nd4j.gemm(dz, w1, false, true);                                       // dH = dZ W1ᵀ
    }
}
