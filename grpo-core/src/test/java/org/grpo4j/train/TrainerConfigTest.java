package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import org.grpo4j.GrpoConfig;
import org.grpo4j.SamplingConfig;
import org.junit.jupiter.api.Test;

/** Validation of {@link TrainerConfig}: one test per rule, each checking the message names argument and value. */
class TrainerConfigTest {

    private static void rejects(TrainerConfig.Builder builder, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, builder::build);
        assertEquals(message, e.getMessage());
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        TrainerConfig c = TrainerConfig.builder().build();
        assertEquals(GrpoConfig.defaults(), c.grpo());
        assertEquals(16, c.promptsPerStep());
        assertEquals(16, c.groupsPerMiniBatch(), "one mini-batch per step unless set");
        assertEquals(1, c.iterationsPerBatch());
        assertEquals(100, c.steps());
        assertEquals(0, c.refSyncEvery());
        assertEquals(0.6, c.refSyncAlpha());
        assertEquals(0, c.checkpointEvery());
        assertEquals(c, c.toBuilder().build(), "toBuilder round-trips");
    }

    @Test
    void promptsPerStepMustBePositive() {
        rejects(TrainerConfig.builder().promptsPerStep(0), "promptsPerStep must be ≥ 1, was 0");
    }

    @Test
    void miniBatchesMustDivideTheBatch() {
        rejects(TrainerConfig.builder().promptsPerStep(6).groupsPerMiniBatch(4),
                "promptsPerStep (6) must be divisible by groupsPerMiniBatch (4)");
    }

    @Test
    void iterationsPerBatchMustBePositive() {
        rejects(TrainerConfig.builder().iterationsPerBatch(0), "iterationsPerBatch must be ≥ 1, was 0");
    }

    @Test
    void stepsMustBePositive() {
        rejects(TrainerConfig.builder().steps(-3), "steps must be ≥ 1, was -3");
    }

    @Test
    void extraSamplingRoundsMustNotBeNegative() {
        rejects(TrainerConfig.builder().maxExtraSamplingRounds(-1), "maxExtraSamplingRounds must be ≥ 0, was -1");
    }

    @Test
    void refSyncAlphaMustBeAWeight() {
        rejects(TrainerConfig.builder().refSyncAlpha(0), "refSyncAlpha must be in (0, 1], was 0.0");
        rejects(TrainerConfig.builder().refSyncAlpha(Double.NaN), "refSyncAlpha must be in (0, 1], was NaN");
    }

    @Test
    void refSyncEveryMustNotBeNegative() {
        rejects(TrainerConfig.builder().refSyncEvery(-1), "refSyncEvery must be ≥ 0, was -1");
    }

    /** Without KL (β = 0) the trainer keeps no reference, so a sync would silently do nothing. */
    @Test
    void referenceSyncNeedsAReference() {
        GrpoConfig noKl = GrpoConfig.defaults().toBuilder().beta(0).build();
        rejects(TrainerConfig.builder().grpo(noKl).refSyncEvery(3), "refSyncEvery (3) needs a reference policy, "
                + "but grpo.beta is 0.0 (no reference is kept when β = 0); set refSyncEvery to 0 or grpo.beta > 0");
        assertEquals(0, TrainerConfig.builder().grpo(noKl).build().refSyncEvery(), "β = 0 without a sync is fine");
        assertEquals(3, TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().beta(1e-6).build())
                .refSyncEvery(3).build().refSyncEvery(), "any β > 0 keeps a reference to sync");
    }

    @Test
    void checkpointsNeedADirectory() {
        rejects(TrainerConfig.builder().checkpointEvery(5), "checkpointDir must be set when checkpointEvery (5) > 0");
        TrainerConfig ok = TrainerConfig.builder().checkpointEvery(5).checkpointDir(Path.of("runs")).build();
        assertEquals(5, ok.checkpointEvery());
    }

    @Test
    void samplingMayNotExceedTheObjectivesMaxLength() {
        rejects(TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().maxCompletionLength(8).build())
                        .sampling(SamplingConfig.defaults().withMaxNewTokens(9)),
                "sampling.maxNewTokens (9) must be ≤ grpo.maxCompletionLength (8)");
    }

    @Test
    void nullPartsAreNamed() {
        rejects(TrainerConfig.builder().grpo(null), "grpo must not be null");
        rejects(TrainerConfig.builder().sampling(null), "sampling must not be null");
        rejects(TrainerConfig.builder().optimizer(null), "optimizer must not be null");
        rejects(TrainerConfig.builder().verifiers(null), "verifiers must not be null");
    }
}
