package org.grpo4j.spark;

import java.util.List;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.verify.VerifierRunner;

/**
 * Scoring inside a Spark task: a {@link VerifierRunner} of the task's own (bounded pool, time limit per call,
 * failure policy: the limits are enforced where the call runs) over a verifier built by the factory; both are
 * closed when the task's scoring ends, so a retried or killed task leaves no runner behind in a live executor.
 */
final class ExecutorScoring {
    private ExecutorScoring() {
    }

    /**
     * @param factory     builds the verifier
     * @param config      the runner's configuration
     * @param prompts     the prompt of each completion
     * @param completions the completions
     * @return the rewards, as {@link VerifierRunner#score(List, List)}
     */
    static Rewards score(VerifierFactory factory, Wire.Verifiers config, List<Prompt> prompts,
                         List<int[]> completions) {
        RewardVerifier verifier;
        try {
            verifier = factory.create();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("the verifier factory failed: " + e, e);
        }
        if (verifier == null) {
            throw new IllegalStateException("the verifier factory returned null");
        }
        try (VerifierRunner runner = new VerifierRunner(verifier, config.config())) {
            return runner.score(prompts, completions);
        } finally {
            if (verifier instanceof AutoCloseable c) {
                try {
                    c.close();
                } catch (Exception e) {
                    // the scores are in; a verifier that fails to close does not void them
                }
            }
        }
    }
}
