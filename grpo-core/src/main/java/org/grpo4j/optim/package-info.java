/**
 * First-order optimisers that update a {@link org.grpo4j.Policy}'s {@link org.grpo4j.Parameter parameters} in
 * place: {@link org.grpo4j.optim.AdamW} (Adam and decoupled-weight-decay AdamW with global gradient-norm clipping),
 * its immutable {@link org.grpo4j.optim.OptimizerConfig}, the learning-rate schedules
 * ({@link org.grpo4j.optim.LearningRateSchedule}) and the checkpointable {@link org.grpo4j.optim.OptimizerState}.
 *
 * <p>Call order: {@link org.grpo4j.optim.AdamW#create create}, then after each backward pass
 * {@link org.grpo4j.optim.AdamW#step step}; to checkpoint, save the parameter values together with
 * {@link org.grpo4j.optim.AdamW#state()}, and to resume, {@link org.grpo4j.optim.AdamW#restore restore} both.
 */
package org.grpo4j.optim;
