package org.grpo4j.train;

/**
 * Receives the trainer's metrics. Called on the training thread after each step; an exception thrown here stops
 * the run.
 */
@FunctionalInterface
public interface TrainingListener {

    /**
     * Called after every step.
     *
     * @param metrics the step's metrics
     */
    void onStep(StepMetrics metrics);

    /**
     * Called once when {@link GrpoTrainer#train()} starts.
     *
     * @param firstStep the step about to run (1, or later when resumed)
     * @param lastStep  the last step of the run
     */
    default void onStart(int firstStep, int lastStep) {
    }

    /** Called once when {@link GrpoTrainer#train()} returns normally. */
    default void onEnd() {
    }
}
