package org.grpo4j;

/**
 * Which standard deviation the advantage scaling divides by: {@code sqrt(Σ(x − x̄)² / (n − ddof))}.
 *
 * <p>See {@code docs/objective.md} section "Sample or population standard deviation".
 */
public enum StdEstimator {
    /** ddof = 1, Bessel's correction: {@code torch.std}'s default, as TRL and verl use (the default here). */
    SAMPLE,
    /** ddof = 0: the population deviation, as some papers write the GRPO advantage ({@code numpy.std}'s default). */
    POPULATION;

    /** @return the delta degrees of freedom: 1 for {@code SAMPLE}, 0 for {@code POPULATION} */
    public int ddof() {
        return switch (this) {
            case SAMPLE -> 1;
            case POPULATION -> 0;
        };
    }
}
