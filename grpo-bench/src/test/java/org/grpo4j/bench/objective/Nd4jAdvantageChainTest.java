package org.grpo4j.bench.objective;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.SplittableRandom;
import org.grpo4j.GrpoConfig;
import org.grpo4j.objective.Advantages;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The op chain computes the same advantages as the library (double), so the benchmark compares like with like. */
class Nd4jAdvantageChainTest {

    @Test
    void equalsTheLibrarysAdvantagesForBinaryAndGradedRewards() {
        GrpoConfig config = GrpoConfig.grpo();
        SplittableRandom rng = new SplittableRandom(4);
        for (int batch : new int[] {config.groupSize(), 64, 4096}) {
            double[] r = new double[batch];
            for (int i = 0; i < batch; i++) {
                r[i] = i < config.groupSize() ? 1 : (batch == 64 ? rng.nextDouble() : rng.nextInt(2));
            }
            INDArray got = Nd4jAdvantageChain.compute(Nd4j.createFromArray(r).castTo(DataType.FLOAT),
                    config.groupSize(), config.advantageEpsilon());
            double[] want = Advantages.compute(r, config);
            assertEquals(batch, got.length());
            for (int i = 0; i < batch; i++) {
                assertEquals(want[i], got.getDouble(i), 1e-5, "batch " + batch + " element " + i);
            }
            for (int i = 0; i < config.groupSize(); i++) {
                assertEquals(0.0, got.getDouble(i), 0.0, "an all-equal group has zero advantage");
            }
        }
    }

    @Test
    void fusedAndChainBenchmarksAgree() {
        for (int batch : new int[] {64, 512, 4096}) {
            AdvantagesBenchmark b = new AdvantagesBenchmark();
            b.batch = batch;
            b.setUp();
            INDArray fused = b.fused();
            INDArray chain = b.nd4jChain();
            assertEquals(batch, fused.length());
            for (int i = 0; i < batch; i++) {
                assertEquals(fused.getDouble(i), chain.getDouble(i), 1e-5, "batch " + batch + " element " + i);
            }
        }
    }

    /**
     * FLOAT rewards 1 + (0, 3, 5, 9) · 2^-23, a few ulps apart: in double the mean is 1 + 4.25 · 2^-23 and
     * A = (−4.25, −1.25, 0.75, 4.75) / √14.25 (ε = 0). A FLOAT chain rounded the mean to 1 + 4 · 2^-23 and was off
     * by 0.25/√14.25 ≈ 0.066 in every advantage, 9% of the smallest; in double it is right to FLOAT rounding.
     */
    @Test
    void floatRewardsWithATinySpreadAreComputedInDouble() {
        float u = 0x1p-23f;
        INDArray rewards = Nd4j.createFromArray(1f, 1 + 3 * u, 1 + 5 * u, 1 + 9 * u);
        double s = Math.sqrt(14.25);
        double[] expected = {-4.25 / s, -1.25 / s, 0.75 / s, 4.75 / s};
        INDArray a = Nd4jAdvantageChain.compute(rewards, 4, 0);
        assertEquals(DataType.FLOAT, a.dataType());
        for (int i = 0; i < 4; i++) {
            assertEquals(expected[i], a.getDouble(i), 1e-6 * Math.abs(expected[i]), "A[" + i + "]");
        }
    }

    /** (1e160, 0, 0, 0) gives (1.5, −0.5, −0.5, −0.5) like (1, 0, 0, 0); unscaled, Σd² overflowed to Infinity. */
    @Test
    void largeAndTinyRewardsGiveTheAdvantagesOfTheirShape() {
        for (double scale : new double[] {1, 1e160, 1e-170}) {
            INDArray a = Nd4jAdvantageChain.compute(Nd4j.createFromArray(scale, 0, 0, 0), 4, 0);
            assertEquals(1.5, a.getDouble(0), 1e-15, "scale " + scale);
            assertEquals(-0.5, a.getDouble(1), 1e-15, "scale " + scale);
        }
    }

    @Test
    void aBatchThatIsNotWholeGroupsIsRefused() {
        INDArray r = Nd4j.zeros(DataType.FLOAT, 10);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Nd4jAdvantageChain.compute(r, 4, 1e-4));
        assertEquals("batch of 10 rewards must be a positive whole number of groups of groupSize 4 (≥ 2)",
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Nd4jAdvantageChain.compute(r, 1, 1e-4));
    }
}
