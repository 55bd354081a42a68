package org.grpo4j.transformer;

/** TEMP placeholder until the RoPE branch lands. */
public enum PositionEncoding {
    /** Learned absolute position embeddings. */
    LEARNED,
    /** Rotary position embeddings. */
    ROTARY
}
