package org.grpo4j.tasks;

/**
 * What a {@link PretrainThenGrpo} run measured. Accuracies are exact-match rates on the held-out prompts: "sampled"
 * over temperature-1 completions (the base model's correct mass Q, averaged over prompts), "greedy" of the single
 * most likely answer.
 *
 * @param finalPretrainLoss   mean cross-entropy of the last supervised step (nats per target token)
 * @param sampledBefore       sampled accuracy of the pretrained model
 * @param greedyBefore        greedy accuracy of the pretrained model
 * @param sampledAfter        sampled accuracy after GRPO
 * @param greedyAfter         greedy accuracy after GRPO
 * @param pretrainSeconds     wall time of pretraining
 * @param grpoSeconds         wall time of GRPO
 */
public record PretrainThenGrpoResult(double finalPretrainLoss, double sampledBefore, double greedyBefore,
                                     double sampledAfter, double greedyAfter, double pretrainSeconds,
                                     double grpoSeconds) {
}
