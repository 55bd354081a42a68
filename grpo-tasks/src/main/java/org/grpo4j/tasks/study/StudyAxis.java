package org.grpo4j.tasks.study;

/**
 * The four controlled studies of Ni et al. (2025), "Can GRPO Help LLMs Transcend Their Pretraining Origin?", each
 * moving the evaluation distribution away from the pretraining one along a single axis.
 */
public enum StudyAxis {
    /** Reasoning depth: ID compositions of k ∈ {1, 2} transformations, OOD k = 3 (and 4). */
    DEPTH,
    /** Input length: ID elements of l = 4 atoms, OOD l = 5, 6 (and 3). */
    LENGTH,
    /** Token representation: the same problems in an alphabet disjoint from (or half overlapping) the ID atoms. */
    TOKEN_REPRESENTATION,
    /** Compositionality: a held-out composition of transformations that were each seen in pretraining. */
    COMPOSITION
}
