package org.grpo4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grpo4j.objective.Nd4jGrpoObjective;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The README's example, verbatim, with its claims checked. */
class ReadmeExampleTest {

    @Test
    void scoresAGroupAndComputesTheLoss() throws Exception {
        RewardVerifier endsWithSeven = (prompt, completion) ->
                completion.length > 0 && completion[completion.length - 1] == 7 ? 1.0 : 0.0;

        Prompt prompt = Prompt.of("p0", 1, 2, 3);
        List<int[]> group = List.of(new int[] {4, 7}, new int[] {5, 6}, new int[] {7, 0}, new int[] {6, 6});
        double[] rewards = new double[group.size()];
        for (int i = 0; i < rewards.length; i++) {
            rewards[i] = endsWithSeven.score(prompt, group.get(i));            // 1, 0, 0, 0
        }
        INDArray logpNew = Nd4j.createFromArray(new float[][] {{-0.2f, -0.4f}, {-1.1f, -0.7f}, {-0.3f, -2.0f}, {-0.9f, -1.3f}});
        INDArray logpOld = logpNew.add(0.05);
        INDArray logpRef = logpNew.sub(0.1);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 4, 2);

        GrpoConfig config = GrpoConfig.builder().groupSize(4).build();
        ObjectiveResult result = Nd4jGrpoObjective.create().evaluate(
                ObjectiveInput.of(Nd4j.createFromArray(rewards), logpNew, logpOld, logpRef, mask), config);

        assertArrayEquals(new double[] {1, 0, 0, 0}, rewards);
        // std_{n-1}(1,0,0,0) = 0.5, so A = (r - 0.25) / (0.5 + 1e-4)
        double s = 0.5 + 1e-4;
        assertArrayEquals(new double[] {0.75 / s, -0.25 / s, -0.25 / s, -0.25 / s},
                result.advantages().toDoubleVector(), 1e-6);
        assertEquals(4, result.gradient().size(0));
        assertEquals(2, result.gradient().size(1));
        assertTrue(Double.isFinite(result.loss()));
        // ratio exp(-0.05) ≈ 0.951 is inside [0.8, 1.2]: nothing is clipped; KL is that of a constant shift of 0.1
        assertEquals(0, result.metrics().clipFractionRegion());
        assertEquals(Math.exp(-0.05), result.metrics().meanRatio(), 1e-6);
        assertEquals(Math.expm1(-0.1) + 0.1, result.metrics().meanKl(), 1e-6);
    }
}
