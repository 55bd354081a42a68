/**
 * GRPO's theory made executable, for tabular policies ({@code docs/theory.md}): the closed-form KL-regularised
 * optimum ({@link org.grpo4j.theory.KlRegularizedOptimum}) and binary-reward ceiling
 * ({@link org.grpo4j.theory.BinaryRewardBound}); the exact expected advantage
 * ({@link org.grpo4j.theory.ExpectedAdvantage}) and the exact expected update of a
 * {@link org.grpo4j.policy.TabularPolicy} through a real objective ({@link org.grpo4j.theory.ExactGrpo}); the
 * fixed point of iterated GRPO for each KL estimator and advantage scaling ({@link org.grpo4j.theory.FixedPoints});
 * and the pre-training support diagnostic ({@link org.grpo4j.theory.SupportDiagnostic}).
 */
package org.grpo4j.theory;
