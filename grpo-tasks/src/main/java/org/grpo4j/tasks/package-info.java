/**
 * Synthetic tasks for GRPO experiments: the toy {@link org.grpo4j.tasks.SequenceTask}s with their prompt generator
 * and {@link org.grpo4j.tasks.ExactMatchVerifier}, and (package {@code demo}) a runnable pretrain-then-GRPO run.
 */
package org.grpo4j.tasks;
