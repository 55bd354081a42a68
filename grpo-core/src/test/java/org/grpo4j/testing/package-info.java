/**
 * Reusable test support for grpo4j, published in grpo-core's test-jar: a double-precision
 * {@link org.grpo4j.testing.ReferenceGrpoObjective} written from {@code docs/objective.md}, jqwik generators of
 * configurations and batches ({@link org.grpo4j.testing.ObjectiveArbitraries}), and the property suite
 * {@link org.grpo4j.testing.GrpoObjectiveContract} that any {@link org.grpo4j.GrpoObjective} can be checked
 * against by implementing one method; {@link org.grpo4j.testing.PolicyLossLaws} adds the laws of the policy
 * losses other than the clipped surrogate (implement it beside the contract, with the same method).
 *
 * <p>To property-test your own objective, depend on {@code org.grpo4j:grpo-core} with {@code <type>test-jar</type>}
 * and test scope, add jqwik, and write
 * <pre>{@code
 * class MyObjectiveProperties implements GrpoObjectiveContract, PolicyLossLaws {
 *     public GrpoObjective objective() { return new MyObjective(); }
 * }
 * }</pre>
 */
package org.grpo4j.testing;
