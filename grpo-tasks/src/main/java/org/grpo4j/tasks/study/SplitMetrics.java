package org.grpo4j.tasks.study;

import java.util.List;
import org.grpo4j.Checks;

/**
 * A model measured on one evaluation split.
 *
 * @param split           the split's name
 * @param inDistribution  whether it is the pretraining distribution
 * @param greedyAccuracy  the fraction of prompts whose greedy completion is correct
 * @param sampledAccuracy the mean over prompts of {@code correct/samples}: accuracy at temperature 1, the mean Q
 * @param samples         n, completions sampled per prompt
 * @param correct         c of each prompt (its Q is c/n), in prompt order
 * @param ks              the k of {@code passAtK}, ascending, each in [1, n]
 * @param passAtK         the mean over prompts of the unbiased pass@k estimate, one per k
 */
public record SplitMetrics(String split, boolean inDistribution, double greedyAccuracy, double sampledAccuracy,
                           int samples, List<Integer> correct, List<Integer> ks, List<Double> passAtK) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a reference is null, an accuracy is outside [0, 1], {@code samples < 1},
     *                                  a count is outside [0, n] or {@code ks} and {@code passAtK} differ in size
     */
    public SplitMetrics {
        Checks.notNull("split", split);
        Checks.inClosedRange("greedyAccuracy", greedyAccuracy, 0, 1);
        Checks.inClosedRange("sampledAccuracy", sampledAccuracy, 0, 1);
        Checks.atLeast("samples", samples, 1);
        correct = List.copyOf(Checks.notNull("correct", correct));
        ks = List.copyOf(Checks.notNull("ks", ks));
        passAtK = List.copyOf(Checks.notNull("passAtK", passAtK));
        for (int c : correct) {
            if (c < 0 || c > samples) {
                throw new IllegalArgumentException("correct counts must be in [0, " + samples + "], was " + c);
            }
        }
        if (ks.size() != passAtK.size()) {
            throw new IllegalArgumentException("ks (" + ks.size() + ") and passAtK (" + passAtK.size()
                    + ") must have the same size");
        }
    }

    /**
     * pass@k at one of the measured k.
     *
     * @param k a value of {@link #ks()}
     * @return the mean estimate
     * @throws IllegalArgumentException if k was not measured
     */
    public double passAt(int k) {
        int i = ks.indexOf(k);
        if (i < 0) {
            throw new IllegalArgumentException("k = " + k + " was not measured; measured " + ks);
        }
        return passAtK.get(i);
    }
}
