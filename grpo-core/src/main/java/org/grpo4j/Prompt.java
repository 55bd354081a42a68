package org.grpo4j;

import java.util.Arrays;

/**
 * A prompt: its token ids and, for verifiers that compare against one, a reference answer.
 *
 * @param id     a name for the prompt, quoted in error messages and logs; not blank
 * @param tokens the prompt's token ids; not empty (copied)
 * @param target the reference answer's token ids, empty if the verifier needs none (copied)
 */
public record Prompt(String id, int[] tokens, int[] target) {

    /**
     * Validates and copies the arrays.
     *
     * @throws IllegalArgumentException if {@code id} is null or blank, {@code tokens} is null or empty, or
     *                                  {@code target} is null
     */
    public Prompt {
        if (id == null || id.isBlank()) {
            throw new IllegalArgumentException("id must not be blank, was " + (id == null ? "null" : "'" + id + "'"));
        }
        Checks.notNull("tokens", tokens);
        if (tokens.length == 0) {
            throw new IllegalArgumentException("tokens must not be empty (prompt '" + id + "')");
        }
        Checks.notNull("target", target);
        tokens = tokens.clone();
        target = target.clone();
    }

    /**
     * A prompt without a reference answer.
     *
     * @param id     the prompt's name
     * @param tokens its token ids
     * @return the prompt
     * @throws IllegalArgumentException as the canonical constructor
     */
    public static Prompt of(String id, int... tokens) {
        return new Prompt(id, tokens, new int[0]);
    }

    /** @return a copy of the token ids */
    @Override
    public int[] tokens() {
        return tokens.clone();
    }

    /** @return a copy of the reference answer's token ids */
    @Override
    public int[] target() {
        return target.clone();
    }

    /** @return the number of prompt tokens */
    public int length() {
        return tokens.length;
    }

    /**
     * Token {@code i} of the prompt, without copying the array.
     *
     * @param i position
     * @return the token id
     * @throws IndexOutOfBoundsException if {@code i} is outside the prompt
     */
    public int token(int i) {
        return tokens[i];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Prompt p && id.equals(p.id) && Arrays.equals(tokens, p.tokens)
                && Arrays.equals(target, p.target);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * id.hashCode() + Arrays.hashCode(tokens)) + Arrays.hashCode(target);
    }

    @Override
    public String toString() {
        return "Prompt[" + id + ", tokens=" + Arrays.toString(tokens) + ", target=" + Arrays.toString(target) + "]";
    }
}
