package org.grpo4j;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Several verifiers combined with weights: {@code score = sum_k weight_k * score_k}, over the parts that score the
 * completion (a {@link PartialRewardVerifier} or {@link PartialBatchRewardVerifier} may abstain; 0 when every part abstains, as TRL's {@code nansum}).
 * The trainer recognises a combination and reports each part's reward separately.
 *
 * @param parts the parts, names distinct; at least one
 */
public record CombinedVerifier(List<WeightedVerifier> parts) implements RewardVerifier {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if {@code parts} is null or empty or two parts share a name
     */
    public CombinedVerifier {
        Checks.notNull("parts", parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("parts must hold at least one verifier, was empty");
        }
        parts = List.copyOf(parts);
        Set<String> names = new HashSet<>();
        for (WeightedVerifier p : parts) {
            if (!names.add(p.name())) {
                throw new IllegalArgumentException("verifier names must be distinct, '" + p.name() + "' repeats");
            }
        }
    }

    @Override
    public double score(Prompt prompt, int[] completion) throws Exception {
        double sum = 0;
        for (WeightedVerifier p : parts) {
            if (p.verifier() instanceof PartialBatchRewardVerifier batch) {
                List<java.util.OptionalDouble> s = batch.scoreBatchIfApplicable(List.of(prompt), List.of(completion));
                if (s == null || s.size() != 1) {
                    throw new IllegalStateException("scoreBatchIfApplicable returned " + (s == null ? "null"
                            : s.size() + " scores") + " for 1 completion");
                }
                if (s.get(0) != null && s.get(0).isPresent()) {
                    sum += p.weight() * s.get(0).getAsDouble();
                }
            } else if (p.verifier() instanceof PartialRewardVerifier partial) {
                java.util.OptionalDouble s = partial.scoreIfApplicable(prompt, completion);
                if (s.isPresent()) {
                    sum += p.weight() * s.getAsDouble();
                }
            } else {
                sum += p.weight() * p.verifier().score(prompt, completion);
            }
        }
        return sum;
    }

    @Override
    public String name() {
        return "combined";
    }
}
