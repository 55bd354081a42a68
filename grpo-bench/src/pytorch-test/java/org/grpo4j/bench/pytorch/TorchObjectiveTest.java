package org.grpo4j.bench.pytorch;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.grpo4j.GrpoConfig;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.bench.objective.GrpoObjectiveBenchmark;
import org.grpo4j.bench.objective.KernelSize;
import org.grpo4j.bench.objective.ObjectiveInputs;
import org.grpo4j.bench.objective.ObjectiveShape;
import org.grpo4j.bench.objective.ObjectiveVariant;
import org.grpo4j.testing.ReferenceGrpoObjective;
import org.junit.jupiter.api.Test;

/** The peer's loss and autograd gradient equal the double-precision reference for every preset benchmarked. */
class TorchObjectiveTest {

    @Test
    void equalsTheReferenceForEveryVariant() {
        for (ObjectiveVariant variant : ObjectiveVariant.values()) {
            TorchObjectiveBenchmark b = new TorchObjectiveBenchmark();
            b.size = KernelSize.E4K;
            b.variant = variant;
            b.setUp();
            try {
                ObjectiveResult want = ReferenceGrpoObjective.create().evaluate(
                        ObjectiveInputs.random(64, 64, GrpoObjectiveBenchmark.SEED),
                        variant.config(ObjectiveShape.MAX_TOKENS));
                double loss = b.evaluate();
                var r = TorchObjective.lossAndGradient(b.engine, b.rewards, b.logpNew, b.logpOld, b.logpRef,
                        b.mask, b.config);
                assertEquals(r[0].getFloat(), loss, 0.0, "the benchmark computes the same loss");
                float[] got = r[1].toFloatArray();
                double[] expected = want.gradient().reshape(want.gradient().length()).toDoubleVector();
                double[] actual = new double[got.length];
                for (int i = 0; i < got.length; i++) {
                    actual[i] = got[i];
                }
                assertArrayEquals(expected, actual, 1e-6, variant.name());
                assertEquals(want.loss(), loss, 1e-5 * Math.max(1, Math.abs(want.loss())),
                        variant.name());
            } finally {
                b.tearDown();
            }
        }
    }

    @Test
    void configurationsOutsideThePresetsAreRefused() {
        TorchObjectiveBenchmark b = new TorchObjectiveBenchmark();
        b.size = KernelSize.E4K;
        b.variant = ObjectiveVariant.GRPO;
        b.setUp();
        try {
            GrpoConfig dual = GrpoConfig.grpo().toBuilder().maxCompletionLength(64).dualClip(3).build();
            assertThrows(IllegalArgumentException.class, () -> TorchObjective.lossAndGradient(b.engine, b.rewards,
                    b.logpNew, b.logpOld, b.logpRef, b.mask, dual));
        } finally {
            b.tearDown();
        }
    }
}
