package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grpo4j.Parameter;
import org.grpo4j.PolicyForward;
import org.grpo4j.SequenceBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * {@link PositionEncoding#ROTARY}: the forward pass against the independent double reference (which rotates with
 * its own loops), every gradient against finite differences, cached decoding against full recomputation, the
 * relative-position property of the rotation, and the config's and archive's handling.
 */
class RotaryPositionTest {

    private static TransformerPolicy model(DataType dt, MlpActivation activation, long seed) {
        return TestModels.randomized(TestModels.tiny(dt, activation, PositionEncoding.ROTARY), seed);
    }

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void forwardMatchesThePlainJavaReferenceInDouble(MlpActivation activation) {
        TransformerPolicy policy = model(DataType.DOUBLE, activation, 61);
        SequenceBatch batch = TestModels.batch(new SplittableRandom(7), 5, 7, 5, 5);
        TransformerPolicyTest.assertReference(policy, batch, policy.forward(batch), 1e-10);
        TransformerPolicyTest.assertLogitsMatchReference(policy);
    }

    @Test
    void floatForwardMatchesTheDoubleReference() {
        TransformerPolicy policy = model(DataType.FLOAT, MlpActivation.GELU, 62);
        SequenceBatch batch = TestModels.batch(new SplittableRandom(8), 5, 7, 5, 5);
        TransformerPolicyTest.assertReference(policy, batch, policy.forward(batch), 2e-4);
    }

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void everyParameterMatchesFiniteDifferences(MlpActivation activation) {
        TransformerPolicy policy = model(DataType.DOUBLE, activation, 63);
        SplittableRandom rng = new SplittableRandom(9);
        SequenceBatch batch = TestModels.batch(rng, 4, 7, 4, 5);
        INDArray upstream = FiniteDifferences.gaussian(rng, 1.0, 4, batch.maxCompletionLength());
        PolicyForward f = policy.forward(batch);
        f.backward(upstream);
        int checked = 0;
        for (Parameter p : policy.parameters()) {
            checked += FiniteDifferences.check(p.name(), p.value(), p.gradient(),
                    () -> FiniteDifferences.dot(policy.forward(batch).logProbs(), upstream), 6, rng);
        }
        assertEquals(20, policy.parameters().size(), "no position table");
        assertEquals(20 * 6, checked);
    }

    @Test
    void cachedDecodingEqualsFullRecomputation() {
        TransformerPolicy dbl = model(DataType.DOUBLE, MlpActivation.GELU, 64);
        IncrementalDecoderTest.assertCachedEqualsUncached(dbl, List.of(new int[] {1, 2, 3, 4, 5, 6, 0, 1, 2}), 1e-10,
                71);
        IncrementalDecoderTest.assertCachedEqualsUncached(dbl,
                IncrementalDecoderTest.prompts(new SplittableRandom(3), 3, 4, 5, 2, 1), 1e-10, 72);
        TransformerPolicy flt = model(DataType.FLOAT, MlpActivation.RELU, 65);
        IncrementalDecoderTest.assertCachedEqualsUncached(flt,
                IncrementalDecoderTest.prompts(new SplittableRandom(4), 1, 5, 3, 1), 2e-5, 73);
    }

    @Test
    void scoresDependOnlyOnThePositionDifference() {
        TransformerConfig c = TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU, PositionEncoding.ROTARY);
        Rotary rotary = Rotary.of(c);
        int d = c.modelWidth();
        INDArray x = FiniteDifferences.gaussian(new SplittableRandom(5), 1.0, 1, 3 * d);
        double[] first = scores(rotary, x, d, 2, 5);
        double[] shifted = scores(rotary, x, d, 6, 9);
        assertArrayEquals(first, shifted, 1e-12);
        assertFalse(Math.abs(first[0] - scores(rotary, x, d, 2, 6)[0]) < 1e-6, "another difference, another score");
        // a rotation keeps lengths
        INDArray r = rotated(rotary, x, 7);
        assertEquals(x.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2 * d)).norm2Number().doubleValue(),
                r.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                        org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 2 * d)).norm2Number().doubleValue(), 1e-12);
    }

    /** Per head: the rotated query at position a against the rotated key at position b. */
    private static double[] scores(Rotary rotary, INDArray x, int d, int a, int b) {
        double[] q = Tensors.toDoubles(rotated(rotary, x, a));
        double[] k = Tensors.toDoubles(rotated(rotary, x, b));
        int heads = 2;
        int dh = d / heads;
        double[] s = new double[heads];
        for (int h = 0; h < heads; h++) {
            for (int e = 0; e < dh; e++) {
                s[h] += q[h * dh + e] * k[d + h * dh + e];
            }
        }
        return s;
    }

    private static INDArray rotated(Rotary rotary, INDArray x, int position) {
        INDArray copy = x.dup();
        rotary.rotate(copy, rotary.rows(new int[] {position}));
        return copy;
    }

    @Test
    void archivesRoundTripAndOldMetadataReadsAsLearned() {
        TransformerPolicy policy = model(DataType.FLOAT, MlpActivation.GELU, 66);
        TransformerPolicy back = TransformerPolicy.fromArchive(policy.toArchive());
        assertEquals(PositionEncoding.ROTARY, back.config().positionEncoding());
        int[] seq = {1, 2, 3, 4};
        assertArrayEquals(policy.logits(seq)[3], back.logits(seq)[3], 0.0);
        assertTrue(policy.parameters().stream().noneMatch(p -> p.name().equals("positionEmbedding")));

        Map<String, String> meta = new java.util.HashMap<>(policy.config().toMetadata());
        assertEquals("ROTARY", meta.get("transformer.positionEncoding"));
        meta.remove("transformer.positionEncoding");
        assertEquals(PositionEncoding.LEARNED, TransformerConfig.fromMetadata(meta).positionEncoding());
    }

    @Test
    void anOddHeadWidthIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TransformerConfig.builder()
                .modelWidth(12).heads(4).positionEncoding(PositionEncoding.ROTARY).build());
        assertEquals("ROTARY needs an even head width, was modelWidth (12) / heads (4) = 3", e.getMessage());
        assertEquals(PositionEncoding.LEARNED, TransformerConfig.builder().modelWidth(12).heads(4).build()
                .positionEncoding());
    }
}
