package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.verify.FailurePolicy;
import org.grpo4j.verify.VerifierConfig;
import org.grpo4j.verify.VerifierException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The trainer with a verifier that ignores interrupts: the metrics that count it, a stuck step, closing. */
class GrpoTrainerVerifierBoundTest {
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1), Prompt.of("c", 2));

    private final FirstCallHangs verifier = new FirstCallHangs();

    @AfterEach
    void release() {
        verifier.released = true;
    }

    /** Its first call loops until released, ignoring interrupts; every other call scores token 0 as 1. */
    private static final class FirstCallHangs implements RewardVerifier {
        final AtomicBoolean first = new AtomicBoolean(true);
        final AtomicInteger hanging = new AtomicInteger();
        volatile boolean released;

        @Override
        public double score(Prompt prompt, int[] completion) {
            if (first.getAndSet(false)) {
                hanging.incrementAndGet();
                while (!released) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException ignored) {
                        // ignore the interrupt and keep running
                    }
                }
                hanging.decrementAndGet();
            }
            return completion[0] == 0 ? 1 : 0;
        }

        @Override
        public String name() {
            return "stubborn";
        }

        void releaseAndAwaitReturn() throws InterruptedException {
            released = true;
            while (hanging.get() > 0) {
                Thread.sleep(1);
            }
        }
    }

    private static TabularPolicy policy() {
        return TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.25, 0.25, 0.25, 0.25},
                new double[] {0.05, 0.15, 0.0, 0.8});
    }

    private static TrainerConfig config(int threads) {
        return TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().groupSize(4).beta(0.1).build())
                .promptsPerStep(2).groupsPerMiniBatch(2).steps(3).seed(7)
                .verifiers(new VerifierConfig(threads, Duration.ofMillis(400), FailurePolicy.SCORE, -1)).build();
    }

    @Test
    void anAbandonedCallIsCountedAndItsSlotIsReportedUntilItReturns() throws Exception {
        try (GrpoTrainer trainer = new GrpoTrainer(config(2), policy(), verifier, PROMPTS)) {
            StepMetrics first = trainer.step();
            assertEquals(1, first.get("verifier/abandoned"));
            assertEquals(1, first.get("verifier/timeouts"));
            assertEquals(1, first.get("verifier/stuck"), "the call ignored its interrupt and still holds a slot");
            verifier.releaseAndAwaitReturn();
            StepMetrics second = trainer.step();
            assertEquals(0, second.get("verifier/abandoned"));
            assertEquals(0, second.get("verifier/stuck"));
            assertEquals(2, trainer.completedSteps());
        }
    }

    @Test
    void aStepWhoseOnlySlotStaysStuckFailsWithoutTouchingThePolicyAndTheRunGoesOnOnceItReturns()
            throws Exception {
        TabularPolicy policy = policy();
        double[][] before = policy.logitTable();
        try (GrpoTrainer trainer = new GrpoTrainer(config(1), policy, verifier, PROMPTS)) {
            VerifierException e = assertThrows(VerifierException.class, trainer::step);
            assertTrue(e.getMessage().startsWith("every verifier slot (1 of 1) is held by a call"), e.getMessage());
            assertTrue(e.getMessage().contains("verifier 'stubborn'"), e.getMessage());
            assertEquals(0, trainer.completedSteps());
            assertArrayEquals(before, policy.logitTable(), "the failed step updated nothing");
            verifier.releaseAndAwaitReturn();
            trainer.step();
            assertEquals(1, trainer.completedSteps());
        }
    }

    @Test
    void stepAfterCloseIsAnIllegalStateException() {
        GrpoTrainer trainer = new GrpoTrainer(config(2), policy(), (p, c) -> 1, PROMPTS);
        trainer.step();
        trainer.close();
        trainer.close();                                              // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class, trainer::step);
        assertEquals("the GrpoTrainer is closed: step() needs a trainer that is open", e.getMessage());
        assertEquals(1, trainer.completedSteps());
        assertThrows(IllegalStateException.class, trainer::train);
    }
}
