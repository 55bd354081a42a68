package org.grpo4j.transformer;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Parameter;
import org.grpo4j.SequenceBatch;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Small configs, random weights and random batches shared by the transformer tests. */
final class TestModels {
    private TestModels() {
    }

    /**
     * A tiny model for exact checks: vocabulary 7, context 10, 2 layers, 2 heads, width 8, feed-forward 12.
     *
     * @param dataType   FLOAT or DOUBLE
     * @param activation the feed-forward non-linearity
     * @return the config
     */
    static TransformerConfig tiny(DataType dataType, MlpActivation activation) {
        return tiny(dataType, activation, PositionEncoding.LEARNED);
    }

    /**
     * {@link #tiny(DataType, MlpActivation)} with a position encoding (head width 4, so rotary works).
     *
     * @param dataType   FLOAT or DOUBLE
     * @param activation the feed-forward non-linearity
     * @param positions  learned or rotary
     * @return the config
     */
    static TransformerConfig tiny(DataType dataType, MlpActivation activation, PositionEncoding positions) {
        return TransformerConfig.builder().vocabularySize(7).contextLength(10).layers(2).heads(2).modelWidth(8)
                .ffWidth(12).activation(activation).dataType(dataType).positionEncoding(positions).build();
    }

    /**
     * A policy whose every parameter (LayerNorm gains and biases included) is random, with larger weights than
     * the GPT-2 initialisation so that attention patterns and logits are far from uniform.
     *
     * @param config the shape
     * @param seed   the seed
     * @return the policy
     */
    static TransformerPolicy randomized(TransformerConfig config, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        TransformerPolicy p = TransformerPolicy.initialize(config, rng);
        for (Parameter param : p.parameters()) {
            INDArray v = param.value();
            boolean gain = param.name().endsWith(".gain");
            INDArray r = FiniteDifferences.gaussian(rng, gain ? 0.3 : 0.5, v.shape());
            if (gain) {
                r.addi(1.0);
            }
            v.assign(r.castTo(v.dataType()));
        }
        return p;
    }

    /**
     * N random (prompt, completion) pairs with prompt lengths in {@code [1, maxPrompt]} and completion lengths in
     * {@code [0, maxCompletion]} (at least one non-empty), fitting {@code context}.
     *
     * @param rng           the source
     * @param n             N
     * @param vocabulary    V
     * @param maxPrompt     longest prompt
     * @param maxCompletion longest completion
     * @return the batch
     */
    static SequenceBatch batch(SplittableRandom rng, int n, int vocabulary, int maxPrompt, int maxCompletion) {
        List<int[]> prompts = new ArrayList<>();
        List<int[]> completions = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            prompts.add(tokens(rng, 1 + rng.nextInt(maxPrompt), vocabulary));
            int len = i == 0 ? maxCompletion : rng.nextInt(maxCompletion + 1);
            completions.add(tokens(rng, len, vocabulary));
        }
        return new SequenceBatch(prompts, completions);
    }

    /**
     * Random token ids.
     *
     * @param rng        the source
     * @param length     how many
     * @param vocabulary V
     * @return the ids
     */
    static int[] tokens(SplittableRandom rng, int length, int vocabulary) {
        int[] t = new int[length];
        for (int i = 0; i < length; i++) {
            t[i] = rng.nextInt(vocabulary);
        }
        return t;
    }

    /**
     * Concatenates two id arrays.
     *
     * @param a first
     * @param b second
     * @return a ++ b
     */
    static int[] concat(int[] a, int[] b) {
        int[] s = new int[a.length + b.length];
        System.arraycopy(a, 0, s, 0, a.length);
        System.arraycopy(b, 0, s, a.length, b.length);
        return s;
    }
}
