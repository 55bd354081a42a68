package org.grpo4j.tasks.alchemy;

import java.util.ArrayList;
import java.util.List;
import org.grpo4j.Checks;

/**
 * A task: k base transformations applied left to right ({@code [T1] [T2]} means T1 first).
 *
 * @param steps the transformations, at least one (copied)
 */
public record Composition(List<Transformation> steps) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if {@code steps} is null, empty or holds null
     */
    public Composition {
        Checks.notNull("steps", steps);
        if (steps.isEmpty()) {
            throw new IllegalArgumentException("steps must not be empty");
        }
        steps = List.copyOf(steps);
    }

    /**
     * @param steps the transformations, first applied first
     * @return the composition
     * @throws IllegalArgumentException if there is none
     */
    public static Composition of(Transformation... steps) {
        return new Composition(List.of(steps));
    }

    /**
     * Every composition of k transformations, in lexicographic order of the enum.
     *
     * @param k the depth, ≥ 1
     * @return 3^k compositions
     * @throws IllegalArgumentException if {@code k < 1} or 3^k exceeds 3^10
     */
    public static List<Composition> all(int k) {
        Checks.atLeast("k", k, 1);
        if (k > 10) {
            throw new IllegalArgumentException("k must be ≤ 10, was " + k);
        }
        List<List<Transformation>> partial = List.of(List.of());
        for (int i = 0; i < k; i++) {
            List<List<Transformation>> next = new ArrayList<>();
            for (List<Transformation> p : partial) {
                for (Transformation t : Transformation.values()) {
                    List<Transformation> q = new ArrayList<>(p);
                    q.add(t);
                    next.add(q);
                }
            }
            partial = next;
        }
        return partial.stream().map(Composition::new).toList();
    }

    /** @return k */
    public int depth() {
        return steps.size();
    }

    /**
     * The chain of results: element 0 is the first transformation's output, element k − 1 the final answer.
     *
     * @param element  atom indices
     * @param rotation n of ROT
     * @param shift    n of SHIFT
     * @return k new arrays
     * @throws IllegalArgumentException as {@link Transformation#apply}
     */
    public List<int[]> chain(int[] element, int rotation, int shift) {
        List<int[]> out = new ArrayList<>(steps.size());
        int[] x = element;
        for (Transformation t : steps) {
            x = t.apply(x, rotation, shift);
            out.add(x);
        }
        return out;
    }
}
