package org.grpo4j.tasks.study;

/** Which prompts a study's GRPO run trains on. */
public enum GrpoArm {
    /** The primary OOD distribution: the paper's question (can GRPO move the model beyond its pretraining?). */
    OOD,
    /** The ID distribution: the saturation arm (how much can GRPO add where the base model is already good?). */
    ID
}
