package org.grpo4j.tasks.alchemy;

import org.grpo4j.Checks;

/**
 * The base transformations of an element (a string of atom indices in {@code [0, 26)}), after DataAlchemy (Zhao,
 * Tan et al., "Is Chain-of-Thought Reasoning of LLMs a Mirage?"). They act on atom indices, so a problem reads the
 * same in every {@link Alphabet}.
 */
public enum Transformation {
    /** Every atom moves n places along the alphabet, cyclically: ROT13 maps A→N, N→A ("ABCD" → "NOPQ"). */
    ROT,
    /** The positions move n places to the left, cyclically: SHIFT1 maps "ABCD" → "BCDA". */
    SHIFT,
    /** The order of the atoms is reversed: "ABCD" → "DCBA". */
    REVERSE;

    /**
     * Applies the transformation.
     *
     * @param element  atom indices in {@code [0, Alphabet.SIZE)}; not written
     * @param rotation n of ROT
     * @param shift    n of SHIFT
     * @return a new array
     * @throws IllegalArgumentException if {@code element} is null or holds an index outside the alphabet
     */
    public int[] apply(int[] element, int rotation, int shift) {
        Checks.notNull("element", element);
        int l = element.length;
        int[] out = new int[l];
        for (int i = 0; i < l; i++) {
            if (element[i] < 0 || element[i] >= Alphabet.SIZE) {
                throw new IllegalArgumentException("element atoms must be in [0, " + Alphabet.SIZE + "), was "
                        + element[i] + " at " + i);
            }
            out[i] = switch (this) {
                case ROT -> Math.floorMod(element[i] + rotation, Alphabet.SIZE);
                case SHIFT -> element[Math.floorMod(i + shift, l)];
                case REVERSE -> element[l - 1 - i];
            };
        }
        return out;
    }
}
