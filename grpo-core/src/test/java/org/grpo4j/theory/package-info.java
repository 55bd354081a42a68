/**
 * Tests of GRPO's executable theory: examples and validation of each closed form and solver, and the property
 * suites of the objective-independent statements (5, the KL-regularised optimum; 7, how the gain vanishes as Q → 0
 * and Q → 1; the KL estimators' expected gradients, the fixed points and the expected advantage). The
 * objective-dependent suites are {@link org.grpo4j.testing.ReweightingContract}.
 */
package org.grpo4j.theory;
