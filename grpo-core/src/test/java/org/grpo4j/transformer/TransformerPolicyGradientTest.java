package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.grpo4j.Parameter;
import org.grpo4j.PolicyForward;
import org.grpo4j.SequenceBatch;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** The whole model's backward pass against central finite differences, in DOUBLE, for every parameter. */
class TransformerPolicyGradientTest {

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void everyParameterMatchesFiniteDifferences(MlpActivation activation) {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, activation), 11);
        SplittableRandom rng = new SplittableRandom(5);
        // variable prompt and completion lengths, one empty completion, so padding is exercised
        SequenceBatch batch = TestModels.batch(rng, 4, 7, 4, 5);
        int t = batch.maxCompletionLength();
        INDArray upstream = FiniteDifferences.gaussian(rng, 1.0, 4, t);
        PolicyForward f = policy.forward(batch);
        f.backward(upstream);
        int checked = 0;
        for (Parameter p : policy.parameters()) {
            checked += FiniteDifferences.check(p.name(), p.value(), p.gradient(),
                    () -> FiniteDifferences.dot(policy.forward(batch).logProbs(), upstream), 6, rng);
        }
        assertEquals(21, policy.parameters().size());
        assertEquals(21 * 6, checked);
    }

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void backwardAccumulatesAndIgnoresPadding(MlpActivation activation) {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, activation), 12);
        SplittableRandom rng = new SplittableRandom(6);
        SequenceBatch batch = TestModels.batch(rng, 3, 7, 3, 4);
        INDArray mask = batch.mask(DataType.DOUBLE);
        INDArray g = FiniteDifferences.gaussian(rng, 1.0, mask.shape());
        PolicyForward f = policy.forward(batch);
        f.backward(g.mul(mask));
        java.util.List<INDArray> once = policy.parameters().stream().map(p -> p.gradient().dup()).toList();
        // garbage at padded positions must not matter, and a second call adds the same amount again
        f.backward(g.mul(mask).addi(mask.rsub(1.0).muli(1e6)));
        for (int i = 0; i < once.size(); i++) {
            Parameter p = policy.parameters().get(i);
            double scale = once.get(i).amaxNumber().doubleValue();
            assertEquals(0.0, p.gradient().sub(once.get(i).mul(2)).amaxNumber().doubleValue(), 1e-12 * (1 + scale),
                    p.name());
        }
        assertTrue(once.get(2).amaxNumber().doubleValue() > 0, "block0.ln1.gain received a gradient");
    }
}
