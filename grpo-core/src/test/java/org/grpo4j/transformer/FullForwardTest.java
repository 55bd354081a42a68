package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The batched uncached pass against the per-sequence uncached pass ({@link TransformerPolicy#logits}). */
class FullForwardTest {

    @ParameterizedTest
    @EnumSource(PositionEncoding.class)
    void eachRowIsTheLastRowOfThatSequencesOwnPass(PositionEncoding positions) {
        TransformerPolicy policy = TestModels.randomized(
                TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU, positions), 41);
        SplittableRandom rng = new SplittableRandom(3);
        for (int length : new int[] {1, 4, policy.config().contextLength()}) {
            List<int[]> seqs = List.of(TestModels.tokens(rng, length, 7), TestModels.tokens(rng, length, 7),
                    TestModels.tokens(rng, length, 7));
            INDArray got = FullForward.nextTokenLogits(policy, seqs);
            assertArrayEquals(new long[] {3, policy.vocabularySize()}, got.shape());
            for (int i = 0; i < seqs.size(); i++) {
                double[][] want = policy.logits(seqs.get(i));
                assertArrayEquals(want[length - 1], Tensors.toDoubles(got.getRow(i)), 1e-10,
                        positions + " length " + length + " row " + i);
            }
        }
    }

    @Test
    void badArgumentsAreNamed() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.RELU), 42);
        int context = policy.config().contextLength();
        assertEquals("sequences must not be empty", assertThrows(IllegalArgumentException.class,
                () -> FullForward.nextTokenLogits(policy, List.of())).getMessage());
        assertEquals("sequences[1] has length 3, must equal sequences[0]'s length 2",
                assertThrows(IllegalArgumentException.class, () -> FullForward.nextTokenLogits(policy,
                        List.of(new int[] {1, 2}, new int[] {1, 2, 3}))).getMessage());
        assertEquals("sequence length must be in [1, contextLength = " + context + "], was " + (context + 1),
                assertThrows(IllegalArgumentException.class, () -> FullForward.nextTokenLogits(policy,
                        List.of(new int[context + 1]))).getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> FullForward.nextTokenLogits(policy, List.of(new int[] {policy.vocabularySize()})));
        assertThrows(IllegalArgumentException.class, () -> FullForward.nextTokenLogits(null, List.of(new int[1])));
    }
}
