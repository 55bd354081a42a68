package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.WeightedVerifier;
import org.grpo4j.objective.AdvantageRangeException;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.verify.VerifierException;
import org.junit.jupiter.api.Test;

/**
 * Rewards whose advantages cannot be represented stop the step with an error naming the prompt and each verifier
 * with its scores, before any update; huge rewards that can be represented train like ordinary ones.
 */
class GrpoTrainerRewardRangeTest {
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1));

    private static TabularPolicy policy() {
        return TabularPolicy.ofProbabilities(new double[] {0.5, 0.5}, new double[] {0.5, 0.5});
    }

    /**
     * Leave-one-out without scaling: a group holding both 1.7e308 and −1.7e308 has r_i − mean(others) = ±3.4e308
     * for its odd member, beyond the double range. Before, the advantages were ±Infinity and the objective refused
     * them without naming the verifier.
     */
    @Test
    void unrepresentableAdvantagesNameTheVerifierAndThePrompt() {
        GrpoConfig grpo = GrpoConfig.builder().groupSize(4).advantageBaseline(AdvantageBaseline.LEAVE_ONE_OUT)
                .advantageScaling(AdvantageScaling.NONE).beta(0).build();
        TrainerConfig config = TrainerConfig.builder().grpo(grpo).promptsPerStep(2).groupsPerMiniBatch(2)
                .steps(20).seed(3).build();
        RewardVerifier huge = RewardVerifier.combine(
                new WeightedVerifier("extreme", 1.0, (p, c) -> c[0] == 0 ? 1.7e308 : -1.7e308),
                new WeightedVerifier("format", 0.0, (p, c) -> 1));
        TabularPolicy policy = policy();
        double[][] before = policy.logitTable();
        try (GrpoTrainer trainer = new GrpoTrainer(config, policy, huge, PROMPTS)) {
            VerifierException e = assertThrows(VerifierException.class, () -> {
                for (int i = 0; i < 20; i++) {
                    trainer.step();   // a group of 4 mixes both outputs with probability 7/8
                }
            });
            assertTrue(e.getMessage().contains("verifier 'extreme'") && e.getMessage().contains("verifier 'format'"),
                    e.getMessage());
            assertTrue(e.getMessage().contains("prompt '"), e.getMessage());
            assertTrue(e.getMessage().contains("1.7E308") && e.getMessage().contains("cannot be represented"),
                    e.getMessage());
            assertInstanceOf(AdvantageRangeException.class, e.getCause());
            if (trainer.completedSteps() == 0) {
                assertArrayEquals(before, policy.logitTable(), "the failed step updated nothing");
            }
        }
    }

    /** Rewards of 1e160 used to give an infinite std and zero advantages; scaled by the std they now train. */
    @Test
    void hugeRewardsScaledByTheirStdTrainLikeOrdinaryOnes() {
        GrpoConfig grpo = GrpoConfig.builder().groupSize(4).beta(0).build();
        TrainerConfig config = TrainerConfig.builder().grpo(grpo).promptsPerStep(2).groupsPerMiniBatch(2)
                .steps(3).seed(5).build();
        double[][] ordinary = train(config, (p, c) -> c[0] == 0 ? 1 : 0);
        double[][] huge = train(config, (p, c) -> c[0] == 0 ? 1e160 : 0);
        for (int i = 0; i < ordinary.length; i++) {
            assertArrayEquals(ordinary[i], huge[i], 1e-6, "row " + i);
        }
        assertTrue(!java.util.Arrays.deepEquals(policy().logitTable(), huge), "the huge rewards moved the policy");
    }

    private static double[][] train(TrainerConfig config, RewardVerifier verifier) {
        TabularPolicy policy = policy();
        try (GrpoTrainer trainer = new GrpoTrainer(config, policy, verifier, PROMPTS)) {
            trainer.train();
        }
        return policy.logitTable();
    }
}
