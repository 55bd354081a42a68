package org.grpo4j.theory;

/**
 * How {@link ExactGrpo} enumerates the possible groups of G outputs of one prompt.
 */
public enum GroupEnumeration {
    /**
     * Every ordered G-tuple over the support, weighted by the product of its probabilities ({@code |support|^G}
     * objective evaluations). Exact for any objective.
     */
    ORDERED,
    /**
     * Every multiset (count vector) over the support, evaluated once in sorted order and weighted by its
     * multinomial probability ({@code C(G + |support| − 1, G)} evaluations). Exact for any objective that does not
     * depend on the order of completions within a group, which holds for every {@link org.grpo4j.GrpoConfig}.
     */
    MULTISET
}
