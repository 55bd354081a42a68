package org.grpo4j.tasks.study;

import java.util.List;
import org.grpo4j.Checks;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;

/**
 * Everything one study cell (axis × OOD fraction × seed) needs from its environment. Every prompt carries its
 * reference target ({@code answer tokens … EOS}); no element (input string) is shared between {@code pretraining}
 * and any GRPO or evaluation set.
 *
 * @param axis              the study
 * @param oodFraction       p, the fraction of OOD examples mixed into {@code pretraining}, in [0, 1]
 * @param vocabularySize    V of the model to build
 * @param eosToken          the end-of-sequence id, which ends every target
 * @param contextLength     the longest prompt + target over every set: the context the model needs
 * @param maxNewTokens      the longest target over every set: the sampling budget
 * @param pretraining       supervised examples (prompt + target); not empty
 * @param idGrpoPrompts     GRPO prompts from the ID distribution (the saturation arm); not empty
 * @param oodGrpoPrompts    GRPO prompts from the primary OOD distribution; not empty
 * @param evaluations       the evaluation splits: the ID split first, the primary OOD split (the distribution of
 *                          {@code oodGrpoPrompts}) second, then any others
 * @param outcomeVerifier   the default reward: 1 when the final answer matches exactly, else 0
 * @param stepVerifier      the per-step reward for comparison: the fraction of correct intermediate results
 */
public record StudyDataset(StudyAxis axis, double oodFraction, int vocabularySize, int eosToken, int contextLength,
                           int maxNewTokens, List<Prompt> pretraining, List<Prompt> idGrpoPrompts,
                           List<Prompt> oodGrpoPrompts, List<EvalSplit> evaluations, RewardVerifier outcomeVerifier,
                           RewardVerifier stepVerifier) {

    /**
     * Validates and copies the lists.
     *
     * @throws IllegalArgumentException if a reference is null, a list is empty, {@code evaluations} does not start
     *                                  with an ID and then an OOD split, {@code oodFraction} is outside
     *                                  [0, 1], {@code vocabularySize < 2}, {@code eosToken} is outside the
     *                                  vocabulary, or {@code contextLength}/{@code maxNewTokens} is below 1
     */
    public StudyDataset {
        Checks.notNull("axis", axis);
        if (!(oodFraction >= 0 && oodFraction <= 1)) {
            throw new IllegalArgumentException("oodFraction must be in [0, 1], was " + oodFraction);
        }
        Checks.atLeast("vocabularySize", vocabularySize, 2);
        if (eosToken < 0 || eosToken >= vocabularySize) {
            throw new IllegalArgumentException("eosToken must be in [0, " + vocabularySize + "), was " + eosToken);
        }
        Checks.atLeast("contextLength", contextLength, 1);
        Checks.atLeast("maxNewTokens", maxNewTokens, 1);
        pretraining = nonEmpty("pretraining", pretraining);
        idGrpoPrompts = nonEmpty("idGrpoPrompts", idGrpoPrompts);
        oodGrpoPrompts = nonEmpty("oodGrpoPrompts", oodGrpoPrompts);
        evaluations = nonEmpty("evaluations", evaluations);
        if (evaluations.size() < 2 || !evaluations.get(0).inDistribution() || evaluations.get(1).inDistribution()) {
            throw new IllegalArgumentException("evaluations must start with an ID split and then the primary OOD "
                    + "split, was " + evaluations.stream().map(e -> e.name() + (e.inDistribution() ? "(id)" : ""))
                    .toList());
        }
        Checks.notNull("outcomeVerifier", outcomeVerifier);
        Checks.notNull("stepVerifier", stepVerifier);
    }

    private static <T> List<T> nonEmpty(String name, List<T> list) {
        Checks.notNull(name, list);
        if (list.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        return List.copyOf(list);
    }
}
