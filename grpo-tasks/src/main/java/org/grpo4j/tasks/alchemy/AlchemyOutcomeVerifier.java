package org.grpo4j.tasks.alchemy;

import java.util.Arrays;
import org.grpo4j.Checks;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;

/**
 * The outcome reward, the studies' default: 1 when the completion's final answer — the tokens after its first
 * {@code <answer>}, up to the {@code <eos>} that must close it — equals the target's final element exactly, else 0.
 * The chain of thought before {@code <answer>} is not checked (see {@link AlchemyStepVerifier}); a completion cut off
 * before {@code <eos>} scores 0.
 */
public final class AlchemyOutcomeVerifier implements RewardVerifier {

    /** Creates the verifier; it holds no state. */
    public AlchemyOutcomeVerifier() {
    }

    /**
     * @throws IllegalArgumentException if an argument is null or the prompt's target has no final answer
     */
    @Override
    public double score(Prompt prompt, int[] completion) {
        int[] want = Answers.targetAnswer(prompt);
        Checks.notNull("completion", completion);
        return Arrays.equals(want, Answers.finalAnswer(completion)) ? 1.0 : 0.0;
    }

    @Override
    public String name() {
        return "alchemy_outcome";
    }
}
