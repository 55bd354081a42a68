package org.grpo4j.tasks;

import org.grpo4j.Checks;
import org.grpo4j.GrpoConfig;
import org.grpo4j.SamplingConfig;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.optim.WarmupCosineSchedule;
import org.grpo4j.train.TrainerConfig;
import org.grpo4j.transformer.MlpActivation;
import org.grpo4j.transformer.PositionEncoding;
import org.grpo4j.transformer.TransformerConfig;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * One run of the paper's protocol on a toy task: pretrain a transformer from scratch by teacher forcing, measure it,
 * train it with GRPO and an exact-match verifier, measure it again.
 *
 * <p>{@link #defaults()} is sized so that the whole run takes well under a minute on 2 cores: reverse strings of 2–5
 * symbols over a 4-letter alphabet, a 2-layer, width-32 transformer, pretraining stopped early so the base model
 * solves the task only in part (the regime where the paper expects GRPO to help: 0 &lt; Q &lt; 1).
 *
 * @param task              the task
 * @param tasks             alphabet and input lengths of both phases
 * @param model             the transformer; its vocabulary and context must fit {@code tasks}
 * @param pretrainSteps     supervised steps; ≥ 0
 * @param pretrainBatch     prompts per supervised step; ≥ 1
 * @param pretrainOptimizer the supervised optimiser
 * @param pretrainPrompts   size of the supervised data set; ≥ 1
 * @param grpo              the GRPO run (its sampling's EOS and length limit must match {@code tasks})
 * @param trainPrompts      size of the GRPO prompt set; ≥ 1
 * @param evalPrompts       held-out prompts measured before and after; ≥ 1
 * @param evalSamples       sampled completions per held-out prompt; ≥ 1
 * @param seed              seeds the data, the initial weights, pretraining and evaluation (GRPO uses
 *                          {@code grpo.seed()})
 */
public record PretrainThenGrpoConfig(SequenceTask task, ToyTasks tasks, TransformerConfig model, int pretrainSteps,
                                     int pretrainBatch, OptimizerConfig pretrainOptimizer, int pretrainPrompts,
                                     TrainerConfig grpo, int trainPrompts, int evalPrompts, int evalSamples,
                                     long seed) {

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field and value that break a rule, or the two fields that
     *                                  disagree
     */
    public PretrainThenGrpoConfig {
        Checks.notNull("task", task);
        Checks.notNull("tasks", tasks);
        Checks.notNull("model", model);
        Checks.atLeast("pretrainSteps", pretrainSteps, 0);
        Checks.atLeast("pretrainBatch", pretrainBatch, 1);
        Checks.notNull("pretrainOptimizer", pretrainOptimizer);
        Checks.atLeast("pretrainPrompts", pretrainPrompts, 1);
        Checks.notNull("grpo", grpo);
        Checks.atLeast("trainPrompts", trainPrompts, 1);
        Checks.atLeast("evalPrompts", evalPrompts, 1);
        Checks.atLeast("evalSamples", evalSamples, 1);
        if (model.vocabularySize() != tasks.vocabularySize()) {
            throw new IllegalArgumentException("model.vocabularySize (" + model.vocabularySize()
                    + ") must equal tasks.vocabularySize (" + tasks.vocabularySize() + ")");
        }
        if (model.contextLength() < tasks.maxSequenceLength()) {
            throw new IllegalArgumentException("model.contextLength (" + model.contextLength()
                    + ") must be ≥ tasks.maxSequenceLength (" + tasks.maxSequenceLength() + ")");
        }
        if (grpo.sampling().eosToken() != tasks.eos()) {
            throw new IllegalArgumentException("grpo.sampling.eosToken (" + grpo.sampling().eosToken()
                    + ") must be tasks.eos (" + tasks.eos() + ")");
        }
    }

    /** @return the configuration described in the type's documentation */
    public static PretrainThenGrpoConfig defaults() {
        ToyTasks tasks = new ToyTasks(4, 2, 5);
        TransformerConfig model = new TransformerConfig(tasks.vocabularySize(), tasks.maxSequenceLength(), 2, 2, 32,
                64, MlpActivation.GELU, DataType.FLOAT, PositionEncoding.LEARNED);
        int pretrainSteps = 150;
        OptimizerConfig pretrain = OptimizerConfig.defaults().toBuilder().learningRate(3e-3)
                .schedule(new WarmupCosineSchedule(10, pretrainSteps, 0.1)).build();
        SamplingConfig sampling = SamplingConfig.defaults().withEosToken(tasks.eos())
                .withMaxNewTokens(tasks.maxLength() + 1);
        TrainerConfig grpo = TrainerConfig.builder()
                .grpo(GrpoConfig.defaults().toBuilder().groupSize(8).maxCompletionLength(tasks.maxLength() + 1)
                        .build())
                .sampling(sampling)
                .optimizer(OptimizerConfig.defaults().toBuilder().learningRate(1e-3).build())
                .promptsPerStep(8).steps(150).seed(1).build();
        return new PretrainThenGrpoConfig(SequenceTask.REVERSE, tasks, model, pretrainSteps, 32, pretrain, 2000, grpo,
                256, 128, 4, 1);
    }

    /**
     * This configuration with another seed for every phase.
     *
     * @param s the seed
     * @return the copy
     */
    public PretrainThenGrpoConfig withSeed(long s) {
        return new PretrainThenGrpoConfig(task, tasks, model, pretrainSteps, pretrainBatch, pretrainOptimizer,
                pretrainPrompts, grpo.toBuilder().seed(s).build(), trainPrompts, evalPrompts, evalSamples, s);
    }

    /**
     * This configuration with other step counts.
     *
     * @param pretrain supervised steps
     * @param grpoSteps GRPO steps
     * @return the copy
     * @throws IllegalArgumentException if a count is out of range
     */
    public PretrainThenGrpoConfig withSteps(int pretrain, int grpoSteps) {
        OptimizerConfig opt = pretrainOptimizer.schedule() instanceof WarmupCosineSchedule w
                ? pretrainOptimizer.toBuilder().schedule(new WarmupCosineSchedule(
                        Math.min(w.warmupSteps(), Math.max(2, pretrain) - 1), Math.max(2, pretrain), w.minRatio()))
                        .build()
                : pretrainOptimizer;
        return new PretrainThenGrpoConfig(task, tasks, model, pretrain, pretrainBatch, opt, pretrainPrompts,
                grpo.toBuilder().steps(grpoSteps).build(), trainPrompts, evalPrompts, evalSamples, seed);
    }
}
