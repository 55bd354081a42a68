package org.grpo4j.tasks;

import java.util.Arrays;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;

/**
 * The binary verifiable reward: 1 when the completion equals the prompt's target token for token (end-of-sequence
 * token included), else 0.
 */
public final class ExactMatchVerifier implements RewardVerifier {

    /** Creates the verifier; it holds no state. */
    public ExactMatchVerifier() {
    }

    /**
     * @throws IllegalArgumentException if the prompt has no target
     */
    @Override
    public double score(Prompt prompt, int[] completion) {
        int[] target = prompt.target();
        if (target.length == 0) {
            throw new IllegalArgumentException("prompt '" + prompt.id() + "' has no target to match");
        }
        return Arrays.equals(target, completion) ? 1.0 : 0.0;
    }

    @Override
    public String name() {
        return "exact_match";
    }
}
