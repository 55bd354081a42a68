package org.grpo4j.tasks.alchemy;

import java.util.List;
import java.util.random.RandomGenerator;
import org.grpo4j.Checks;

/**
 * Where one split's problems come from: the element length, the alphabet, and the compositions grouped by depth
 * (a draw picks a group uniformly, then a composition of it uniformly, then a random element).
 *
 * @param name     the split's name, e.g. {@code "ood-k3"}
 * @param length   atoms per element; ≥ 1
 * @param alphabet how the atoms are written
 * @param groups   compositions by depth; no group empty
 */
public record ProblemDistribution(String name, int length, Alphabet alphabet, List<List<Composition>> groups) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException if a field is null, {@code length < 1} or a group is empty
     */
    public ProblemDistribution {
        Checks.notNull("name", name);
        Checks.atLeast("length", length, 1);
        Checks.notNull("alphabet", alphabet);
        Checks.notNull("groups", groups);
        if (groups.isEmpty() || groups.stream().anyMatch(List::isEmpty)) {
            throw new IllegalArgumentException("groups of '" + name + "' must be non-empty lists");
        }
        groups = groups.stream().map(List::copyOf).toList();
    }

    /**
     * @param element  the element (atom indices of {@link #length()} atoms)
     * @param rng      picks the composition
     * @return the problem
     */
    Problem draw(int[] element, RandomGenerator rng) {
        List<Composition> group = groups.get(rng.nextInt(groups.size()));
        return new Problem(element, alphabet, group.get(rng.nextInt(group.size())));
    }

    /** @return every composition this distribution can draw */
    public List<Composition> compositions() {
        return groups.stream().flatMap(List::stream).toList();
    }
}
