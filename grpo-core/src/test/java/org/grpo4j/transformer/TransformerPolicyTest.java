package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Parameter;
import org.grpo4j.PolicyForward;
import org.grpo4j.SequenceBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TransformerPolicyTest {

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void forwardMatchesThePlainJavaReferenceInDouble(MlpActivation activation) {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, activation), 21);
        SequenceBatch batch = TestModels.batch(new SplittableRandom(3), 5, 7, 5, 5);
        PolicyForward f = policy.forward(batch);
        assertReference(policy, batch, f, 1e-10);
        assertEquals(DataType.DOUBLE, f.logProbs().dataType());
    }

    @Test
    void floatForwardMatchesTheDoubleReference() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.GELU), 22);
        SequenceBatch batch = TestModels.batch(new SplittableRandom(4), 5, 7, 5, 5);
        PolicyForward f = policy.forward(batch);
        assertEquals(DataType.FLOAT, f.logProbs().dataType());
        assertReference(policy, batch, f, 2e-4);
    }

    static void assertReference(TransformerPolicy policy, SequenceBatch batch, PolicyForward f, double tol) {
        ReferenceTransformer ref = new ReferenceTransformer(policy);
        int t = batch.maxCompletionLength();
        assertArrayEquals(new long[] {batch.size(), t}, f.logProbs().shape());
        assertArrayEquals(new long[] {batch.size(), t}, f.entropies().shape());
        double logV = Math.log(7);
        for (int i = 0; i < batch.size(); i++) {
            int[] p = batch.prompts().get(i);
            int[] c = batch.completions().get(i);
            double[] lp = ref.logProbs(p, c);
            double[] h = ref.entropies(p, c);
            for (int j = 0; j < t; j++) {
                double got = f.logProbs().getDouble(i, j);
                double ent = f.entropies().getDouble(i, j);
                if (j < c.length) {
                    assertEquals(lp[j], got, tol, "logp[" + i + "," + j + "]");
                    assertEquals(h[j], ent, tol, "entropy[" + i + "," + j + "]");
                    assertTrue(got < 0 && ent > 0 && ent <= logV + 1e-9);
                } else {
                    assertEquals(0.0, got, "padding logp");
                    assertEquals(0.0, ent, "padding entropy");
                }
            }
        }
    }

    @Test
    void logitsOfTheFullForwardMatchTheReference() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.RELU), 23);
        assertLogitsMatchReference(policy);
    }

    /** {@code policy.logits} of a fixed 10-token sequence equals the double reference's to 1e-10. */
    static void assertLogitsMatchReference(TransformerPolicy policy) {
        int[] seq = {3, 1, 4, 1, 5, 6, 2, 0, 6, 5};
        double[][] got = policy.logits(seq);
        double[][] want = new ReferenceTransformer(policy).logits(seq);
        for (int p = 0; p < seq.length; p++) {
            assertArrayEquals(want[p], got[p], 1e-10);
        }
    }

    @Test
    void parametersHaveTheDocumentedNamesShapesAndCount() {
        TransformerConfig c = TransformerConfig.defaults();
        TransformerPolicy policy = TransformerPolicy.initialize(c, new SplittableRandom(1));
        List<Parameter> ps = policy.parameters();
        assertEquals(2 + 8 * c.layers() + 3, ps.size());
        assertEquals("tokenEmbedding", ps.get(0).name());
        assertArrayEquals(new long[] {32, 64}, ps.get(0).value().shape());
        assertEquals("positionEmbedding", ps.get(1).name());
        assertArrayEquals(new long[] {32, 64}, ps.get(1).value().shape());
        assertEquals("block1.attention.wqkv", ps.get(12).name());
        assertArrayEquals(new long[] {64, 192}, ps.get(12).value().shape());
        assertEquals("block1.mlp.w2", ps.get(17).name());
        assertArrayEquals(new long[] {256, 64}, ps.get(17).value().shape());
        assertEquals("head", ps.get(ps.size() - 1).name());
        assertArrayEquals(new long[] {64, 32}, ps.get(ps.size() - 1).value().shape());
        long perBlock = 4 * 64 + 64 * 192 + 64 * 64 + 2 * 64 * 256;
        assertEquals(32 * 64 + 32 * 64 + 2 * perBlock + 2 * 64 + 64 * 32, policy.parameterCount());
        assertEquals(ps.size(), ps.stream().map(Parameter::name).distinct().count());
    }

    @Test
    void initializationFollowsGpt2AndIsReproducible() {
        TransformerConfig c = TransformerConfig.defaults();
        TransformerPolicy a = TransformerPolicy.initialize(c, new SplittableRandom(7));
        TransformerPolicy b = TransformerPolicy.initialize(c, new SplittableRandom(7));
        TransformerPolicy other = TransformerPolicy.initialize(c, new SplittableRandom(8));
        for (int i = 0; i < a.parameters().size(); i++) {
            INDArray va = a.parameters().get(i).value();
            assertEquals(va, b.parameters().get(i).value());
            assertEquals(0.0, a.parameters().get(i).gradient().amaxNumber().doubleValue());
            String name = a.parameters().get(i).name();
            if (name.endsWith(".gain")) {
                assertEquals(1.0, va.minNumber().doubleValue());
                assertEquals(1.0, va.maxNumber().doubleValue());
            } else if (name.endsWith(".bias")) {
                assertEquals(0.0, va.amaxNumber().doubleValue());
            } else {
                assertNotEquals(va, other.parameters().get(i).value(), name);
                double std = va.stdNumber().doubleValue();
                double expected = name.endsWith(".wo") || name.endsWith(".w2") ? 0.02 / Math.sqrt(4) : 0.02;
                assertEquals(expected, std, 0.1 * expected, name);
                assertEquals(0.0, va.meanNumber().doubleValue(), 0.2 * expected, name);
            }
        }
    }

    @Test
    void copyIsDeepWithZeroGradients() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU), 24);
        SequenceBatch batch = TestModels.batch(new SplittableRandom(9), 3, 7, 3, 3);
        policy.forward(batch).backward(batch.mask(DataType.DOUBLE));
        TransformerPolicy copy = policy.copy();
        assertEquals(policy.config(), copy.config());
        assertEquals(policy.forward(batch).logProbs(), copy.forward(batch).logProbs());
        for (int i = 0; i < policy.parameters().size(); i++) {
            Parameter p = policy.parameters().get(i);
            Parameter q = copy.parameters().get(i);
            assertEquals(p.name(), q.name());
            assertEquals(p.value(), q.value());
            assertNotSame(p.value(), q.value());
            assertEquals(0.0, q.gradient().amaxNumber().doubleValue());
        }
        INDArray before = policy.parameters().get(0).value().dup();
        // a random change (a constant shift of every embedding would vanish in the first LayerNorm)
        copy.parameters().get(0).value().addi(FiniteDifferences.gaussian(new SplittableRandom(1), 0.5, 7, 8));
        copy.forward(batch).backward(batch.mask(DataType.DOUBLE));
        assertEquals(before, policy.parameters().get(0).value());
        assertNotEquals(policy.forward(batch).logProbs(), copy.forward(batch).logProbs());
    }

    @Test
    void batchesWithoutCompletionTokensGiveEmptyResults() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.GELU), 25);
        SequenceBatch noTokens = new SequenceBatch(List.of(new int[] {1, 2}, new int[] {3}),
                List.of(new int[0], new int[0]));
        PolicyForward f = policy.forward(noTokens);
        assertArrayEquals(new long[] {2, 0}, f.logProbs().shape());
        assertArrayEquals(new long[] {2, 0}, f.entropies().shape());
        f.backward(Nd4j.zeros(DataType.FLOAT, 2, 0));
        PolicyForward empty = policy.forward(new SequenceBatch(List.of(), List.of()));
        assertArrayEquals(new long[] {0, 0}, empty.logProbs().shape());
        for (Parameter p : policy.parameters()) {
            assertEquals(0.0, p.gradient().amaxNumber().doubleValue());
        }
    }

    @Test
    void badInputIsRejectedWithClearMessages() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.GELU), 26);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> policy.forward(
                new SequenceBatch(List.of(new int[] {1}, new int[] {2}), List.of(new int[] {1}, new int[] {0, 7}))));
        assertTrue(e.getMessage().contains("completions[1][1]") && e.getMessage().contains("was 7"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> policy.forward(
                new SequenceBatch(List.of(new int[] {-1}), List.of(new int[] {1}))));
        assertTrue(e.getMessage().contains("prompts[0][0]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> policy.forward(
                new SequenceBatch(List.of(new int[6]), List.of(new int[5]))));
        assertEquals("sequence 0 (prompt 6 + completion 5 tokens) exceeds contextLength 10", e.getMessage());
        SequenceBatch ok = new SequenceBatch(List.of(new int[] {1, 2}), List.of(new int[] {3, 4, 5}));
        policy.forward(new SequenceBatch(List.of(new int[5]), List.of(new int[5])));
        PolicyForward f = policy.forward(ok);
        e = assertThrows(IllegalArgumentException.class, () -> f.backward(Nd4j.zeros(DataType.FLOAT, 1, 2)));
        assertEquals("dLossDLogProbs must have shape [1, 3], was [1, 2]", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> f.backward(Nd4j.createFromArray(new float[][] {{0, Float.NaN, 0}})));
        assertTrue(e.getMessage().contains("finite") && e.getMessage().contains("[0, 1]"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> policy.forward(null));
        assertThrows(IllegalArgumentException.class, () -> TransformerPolicy.initialize(null, new SplittableRandom()));
        assertThrows(IllegalArgumentException.class,
                () -> TransformerPolicy.initialize(TransformerConfig.defaults(), null));
    }
}
