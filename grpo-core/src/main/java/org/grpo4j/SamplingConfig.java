package org.grpo4j;

/**
 * How a {@link Policy} draws completions: the token filter chain and the stop conditions.
 *
 * <p>The next-token distribution is built in this order: logits / temperature, then top-k, then top-p (nucleus),
 * then min-p, then renormalised. {@code greedy} takes the arg-max instead and ignores the rest. Defaults
 * ({@link #defaults()}): temperature 1, no filters, 32 new tokens, no end-of-sequence token.
 *
 * @param temperature   divides the logits; finite and &gt; 0
 * @param topK          keep the k most likely tokens; 0 turns the filter off; ≥ 0
 * @param topP          keep the smallest set of tokens whose mass reaches topP; in (0, 1]; 1 turns it off
 * @param minP          drop tokens whose probability is below {@code minP * max probability}; in [0, 1); 0 is off
 * @param greedy        take the most likely token (ties to the lowest id)
 * @param maxNewTokens  the most tokens a completion may have; ≥ 1
 * @param eosToken      the end-of-sequence token id that stops a completion, or -1 for none; ≥ -1
 */
public record SamplingConfig(double temperature, int topK, double topP, double minP, boolean greedy,
                             int maxNewTokens, int eosToken) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field and value that break a rule
     */
    public SamplingConfig {
        Checks.positive("temperature", temperature);
        Checks.atLeast("topK", topK, 0);
        if (!(topP > 0 && topP <= 1)) {
            throw new IllegalArgumentException("topP must be in (0, 1], was " + topP);
        }
        if (!(minP >= 0 && minP < 1)) {
            throw new IllegalArgumentException("minP must be in [0, 1), was " + minP);
        }
        Checks.atLeast("maxNewTokens", maxNewTokens, 1);
        Checks.atLeast("eosToken", eosToken, -1);
    }

    /** @return temperature 1, no filters, 32 new tokens, no end-of-sequence token */
    public static SamplingConfig defaults() {
        return new SamplingConfig(1.0, 0, 1.0, 0.0, false, 32, -1);
    }

    /** @param v new temperature @return a copy with that temperature */
    public SamplingConfig withTemperature(double v) {
        return new SamplingConfig(v, topK, topP, minP, greedy, maxNewTokens, eosToken);
    }

    /** @param v new top-k @return a copy with that top-k */
    public SamplingConfig withTopK(int v) {
        return new SamplingConfig(temperature, v, topP, minP, greedy, maxNewTokens, eosToken);
    }

    /** @param v new top-p @return a copy with that top-p */
    public SamplingConfig withTopP(double v) {
        return new SamplingConfig(temperature, topK, v, minP, greedy, maxNewTokens, eosToken);
    }

    /** @param v new min-p @return a copy with that min-p */
    public SamplingConfig withMinP(double v) {
        return new SamplingConfig(temperature, topK, topP, v, greedy, maxNewTokens, eosToken);
    }

    /** @param v whether to decode greedily @return a copy with that flag */
    public SamplingConfig withGreedy(boolean v) {
        return new SamplingConfig(temperature, topK, topP, minP, v, maxNewTokens, eosToken);
    }

    /** @param v new length limit @return a copy with that limit */
    public SamplingConfig withMaxNewTokens(int v) {
        return new SamplingConfig(temperature, topK, topP, minP, greedy, v, eosToken);
    }

    /** @param v new end-of-sequence token, -1 for none @return a copy with that token */
    public SamplingConfig withEosToken(int v) {
        return new SamplingConfig(temperature, topK, topP, minP, greedy, maxNewTokens, v);
    }
}
