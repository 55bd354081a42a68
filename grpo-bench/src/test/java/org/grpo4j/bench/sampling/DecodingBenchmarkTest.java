package org.grpo4j.bench.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Completion;
import org.grpo4j.bench.TokenCounter;
import org.grpo4j.transformer.FullForward;
import org.grpo4j.transformer.TransformerConfig;
import org.junit.jupiter.api.Test;

/** Both decoding modes generate G completions of 64 tokens from the studies' model, and count them. */
class DecodingBenchmarkTest {

    private static DecodingBenchmark bench(DecodingMode mode) {
        DecodingBenchmark b = new DecodingBenchmark();
        b.groupSize = 8;
        b.mode = mode;
        b.setUp();
        return b;
    }

    @Test
    void theModelIsTheStudiesSize() {
        TransformerConfig c = DecodingBenchmark.model();
        assertEquals(4, c.layers());
        assertEquals(64, c.modelWidth());
        assertEquals(4, c.heads());
        assertTrue(c.contextLength() >= 8 + DecodingBenchmark.NEW_TOKENS, "room for the prompt and 64 tokens");
    }

    @Test
    void cachedDecodingGeneratesSixtyFourTokensPerCompletion() {
        DecodingBenchmark b = bench(DecodingMode.KV_CACHE);
        TokenCounter tokens = new TokenCounter();
        tokens.clear();
        @SuppressWarnings("unchecked")
        List<Completion> out = (List<Completion>) b.decode(tokens);
        assertEquals(8, out.size());
        for (Completion c : out) {
            assertEquals(DecodingBenchmark.NEW_TOKENS, c.tokens().length);
        }
        assertEquals(8L * DecodingBenchmark.NEW_TOKENS, tokens.tokens);
    }

    @Test
    void recomputedDecodingAppendsSixtyFourTokensToEachPrompt() {
        DecodingBenchmark b = bench(DecodingMode.RECOMPUTE);
        TokenCounter tokens = new TokenCounter();
        tokens.clear();
        @SuppressWarnings("unchecked")
        List<int[]> out = (List<int[]>) b.decode(tokens);
        assertEquals(8, out.size());
        for (int[] s : out) {
            assertEquals(8 + DecodingBenchmark.NEW_TOKENS, s.length);
            for (int t : s) {
                assertTrue(t >= 0 && t < b.policy.vocabularySize(), "token " + t);
            }
        }
        assertEquals(8L * DecodingBenchmark.NEW_TOKENS, tokens.tokens);
    }

    @Test
    void greedyRecomputationTakesTheArgMaxOfTheFullPass() {
        DecodingBenchmark b = bench(DecodingMode.RECOMPUTE);
        List<int[]> out = DecodingBenchmark.recompute(b.policy, b.prompts, b.sampling.withGreedy(true)
                .withMaxNewTokens(1), new SplittableRandom(1));
        float[] logits = FullForward.nextTokenLogits(b.policy, b.prompts).getRow(0).toFloatVector();
        int best = 0;
        for (int k = 1; k < logits.length; k++) {
            if (logits[k] > logits[best]) {
                best = k;
            }
        }
        assertEquals(best, out.get(0)[8]);
    }
}
