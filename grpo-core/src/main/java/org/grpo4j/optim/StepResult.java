package org.grpo4j.optim;

/**
 * What one {@link AdamW#step} did, for logging.
 *
 * @param stepCount    the number of updates done, this one included (1 after the first)
 * @param gradNorm     the global L2 norm of all gradients, before clipping
 * @param learningRate the scheduled learning rate this update used
 * @param clipped      whether the gradients were scaled down to {@link OptimizerConfig#maxGradNorm()}
 */
public record StepResult(long stepCount, double gradNorm, double learningRate, boolean clipped) {
}
