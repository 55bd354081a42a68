package org.grpo4j.tasks.study;

import org.grpo4j.Checks;

/**
 * How many examples a study cell draws.
 *
 * @param pretrainExamples distinct pretraining examples (ID plus the mixed-in OOD fraction); ≥ 1
 * @param grpoPrompts      prompts of each GRPO training set (ID and OOD); ≥ 1
 * @param evalPrompts      prompts of each evaluation split; ≥ 1
 */
public record DatasetSizes(int pretrainExamples, int grpoPrompts, int evalPrompts) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field and value below 1
     */
    public DatasetSizes {
        Checks.atLeast("pretrainExamples", pretrainExamples, 1);
        Checks.atLeast("grpoPrompts", grpoPrompts, 1);
        Checks.atLeast("evalPrompts", evalPrompts, 1);
    }
}
