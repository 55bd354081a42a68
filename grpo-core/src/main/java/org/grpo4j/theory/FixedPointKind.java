package org.grpo4j.theory;

/**
 * How the fixed point of iterated exact GRPO is known, for one (KL estimator × advantage scaling) combination
 * (the table in {@code docs/theory.md}, section 4).
 */
public enum FixedPointKind {
    /** k2 without std scaling: {@code pi ∝ pi_ref · exp(c·r/β)}. */
    CLOSED_FORM,
    /** k3 without std scaling: {@code pi_j = pi_ref_j / (1 − (c/β)(r_j − E_pi[r]))}, one scalar found numerically. */
    SCALAR_EQUATION,
    /**
     * k2 or k3 with std scaling: the advantage scale depends on pi, so the fixed point solves an implicit
     * equation ({@code pi ∝ pi_ref · exp(ā_pi/β)} or {@code pi_j = pi_ref_j / (1 − ā_pi(j)/β)}) numerically.
     */
    IMPLICIT,
    /**
     * k1 (zero expected KL gradient) or β = 0: no interior fixed point; the expected update is a plain policy
     * gradient and pi concentrates on the best rewards of the support. The probabilities reported are the β → 0
     * limit of the closed form (pi_ref restricted to the best class); GRPO's own limit has the same success
     * probability but a sharpened split within the class.
     */
    NO_INTERIOR
}
