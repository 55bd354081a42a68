package org.grpo4j.tasks.alchemy;

import org.grpo4j.Checks;

/**
 * The environment's fixed choices. Defaults ({@link #defaults()}) are DataAlchemy's (Zhao, Tan et al.): elements of
 * 4 atoms, ROT by 13, SHIFT by 1, chain-of-thought targets.
 *
 * @param length   atoms of an ID element; ≥ 2 (the length study uses {@code length − 1}, {@code length + 1} and
 *                 {@code length + 2} for OOD)
 * @param rotation n of ROT, in [1, 25]
 * @param shift    n of SHIFT, in [1, length − 1]
 * @param format   what the target holds
 */
public record AlchemyConfig(int length, int rotation, int shift, AnswerFormat format) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field and value out of range
     */
    public AlchemyConfig {
        Checks.atLeast("length", length, 2);
        if (length > 12) {
            throw new IllegalArgumentException("length must be ≤ 12, was " + length);
        }
        if (rotation < 1 || rotation >= Alphabet.SIZE) {
            throw new IllegalArgumentException("rotation must be in [1, 25], was " + rotation);
        }
        if (shift < 1 || shift >= length) {
            throw new IllegalArgumentException("shift must be in [1, length − 1 = " + (length - 1) + "], was "
                    + shift);
        }
        Checks.notNull("format", format);
    }

    /** @return length 4, ROT 13, SHIFT 1, chain of thought */
    public static AlchemyConfig defaults() {
        return new AlchemyConfig(4, 13, 1, AnswerFormat.CHAIN_OF_THOUGHT);
    }
}
