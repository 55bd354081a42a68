package org.grpo4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Parameter;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Invariants of {@link AdamW} over random gradients, scales and hyper-parameters.
 */
class AdamWProperties {

    /**
     * At t = 1 the bias-corrected moments are g and g^2, so Adam's first update is the closed form
     * {@code -lr * g / (|g| + epsilon)} whatever the gradient scale, and AdamW first multiplies by
     * {@code 1 - lr * weightDecay}.
     */
    @Property(tries = 60)
    void firstUpdateHasTheClosedForm(@ForAll @IntRange(min = 0, max = 1 << 20) int seed,
                                     @ForAll @DoubleRange(min = -4, max = 3) double log10Scale,
                                     @ForAll @DoubleRange(min = -4, max = -0.3) double log10Lr,
                                     @ForAll @DoubleRange(min = 0, max = 0.5) double weightDecay,
                                     @ForAll @DoubleRange(min = -8, max = -2) double log10Epsilon) {
        double lr = Math.pow(10, log10Lr);
        double epsilon = Math.pow(10, log10Epsilon);
        SplittableRandom rng = new SplittableRandom(seed);
        double[] theta = new double[7];
        double[] g = new double[7];
        for (int i = 0; i < theta.length; i++) {
            theta[i] = TestModel.gaussian(rng);
            g[i] = TestModel.gaussian(rng) * Math.pow(10, log10Scale);
        }
        INDArray value = Nd4j.createFromArray(theta);
        AdamW adam = AdamW.create(OptimizerConfig.builder().learningRate(lr).weightDecay(weightDecay)
                .epsilon(epsilon).maxGradNorm(Double.POSITIVE_INFINITY).build());
        adam.step(List.of(new Parameter("p", value, Nd4j.createFromArray(g))));
        double[] got = value.toDoubleVector();
        for (int i = 0; i < theta.length; i++) {
            double want = theta[i] * (1 - lr * weightDecay) - lr * g[i] / (Math.abs(g[i]) + epsilon);
            assertEquals(want, got[i], 1e-13 * Math.max(1, Math.abs(want)), "element " + i);
        }
    }

    /** Checkpointing after any number of steps and resuming reproduces the uninterrupted weights bit for bit. */
    @Property(tries = 15)
    void resumingAfterAnyStepIsBitIdentical(@ForAll @IntRange(min = 0, max = 1 << 20) int seed,
                                            @ForAll @IntRange(min = 0, max = 6) int split) {
        OptimizerConfig config = OptimizerConfig.builder().learningRate(0.02).maxGradNorm(2)
                .schedule(LearningRateSchedule.warmupCosine(2, 6, 0.2)).build();
        SplittableRandom rng = new SplittableRandom(seed);
        double[][] init = TestModel.randomValues(rng, DataType.FLOAT, 1);
        double[][][] grads = new double[6][][];
        for (int k = 0; k < grads.length; k++) {
            grads[k] = TestModel.randomValues(rng, DataType.FLOAT, 0.5);
        }
        TestModel straight = new TestModel(DataType.FLOAT, init);
        AdamW a = AdamW.create(config);
        TestModel interrupted = new TestModel(DataType.FLOAT, init);
        AdamW b = AdamW.create(config);
        for (int k = 0; k < grads.length; k++) {
            if (k == split) {
                interrupted = TestModel.copyOf(interrupted);
                OptimizerState saved = b.state();
                b = AdamW.create(config);
                b.restore(saved);
            }
            straight.setGradients(grads[k]);
            interrupted.setGradients(grads[k]);
            assertEquals(a.step(straight.parameters), b.step(interrupted.parameters));
        }
        double[][] x = straight.values();
        double[][] y = interrupted.values();
        for (int p = 0; p < x.length; p++) {
            assertArrayEquals(x[p], y[p], 0.0, TestModel.NAMES[p]);
        }
    }
}
