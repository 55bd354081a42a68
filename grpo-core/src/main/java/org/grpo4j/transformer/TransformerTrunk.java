package org.grpo4j.transformer;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The trunk of the decoder: embeddings, the pre-LayerNorm blocks and the final LayerNorm, over R = N·L rows
 * (row {@code i·L + p} is sequence i, column p). Each block computes
 * {@code x += Attention(LN1(x)); x += FFN(LN2(x))} (pre-LN as GPT-2, Radford et al. 2019, §2.3; Xiong et al. 2020).
 */
final class TransformerTrunk {
    private TransformerTrunk() {
    }

    /**
     * The caches of one block.
     *
     * @param ln1       attention LayerNorm
     * @param attention attention
     * @param ln2       feed-forward LayerNorm
     * @param mlp       feed-forward network
     */
    record BlockPass(LayerNorm.Forward ln1, CausalSelfAttention.Forward attention, LayerNorm.Forward ln2,
                     FeedForward.Forward mlp) {
    }

    /**
     * The caches of a trunk pass.
     *
     * @param tokens    the R input token ids
     * @param positions the R input positions
     * @param blocks    one cache per block
     * @param finalNorm the final LayerNorm; its output {@code [R, D]} feeds the head
     */
    record Pass(int[] tokens, int[] positions, List<BlockPass> blocks, LayerNorm.Forward finalNorm) {
        /** @return the trunk's output, {@code [R, D]} */
        INDArray output() {
            return finalNorm.output();
        }
    }

    /**
     * Runs the trunk.
     *
     * @param w         the weights
     * @param c         the config
     * @param tokens    R token ids
     * @param positions R positions in {@code [0, C)}
     * @param n         N
     * @param l         L; {@code R = N·L}
     * @param mask      additive attention mask broadcastable to {@code [N, heads, L, L]}
     * @return the caches
     */
    static Pass forward(TransformerWeights w, TransformerConfig c, int[] tokens, int[] positions, int n, int l,
                        INDArray mask) {
        INDArray x = Embedding.forward(tokens, positions, w.tokenEmbedding.value(), table(w.positionEmbedding));
        List<BlockPass> passes = new ArrayList<>(w.blocks.size());
        for (BlockWeights b : w.blocks) {
            LayerNorm.Forward ln1 = LayerNorm.forward(x, b.ln1Gain().value(), b.ln1Bias().value());
            CausalSelfAttention.Forward att = CausalSelfAttention.forward(ln1.output(), b.wqkv().value(),
                    b.wo().value(), mask, n, l, c.heads(), w.rotary, positions);
            x.addi(att.output());
            LayerNorm.Forward ln2 = LayerNorm.forward(x, b.ln2Gain().value(), b.ln2Bias().value());
            FeedForward.Forward mlp = FeedForward.forward(ln2.output(), b.w1().value(), b.w2().value(),
                    c.activation());
            x.addi(mlp.output());
            passes.add(new BlockPass(ln1, att, ln2, mlp));
        }
        LayerNorm.Forward fin = LayerNorm.forward(x, w.finalGain.value(), w.finalBias.value());
        return new Pass(tokens, positions, passes, fin);
    }

    /**
     * Back-propagates dL/d(trunk output) into every trunk parameter's gradient (added to).
     *
     * @param w       the weights (the values the forward pass used)
     * @param p       the forward pass
     * @param dOutput dL/d(output), {@code [R, D]}; not written
     */
    static void backward(TransformerWeights w, Pass p, INDArray dOutput) {
        INDArray dx = LayerNorm.backward(p.finalNorm(), dOutput, w.finalGain.value(), w.finalGain.gradient(),
                w.finalBias.gradient());
        for (int i = w.blocks.size() - 1; i >= 0; i--) {
            BlockWeights b = w.blocks.get(i);
            BlockPass bp = p.blocks().get(i);
            INDArray dMlpIn = FeedForward.backward(bp.mlp(), dx, b.w1().value(), b.w2().value(), b.w1().gradient(),
                    b.w2().gradient());
            dx.addi(LayerNorm.backward(bp.ln2(), dMlpIn, b.ln2Gain().value(), b.ln2Gain().gradient(),
                    b.ln2Bias().gradient()));
            INDArray dAttIn = CausalSelfAttention.backward(bp.attention(), dx, b.wqkv().value(), b.wo().value(),
                    b.wqkv().gradient(), b.wo().gradient());
            dx.addi(LayerNorm.backward(bp.ln1(), dAttIn, b.ln1Gain().value(), b.ln1Gain().gradient(),
                    b.ln1Bias().gradient()));
        }
        Embedding.backward(p.tokens(), p.positions(), dx, w.tokenEmbedding.gradient(),
                w.positionEmbedding == null ? null : w.positionEmbedding.gradient());
    }

    /**
     * @param positionEmbedding the learned position table, or null with rotary positions
     * @return its value, or null
     */
    static INDArray table(org.grpo4j.Parameter positionEmbedding) {
        return positionEmbedding == null ? null : positionEmbedding.value();
    }
}
