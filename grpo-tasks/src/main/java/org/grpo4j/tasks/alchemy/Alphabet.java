package org.grpo4j.tasks.alchemy;

/**
 * How the 26 atom indices of an element are written as tokens. The transformations act on indices, so the same
 * problem can be written in any alphabet; the token-representation study writes OOD problems in an alphabet the
 * model was not pretrained on.
 */
public enum Alphabet {
    /** The pretraining atoms: index i is the capital letter {@code 'A' + i}. */
    PRIMARY,
    /** 26 tokens that share nothing with {@link #PRIMARY}: index i is the small letter {@code 'a' + i}. */
    DISJOINT,
    /** Half overlapping: indices 0–12 are the primary letters A–M, indices 13–25 the disjoint letters n–z. */
    HALF;

    /** The number of atoms of every alphabet. */
    public static final int SIZE = 26;

    /**
     * @param index an atom index in {@code [0, 26)}
     * @return whether the atom is written with a primary (capital) token
     */
    public boolean primaryToken(int index) {
        return switch (this) {
            case PRIMARY -> true;
            case DISJOINT -> false;
            case HALF -> index < SIZE / 2;
        };
    }
}
