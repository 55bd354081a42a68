package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleSupplier;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.Parameter;
import org.grpo4j.PolicyForward;
import org.grpo4j.SequenceBatch;
import org.grpo4j.correction.EntropyControl;
import org.grpo4j.objective.FusedGrpoObjective;
import org.grpo4j.objective.Nd4jGrpoObjective;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The entropy bonus's gradient flows into the whole next-token distribution ({@code dH/dz_k = −p_k (log p_k + H)}),
 * checked against central finite differences in DOUBLE for every parameter: first an upstream gradient on the
 * entropies alone, then the whole GRPO loss with an entropy bonus, an entropy mask and a KL term, from parameters
 * through the objective and back.
 */
class EntropyBonusGradientTest {

    @ParameterizedTest
    @EnumSource(MlpActivation.class)
    void entropyUpstreamMatchesFiniteDifferences(MlpActivation activation) {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, activation), 21);
        SplittableRandom rng = new SplittableRandom(9);
        SequenceBatch batch = TestModels.batch(rng, 4, 7, 4, 5);
        int t = batch.maxCompletionLength();
        INDArray upstream = FiniteDifferences.gaussian(rng, 1.0, 4, t);
        policy.forward(batch).backward(Nd4j.zeros(DataType.DOUBLE, 4, t), upstream);
        int checked = 0;
        for (Parameter p : policy.parameters()) {
            checked += FiniteDifferences.check(p.name(), p.value(), p.gradient(),
                    () -> FiniteDifferences.dot(policy.forward(batch).entropies().mul(batch.mask(DataType.DOUBLE)),
                            upstream), 6, rng);
        }
        assertEquals(21 * 6, checked);
    }

    /**
     * loss(θ) = objective(logp(θ), H(θ)) with β = 0.04 (k3), an entropy bonus of 0.3 and a top-0.8 entropy mask,
     * logpOld a fixed perturbation of the initial log-probabilities; the backward pass of both upstream gradients
     * matches the loss's finite differences at 6 entries of every parameter, on both objectives.
     */
    @Test
    void wholeObjectiveWithEntropyBonusMatchesFiniteDifferences() {
        for (GrpoObjective objective : new GrpoObjective[] {Nd4jGrpoObjective.create(), FusedGrpoObjective.create()}) {
            TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU), 22);
            SplittableRandom rng = new SplittableRandom(10);
            SequenceBatch batch = TestModels.batch(rng, 4, 7, 4, 5);
            int t = batch.maxCompletionLength();
            GrpoConfig c = GrpoConfig.builder().groupSize(2).beta(0.04)
                    .entropyControl(new EntropyControl(0.8, 0.3)).build();
            INDArray mask = batch.mask(DataType.DOUBLE);
            INDArray rewards = Nd4j.createFromArray(1.0, 0.0, 0.25, 0.75);
            PolicyForward f0 = policy.forward(batch);
            INDArray logpOld = f0.logProbs().add(FiniteDifferences.gaussian(rng, 0.01, 4, t)).muli(mask);
            INDArray logpRef = f0.logProbs().add(FiniteDifferences.gaussian(rng, 0.3, 4, t)).muli(mask);
            DoubleSupplier loss = () -> {
                PolicyForward f = policy.forward(batch);
                return objective.evaluate(new ObjectiveInput(rewards, null, f.logProbs(), logpOld, logpRef, mask,
                        null, f.entropies()), c).loss();
            };
            PolicyForward f = policy.forward(batch);
            ObjectiveResult r = objective.evaluate(new ObjectiveInput(rewards, null, f.logProbs(), logpOld, logpRef,
                    mask, null, f.entropies()), c);
            assertNotNull(r.entropyGradient());
            assertTrue(r.correction().entropyBonus() > 0);
            f.backward(r.gradient(), r.entropyGradient());
            int checked = 0;
            for (Parameter p : policy.parameters()) {
                checked += FiniteDifferences.check(objective.getClass().getSimpleName() + " " + p.name(), p.value(),
                        p.gradient(), loss, 6, rng);
            }
            assertEquals(21 * 6, checked);
        }
    }

    /** A policy without an entropy backward (the interface's default) says so instead of dropping the gradient. */
    @Test
    void aPolicyWithoutEntropyBackwardRefusesTheBonus() {
        int[] calls = {0};
        PolicyForward plain = new PolicyForward() {
            @Override
            public INDArray logProbs() {
                return Nd4j.zeros(DataType.DOUBLE, 1, 1);
            }

            @Override
            public INDArray entropies() {
                return Nd4j.zeros(DataType.DOUBLE, 1, 1);
            }

            @Override
            public void backward(INDArray dLossDLogProbs) {
                calls[0]++;
            }
        };
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> plain.backward(Nd4j.zeros(DataType.DOUBLE, 1, 1), Nd4j.ones(DataType.DOUBLE, 1, 1)));
        assertTrue(e.getMessage().contains("entropyCoefficient"), e.getMessage());
        plain.backward(Nd4j.zeros(DataType.DOUBLE, 1, 1), null);                 // no bonus: as backward(g)
        assertEquals(1, calls[0]);
    }

    /** An entropy upstream of the wrong shape is refused by its own name. */
    @Test
    void entropyUpstreamOfAnotherShapeIsRejected() {
        TransformerPolicy policy = TestModels.randomized(TestModels.tiny(DataType.DOUBLE, MlpActivation.GELU), 23);
        SequenceBatch batch = TestModels.batch(new SplittableRandom(4), 2, 7, 3, 3);
        int t = batch.maxCompletionLength();
        PolicyForward f = policy.forward(batch);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> f.backward(Nd4j.zeros(DataType.DOUBLE, 2, t), Nd4j.zeros(DataType.DOUBLE, 2, t + 1)));
        assertTrue(e.getMessage().contains("dLossDEntropies"), e.getMessage());
    }

    /** The tabular policy's entropy backward against finite differences of its logits. */
    @Test
    void tabularEntropyUpstreamMatchesFiniteDifferences() {
        TabularPolicy tabular = TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {0.5, 0.25, 0.25, 0.0});
        SequenceBatch batch = new SequenceBatch(java.util.List.of(new int[] {0}, new int[] {1}, new int[] {0}),
                java.util.List.of(new int[] {2}, new int[] {1}, new int[] {3}));
        INDArray gh = Nd4j.createFromArray(new double[][] {{0.7}, {-1.3}, {0.4}});
        INDArray g = Nd4j.createFromArray(new double[][] {{0.2}, {0.1}, {-0.5}});
        tabular.forward(batch).backward(g, gh);
        Parameter p = tabular.parameters().get(0);
        SplittableRandom rng = new SplittableRandom(3);
        // the upstream ⟨g, logp⟩ + ⟨gH, H⟩; the unsupported output (probability 0) is never read
        int checked = FiniteDifferences.check("tabular logits", p.value(), p.gradient(), () -> {
            PolicyForward f = tabular.forward(batch);
            return FiniteDifferences.dot(f.logProbs(), g) + FiniteDifferences.dot(f.entropies(), gh);
        }, 7, rng);
        assertEquals(7, checked);
    }
}
