package org.grpo4j.tasks.alchemy;

import java.util.Arrays;
import java.util.List;
import org.grpo4j.Checks;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;

/**
 * The per-step reward, for comparison with the outcome one: the fraction of the k results that are right in their
 * slot — each intermediate result of the chain (the i-th run of atoms closed by a transformation token, before
 * {@code <answer>}) against the target's i-th, and the final answer as {@link AlchemyOutcomeVerifier} reads it. Any
 * malformed completion just scores lower; the reward is always in [0, 1]. In direct mode (k − 1 = 0 intermediates in
 * the target) it equals the outcome reward.
 */
public final class AlchemyStepVerifier implements RewardVerifier {

    /** Creates the verifier; it holds no state. */
    public AlchemyStepVerifier() {
    }

    /**
     * @throws IllegalArgumentException if an argument is null or the prompt's target has no final answer
     */
    @Override
    public double score(Prompt prompt, int[] completion) {
        int[] want = Answers.targetAnswer(prompt);
        Checks.notNull("completion", completion);
        int[] target = prompt.target();
        List<int[]> wantSteps = Answers.intermediates(target);
        List<int[]> gotSteps = Answers.intermediates(completion);
        int right = Arrays.equals(want, Answers.finalAnswer(completion)) ? 1 : 0;
        for (int i = 0; i < wantSteps.size() && i < gotSteps.size(); i++) {
            if (Arrays.equals(wantSteps.get(i), gotSteps.get(i))) {
                right++;
            }
        }
        return (double) right / (wantSteps.size() + 1);
    }

    @Override
    public String name() {
        return "alchemy_step";
    }
}
