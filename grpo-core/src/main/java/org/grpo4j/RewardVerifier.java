package org.grpo4j;

import java.util.List;

/**
 * A verifiable reward: scores one completion of one prompt, e.g. 1 for an exactly correct answer and 0 otherwise.
 *
 * <p>Verifiers are user code and may be slow, throw or hang; the trainer runs them on a bounded pool with a time
 * limit and a configured policy for failures (see {@code docs/training.md}), so an implementation needs no
 * defensive handling of its own. A verifier must be safe to call from several threads at once.
 */
@FunctionalInterface
public interface RewardVerifier {

    /**
     * Scores a completion.
     *
     * @param prompt     the prompt, with its reference answer if it has one
     * @param completion the completion's token ids (the end-of-sequence token included if one was sampled)
     * @return the reward; must be finite
     * @throws Exception if the verifier fails; the trainer reports it with the verifier's name, the prompt and
     *                   the completion
     */
    double score(Prompt prompt, int[] completion) throws Exception;

    /** @return the name used in metrics and error messages; the class's simple name unless overridden */
    default String name() {
        String simple = getClass().getSimpleName();
        return simple.isEmpty() || simple.contains("$$Lambda") ? "verifier" : simple;
    }

    /**
     * Gives a verifier (a lambda, say) a name for metrics and error messages.
     *
     * @param name     the name; not blank
     * @param verifier the verifier
     * @return a verifier scoring as {@code verifier} whose {@link #name()} is {@code name}
     * @throws IllegalArgumentException if {@code name} is blank or {@code verifier} is null
     */
    static RewardVerifier named(String name, RewardVerifier verifier) {
        return new WeightedVerifier(name, 1.0, verifier).asVerifier();
    }

    /**
     * Combines verifiers into one whose score is {@code sum_k weight_k * score_k}.
     *
     * @param parts the named, weighted verifiers; at least one, names distinct
     * @return the combination, which exposes its {@link CombinedVerifier#parts() parts} for per-verifier metrics
     * @throws IllegalArgumentException if {@code parts} is empty or two parts share a name
     */
    static CombinedVerifier combine(List<WeightedVerifier> parts) {
        return new CombinedVerifier(parts);
    }

    /**
     * Combines verifiers, see {@link #combine(List)}.
     *
     * @param parts the named, weighted verifiers
     * @return the combination
     * @throws IllegalArgumentException as {@link #combine(List)}
     */
    static CombinedVerifier combine(WeightedVerifier... parts) {
        return new CombinedVerifier(List.of(parts));
    }
}
