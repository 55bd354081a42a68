package org.grpo4j;

import java.util.Arrays;

/**
 * Argument checks shared by grpo4j's types. Each returns its argument or throws an
 * {@link IllegalArgumentException} whose message names the argument and its value, and each is written so that
 * NaN fails the check.
 */
public final class Checks {
    private Checks() {
    }

    /**
     * Returns {@code value} if it is at least {@code min}.
     *
     * @param name  the argument's name, quoted in the message
     * @param value the value
     * @param min   the smallest allowed value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value < min}
     */
    public static int atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be ≥ " + min + ", was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it is finite and at least 0.
     *
     * @param name  the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is negative, NaN or infinite
     */
    public static double nonNegative(String name, double value) {
        if (!(value >= 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + " must be finite and ≥ 0, was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it is finite and strictly positive.
     *
     * @param name  the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is not finite and &gt; 0
     */
    public static double positive(String name, double value) {
        if (!(value > 0 && value < Double.POSITIVE_INFINITY)) {
            throw new IllegalArgumentException(name + " must be finite and > 0, was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it is finite.
     *
     * @param name  the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is NaN or infinite
     */
    public static double finite(String name, double value) {
        if (!Double.isFinite(value)) {
            throw new IllegalArgumentException(name + " must be finite, was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if {@code lo <= value <= hi}.
     *
     * @param name  the argument's name
     * @param value the value
     * @param lo    smallest allowed value
     * @param hi    largest allowed value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} lies outside {@code [lo, hi]} or is NaN
     */
    public static double inClosedRange(String name, double value, double lo, double hi) {
        if (!(value >= lo && value <= hi)) {
            throw new IllegalArgumentException(name + " must be in [" + lo + ", " + hi + "], was " + value);
        }
        return value;
    }

    /**
     * Returns {@code value} if it is not null.
     *
     * @param <T>   the type
     * @param name  the argument's name
     * @param value the value
     * @return {@code value}
     * @throws IllegalArgumentException if {@code value} is null
     */
    public static <T> T notNull(String name, T value) {
        if (value == null) {
            throw new IllegalArgumentException(name + " must not be null");
        }
        return value;
    }

    /**
     * Checks that every token id lies in {@code [0, vocabularySize)}.
     *
     * @param name           the argument's name
     * @param tokens         the token ids
     * @param vocabularySize the vocabulary size
     * @return {@code tokens}
     * @throws IllegalArgumentException naming the first offending position and value
     */
    public static int[] tokensInVocabulary(String name, int[] tokens, int vocabularySize) {
        notNull(name, tokens);
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocabularySize) {
                throw new IllegalArgumentException(name + "[" + i + "] must be a token id in [0, " + vocabularySize
                        + "), was " + tokens[i] + " in " + Arrays.toString(tokens));
            }
        }
        return tokens;
    }
}
