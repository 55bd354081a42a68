/**
 * The GRPO training loop ({@link org.grpo4j.train.GrpoTrainer}), its configuration, metrics listeners (JSON lines,
 * console progress bar) and atomic checkpoints.
 */
package org.grpo4j.train;
