package org.grpo4j.theory;

import java.util.function.Consumer;

/** Weak compositions of an integer: every way to write {@code total} as an ordered sum of {@code parts} counts ≥ 0. */
final class Compositions {
    private Compositions() {
    }

    /**
     * Calls {@code action} with every composition of {@code total} into {@code parts} non-negative counts, in
     * lexicographic order of the count vector read from the last part. The array passed is reused between calls.
     *
     * @param total  the sum, ≥ 0
     * @param parts  the number of counts, ≥ 1
     * @param action receives each count vector
     */
    static void forEach(int total, int parts, Consumer<int[]> action) {
        int[] counts = new int[parts];
        fill(counts, 0, total, action);
    }

    private static void fill(int[] counts, int index, int remaining, Consumer<int[]> action) {
        if (index == counts.length - 1) {
            counts[index] = remaining;
            action.accept(counts);
            return;
        }
        for (int c = remaining; c >= 0; c--) {
            counts[index] = c;
            fill(counts, index + 1, remaining - c, action);
        }
    }

    /**
     * The multinomial probability {@code n! / prod_c n_c! · prod_c p_c^{n_c}}.
     *
     * @param counts n_c
     * @param probabilities p_c
     * @return the probability
     */
    static double multinomial(int[] counts, double[] probabilities) {
        double w = 1;
        int n = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int i = 1; i <= counts[c]; i++) {
                n++;
                w *= probabilities[c] * n / i;
            }
        }
        return w;
    }

    /**
     * The number of compositions of {@code total} into {@code parts} counts, {@code C(total + parts − 1, parts − 1)},
     * saturating at {@link Long#MAX_VALUE}.
     *
     * @param total ≥ 0
     * @param parts ≥ 1
     * @return the count
     */
    static long count(int total, int parts) {
        double c = 1;
        for (int i = 1; i < parts; i++) {
            c = c * (total + i) / i;
        }
        return c >= Long.MAX_VALUE ? Long.MAX_VALUE : Math.round(c);
    }
}
