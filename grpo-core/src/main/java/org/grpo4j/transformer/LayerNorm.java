package org.grpo4j.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Layer normalisation over the last dimension of a {@code [R, D]} matrix (Ba, Kiros &amp; Hinton 2016):
 * {@code y = (x − mean(x)) / sqrt(var(x) + ε) ⊙ gain + bias}, with the biased variance and ε = 1e-5 (PyTorch's
 * default). Forward and backward are whole-matrix ND4J ops; neither writes its inputs.
 */
final class LayerNorm {
    /** ε added to the variance. */
    static final double EPSILON = 1e-5;

    private LayerNorm() {
    }

    /**
     * What a forward pass returns and its backward pass needs.
     *
     * @param output     y, {@code [R, D]}
     * @param normalised x̂ = (x − mean) · rstd, {@code [R, D]}
     * @param inverseStd rstd = 1 / sqrt(var + ε), {@code [R, 1]}
     */
    record Forward(INDArray output, INDArray normalised, INDArray inverseStd) {
    }

    /**
     * Normalises each row.
     *
     * @param x    {@code [R, D]}
     * @param gain {@code [D]}
     * @param bias {@code [D]}
     * @return output and cache
     */
    static Forward forward(INDArray x, INDArray gain, INDArray bias) {
        INDArray centred = x.subColumnVector(x.mean(true, 1));                       // [R, D]
        INDArray variance = centred.mul(centred).mean(true, 1);                      // [R, 1]
        INDArray rstd = Transforms.pow(variance.addi(EPSILON), -0.5, false);         // [R, 1]
        INDArray xhat = centred.muliColumnVector(rstd);                              // [R, D]
        INDArray y = xhat.mulRowVector(gain).addiRowVector(bias);                    // [R, D]
        return new Forward(y, xhat, rstd);
    }

    /**
     * Back-propagates dL/dy, adding dL/dgain and dL/dbias into the gradient buffers.
     *
     * @param f        the forward pass
     * @param dy       dL/dy, {@code [R, D]}; not written
     * @param gain     {@code [D]}
     * @param gainGrad {@code [D]}, added to
     * @param biasGrad {@code [D]}, added to
     * @return dL/dx, a new {@code [R, D]} array
     */
    static INDArray backward(Forward f, INDArray dy, INDArray gain, INDArray gainGrad, INDArray biasGrad) {
        INDArray xhat = f.normalised();
        gainGrad.addi(dy.mul(xhat).sum(0));
        biasGrad.addi(dy.sum(0));
        // dx = rstd ⊙ (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)),  g = dy ⊙ gain
        INDArray g = dy.mulRowVector(gain);                                          // [R, D]
        INDArray meanG = g.mean(true, 1);                                            // [R, 1]
        INDArray meanGx = g.mul(xhat).mean(true, 1);                                 // [R, 1]
        return g.subiColumnVector(meanG).subi(xhat.mulColumnVector(meanGx)).muliColumnVector(f.inverseStd());
    }
}
