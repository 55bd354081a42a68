package org.grpo4j.verify;

import static org.grpo4j.verify.ScoringInputs.P;
import static org.grpo4j.verify.ScoringInputs.completions;
import static org.grpo4j.verify.ScoringInputs.prompts;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.WeightedVerifier;
import org.junit.jupiter.api.Test;

class VerifierRunnerTest {

    @Test
    void combinesWeightedVerifiersAndReportsEachPart() {
        RewardVerifier even = (p, c) -> c[0] % 2 == 0 ? 1 : 0;
        RewardVerifier big = (p, c) -> c[0] >= 2 ? 1 : 0;
        try (VerifierRunner r = new VerifierRunner(RewardVerifier.combine(new WeightedVerifier("even", 2.0, even),
                new WeightedVerifier("big", 0.5, big)), VerifierConfig.defaults())) {
            Rewards rw = r.score(prompts(4), completions(4));
            assertArrayEquals(new double[] {2, 0, 2.5, 0.5}, rw.total(), 0);
            assertArrayEquals(new double[] {1, 0, 1, 0}, rw.byVerifier().get("even"), 0);
            assertArrayEquals(new double[] {0, 0, 1, 1}, rw.byVerifier().get("big"), 0);
            assertEquals(0, rw.failures());
        }
    }

    @Test
    void throwingVerifierFailsTheRunNamingVerifierPromptAndCompletion() {
        RewardVerifier boom = RewardVerifier.named("parser", (p, c) -> {
            if (c[0] == 2) {
                throw new IllegalStateException("cannot parse");
            }
            return 1;
        });
        try (VerifierRunner r = new VerifierRunner(boom, VerifierConfig.defaults())) {
            VerifierException e = assertThrows(VerifierException.class, () -> r.score(prompts(4), completions(4)));
            assertTrue(e.getMessage().contains("'parser'"), e.getMessage());
            assertTrue(e.getMessage().contains("'p7'"), e.getMessage());
            assertTrue(e.getMessage().contains("[2]"), e.getMessage());
            assertTrue(e.getMessage().contains("cannot parse"), e.getMessage());
        }
    }

    @Test
    void throwingVerifierIsScoredAndCountedUnderScorePolicy() {
        RewardVerifier boom = (p, c) -> {
            if (c[0] % 2 == 1) {
                throw new IllegalStateException("odd");
            }
            return 1;
        };
        try (VerifierRunner r = new VerifierRunner(boom, VerifierConfig.defaults().scoringFailuresAs(-1))) {
            Rewards rw = r.score(prompts(4), completions(4));
            assertArrayEquals(new double[] {1, -1, 1, -1}, rw.total(), 0);
            assertEquals(2, rw.failures());
            assertEquals(0, rw.timeouts());
        }
    }

    @Test
    void nanRewardIsAlwaysAnError() {
        RewardVerifier nan = RewardVerifier.named("nanny", (p, c) -> c[0] == 1 ? Double.NaN : 0);
        try (VerifierRunner r = new VerifierRunner(nan, VerifierConfig.defaults().scoringFailuresAs(0))) {
            VerifierException e = assertThrows(VerifierException.class, () -> r.score(prompts(3), completions(3)));
            assertTrue(e.getMessage().contains("non-finite reward NaN"), e.getMessage());
            assertTrue(e.getMessage().contains("'nanny'"), e.getMessage());
        }
    }

    @Test
    void timeoutFailsTheRunUnderFailPolicy() {
        RewardVerifier slow = RewardVerifier.named("slow", (p, c) -> {
            Thread.sleep(10_000);
            return 1;
        });
        VerifierConfig cfg = VerifierConfig.defaults().withTimeout(Duration.ofMillis(50));
        try (VerifierRunner r = new VerifierRunner(slow, cfg)) {
            VerifierException e = assertThrows(VerifierException.class, () -> r.score(prompts(2), completions(2)));
            assertTrue(e.getMessage().contains("exceeded its time limit of PT0.05S"), e.getMessage());
        }
    }

    @Test
    void configRejectsBadValuesNamingThem() {
        assertEquals("threads must be ≥ 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> new VerifierConfig(0, Duration.ofSeconds(1), FailurePolicy.FAIL, 0)).getMessage());
        assertEquals("timeout must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> new VerifierConfig(1, Duration.ZERO, FailurePolicy.FAIL, 0)).getMessage());
        assertEquals("failureReward must be finite, was NaN", assertThrows(IllegalArgumentException.class,
                () -> new VerifierConfig(1, Duration.ofSeconds(1), FailurePolicy.SCORE, Double.NaN)).getMessage());
        assertEquals("verifier names must be distinct, 'a' repeats", assertThrows(IllegalArgumentException.class,
                () -> RewardVerifier.combine(new WeightedVerifier("a", 1, (p, c) -> 0),
                        new WeightedVerifier("a", 1, (p, c) -> 1))).getMessage());
    }
}
