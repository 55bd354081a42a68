package org.grpo4j.transformer;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Learned token and position embeddings: row r of the input is {@code E_tok[token_r] + E_pos[position_r]}. The
 * forward pass is two row gathers; the backward pass scatters the gradient rows in plain Java (deterministic,
 * repeated ids accumulate) and adds it to the tables' gradients in one op each.
 */
final class Embedding {
    private Embedding() {
    }

    /**
     * Looks up R rows.
     *
     * @param tokens        R token ids in {@code [0, V)}
     * @param positions     R positions in {@code [0, C)}
     * @param tokenTable    {@code [V, D]}
     * @param positionTable {@code [C, D]}, or null when positions are rotary (applied in attention instead)
     * @return a new {@code [R, D]} array
     */
    static INDArray forward(int[] tokens, int[] positions, INDArray tokenTable, INDArray positionTable) {
        INDArray x = Nd4j.pullRows(tokenTable, 1, tokens);
        return positionTable == null ? x : x.addi(Nd4j.pullRows(positionTable, 1, positions));
    }

    /**
     * Adds the embedding tables' gradients.
     *
     * @param tokens       the R token ids of the forward pass
     * @param positions    the R positions of the forward pass
     * @param dx           dL/d(embedding), {@code [R, D]}; not written
     * @param tokenGrad    {@code [V, D]}, added to
     * @param positionGrad {@code [C, D]}, added to; null when there is no position table
     */
    static void backward(int[] tokens, int[] positions, INDArray dx, INDArray tokenGrad, INDArray positionGrad) {
        int d = (int) dx.size(1);
        double[] g = Tensors.toDoubles(dx);
        double[] gTok = new double[(int) tokenGrad.length()];
        double[] gPos = positionGrad == null ? null : new double[(int) positionGrad.length()];
        for (int r = 0; r < tokens.length; r++) {
            int src = r * d;
            int t = tokens[r] * d;
            for (int j = 0; j < d; j++) {
                gTok[t + j] += g[src + j];
            }
            if (gPos != null) {
                int p = positions[r] * d;
                for (int j = 0; j < d; j++) {
                    gPos[p + j] += g[src + j];
                }
            }
        }
        tokenGrad.addi(Tensors.fromDoubles(gTok, tokenGrad.dataType(), tokenGrad.shape()));
        if (gPos != null) {
            positionGrad.addi(Tensors.fromDoubles(gPos, positionGrad.dataType(), positionGrad.shape()));
        }
    }
}
