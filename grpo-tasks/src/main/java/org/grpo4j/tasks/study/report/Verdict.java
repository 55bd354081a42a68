package org.grpo4j.tasks.study.report;

/** What a run's numbers say about one of the paper's claims. */
public enum Verdict {
    /** The numbers agree with the claim. */
    HELD,
    /** The numbers contradict the claim. */
    NOT_HELD,
    /** The plan did not measure what the claim needs (e.g. no p = 0 cell, or one β only). */
    NOT_TESTED
}
