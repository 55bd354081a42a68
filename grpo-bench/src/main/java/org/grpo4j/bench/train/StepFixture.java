package org.grpo4j.bench.train;

import java.util.List;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.train.TrainerConfig;
import org.grpo4j.transformer.TransformerConfig;

/**
 * What a training-step benchmark of one {@link StepSize} needs.
 *
 * @param model              the transformer
 * @param pretraining        supervised examples (prompt and target)
 * @param grpoPrompts        the prompts GRPO draws from
 * @param pretrainBatch      sequences per pretraining step
 * @param pretrainOptimizer  pretraining's optimiser
 * @param trainer            the GRPO trainer's configuration
 * @param verifier           the reward
 */
public record StepFixture(TransformerConfig model, List<Prompt> pretraining, List<Prompt> grpoPrompts,
                          int pretrainBatch, OptimizerConfig pretrainOptimizer, TrainerConfig trainer,
                          RewardVerifier verifier) {
}
