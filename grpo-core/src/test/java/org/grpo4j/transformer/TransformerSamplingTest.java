package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Completion;
import org.grpo4j.SamplingConfig;
import org.grpo4j.SequenceBatch;
import org.grpo4j.sampling.TokenSampler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link TransformerPolicy#sample}: greedy decoding against the arg-max of the uncached forward pass, the stop
 * conditions (end-of-sequence token, included in the completion and not truncated; {@code maxNewTokens},
 * truncated), the sampling log-probabilities against {@link TransformerPolicy#forward}, reproducibility from the
 * seed, and validation. Prompts of different lengths share a batch, so the cached decoder's left padding is used.
 */
class TransformerSamplingTest {
    private static final List<int[]> PROMPTS = List.of(new int[] {1, 2, 3}, new int[] {4}, new int[] {0, 6, 5, 2, 2},
            new int[] {3, 3}, new int[] {6, 1, 0, 4});

    /** The completion greedy decoding must give: arg-max (lowest id on ties) of uncached logits, step by step. */
    private static int[] greedyReference(TransformerPolicy policy, int[] prompt, int maxNew, int eos) {
        int[] seq = prompt.clone();
        List<Integer> out = new ArrayList<>();
        while (out.size() < maxNew) {
            double[] row = policy.logits(seq)[seq.length - 1];
            int best = 0;
            double second = Double.NEGATIVE_INFINITY;
            for (int k = 1; k < row.length; k++) {
                if (row[k] > row[best]) {
                    second = row[best];
                    best = k;
                } else {
                    second = Math.max(second, row[k]);
                }
            }
            // the decoder rounds logits to float before the arg-max: make sure this case is no near-tie
            assertTrue(row[best] - second > 1e-4, "near-tie in the reference; pick another seed");
            out.add(best);
            seq = TestModels.concat(seq, new int[] {best});
            if (best == eos) {
                break;
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void greedyDecodingIsTheArgMaxOfTheUncachedForward(DataType dataType) {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(dataType, MlpActivation.GELU), 61);
        int maxNew = 5;                                   // the longest prompt then fills the context of 10
        SamplingConfig greedy = SamplingConfig.defaults().withGreedy(true).withMaxNewTokens(maxNew);
        List<Completion> out = policy.sample(PROMPTS, greedy, new SplittableRandom(1));
        assertEquals(PROMPTS.size(), out.size());
        for (int i = 0; i < PROMPTS.size(); i++) {
            Completion c = out.get(i);
            assertArrayEquals(greedyReference(policy, PROMPTS.get(i), maxNew, -1), c.tokens(), "prompt " + i);
            assertTrue(c.truncated(), "no end-of-sequence token: every completion hits maxNewTokens");
            assertArrayEquals(new float[maxNew], c.logProbs(), "greedy picks with probability 1");
        }
    }

    @Test
    void aCompletionStopsAtTheEndOfSequenceTokenIncludingIt() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.RELU), 67);
        int maxNew = 5;
        int[][] free = new int[PROMPTS.size()][];
        for (int i = 0; i < free.length; i++) {
            free[i] = greedyReference(policy, PROMPTS.get(i), maxNew, -1);
        }
        // an end-of-sequence token that stops some greedy completions early and not others
        int eos = -1;
        for (int token = 0; token < 7 && eos < 0; token++) {
            boolean early = false;
            boolean never = false;
            for (int[] f : free) {
                int at = indexOf(f, token);
                early |= at >= 0 && at < maxNew - 1;
                never |= at < 0;
            }
            if (early && never) {
                eos = token;
            }
        }
        assertTrue(eos >= 0, "no token separates the completions; pick another seed");
        SamplingConfig greedy = SamplingConfig.defaults().withGreedy(true).withMaxNewTokens(maxNew).withEosToken(eos);
        List<Completion> out = policy.sample(PROMPTS, greedy, new SplittableRandom(2));
        int stopped = 0;
        for (int i = 0; i < PROMPTS.size(); i++) {
            int at = indexOf(free[i], eos);
            Completion c = out.get(i);
            if (at >= 0) {
                // the prefix up to and including the end-of-sequence token, not truncated
                assertArrayEquals(Arrays.copyOf(free[i], at + 1), c.tokens(), "prompt " + i);
                assertFalse(c.truncated());
                stopped++;
            } else {
                assertArrayEquals(free[i], c.tokens(), "prompt " + i);
                assertTrue(c.truncated());
            }
        }
        assertTrue(stopped > 0 && stopped < PROMPTS.size());

        // an end-of-sequence token as the last allowed token: full length, yet not truncated
        // (the latest position j whose token does not occur before it; maxNewTokens = j + 1)
        int j = maxNew - 1;
        while (indexOf(free[0], free[0][j]) != j) {
            j--;
        }
        assertTrue(j > 0);
        int limit = j + 1;
        SamplingConfig last = greedy.withEosToken(free[0][j]).withMaxNewTokens(limit);
        Completion c = policy.sample(List.of(PROMPTS.get(0)), last, new SplittableRandom(3)).get(0);
        assertEquals(limit, c.length());
        assertArrayEquals(Arrays.copyOf(free[0], limit), c.tokens());
        assertFalse(c.truncated(), "ending on the end-of-sequence token is not truncation");
    }

    @ParameterizedTest
    @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
    void sampledCompletionsStopCorrectlyAndCarryTheForwardLogProbs(DataType dataType) {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(dataType, MlpActivation.GELU), 63);
        int eos = 2;
        SamplingConfig sampling = SamplingConfig.defaults().withMaxNewTokens(5).withEosToken(eos);
        List<int[]> prompts = new ArrayList<>();
        for (int r = 0; r < 8; r++) {
            prompts.addAll(PROMPTS);
        }
        List<Completion> out = policy.sample(prompts, sampling, new SplittableRandom(4));
        int ended = 0;
        int truncated = 0;
        int shorter = 0;
        List<int[]> completions = new ArrayList<>();
        for (Completion c : out) {
            int[] t = c.tokens();
            completions.add(t);
            assertTrue(t.length >= 1 && t.length <= 5);
            int at = indexOf(t, eos);
            assertTrue(at < 0 || at == t.length - 1, "an end-of-sequence token can only be the last token");
            if (c.truncated()) {
                assertEquals(5, t.length);
                assertTrue(indexOf(t, eos) < 0);
                truncated++;
            } else {
                assertEquals(eos, t[t.length - 1]);
                ended++;
                shorter += t.length < 5 ? 1 : 0;
            }
        }
        assertTrue(ended > 0 && truncated > 0 && shorter > 0, ended + " ended, " + truncated + " truncated");
        // temperature 1 and no filters: the sampling log-probabilities are the model's own
        INDArray logp = policy.forward(new SequenceBatch(prompts, completions)).logProbs();
        double tol = dataType == DataType.DOUBLE ? 2e-6 : 2e-5;
        for (int i = 0; i < out.size(); i++) {
            float[] got = out.get(i).logProbs();
            for (int t = 0; t < got.length; t++) {
                assertEquals(logp.getDouble(i, t), got[t], tol, "completion " + i + " token " + t);
            }
        }
    }

    @Test
    void logProbsAreThoseOfTheFilteredDistribution() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU), 64);
        SamplingConfig sampling = SamplingConfig.defaults().withTemperature(0.7).withTopK(3).withMaxNewTokens(4);
        List<Completion> out = policy.sample(PROMPTS, sampling, new SplittableRandom(5));
        for (int i = 0; i < PROMPTS.size(); i++) {
            int[] seq = PROMPTS.get(i);
            Completion c = out.get(i);
            for (int t = 0; t < c.length(); t++) {
                double[] row = policy.logits(seq)[seq.length - 1];
                float[] f = new float[row.length];
                for (int k = 0; k < f.length; k++) {
                    f[k] = (float) row[k];
                }
                double[] p = TokenSampler.distribution(f, sampling);
                int token = c.tokens()[t];
                assertTrue(p[token] > 0, "a token outside the top 3 was drawn");
                assertEquals(Math.log(p[token]), c.logProbs()[t], 1e-5);
                seq = TestModels.concat(seq, new int[] {token});
            }
        }
    }

    @Test
    void theSameSeedGivesTheSameSamples() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.GELU), 65);
        SamplingConfig sampling = SamplingConfig.defaults().withMaxNewTokens(5).withEosToken(3);
        List<Completion> a = policy.sample(PROMPTS, sampling, new SplittableRandom(6));
        List<Completion> b = policy.sample(PROMPTS, sampling, new SplittableRandom(6));
        List<Completion> other = policy.sample(PROMPTS, sampling, new SplittableRandom(7));
        assertEquals(a, b);
        assertNotEquals(a, other);
        assertEquals(List.of(), policy.sample(List.of(), sampling, new SplittableRandom(8)));
    }

    @Test
    void badInputIsRejectedWithClearMessages() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.GELU), 66);
        SamplingConfig s = SamplingConfig.defaults().withMaxNewTokens(4);
        SplittableRandom rng = new SplittableRandom(9);
        assertEquals("eosToken must be < vocabularySize 7, was 7", assertThrows(IllegalArgumentException.class,
                () -> policy.sample(PROMPTS, s.withEosToken(7), rng)).getMessage());
        assertEquals("prompts[1] must not be empty", assertThrows(IllegalArgumentException.class,
                () -> policy.sample(List.of(new int[] {1}, new int[0]), s, rng)).getMessage());
        assertEquals("prompts[0] does not fit the context: prompt length 7 + maxNewTokens 4 = 11 exceeds "
                + "contextLength 10", assertThrows(IllegalArgumentException.class,
                        () -> policy.sample(List.of(new int[7]), s, rng)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> policy.sample(List.of(new int[] {7}), s, rng))
                .getMessage().contains("prompts[0][0]"));
        assertThrows(IllegalArgumentException.class, () -> policy.sample(null, s, rng));
        assertThrows(IllegalArgumentException.class, () -> policy.sample(PROMPTS, null, rng));
        assertThrows(IllegalArgumentException.class, () -> policy.sample(PROMPTS, s, null));
        // exactly filling the context is allowed
        assertEquals(4, policy.sample(List.of(new int[6]), s, rng).get(0).length());
    }

    private static int indexOf(int[] a, int x) {
        for (int i = 0; i < a.length; i++) {
            if (a[i] == x) {
                return i;
            }
        }
        return -1;
    }
}
