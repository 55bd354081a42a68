package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The key/value-cached decoder against the uncached full forward pass ({@link TransformerPolicy#logits}): after
 * the prefill and after every step, each sequence's next-token logits must equal the last row of an uncached pass
 * over that sequence alone, for batches of prompts of different lengths (left padding), up to the full context.
 */
class IncrementalDecoderTest {
    /** Context length of {@link TestModels#tiny}. */
    private static final int CONTEXT = 10;

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void cachedLogitsEqualUncachedInDouble(MlpActivation activation) {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, activation), 31);
        // one prompt as long as possible with one new token, mixed lengths, the shortest prompt alone
        assertCachedEqualsUncached(policy, List.of(new int[] {1, 2, 3, 4, 5, 6, 0, 1, 2}), 1e-10, 51);
        assertCachedEqualsUncached(policy, prompts(new SplittableRandom(1), 3, 4, 5, 2, 1), 1e-10, 52);
        assertCachedEqualsUncached(policy, List.of(new int[] {4}), 1e-10, 53);
    }

    /** FLOAT cache vs FLOAT uncached pass: different summation orders, so equal to float rounding (2e-5). */
    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void cachedLogitsEqualUncachedInFloat(MlpActivation activation) {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, activation), 32);
        assertCachedEqualsUncached(policy, prompts(new SplittableRandom(2), 1, 5, 3, 1), 2e-5, 54);
        assertCachedEqualsUncached(policy, List.of(new int[] {6, 6}), 2e-5, 55);
    }

    /**
     * Feeds random tokens until the longest sequence fills the whole context (its last logits row predicts the
     * token after position C − 1), checking every step, then checks the cache refuses one more column.
     */
    static void assertCachedEqualsUncached(TransformerPolicy policy, List<int[]> prompts, double tol,
                                                   long seed) {
        TransformerConfig c = policy.config();
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int steps = CONTEXT - longest;
        // capacity P + maxNewTokens − 1 = CONTEXT columns
        IncrementalDecoder decoder = new IncrementalDecoder(policy.weights(), c, prompts, steps + 1);
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> sequences = new ArrayList<>(prompts);
        INDArray logits = decoder.prefill();
        assertEquals(c.dataType(), logits.dataType());
        assertEquals(longest, decoder.length());
        for (int step = 0; ; step++) {
            assertArrayEquals(new long[] {prompts.size(), c.vocabularySize()}, logits.shape());
            for (int i = 0; i < prompts.size(); i++) {
                int[] s = sequences.get(i);
                double[] want = policy.logits(s)[s.length - 1];
                double[] got = Tensors.toDoubles(logits.getRow(i));
                double spread = 0;
                for (int k = 0; k < want.length; k++) {
                    assertEquals(want[k], got[k], tol, "sequence " + i + " length " + s.length + " logit " + k);
                    spread = Math.max(spread, Math.abs(want[k] - want[0]));
                }
                assertTrue(spread > 0.1, "the logits are not degenerate");
            }
            if (step == steps) {
                break;
            }
            int[] next = TestModels.tokens(rng, prompts.size(), c.vocabularySize());
            for (int i = 0; i < next.length; i++) {
                sequences.set(i, TestModels.concat(sequences.get(i), new int[] {next[i]}));
            }
            logits = decoder.step(next);
            assertEquals(longest + step + 1, decoder.length());
        }
        assertEquals(CONTEXT, decoder.length());
        assertThrows(IllegalStateException.class, () -> decoder.step(new int[prompts.size()]));
    }

    @Test
    void paddingIsInvisibleToEachSequence() {
        // the same prompt decoded alone and next to a longer one (so left-padded) gives the same logits
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU), 33);
        int[] shortPrompt = {2, 5};
        IncrementalDecoder alone = new IncrementalDecoder(policy.weights(), policy.config(), List.of(shortPrompt), 3);
        IncrementalDecoder padded = new IncrementalDecoder(policy.weights(), policy.config(),
                List.of(new int[] {1, 1, 1, 1, 1, 1}, shortPrompt), 3);
        INDArray a = alone.prefill();
        INDArray b = padded.prefill();
        assertArrayEquals(Tensors.toDoubles(a.getRow(0)), Tensors.toDoubles(b.getRow(1)), 1e-10);
        for (int t : new int[] {3, 4}) {
            a = alone.step(new int[] {t});
            b = padded.step(new int[] {0, t});
            assertArrayEquals(Tensors.toDoubles(a.getRow(0)), Tensors.toDoubles(b.getRow(1)), 1e-10);
        }
    }

    @Test
    void callOrderIsEnforced() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.RELU), 34);
        IncrementalDecoder d = new IncrementalDecoder(policy.weights(), policy.config(), List.of(new int[] {1}), 2);
        assertThrows(IllegalStateException.class, () -> d.step(new int[] {0}));
        d.prefill();
        assertThrows(IllegalStateException.class, d::prefill);
        d.step(new int[] {0});
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> d.step(new int[] {0}));
        assertEquals("cache full: 2 columns", e.getMessage());
    }

    static List<int[]> prompts(SplittableRandom rng, int... lengths) {
        List<int[]> p = new ArrayList<>();
        for (int len : lengths) {
            p.add(TestModels.tokens(rng, len, 7));
        }
        return p;
    }
}
