package org.grpo4j.tasks.alchemy;

/** What a problem's target holds besides the final answer. */
public enum AnswerFormat {
    /**
     * The chain of intermediate results, each followed by the next transformation's token, then {@code <answer>},
     * the final element and {@code <eos>}: for {@code ABCD [ROT] [REVERSE] <think>} the target is
     * {@code NOPQ [REVERSE] <answer> QPON <eos>}.
     */
    CHAIN_OF_THOUGHT,
    /** {@code <answer>}, the final element and {@code <eos>} only. */
    DIRECT
}
