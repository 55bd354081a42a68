package org.grpo4j.tasks.study;

/** The two prepared sweeps of {@link StudyPlan}: a few minutes' check of every axis, and the full protocol. */
public enum StudyMode {
    /** One seed, p ∈ {0, 10%}, a smaller model and budget: all four axes in a few minutes on 2 cores. */
    QUICK,
    /** The protocol: 3 seeds, p ∈ {0, 0.5%, 2%, 10%}, both horizons, β > 0 and β = 0, the ID arm. */
    FULL
}
