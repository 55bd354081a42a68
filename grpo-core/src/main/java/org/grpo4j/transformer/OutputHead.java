package org.grpo4j.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The output head and its log-softmax: {@code logits = H W_out} over all R rows in one matmul, then, for the M
 * (row, target) pairs that are scored, the target's log-probability and the distribution's entropy, computed in
 * plain Java in double precision (M·V values: below the cost of a few ND4J ops). The head is untied from the token
 * embedding.
 */
final class OutputHead {
    private OutputHead() {
    }

    /**
     * What a forward pass returns and its backward pass needs.
     *
     * @param input         H, {@code [R, D]}
     * @param rows          M row indices into H; -1 marks a padded pair that is not scored
     * @param targets       M target token ids (ignored where {@code rows[m] == -1})
     * @param probabilities softmax(logits) of each scored pair, {@code M·V} values (0 for padding)
     * @param logProbs      M target log-probabilities (0 for padding)
     * @param entropies     M entropies in nats (0 for padding)
     * @param rowCount      R
     */
    record Forward(INDArray input, int[] rows, int[] targets, double[] probabilities, double[] logProbs,
                   double[] entropies, int rowCount) {
    }

    /**
     * Scores M (row, target) pairs.
     *
     * @param h       {@code [R, D]}
     * @param wout    {@code [D, V]}
     * @param rows    M row indices in {@code [0, R)} or -1
     * @param targets M token ids in {@code [0, V)}
     * @return scores and cache
     */
    static Forward forward(INDArray h, INDArray wout, int[] rows, int[] targets) {
        int v = (int) wout.size(1);
        double[] logits = Tensors.toDoubles(MatrixProducts.times(h, wout));                      // [R, V]
        int m = rows.length;
        double[] probs = new double[m * v];
        double[] logp = new double[m];
        double[] entropy = new double[m];
        for (int i = 0; i < m; i++) {
            int r = rows[i];
            if (r < 0) {
                continue;
            }
            int base = r * v;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < v; k++) {
                max = Math.max(max, logits[base + k]);
            }
            double sum = 0;
            double weighted = 0;
            for (int k = 0; k < v; k++) {
                double z = logits[base + k] - max;
                double e = Math.exp(z);
                probs[i * v + k] = e;
                sum += e;
                weighted += e * z;
            }
            double logSum = Math.log(sum);
            for (int k = 0; k < v; k++) {
                probs[i * v + k] /= sum;
            }
            logp[i] = logits[base + targets[i]] - max - logSum;
            // H = −Σ p (z − log Σ e^z) = log Σ e^z − Σ p z  (z shifted by the max)
            entropy[i] = logSum - weighted / sum;
        }
        return new Forward(h, rows.clone(), targets.clone(), probs, logp, entropy, (int) h.size(0));
    }

    /**
     * Back-propagates dL/dlogp of the M pairs: {@code dL/dlogits = g (onehot(target) − p)}; adds dL/dW_out.
     *
     * @param f        the forward pass
     * @param dLogProb M upstream gradients (ignored where the pair is padding)
     * @param wout     {@code [D, V]}
     * @param woutGrad {@code [D, V]}, added to
     * @return dL/dH, a new {@code [R, D]} array
     */
    static INDArray backward(Forward f, double[] dLogProb, INDArray wout, INDArray woutGrad) {
        return backward(f, dLogProb, null, wout, woutGrad);
    }

    /**
     * Back-propagates dL/dlogp and dL/dH of the M pairs: {@code dL/dlogits = g (onehot(target) − p)
     * − g_H p (log p + H)} (the entropy's gradient reaches every logit); adds dL/dW_out.
     *
     * @param f        the forward pass
     * @param dLogProb M upstream gradients of the log-probabilities (ignored where the pair is padding)
     * @param dEntropy M upstream gradients of the entropies, or null
     * @param wout     {@code [D, V]}
     * @param woutGrad {@code [D, V]}, added to
     * @return dL/dH, a new {@code [R, D]} array
     */
    static INDArray backward(Forward f, double[] dLogProb, double[] dEntropy, INDArray wout, INDArray woutGrad) {
        int v = (int) wout.size(1);
        double[] dLogits = new double[f.rowCount() * v];
        int[] rows = f.rows();
        double[] p = f.probabilities();
        for (int i = 0; i < rows.length; i++) {
            double g = dLogProb[i];
            double gh = dEntropy == null ? 0 : dEntropy[i];
            if (rows[i] < 0 || (g == 0 && gh == 0)) {
                continue;
            }
            int base = rows[i] * v;
            for (int k = 0; k < v; k++) {
                dLogits[base + k] -= g * p[i * v + k];
            }
            dLogits[base + f.targets()[i]] += g;
            if (gh != 0) {
                double h = f.entropies()[i];
                for (int k = 0; k < v; k++) {
                    double pk = p[i * v + k];
                    if (pk > 0) {                                                   // p log p → 0 as p → 0
                        dLogits[base + k] -= gh * pk * (Math.log(pk) + h);
                    }
                }
            }
        }
        INDArray dz = Tensors.fromDoubles(dLogits, wout.dataType(), f.rowCount(), v);  // [R, V]
        Nd4j.gemm(f.input(), dz, woutGrad, true, false, 1.0, 1.0);                   // dW_out += Hᵀ dZ
        return Nd4j.gemm(dz, wout, false, true);                                     // dH = dZ W_outᵀ
    }
}
