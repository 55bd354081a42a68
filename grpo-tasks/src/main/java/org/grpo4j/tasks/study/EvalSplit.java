package org.grpo4j.tasks.study;

import java.util.List;
import org.grpo4j.Checks;
import org.grpo4j.Prompt;

/**
 * One evaluation distribution of a study: a name such as {@code "id"}, {@code "ood-k3"} or {@code "ood-l6"}, whether
 * it is in-distribution, and its prompts (each with its reference target).
 *
 * @param name            a short, file-name-safe label: letters, digits and '-'
 * @param inDistribution  true for the pretraining distribution
 * @param prompts         the prompts; not empty
 */
public record EvalSplit(String name, boolean inDistribution, List<Prompt> prompts) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if an argument is null, {@code name} is not a non-empty run of letters,
     *                                  digits and '-', or {@code prompts} is empty
     */
    public EvalSplit {
        Checks.notNull("name", name);
        Checks.notNull("prompts", prompts);
        if (!name.matches("[A-Za-z0-9-]+")) {
            throw new IllegalArgumentException("name must be letters, digits and '-', was '" + name + "'");
        }
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts of split '" + name + "' must not be empty");
        }
        prompts = List.copyOf(prompts);
    }
}
