package org.grpo4j.transformer;

/**
 * How a {@link TransformerPolicy} knows where a token is.
 *
 * <p>Positions are counted from each sequence's first real token (left padding does not count), the same in
 * teacher forcing, scoring and cached decoding.
 */
public enum PositionEncoding {
    /**
     * Learned absolute position embeddings added to the token embeddings (GPT-2): a {@code [C, D]} table, so a
     * position never seen in training has an untrained embedding.
     */
    LEARNED,
    /**
     * Rotary position embeddings (Su et al. 2021, "RoFormer", eq. 34), no position table: in every attention
     * block each head's query and key are rotated by angles {@code pos · θ_i}, {@code θ_i = 10000^(−2i/dh)}, pairing
     * dimension i with i + dh/2 (the "rotate half" layout of GPT-NeoX and Llama), so scores depend on positions
     * only through their difference. Needs an even head width.
     */
    ROTARY
}
