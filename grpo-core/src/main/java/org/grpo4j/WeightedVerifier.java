package org.grpo4j;

/**
 * A named verifier and its weight in a {@link CombinedVerifier}.
 *
 * @param name     the name used in metrics ({@code rewards/<name>/mean}) and error messages; not blank
 * @param weight   the weight; finite
 * @param verifier the verifier
 */
public record WeightedVerifier(String name, double weight, RewardVerifier verifier) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if {@code name} is blank, {@code weight} is not finite or
     *                                  {@code verifier} is null
     */
    public WeightedVerifier {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : "'" + name + "'"));
        }
        Checks.finite("weight", weight);
        Checks.notNull("verifier", verifier);
    }

    /**
     * A verifier with weight 1 named by its own {@link RewardVerifier#name()}.
     *
     * @param verifier the verifier
     * @return the weighted verifier
     * @throws IllegalArgumentException if {@code verifier} is null
     */
    public static WeightedVerifier of(RewardVerifier verifier) {
        return new WeightedVerifier(Checks.notNull("verifier", verifier).name(), 1.0, verifier);
    }

    /**
     * @return a verifier that scores as the wrapped one (unweighted) and carries this record's name; a
     *         {@link BatchRewardVerifier} stays one, with the same batch size, and a {@link PartialRewardVerifier} or
     *         {@link PartialBatchRewardVerifier} stays one
     */
    public RewardVerifier asVerifier() {
        RewardVerifier inner = verifier;
        String n = name;
        if (inner instanceof PartialBatchRewardVerifier batch) {
            return new PartialBatchRewardVerifier() {
                @Override
                public java.util.List<java.util.OptionalDouble> scoreBatchIfApplicable(java.util.List<Prompt> prompts,
                        java.util.List<int[]> completions) throws Exception {
                    return batch.scoreBatchIfApplicable(prompts, completions);
                }

                @Override
                public int maxBatchSize() {
                    return batch.maxBatchSize();
                }

                @Override
                public String name() {
                    return n;
                }
            };
        }
        if (inner instanceof PartialRewardVerifier partial) {
            return new PartialRewardVerifier() {
                @Override
                public java.util.OptionalDouble scoreIfApplicable(Prompt prompt, int[] completion) throws Exception {
                    return partial.scoreIfApplicable(prompt, completion);
                }

                @Override
                public String name() {
                    return n;
                }
            };
        }
        if (inner instanceof BatchRewardVerifier batch) {
            return new BatchRewardVerifier() {
                @Override
                public double[] scoreBatch(java.util.List<Prompt> prompts, java.util.List<int[]> completions)
                        throws Exception {
                    return batch.scoreBatch(prompts, completions);
                }

                @Override
                public int maxBatchSize() {
                    return batch.maxBatchSize();
                }

                @Override
                public String name() {
                    return n;
                }
            };
        }
        return new RewardVerifier() {
            @Override
            public double score(Prompt prompt, int[] completion) throws Exception {
                return inner.score(prompt, completion);
            }

            @Override
            public String name() {
                return n;
            }
        };
    }
}
