package org.grpo4j.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.grpo4j.Parameter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class AdamWTest {
    /** Gradient scales per step: the total norm is about 5.6 * scale, so steps with scale ≥ 0.2 are clipped at 1. */
    private static final double[] SCALES = {0.02, 1.5, 0.05, 3.0, 0.01, 0.3, 0.1, 2.0, 0.04, 0.5, 0.08, 1.0};

    private static OptimizerConfig adamWConfig() {
        return OptimizerConfig.builder().learningRate(0.05).weightDecay(0.1).maxGradNorm(1.0)
                .schedule(LearningRateSchedule.warmupCosine(3, 12, 0.1)).build();
    }

    /** One gradient set per step, rounded to the data type; w[0] is always 0 and b[2] on even steps. */
    private static double[][][] gradients(long seed, int steps, DataType dt) {
        SplittableRandom rng = new SplittableRandom(seed);
        double[][][] out = new double[steps][][];
        for (int k = 0; k < steps; k++) {
            out[k] = TestModel.randomValues(rng, dt, SCALES[k % SCALES.length]);
            out[k][0][0] = 0;
            if (k % 2 == 0) {
                out[k][1][2] = 0;
            }
        }
        return out;
    }

    /**
     * The relative error of a parameter set: over parameters, the largest {@code max_i |a_i - e_i| / max_i |e_i|}
     * (the max-norm relative error of each tensor).
     */
    static double relativeError(double[][] actual, double[][] expected) {
        double worst = 0;
        for (int p = 0; p < expected.length; p++) {
            double err = 0;
            double scale = 0;
            for (int i = 0; i < expected[p].length; i++) {
                err = Math.max(err, Math.abs(actual[p][i] - expected[p][i]));
                scale = Math.max(scale, Math.abs(expected[p][i]));
            }
            worst = Math.max(worst, scale == 0 ? err : err / scale);
        }
        return worst;
    }

    private static double[][] toDouble(Map<String, INDArray> moments) {
        double[][] out = new double[TestModel.NAMES.length][];
        for (int p = 0; p < out.length; p++) {
            INDArray a = moments.get(TestModel.NAMES[p]);
            out[p] = a.dup('c').reshape(a.length()).toDoubleVector();
        }
        return out;
    }

    private void compareWithReference(OptimizerConfig config, DataType dt, double tolerance) {
        SplittableRandom rng = new SplittableRandom(11);
        double[][] init = TestModel.randomValues(rng, dt, 1.0);
        TestModel model = new TestModel(dt, init);
        AdamReference ref = new AdamReference(config, init);
        AdamW adam = AdamW.create(config);
        double[][][] grads = gradients(12, 12, dt);
        int clippedSteps = 0;
        for (int k = 0; k < grads.length; k++) {
            double[][] before = model.values();
            double[][] refBefore = copy(ref.theta());
            model.setGradients(grads[k]);
            StepResult got = adam.step(model.parameters);
            AdamReference.Step want = ref.step(grads[k]);
            assertEquals(k + 1, got.stepCount());
            assertEquals(want.gradNorm(), got.gradNorm(), tolerance * want.gradNorm(), "gradNorm at step " + k);
            assertEquals(want.learningRate(), got.learningRate(), 1e-15, "learning rate at step " + k);
            assertEquals(want.clipped(), got.clipped(), "clipped at step " + k);
            clippedSteps += got.clipped() ? 1 : 0;
            double[][] after = model.values();
            double valueError = relativeError(after, ref.theta());
            assertTrue(valueError <= tolerance, "values after step " + k + ": relative error " + valueError);
            if (dt == DataType.DOUBLE) {
                // in FLOAT an update, the difference of two rounded weights, is only known to ulp(theta)
                double updateError = relativeError(minus(after, before), minus(ref.theta(), refBefore));
                assertTrue(updateError <= tolerance, "update of step " + k + ": relative error " + updateError);
            }
            OptimizerState state = adam.state();
            double mError = relativeError(toDouble(state.firstMoments()), ref.firstMoments());
            double vError = relativeError(toDouble(state.secondMoments()), ref.secondMoments());
            assertTrue(mError <= tolerance && vError <= tolerance, "moments after step " + k + ": relative errors "
                    + mError + ", " + vError);
        }
        assertTrue(clippedSteps > 0 && clippedSteps < grads.length, "both clipped and unclipped steps occur");
    }

    private static double[][] copy(double[][] a) {
        double[][] out = new double[a.length][];
        for (int p = 0; p < a.length; p++) {
            out[p] = a[p].clone();
        }
        return out;
    }

    private static double[][] minus(double[][] a, double[][] b) {
        double[][] out = new double[a.length][];
        for (int p = 0; p < a.length; p++) {
            out[p] = new double[a[p].length];
            for (int i = 0; i < a[p].length; i++) {
                out[p][i] = a[p][i] - b[p][i];
            }
        }
        return out;
    }

    /**
     * Every variant, data type and epsilon against the reference over 12 steps with clipped and unclipped steps and
     * a warm-up-cosine schedule. With epsilon = 1e-3 it is comparable to sqrt(v), so where epsilon enters the
     * bias-corrected denominator matters.
     */
    @ParameterizedTest(name = "{0} {1} epsilon={2}")
    @MethodSource("variantsTypesEpsilons")
    void matchesDoublePrecisionReference(AdamVariant variant, DataType dt, double epsilon) {
        OptimizerConfig config = adamWConfig().toBuilder().variant(variant).epsilon(epsilon)
                .weightDecay(variant == AdamVariant.ADAM ? 0 : 0.1).build();
        compareWithReference(config, dt, dt == DataType.FLOAT ? 1e-5 : 1e-12);
    }

    static Stream<Arguments> variantsTypesEpsilons() {
        List<Arguments> out = new ArrayList<>();
        for (AdamVariant variant : AdamVariant.values()) {
            for (DataType dt : List.of(DataType.FLOAT, DataType.DOUBLE)) {
                for (double epsilon : new double[] {1e-8, 1e-3}) {
                    out.add(Arguments.of(variant, dt, epsilon));
                }
            }
        }
        return out.stream();
    }

    // ---- clipping ------------------------------------------------------------------------------------------------

    /** After one step m = (1 - b1) c g and v = (1 - b2) (c g)^2 with c the clip factor, so the moments show it. */
    @Test
    void clipsByGlobalNormAcrossAllParameters() {
        TestModel model = new TestModel(DataType.DOUBLE, TestModel.randomValues(new SplittableRandom(1),
                DataType.DOUBLE, 1));
        double[][] g = TestModel.randomValues(new SplittableRandom(2), DataType.DOUBLE, 1);
        double norm = 0;
        for (double[] row : g) {
            for (double x : row) {
                norm += x * x;
            }
        }
        norm = Math.sqrt(norm);
        double maxNorm = norm / 4;
        model.setGradients(g);
        AdamW adam = AdamW.create(OptimizerConfig.builder().maxGradNorm(maxNorm).build());
        StepResult r = adam.step(model.parameters);
        assertTrue(r.clipped());
        assertEquals(norm, r.gradNorm(), 1e-12 * norm);
        double c = maxNorm / (norm + 1e-6);
        double[][] m = toDouble(adam.state().firstMoments());
        double[][] v = toDouble(adam.state().secondMoments());
        for (int p = 0; p < g.length; p++) {
            for (int i = 0; i < g[p].length; i++) {
                assertEquals(0.1 * c * g[p][i], m[p][i], 1e-15, TestModel.NAMES[p] + "[" + i + "] first moment");
                assertEquals(0.001 * c * c * g[p][i] * g[p][i], v[p][i], 1e-15, "second moment");
            }
        }
    }

    @Test
    void doesNotClipBelowTheLimitOrWhenOff() {
        double[][] g = TestModel.randomValues(new SplittableRandom(2), DataType.DOUBLE, 100);
        for (OptimizerConfig config : List.of(OptimizerConfig.builder().maxGradNorm(Double.POSITIVE_INFINITY).build(),
                OptimizerConfig.builder().maxGradNorm(1e6).build())) {
            TestModel model = new TestModel(DataType.DOUBLE, TestModel.randomValues(new SplittableRandom(1),
                    DataType.DOUBLE, 1));
            model.setGradients(g);
            AdamW adam = AdamW.create(config);
            StepResult r = adam.step(model.parameters);
            assertFalse(r.clipped(), "maxGradNorm " + config.maxGradNorm());
            assertTrue(r.gradNorm() > 100, "the norm is reported unclipped, was " + r.gradNorm());
            double[][] m = toDouble(adam.state().firstMoments());
            for (int p = 0; p < g.length; p++) {
                for (int i = 0; i < g[p].length; i++) {
                    assertEquals(0.1 * g[p][i], m[p][i], 1e-12);
                }
            }
        }
    }

    // ---- weight decay, zeroing, layouts ------------------------------------------------------------------------

    /**
     * With zero gradients the moments stay 0 and Adam's update is 0/(0 + eps) = 0, so AdamW only decays:
     * theta_k = theta_0 * prod_j (1 - lr_j * lambda), independent of the gradient scale (that is what decoupled
     * means; an L2 term in the gradient would be normalised to a step of about lr). Adam leaves theta unchanged.
     */
    @Test
    void weightDecayIsDecoupledFromTheGradient() {
        double[][] init = TestModel.randomValues(new SplittableRandom(3), DataType.DOUBLE, 1);
        OptimizerConfig config = OptimizerConfig.builder().learningRate(0.1).weightDecay(0.5)
                .schedule(LearningRateSchedule.warmupConstant(2)).build();
        TestModel model = new TestModel(DataType.DOUBLE, init);
        AdamW adamW = AdamW.create(config);
        TestModel frozen = new TestModel(DataType.DOUBLE, init);
        AdamW adam = AdamW.create(OptimizerConfig.adam().toBuilder().learningRate(0.1).build());
        double factor = 1;
        for (int k = 0; k < 5; k++) {
            adamW.step(model.parameters);
            adam.step(frozen.parameters);
            factor *= 1 - config.learningRateAt(k) * 0.5;
        }
        double[][] got = model.values();
        for (int p = 0; p < init.length; p++) {
            for (int i = 0; i < init[p].length; i++) {
                assertEquals(init[p][i] * factor, got[p][i], 1e-15);
            }
            assertArrayEquals(init[p], frozen.values()[p], 0.0);
        }
    }

    @Test
    void adamIsAdamWWithoutWeightDecayBitForBit() {
        double[][] init = TestModel.randomValues(new SplittableRandom(4), DataType.FLOAT, 1);
        TestModel a = new TestModel(DataType.FLOAT, init);
        TestModel b = new TestModel(DataType.FLOAT, init);
        AdamW adam = AdamW.create(OptimizerConfig.adam());
        AdamW adamW = AdamW.create(OptimizerConfig.builder().weightDecay(0).build());
        for (double[][] g : gradients(5, 6, DataType.FLOAT)) {
            a.setGradients(g);
            b.setGradients(g);
            assertEquals(adam.step(a.parameters), adamW.step(b.parameters));
        }
        assertBitEqual(a.values(), b.values());
    }

    @Test
    void zeroesGradientsAndLeavesTheRestOfABackingArrayAlone() {
        TestModel model = new TestModel(DataType.FLOAT, TestModel.randomValues(new SplittableRandom(6),
                DataType.FLOAT, 1));
        model.setGradients(TestModel.randomValues(new SplittableRandom(7), DataType.FLOAT, 1));
        AdamW adam = AdamW.create(OptimizerConfig.defaults());
        assertEquals(0, adam.stepCount());
        adam.step(model.parameters);
        assertEquals(1, adam.stepCount());
        for (double[] g : model.gradients()) {
            for (double x : g) {
                assertEquals(0.0, x);
            }
        }
        for (int col : new int[] {0, 3, 4}) {
            for (int row = 0; row < 4; row++) {
                assertEquals(7.0, model.backingValue.getDouble(row, col), "value outside the view");
                assertEquals(3.0, model.backingGradient.getDouble(row, col), "gradient outside the view");
            }
        }
    }

    // ---- exact resume --------------------------------------------------------------------------------------------

    @Test
    void resumedRunIsBitIdenticalToUninterruptedRun() {
        OptimizerConfig config = adamWConfig();
        double[][] init = TestModel.randomValues(new SplittableRandom(8), DataType.FLOAT, 1);
        double[][][] grads = gradients(9, 10, DataType.FLOAT);

        TestModel straight = new TestModel(DataType.FLOAT, init);
        AdamW uninterrupted = AdamW.create(config);
        List<StepResult> straightResults = run(uninterrupted, straight, grads, 0, grads.length);

        TestModel first = new TestModel(DataType.FLOAT, init);
        AdamW before = AdamW.create(config);
        List<StepResult> resumedResults = run(before, first, grads, 0, 4);
        OptimizerState checkpoint = before.state();
        double[][] savedWeights = first.values();

        TestModel second = new TestModel(DataType.FLOAT, savedWeights);
        AdamW after = AdamW.create(config);
        after.restore(checkpoint);
        assertEquals(4, after.stepCount());
        resumedResults.addAll(run(after, second, grads, 4, grads.length));

        assertEquals(straightResults, resumedResults);
        assertBitEqual(straight.values(), second.values());
        OptimizerState a = uninterrupted.state();
        OptimizerState b = after.state();
        assertEquals(a.step(), b.step());
        assertBitEqual(toDouble(a.firstMoments()), toDouble(b.firstMoments()));
        assertBitEqual(toDouble(a.secondMoments()), toDouble(b.secondMoments()));

        // the state carries information: resuming the weights with a fresh optimiser gives another trajectory
        TestModel fresh = new TestModel(DataType.FLOAT, savedWeights);
        run(AdamW.create(config), fresh, grads, 4, grads.length);
        assertFalse(Arrays.deepEquals(straight.values(), fresh.values()));
    }

    @Test
    void stateIsACopyAndRestoreCopiesIn() {
        TestModel model = new TestModel(DataType.DOUBLE, TestModel.randomValues(new SplittableRandom(10),
                DataType.DOUBLE, 1));
        AdamW adam = AdamW.create(OptimizerConfig.defaults());
        assertEquals(OptimizerState.initial().step(), adam.state().step());
        assertTrue(adam.state().firstMoments().isEmpty());
        model.setGradients(TestModel.randomValues(new SplittableRandom(11), DataType.DOUBLE, 1));
        adam.step(model.parameters);
        OptimizerState s = adam.state();
        assertEquals(List.of(TestModel.NAMES), new ArrayList<>(s.firstMoments().keySet()));
        double[][] m = toDouble(s.firstMoments());
        s.firstMoments().get("w").assign(99);
        assertBitEqual(m, toDouble(adam.state().firstMoments()));

        AdamW other = AdamW.create(OptimizerConfig.defaults());
        OptimizerState given = adam.state();
        other.restore(given);
        given.secondMoments().get("b").assign(-1);
        assertBitEqual(toDouble(adam.state().secondMoments()), toDouble(other.state().secondMoments()));
        assertNotEquals(-1.0, other.state().secondMoments().get("b").getDouble(0));
    }

    private static List<StepResult> run(AdamW adam, TestModel model, double[][][] grads, int from, int to) {
        List<StepResult> out = new ArrayList<>();
        for (int k = from; k < to; k++) {
            model.setGradients(grads[k]);
            out.add(adam.step(model.parameters));
        }
        return out;
    }

    private static void assertBitEqual(double[][] expected, double[][] actual) {
        for (int p = 0; p < expected.length; p++) {
            for (int i = 0; i < expected[p].length; i++) {
                assertEquals(Double.doubleToRawLongBits(expected[p][i]), Double.doubleToRawLongBits(actual[p][i]),
                        "element " + i + " of parameter " + p + ": " + expected[p][i] + " vs " + actual[p][i]);
            }
        }
    }

    // ---- validation ------------------------------------------------------------------------------------------------

    private static String rejects(AdamW adam, List<Parameter> parameters) {
        return assertThrows(IllegalArgumentException.class, () -> adam.step(parameters)).getMessage();
    }

    private static Parameter param(String name, DataType dt, long... shape) {
        return new Parameter(name, Nd4j.ones(dt, shape), Nd4j.ones(dt, shape));
    }

    @Test
    void rejectsBadParameterLists() {
        AdamW adam = AdamW.create(OptimizerConfig.defaults());
        assertEquals("parameters must not be null", rejects(adam, null));
        assertEquals("parameters must not be empty", rejects(adam, List.of()));
        assertEquals("parameters[1] must not be null", rejects(adam, Arrays.asList(param("a", DataType.FLOAT, 2),
                null)));
        assertEquals("parameter names must be unique, a appears twice",
                rejects(adam, List.of(param("a", DataType.FLOAT, 2), param("a", DataType.FLOAT, 3))));
        assertEquals("value of parameter i must be FLOAT or DOUBLE, was INT",
                rejects(adam, List.of(param("i", DataType.INT32, 2))));
        assertEquals("gradient of parameter g has data type DOUBLE, must equal its value's FLOAT",
                rejects(adam, List.of(new Parameter("g", Nd4j.ones(DataType.FLOAT, 2), Nd4j.ones(DataType.DOUBLE, 2)))));
        assertEquals(0, adam.stepCount());
    }

    @Test
    void rejectsParametersThatDifferFromEarlierSteps() {
        AdamW adam = AdamW.create(OptimizerConfig.defaults());
        adam.step(List.of(param("a", DataType.FLOAT, 2), param("b", DataType.FLOAT, 3)));
        assertEquals("parameter c is not one of the parameters of the earlier steps [a, b]",
                rejects(adam, List.of(param("a", DataType.FLOAT, 2), param("c", DataType.FLOAT, 3))));
        assertEquals("parameters must be the same as in earlier steps; missing [b]",
                rejects(adam, List.of(param("a", DataType.FLOAT, 2))));
        assertEquals("parameter b is FLOAT[4], but its optimiser state is FLOAT[3]",
                rejects(adam, List.of(param("a", DataType.FLOAT, 2), param("b", DataType.FLOAT, 4))));
        assertEquals("parameter b is DOUBLE[3], but its optimiser state is FLOAT[3]",
                rejects(adam, List.of(param("a", DataType.FLOAT, 2), param("b", DataType.DOUBLE, 3))));
        AdamW restored = AdamW.create(OptimizerConfig.defaults());
        restored.restore(adam.state());
        assertEquals("parameter b is FLOAT[2, 2], but its optimiser state is FLOAT[3]",
                rejects(restored, List.of(param("a", DataType.FLOAT, 2), param("b", DataType.FLOAT, 2, 2))));
        assertEquals(1, adam.stepCount());
        assertEquals(1, restored.stepCount());
    }

    @Test
    void rejectsNonFiniteGradientsWithoutChangingAnything() {
        for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
            TestModel model = new TestModel(DataType.FLOAT, TestModel.randomValues(new SplittableRandom(12),
                    DataType.FLOAT, 1));
            AdamW adam = AdamW.create(OptimizerConfig.defaults());
            model.setGradients(TestModel.randomValues(new SplittableRandom(13), DataType.FLOAT, 1));
            adam.step(model.parameters);
            double[][] g = TestModel.randomValues(new SplittableRandom(14), DataType.FLOAT, 1);
            g[2][3] = bad;
            model.setGradients(g);
            double[][] values = model.values();
            OptimizerState state = adam.state();
            String message = rejects(adam, model.parameters);
            assertEquals("gradient of parameter view must be finite, its L2 norm was " + (Double.isNaN(bad) ? "NaN"
                    : "Infinity"), message);
            assertBitEqual(values, model.values());
            assertBitEqual(toDouble(state.firstMoments()), toDouble(adam.state().firstMoments()));
            assertEquals(1, adam.stepCount());
            assertEquals(bad, model.gradients()[2][3], "the gradients are left for inspection");
        }
    }

    @Test
    void copyHasTheSameConfigAndFreshState() {
        AdamW adam = AdamW.create(adamWConfig());
        adam.step(List.of(param("a", DataType.FLOAT, 2)));
        AdamW copy = adam.copy();
        assertEquals(adam.config(), copy.config());
        assertEquals(0, copy.stepCount());
        assertTrue(copy.state().firstMoments().isEmpty());
        assertEquals("config must not be null", assertThrows(IllegalArgumentException.class,
                () -> AdamW.create(null)).getMessage());
        assertEquals("state must not be null", assertThrows(IllegalArgumentException.class,
                () -> adam.restore(null)).getMessage());
    }
}
