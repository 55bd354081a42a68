package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Parameter;
import org.grpo4j.SamplingConfig;
import org.grpo4j.SequenceBatch;
import org.grpo4j.optim.AdamW;
import org.grpo4j.optim.OptimizerConfig;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link TeacherForcing} on {@link TransformerPolicy}: the loss against the plain-Java reference's log-probabilities,
 * the loss mask, the gradient against central finite differences (DOUBLE), the {@link SequenceBatch} form, the
 * validation messages, and a short AdamW run that learns a copy task.
 */
class TeacherForcingTest {
    private static final List<int[]> SEQUENCES = List.of(new int[] {3, 1, 4, 1, 5, 6}, new int[] {2, 6},
            new int[] {0, 0, 5, 4, 3, 2, 1, 6, 6, 0}, new int[] {5, 3, 5});
    /** Prompt masks: the first 2, 1, 4 and 1 tokens are prompt (position 0 never is a target). */
    private static final int[] PROMPT_LENGTHS = {2, 1, 4, 1};

    private static List<boolean[]> promptMasks() {
        List<boolean[]> masks = new ArrayList<>();
        for (int i = 0; i < SEQUENCES.size(); i++) {
            boolean[] m = new boolean[SEQUENCES.get(i).length];
            Arrays.fill(m, PROMPT_LENGTHS[i], m.length, true);
            masks.add(m);
        }
        return masks;
    }

    /** −mean of the reference log-probabilities of the selected tokens (every token after the first if null). */
    private static double referenceLoss(TransformerPolicy policy, List<int[]> sequences, List<boolean[]> masks) {
        ReferenceTransformer ref = new ReferenceTransformer(policy);
        double sum = 0;
        int count = 0;
        for (int i = 0; i < sequences.size(); i++) {
            int[] s = sequences.get(i);
            double[] lp = ref.logProbs(new int[] {s[0]}, Arrays.copyOfRange(s, 1, s.length));
            for (int t = 1; t < s.length; t++) {
                if (masks == null || masks.get(i)[t]) {
                    sum -= lp[t - 1];
                    count++;
                }
            }
        }
        return sum / count;
    }

    @Test
    void lossEqualsTheReferenceCrossEntropy() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU), 41);
        double all = TeacherForcing.loss(policy, SEQUENCES, null);
        double masked = TeacherForcing.loss(policy, SEQUENCES, promptMasks());
        assertEquals(referenceLoss(policy, SEQUENCES, null), all, 1e-10);
        assertEquals(referenceLoss(policy, SEQUENCES, promptMasks()), masked, 1e-10);
        assertTrue(Math.abs(all - masked) > 1e-3, "the mask changes the loss");
        for (Parameter p : policy.parameters()) {
            assertTrue(p.gradient().amaxNumber().doubleValue() == 0, "loss() leaves the gradients alone");
        }
        assertEquals(all, TeacherForcing.lossAndBackward(policy, SEQUENCES), 1e-15);
        policy.zeroGradients();
        assertEquals(masked, TeacherForcing.lossAndBackward(policy, SEQUENCES, promptMasks()), 1e-15);
        // the same loss in FLOAT, to float accuracy
        TransformerPolicy f = TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.GELU), 41);
        assertEquals(referenceLoss(f, SEQUENCES, promptMasks()), TeacherForcing.loss(f, SEQUENCES, promptMasks()),
                1e-4);
    }

    @Test
    void theMaskSelectsExactlyItsTokens() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.RELU), 42);
        List<boolean[]> masks = promptMasks();
        double full = TeacherForcing.lossAndBackward(policy, SEQUENCES, masks);
        List<INDArray> fullGrad = gradients(policy);
        int selected = 0;
        double sum = 0;
        List<INDArray> sumGrad = null;
        ReferenceTransformer ref = new ReferenceTransformer(policy);
        for (int i = 0; i < SEQUENCES.size(); i++) {
            int[] s = SEQUENCES.get(i);
            double[] lp = ref.logProbs(new int[] {s[0]}, Arrays.copyOfRange(s, 1, s.length));
            for (int t = PROMPT_LENGTHS[i]; t < s.length; t++) {
                // a mask selecting the single token (i, t): its loss is that token's −logp
                List<boolean[]> single = new ArrayList<>();
                for (int[] seq : SEQUENCES) {
                    single.add(new boolean[seq.length]);
                }
                single.get(i)[t] = true;
                policy.zeroGradients();
                double one = TeacherForcing.lossAndBackward(policy, SEQUENCES, single);
                assertEquals(-lp[t - 1], one, 1e-10, "token " + i + "," + t);
                sum += one;
                selected++;
                List<INDArray> g = gradients(policy);
                if (sumGrad == null) {
                    sumGrad = g;
                } else {
                    for (int k = 0; k < g.size(); k++) {
                        sumGrad.get(k).addi(g.get(k));
                    }
                }
            }
        }
        assertEquals(4 + 1 + 6 + 2, selected);
        // the masked loss is the mean of the selected tokens' losses, and so is its gradient
        assertEquals(sum / selected, full, 1e-12);
        for (int k = 0; k < fullGrad.size(); k++) {
            INDArray want = sumGrad.get(k).div(selected);
            double scale = 1 + want.amaxNumber().doubleValue();
            assertEquals(0.0, fullGrad.get(k).sub(want).amaxNumber().doubleValue(), 1e-12 * scale,
                    policy.parameters().get(k).name());
        }
    }

    @Test
    void aMaskedFinalTokenHasNoInfluence() {
        // the last token is only ever a target, so when it is masked out neither the loss nor the gradient may
        // depend on it
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU), 43);
        List<boolean[]> masks = promptMasks();
        for (boolean[] m : masks) {
            m[m.length - 1] = false;
        }
        masks.get(0)[1] = true;
        double before = TeacherForcing.lossAndBackward(policy, SEQUENCES, masks);
        List<INDArray> g = gradients(policy);
        List<int[]> changed = new ArrayList<>();
        for (int[] s : SEQUENCES) {
            int[] c = s.clone();
            c[c.length - 1] = (c[c.length - 1] + 3) % 7;
            changed.add(c);
        }
        policy.zeroGradients();
        assertEquals(before, TeacherForcing.lossAndBackward(policy, changed, masks), 0.0);
        List<INDArray> h = gradients(policy);
        for (int k = 0; k < g.size(); k++) {
            assertEquals(g.get(k), h.get(k), policy.parameters().get(k).name());
        }
        // unmasking the last token of one sequence makes it count again
        masks.get(0)[5] = true;
        assertTrue(Math.abs(TeacherForcing.loss(policy, SEQUENCES, masks)
                - TeacherForcing.loss(policy, changed, masks)) > 1e-6);
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU), 44);
        List<boolean[]> masks = promptMasks();
        TeacherForcing.lossAndBackward(policy, SEQUENCES, masks);
        SplittableRandom rng = new SplittableRandom(45);
        int checked = 0;
        for (Parameter p : policy.parameters()) {
            checked += FiniteDifferences.check(p.name(), p.value(), p.gradient(),
                    () -> TeacherForcing.loss(policy, SEQUENCES, masks), 5, rng);
        }
        assertEquals(21 * 5, checked);
    }

    @Test
    void batchFormEqualsPromptMaskedSequences() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.RELU), 46);
        List<int[]> prompts = new ArrayList<>();
        List<int[]> completions = new ArrayList<>();
        for (int i = 0; i < SEQUENCES.size(); i++) {
            int[] s = SEQUENCES.get(i);
            prompts.add(Arrays.copyOf(s, PROMPT_LENGTHS[i]));
            completions.add(Arrays.copyOfRange(s, PROMPT_LENGTHS[i], s.length));
        }
        double viaBatch = TeacherForcing.lossAndBackward(policy, new SequenceBatch(prompts, completions));
        List<INDArray> g = gradients(policy);
        policy.zeroGradients();
        double viaMask = TeacherForcing.lossAndBackward(policy, SEQUENCES, promptMasks());
        assertEquals(viaMask, viaBatch, 1e-12);
        List<INDArray> h = gradients(policy);
        for (int k = 0; k < g.size(); k++) {
            double scale = 1 + h.get(k).amaxNumber().doubleValue();
            assertEquals(0.0, g.get(k).sub(h.get(k)).amaxNumber().doubleValue(), 1e-12 * scale);
        }
    }

    @Test
    void badInputIsRejectedWithClearMessages() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.GELU), 47);
        List<int[]> two = List.of(new int[] {1, 2}, new int[] {3, 4, 5});
        assertEquals("sequences must not be empty", assertThrows(IllegalArgumentException.class,
                () -> TeacherForcing.lossAndBackward(policy, List.of())).getMessage());
        assertEquals("sequences[1] must have at least 2 tokens, had 1", assertThrows(IllegalArgumentException.class,
                () -> TeacherForcing.lossAndBackward(policy, List.of(new int[] {1, 2}, new int[] {3}))).getMessage());
        assertEquals("lossMasks size (1) must equal sequences size (2)", assertThrows(IllegalArgumentException.class,
                () -> TeacherForcing.loss(policy, two, List.of(new boolean[2]))).getMessage());
        assertEquals("lossMasks[1] length (2) must equal sequences[1] length (3)",
                assertThrows(IllegalArgumentException.class, () -> TeacherForcing.loss(policy, two,
                        List.of(new boolean[] {false, true}, new boolean[] {false, true}))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TeacherForcing.loss(policy, two,
                List.of(new boolean[] {true, true}, new boolean[3]))).getMessage()
                .startsWith("lossMasks[0][0] must be false"));
        assertEquals("lossMasks must select at least one token", assertThrows(IllegalArgumentException.class,
                () -> TeacherForcing.loss(policy, two, List.of(new boolean[2], new boolean[3]))).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TeacherForcing.lossAndBackward(policy,
                List.of(new int[] {1, 9}))).getMessage().contains("was 9"));
        assertEquals("batch must hold at least one completion token", assertThrows(IllegalArgumentException.class,
                () -> TeacherForcing.lossAndBackward(policy, new SequenceBatch(List.of(new int[] {1}),
                        List.of(new int[0])))).getMessage());
        assertThrows(IllegalArgumentException.class, () -> TeacherForcing.lossAndBackward(null, two));
        assertThrows(IllegalArgumentException.class, () -> TeacherForcing.lossAndBackward(policy, (List<int[]>) null));
        for (Parameter p : policy.parameters()) {
            assertTrue(p.gradient().amaxNumber().doubleValue() == 0, "rejected input leaves the gradients alone");
        }
    }

    /**
     * The copy task {@code a b c | a b c} over the symbols 0..3 with separator 4: 200 AdamW steps (batches of 8)
     * of teacher forcing on the copied half (the prompt is masked out) take the loss from about ln 6 to near 0,
     * and greedy decoding then copies every one of the 64 prompts.
     */
    @Test
    void teacherForcingWithAdamWLearnsACopyTask() {
        TransformerConfig config = TransformerConfig.builder().vocabularySize(6).contextLength(8).layers(1).heads(2)
                .modelWidth(16).ffWidth(32).activation(MlpActivation.GELU).dataType(DataType.FLOAT).build();
        TransformerPolicy policy = TransformerPolicy.initialize(config, new SplittableRandom(48));
        AdamW adam = AdamW.create(OptimizerConfig.builder().learningRate(1e-2).weightDecay(0).build());
        List<int[]> all = new ArrayList<>();
        List<boolean[]> masks = new ArrayList<>();
        for (int x = 0; x < 64; x++) {
            int a = x / 16;
            int b = x / 4 % 4;
            int c = x % 4;
            all.add(new int[] {a, b, c, 4, a, b, c});
            masks.add(new boolean[] {false, false, false, false, true, true, true});
        }
        double initial = TeacherForcing.loss(policy, all, masks);
        assertEquals(Math.log(6), initial, 0.1, "an untrained model is near uniform");
        SplittableRandom rng = new SplittableRandom(49);
        for (int step = 0; step < 200; step++) {
            List<int[]> batch = new ArrayList<>();
            List<boolean[]> batchMasks = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int x = rng.nextInt(64);
                batch.add(all.get(x));
                batchMasks.add(masks.get(x));
            }
            TeacherForcing.lossAndBackward(policy, batch, batchMasks);
            adam.step(policy.parameters());
        }
        double trained = TeacherForcing.loss(policy, all, masks);
        assertTrue(trained < 0.05, "loss " + initial + " -> " + trained);
        List<int[]> prompts = all.stream().map(s -> Arrays.copyOf(s, 4)).toList();
        SamplingConfig greedy = SamplingConfig.defaults().withGreedy(true).withMaxNewTokens(3);
        List<org.grpo4j.Completion> out = policy.sample(prompts, greedy, new SplittableRandom(50));
        for (int x = 0; x < 64; x++) {
            assertArrayEquals(Arrays.copyOf(all.get(x), 3), out.get(x).tokens(), "prompt " + x);
        }
    }

    private static List<INDArray> gradients(TransformerPolicy policy) {
        return policy.parameters().stream().map(p -> p.gradient().dup()).toList();
    }
}
