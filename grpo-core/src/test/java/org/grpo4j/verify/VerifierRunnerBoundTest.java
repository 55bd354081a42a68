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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntPredicate;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The bound of {@link VerifierRunner}: never more than {@code threads} calls (and threads), even with verifiers that
 * ignore interrupts; the behaviour when every slot is stuck; closing.
 */
class VerifierRunnerBoundTest {

    private final List<Stubborn> verifiers = new ArrayList<>();

    /** Lets every stuck call of the test return, so no thread outlives it. */
    @AfterEach
    void releaseStuckCalls() {
        verifiers.forEach(Stubborn::release);
    }

    /**
     * Scores 1 unless {@code hangs} holds for the completion's first token; then it loops until released, ignoring
     * every interrupt (each {@code sleep} throws and clears it, and the loop goes on). Records how many calls run
     * at once and the most live threads of the runner seen from inside a call.
     */
    private final class Stubborn implements RewardVerifier {
        final IntPredicate hangs;
        final AtomicInteger running = new AtomicInteger();
        final AtomicInteger maxRunning = new AtomicInteger();
        final AtomicInteger maxThreads = new AtomicInteger();
        final AtomicInteger calls = new AtomicInteger();
        volatile VerifierRunner runner;
        volatile boolean released;

        Stubborn(IntPredicate hangs) {
            this.hangs = hangs;
            verifiers.add(this);
        }

        void release() {
            released = true;
        }

        @Override
        public double score(Prompt prompt, int[] completion) {
            int now = running.incrementAndGet();
            maxRunning.accumulateAndGet(now, Math::max);
            if (runner != null) {
                maxThreads.accumulateAndGet(liveThreads(runner), Math::max);
            }
            calls.incrementAndGet();
            try {
                if (hangs.test(completion[0])) {
                    while (!released) {
                        try {
                            Thread.sleep(1);
                        } catch (InterruptedException ignored) {
                            // ignore the interrupt and keep running
                        }
                    }
                }
                return 1;
            } finally {
                running.decrementAndGet();
            }
        }

        @Override
        public String name() {
            return "stubborn";
        }
    }

    private static int liveThreads(VerifierRunner r) {
        String prefix = r.threadNamePrefix();
        return (int) Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    private static int awaitLiveThreads(VerifierRunner r, int expected) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        int n;
        while ((n = liveThreads(r)) != expected && System.nanoTime() < end) {
            Thread.sleep(5);
        }
        return n;
    }

    private static void awaitStuck(VerifierRunner r, int n) throws InterruptedException {
        long end = System.nanoTime() + 10_000_000_000L;
        while (r.stuckCalls() != n && System.nanoTime() < end) {
            Thread.sleep(1);
        }
        assertEquals(n, r.stuckCalls());
    }

    @Test
    void withOneThreadATimedOutCallKeepsItsSlotSoTheNextWaitsForIt() throws Exception {
        Stubborn v = new Stubborn(c -> c == 0);
        VerifierConfig cfg = new VerifierConfig(1, Duration.ofMillis(1500), FailurePolicy.SCORE, -5);
        try (VerifierRunner r = new VerifierRunner(v, cfg)) {
            v.runner = r;
            int[] callsAtRelease = new int[] {-1};
            Thread releaser = new Thread(() -> {
                try {
                    awaitStuck(r, 1);                            // call 0 timed out and ignores the interrupt
                    Thread.sleep(100);
                    callsAtRelease[0] = v.calls.get();
                    v.release();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            releaser.start();
            Rewards rw = r.score(prompts(4), completions(4));
            releaser.join();
            assertArrayEquals(new double[] {-5, 1, 1, 1}, rw.total(), 0);
            assertEquals(1, rw.timeouts());
            assertEquals(1, rw.abandoned());
            assertEquals(1, v.maxRunning.get(), "two calls never ran at once");
            assertEquals(1, v.maxThreads.get(), "the runner never had a second thread");
            assertEquals(4, v.calls.get());
            assertEquals(1, callsAtRelease[0], "no other call started while the stuck one held the slot");
            assertEquals(0, r.stuckCalls());
        }
    }

    @Test
    void whenEverySlotStaysStuckTheStepFailsNamingTheVerifierAndRecoversOnceTheCallReturns() throws Exception {
        Stubborn v = new Stubborn(c -> c == 0);
        VerifierConfig cfg = new VerifierConfig(1, Duration.ofMillis(300), FailurePolicy.SCORE, -5);
        try (VerifierRunner r = new VerifierRunner(v, cfg)) {
            v.runner = r;
            long start = System.nanoTime();
            VerifierException e = assertThrows(VerifierException.class, () -> r.score(prompts(3), completions(3)));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertTrue(e.getMessage().startsWith("every verifier slot (1 of 1) is held by a call that exceeded its "
                    + "time limit of PT0.3S and ignored the interrupt, and none came free within a further PT0.3S, "
                    + "so 2 call(s) of this step could not run: verifier 'stubborn' on prompt 'p7' [1, 2] with "
                    + "completion [0] (running for "), e.getMessage());
            assertTrue(seconds >= 0.6, "it waited the time limit, then one more, before failing: " + seconds);
            assertEquals(1, v.calls.get(), "the waiting calls never ran");
            assertEquals(1, v.maxThreads.get());
            v.release();
            awaitStuck(r, 0);
            Rewards again = r.score(prompts(2), List.of(new int[] {1}, new int[] {2}));
            assertArrayEquals(new double[] {1, 1}, again.total(), 0);
            assertEquals(0, again.abandoned());
        }
    }

    @Test
    void withTwoThreadsOneCallInEightHangingOverFiveStepsTheThreadsStayBounded() throws Exception {
        // the scenario that grew the live verifier threads from 5 to 12, and left 10 alive after close()
        Stubborn v = new Stubborn(c -> c == 7);
        VerifierConfig cfg = new VerifierConfig(2, Duration.ofMillis(400), FailurePolicy.SCORE, -5);
        VerifierRunner r = new VerifierRunner(v, cfg);
        v.runner = r;
        List<Integer> threadsAfterStep = new ArrayList<>();
        List<String> outcomes = new ArrayList<>();
        for (int step = 1; step <= 5; step++) {
            try {
                Rewards rw = r.score(prompts(8), completions(8));
                outcomes.add("scored, abandoned " + rw.abandoned() + ", timeouts " + rw.timeouts());
                assertEquals(-5, rw.total()[7], 0);
            } catch (VerifierException e) {
                assertTrue(e.getMessage().startsWith("every verifier slot (2 of 2) is held"), e.getMessage());
                assertTrue(e.getMessage().contains("verifier 'stubborn' on prompt 'p7' [1, 2] with completion [7]"),
                        e.getMessage());
                outcomes.add("failed: every slot stuck");
            }
            threadsAfterStep.add(liveThreads(r));
        }
        assertEquals(List.of("scored, abandoned 1, timeouts 1", "scored, abandoned 1, timeouts 1",
                "failed: every slot stuck", "failed: every slot stuck", "failed: every slot stuck"), outcomes);
        assertEquals(List.of(2, 2, 2, 2, 2), threadsAfterStep);
        assertEquals(2, v.maxRunning.get(), "at most two calls ever ran at once");
        assertTrue(v.maxThreads.get() <= 2, "the runner never had a third thread: " + v.maxThreads.get());
        assertEquals(16, v.calls.get(), "steps 3 to 5 ran no call");
        assertEquals(2, r.abandonedCalls());
        r.close();
        assertEquals(2, liveThreads(r), "after close() only the two stuck calls keep their threads");
        assertThrows(IllegalStateException.class, () -> r.score(prompts(1), completions(1)));
        v.release();
        assertEquals(0, awaitLiveThreads(r, 0), "their threads end when the calls return");
    }

    @Test
    void withTwoThreadsAStuckCallLeavesTheOtherSlotWorking() throws Exception {
        Stubborn v = new Stubborn(c -> c == 0);
        VerifierConfig cfg = new VerifierConfig(2, Duration.ofMillis(400), FailurePolicy.SCORE, 0);
        try (VerifierRunner r = new VerifierRunner(v, cfg)) {
            v.runner = r;
            Rewards rw = r.score(prompts(6), completions(6));
            assertArrayEquals(new double[] {0, 1, 1, 1, 1, 1}, rw.total(), 0);
            assertEquals(1, r.stuckCalls());
            Rewards next = r.score(prompts(6), List.of(new int[] {1}, new int[] {2}, new int[] {3}, new int[] {4},
                    new int[] {5}, new int[] {6}));
            assertArrayEquals(new double[] {1, 1, 1, 1, 1, 1}, next.total(), 0);
            assertEquals(0, next.abandoned());
            assertEquals(2, v.maxRunning.get());
            assertEquals(2, v.maxThreads.get());
        }
    }

    @Test
    void scoringAfterCloseIsAnIllegalStateException() {
        VerifierRunner r = new VerifierRunner((p, c) -> 1, VerifierConfig.defaults());
        assertEquals(1, r.score(prompts(1), completions(1)).total()[0], 0);
        r.close();
        r.close();                                                    // idempotent
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> r.score(prompts(2), completions(2)));
        assertEquals("the VerifierRunner is closed: scoring needs a runner that is open", e.getMessage());
    }

    @Test
    void closingWhileScoringEndsTheScoringWithAnIllegalStateException() throws Exception {
        Stubborn v = new Stubborn(c -> c == 0);
        VerifierRunner r = new VerifierRunner(v, VerifierConfig.defaults().scoringFailuresAs(0));
        Thread closer = new Thread(() -> {
            try {
                while (v.calls.get() == 0) {
                    Thread.sleep(1);
                }
                Thread.sleep(50);
                r.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        closer.start();
        long start = System.nanoTime();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> r.score(prompts(4), completions(4)));
        closer.join();
        assertEquals("the VerifierRunner is closed: scoring needs a runner that is open", e.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 5, "close() woke the scoring before the 10 s limit");
        v.release();
        assertEquals(0, awaitLiveThreads(r, 0));
    }
}
