/**
 * Tests of the optimisers: {@link org.grpo4j.optim.AdamW} against the plain-Java double-precision
 * {@code AdamReference}, gradient clipping, decoupled weight decay, exact resume from a saved state, the
 * learning-rate schedules at known steps, and the validation messages.
 */
package org.grpo4j.optim;
