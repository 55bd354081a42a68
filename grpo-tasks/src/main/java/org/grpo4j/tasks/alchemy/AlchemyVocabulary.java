package org.grpo4j.tasks.alchemy;

import java.util.ArrayList;
import java.util.List;
import org.grpo4j.Checks;

/**
 * The token ids of the environment, 58 in all: the primary atoms {@code A}–{@code Z} (ids 0–25), the disjoint atoms
 * {@code a}–{@code z} (26–51), one token per {@link Transformation} ({@code [ROT]} 52, {@code [SHIFT]} 53,
 * {@code [REVERSE]} 54), and the specials {@code <think>} 55, {@code <answer>} 56, {@code <eos>} 57.
 *
 * <p>Text form: tokens separated by white space, where a run of letters is one atom per letter (capitals primary,
 * small letters disjoint), e.g. {@code "ABCD [ROT] <think>"}. {@link #decode} writes that form with each element's
 * atoms joined, so {@code encode(decode(ids))} is {@code ids}, and {@code decode(encode(s))} is {@code s} with its
 * white space normalised when no two letter runs of {@code s} are adjacent (as in every prompt and target).
 */
public final class AlchemyVocabulary {
    /** The environment's vocabulary. */
    public static final AlchemyVocabulary STANDARD = new AlchemyVocabulary();

    private static final int TRANSFORMS = 2 * Alphabet.SIZE;
    private static final int THINK = TRANSFORMS + Transformation.values().length;
    private static final int ANSWER = THINK + 1;
    private static final int EOS = THINK + 2;
    private static final String[] SPECIALS = {"<think>", "<answer>", "<eos>"};

    private AlchemyVocabulary() {
    }

    /** @return the number of token ids, 58 */
    public int size() {
        return EOS + 1;
    }

    /** @return the id of {@code <think>}, which ends every prompt */
    public int think() {
        return THINK;
    }

    /** @return the id of {@code <answer>}, which precedes the final element */
    public int answer() {
        return ANSWER;
    }

    /** @return the id of {@code <eos>}, which ends every target */
    public int eos() {
        return EOS;
    }

    /**
     * @param t a transformation
     * @return its token id
     * @throws IllegalArgumentException if {@code t} is null
     */
    public int token(Transformation t) {
        return TRANSFORMS + Checks.notNull("t", t).ordinal();
    }

    /**
     * @param alphabet the alphabet
     * @param index    an atom index in {@code [0, 26)}
     * @return the token writing that atom in that alphabet
     * @throws IllegalArgumentException if the index is outside the alphabet
     */
    public int atom(Alphabet alphabet, int index) {
        Checks.notNull("alphabet", alphabet);
        if (index < 0 || index >= Alphabet.SIZE) {
            throw new IllegalArgumentException("atom index must be in [0, 26), was " + index);
        }
        return alphabet.primaryToken(index) ? index : Alphabet.SIZE + index;
    }

    /**
     * @param alphabet the alphabet
     * @param element  atom indices
     * @return their tokens
     * @throws IllegalArgumentException if an index is outside the alphabet
     */
    public int[] atoms(Alphabet alphabet, int[] element) {
        int[] out = new int[element.length];
        for (int i = 0; i < element.length; i++) {
            out[i] = atom(alphabet, element[i]);
        }
        return out;
    }

    /**
     * @param token a token id
     * @return whether it is an atom of any alphabet
     */
    public boolean isAtom(int token) {
        return token >= 0 && token < TRANSFORMS;
    }

    /**
     * @param token a token id
     * @return the transformation it names, or null if it names none
     */
    public Transformation transformation(int token) {
        return token >= TRANSFORMS && token < THINK ? Transformation.values()[token - TRANSFORMS] : null;
    }

    /**
     * Token ids from text (see the type's documentation).
     *
     * @param text the text
     * @return the ids
     * @throws IllegalArgumentException if {@code text} is null or holds a token the vocabulary lacks, naming it
     */
    public int[] encode(String text) {
        Checks.notNull("text", text);
        List<Integer> out = new ArrayList<>();
        for (String word : text.trim().split("\\s+")) {
            if (word.isEmpty()) {
                continue;
            }
            int special = special(word);
            if (special >= 0) {
                out.add(special);
                continue;
            }
            for (char ch : word.toCharArray()) {
                if (ch >= 'A' && ch <= 'Z') {
                    out.add(ch - 'A');
                } else if (ch >= 'a' && ch <= 'z') {
                    out.add(Alphabet.SIZE + ch - 'a');
                } else {
                    throw new IllegalArgumentException("unknown token '" + word + "' in \"" + text + "\"");
                }
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Text from token ids (see the type's documentation).
     *
     * @param ids token ids
     * @return the text
     * @throws IllegalArgumentException if {@code ids} is null or holds an id outside the vocabulary, naming it
     */
    public String decode(int[] ids) {
        Checks.notNull("ids", ids);
        StringBuilder sb = new StringBuilder();
        boolean inElement = false;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (id < 0 || id >= size()) {
                throw new IllegalArgumentException("token id must be in [0, " + size() + "), was " + id + " at " + i);
            }
            if (isAtom(id)) {
                if (!inElement && sb.length() > 0) {
                    sb.append(' ');
                }
                sb.append(id < Alphabet.SIZE ? (char) ('A' + id) : (char) ('a' + id - Alphabet.SIZE));
                inElement = true;
            } else {
                if (sb.length() > 0) {
                    sb.append(' ');
                }
                Transformation t = transformation(id);
                sb.append(t != null ? "[" + t.name() + "]" : SPECIALS[id - THINK]);
                inElement = false;
            }
        }
        return sb.toString();
    }

    private int special(String word) {
        for (Transformation t : Transformation.values()) {
            if (word.equals("[" + t.name() + "]")) {
                return token(t);
            }
        }
        for (int i = 0; i < SPECIALS.length; i++) {
            if (word.equals(SPECIALS[i])) {
                return THINK + i;
            }
        }
        return -1;
    }
}
