package org.grpo4j;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Several verifiers combined with weights: {@code score = sum_k weight_k * score_k}. The trainer recognises a
 * combination and reports each part's reward separately.
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
            sum += p.weight() * p.verifier().score(prompt, completion);
        }
        return sum;
    }

    @Override
    public String name() {
        return "combined";
    }
}
