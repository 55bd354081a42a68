/**
 * {@link org.grpo4j.Policy} implementations. {@link org.grpo4j.policy.TabularPolicy} is an exact softmax table
 * over a finite output set per prompt, the policy GRPO's theory ({@code docs/theory.md}) is stated for.
 */
package org.grpo4j.policy;
