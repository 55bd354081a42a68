package org.grpo4j.transformer;

import java.util.List;
import org.grpo4j.Checks;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Next-token logits by an uncached forward pass over whole sequences, batched: what decoding costs without the
 * KV cache ({@link TransformerPolicy#sample} uses the cache). The benchmark of decoding compares the two, and a
 * caller may use it to score a batch of equal-length prefixes (e.g. a greedy baseline).
 */
public final class FullForward {
    private FullForward() {
    }

    /**
     * The logits of the token after each sequence.
     *
     * @param policy    the model
     * @param sequences N ≥ 1 sequences of one length S, 1 ≤ S ≤ contextLength, valid token ids
     * @return {@code [N, V]} logits at each sequence's last position, one ND4J forward pass for all N
     * @throws IllegalArgumentException if an argument is null, {@code sequences} is empty, the lengths differ or
     *                                  exceed the context, or a token is outside the vocabulary
     */
    public static INDArray nextTokenLogits(TransformerPolicy policy, List<int[]> sequences) {
        Checks.notNull("policy", policy);
        Checks.notNull("sequences", sequences);
        if (sequences.isEmpty()) {
            throw new IllegalArgumentException("sequences must not be empty");
        }
        TransformerConfig c = policy.config();
        int n = sequences.size();
        int s = Checks.notNull("sequences[0]", sequences.get(0)).length;
        if (s < 1 || s > c.contextLength()) {
            throw new IllegalArgumentException("sequence length must be in [1, contextLength = " + c.contextLength()
                    + "], was " + s);
        }
        int[] tokens = new int[n * s];
        int[] positions = new int[n * s];
        for (int i = 0; i < n; i++) {
            int[] seq = Checks.notNull("sequences[" + i + "]", sequences.get(i));
            if (seq.length != s) {
                throw new IllegalArgumentException("sequences[" + i + "] has length " + seq.length
                        + ", must equal sequences[0]'s length " + s);
            }
            Checks.tokensInVocabulary("sequences[" + i + "]", seq, c.vocabularySize());
            System.arraycopy(seq, 0, tokens, i * s, s);
            for (int p = 0; p < s; p++) {
                positions[i * s + p] = p;
            }
        }
        TransformerWeights w = policy.weights();
        TransformerTrunk.Pass trunk = TransformerTrunk.forward(w, c, tokens, positions, n, s,
                CausalSelfAttention.causalMask(s, c.dataType()));
        INDArray last = trunk.output().reshape('c', n, s, c.modelWidth())
                .get(NDArrayIndex.all(), NDArrayIndex.point(s - 1), NDArrayIndex.all());      // [N, D]
        return MatrixProducts.times(last, w.head.value());                                              // [N, V]
    }
}
