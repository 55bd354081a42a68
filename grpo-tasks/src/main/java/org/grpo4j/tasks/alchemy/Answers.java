package org.grpo4j.tasks.alchemy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.grpo4j.Checks;
import org.grpo4j.Prompt;

/** Reads the results out of a completion or target: the intermediates of a chain and the final answer. */
final class Answers {
    private static final AlchemyVocabulary V = AlchemyVocabulary.STANDARD;

    private Answers() {
    }

    /**
     * The final answer of a prompt's target, which every verified prompt must have.
     *
     * @param prompt a prompt with a target
     * @return the target's final answer
     * @throws IllegalArgumentException if the prompt is null or its target has no {@code <answer> … <eos>}
     */
    static int[] targetAnswer(Prompt prompt) {
        Checks.notNull("prompt", prompt);
        int[] want = finalAnswer(prompt.target());
        if (want == null) {
            throw new IllegalArgumentException("prompt '" + prompt.id() + "' has no '<answer> … <eos>' target");
        }
        return want;
    }

    /**
     * The tokens between the first {@code <answer>} and the first {@code <eos>} after it.
     *
     * @param tokens a completion
     * @return the answer, or null when there is no {@code <answer>} or it is not closed by {@code <eos>}
     */
    static int[] finalAnswer(int[] tokens) {
        int start = indexOf(tokens, V.answer(), 0);
        if (start < 0) {
            return null;
        }
        int end = indexOf(tokens, V.eos(), start + 1);
        return end < 0 ? null : Arrays.copyOfRange(tokens, start + 1, end);
    }

    /**
     * The chain's intermediate results: before the first {@code <answer>} (or {@code <eos>}), every run of tokens
     * that a transformation token closes.
     *
     * @param tokens a completion
     * @return the intermediates, in order
     */
    static List<int[]> intermediates(int[] tokens) {
        List<int[]> out = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < tokens.length; i++) {
            int t = tokens[i];
            if (t == V.answer() || t == V.eos()) {
                break;
            }
            if (V.transformation(t) != null) {
                out.add(Arrays.copyOfRange(tokens, from, i));
                from = i + 1;
            }
        }
        return out;
    }

    private static int indexOf(int[] tokens, int token, int from) {
        for (int i = from; i < tokens.length; i++) {
            if (tokens[i] == token) {
                return i;
            }
        }
        return -1;
    }
}
