package org.grpo4j.bench.sampling;

/** How the decoding benchmark computes each new token's logits. */
public enum DecodingMode {
    /** {@code TransformerPolicy.sample}: a prefill, then one cached step per token (keys and values kept). */
    KV_CACHE,
    /** {@code FullForward.nextTokenLogits}: a full forward pass over every sequence so far, per token. */
    RECOMPUTE
}
