package org.grpo4j.tasks.study.report;

import org.grpo4j.Checks;

/**
 * One of the paper's claims, judged from a run's numbers.
 *
 * @param name     the claim, in words
 * @param verdict  what the numbers say
 * @param rule     how the verdict was computed
 * @param evidence the numbers it was computed from
 */
public record Claim(String name, Verdict verdict, String rule, String evidence) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException if a field is null
     */
    public Claim {
        Checks.notNull("name", name);
        Checks.notNull("verdict", verdict);
        Checks.notNull("rule", rule);
        Checks.notNull("evidence", evidence);
    }
}
