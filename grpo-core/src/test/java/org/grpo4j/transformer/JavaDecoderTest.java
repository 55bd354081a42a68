package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The plain-Java decoder against the uncached ND4J forward pass ({@link TransformerPolicy#logits}): after the
 * prefill and after every step, each live sequence's logits equal the last row of an uncached pass over that
 * sequence alone, for prompts of different lengths up to the full context, for both activations and both position
 * encodings (FLOAT rounding, 2e-5, as {@link IncrementalDecoderTest}).
 */
class JavaDecoderTest {
    private static final int CONTEXT = 10;

    @ParameterizedTest
    @EnumSource(PositionEncoding.class)
    void logitsEqualTheUncachedPassForEveryActivation(PositionEncoding positions) {
        for (MlpActivation activation : MlpActivation.values()) {
            TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, activation, positions),
                    61);
            SplittableRandom rng = new SplittableRandom(7);
            assertEqualsUncached(policy, IncrementalDecoderTest.prompts(rng, 3, 1, 5, 2), null, 62);
            assertEqualsUncached(policy, List.of(new int[] {1, 2, 3, 4, 5, 6, 0, 1, 2}), null, 63);
            // the second sequence stops after the prefill: it is skipped, the others go on
            boolean[] stopped = {false, true, false};
            assertEqualsUncached(policy, IncrementalDecoderTest.prompts(rng, 2, 4, 3), stopped, 64);
        }
    }

    private static void assertEqualsUncached(TransformerPolicy policy, List<int[]> prompts, boolean[] stopped,
                                             long seed) {
        TransformerConfig c = policy.config();
        int v = c.vocabularySize();
        int longest = prompts.stream().mapToInt(p -> p.length).max().orElseThrow();
        int steps = CONTEXT - longest;
        JavaDecoder decoder = new JavaDecoder(policy.weights(), c, prompts, steps + 1);
        SplittableRandom rng = new SplittableRandom(seed);
        List<int[]> sequences = new ArrayList<>(prompts);
        float[] logits = decoder.prefill();
        for (int step = 0; ; step++) {
            for (int i = 0; i < prompts.size(); i++) {
                if (step > 0 && stopped != null && stopped[i]) {
                    continue;
                }
                int[] s = sequences.get(i);
                double[] want = policy.logits(s)[s.length - 1];
                float[] got = Arrays.copyOfRange(logits, i * v, (i + 1) * v);
                double spread = 0;
                for (int k = 0; k < v; k++) {
                    assertEquals(want[k], got[k], 2e-5, "sequence " + i + " length " + s.length + " logit " + k);
                    spread = Math.max(spread, Math.abs(want[k] - want[0]));
                }
                assertTrue(spread > 0.1, "the logits are not degenerate");
            }
            if (step == steps) {
                break;
            }
            int[] next = TestModels.tokens(rng, prompts.size(), v);
            for (int i = 0; i < next.length; i++) {
                if (stopped == null || !stopped[i]) {
                    sequences.set(i, TestModels.concat(sequences.get(i), new int[] {next[i]}));
                }
            }
            logits = decoder.step(next, stopped);
        }
        // the longest live sequence has filled its cache
        IllegalStateException full = assertThrows(IllegalStateException.class,
                () -> decoder.step(new int[prompts.size()], null));
        assertTrue(full.getMessage().startsWith("cache full"), full.getMessage());
    }

    @Test
    void callOrderIsEnforced() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.RELU), 65);
        JavaDecoder d = new JavaDecoder(policy.weights(), policy.config(), List.of(new int[] {1}), 2);
        assertEquals("prefill() must come first",
                assertThrows(IllegalStateException.class, () -> d.step(new int[] {0}, null)).getMessage());
        d.prefill();
        assertThrows(IllegalStateException.class, d::prefill);
        d.step(new int[] {0}, null);
        assertEquals("cache full: 2 columns",
                assertThrows(IllegalStateException.class, () -> d.step(new int[] {0}, null)).getMessage());
    }

    @Test
    void onlyFloatModelsAreDecodedInJava() {
        assertTrue(JavaDecoder.supports(TestModels.tiny(DataType.FLOAT, MlpActivation.GELU)));
        assertTrue(!JavaDecoder.supports(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU)));
    }
}
