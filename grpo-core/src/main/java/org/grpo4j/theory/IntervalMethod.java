package org.grpo4j.theory;

/**
 * A two-sided confidence interval for a binomial proportion (the base correct mass Q of a prompt).
 */
public enum IntervalMethod {
    /**
     * The Wilson score interval (Wilson 1927): good coverage for small samples and proportions near 0 or 1,
     * narrower than Clopper–Pearson.
     */
    WILSON,
    /**
     * The exact Clopper–Pearson interval (1934) from Beta quantiles: never below its nominal coverage; lower
     * bound exactly 0 when no sample succeeds and upper bound exactly 1 when all do.
     */
    CLOPPER_PEARSON
}
