/**
 * Tests of {@link org.grpo4j.policy.TabularPolicy}: exact probabilities, forward and backward passes against an
 * independent double-precision softmax and central finite differences, structural zeros, sampling frequencies,
 * copies and argument validation.
 */
package org.grpo4j.policy;
