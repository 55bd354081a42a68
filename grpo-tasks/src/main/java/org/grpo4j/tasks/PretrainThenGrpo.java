package org.grpo4j.tasks;

import java.io.PrintStream;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Checks;
import org.grpo4j.Prompt;
import org.grpo4j.SamplingConfig;
import org.grpo4j.optim.AdamW;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.train.PhaseTimeSummary;
import org.grpo4j.train.TrainingListener;
import org.grpo4j.transformer.TransformerPolicy;

/**
 * Runs the paper's protocol once (see {@link PretrainThenGrpoConfig}): initialise a transformer from the seed,
 * pretrain it, measure the held-out accuracy, GRPO-train it with {@link ExactMatchVerifier}, measure again. The same
 * config gives the same result.
 */
public final class PretrainThenGrpo {
    private PretrainThenGrpo() {
    }

    /**
     * Runs it.
     *
     * @param config    the run
     * @param log       receives one line per phase
     * @param listeners receive GRPO's step metrics (e.g. a progress bar)
     * @return the measurements
     * @throws IllegalArgumentException if an argument is null
     */
    public static PretrainThenGrpoResult run(PretrainThenGrpoConfig config, PrintStream log,
                                             TrainingListener... listeners) {
        Checks.notNull("config", config);
        Checks.notNull("log", log);
        Checks.notNull("listeners", listeners);
        SplittableRandom root = new SplittableRandom(config.seed());
        SplittableRandom dataRng = root.split();
        SplittableRandom initRng = root.split();
        SplittableRandom pretrainRng = root.split();
        SplittableRandom evalRng = root.split();
        ToyTasks tasks = config.tasks();
        List<Prompt> pretrainData = tasks.sample(config.task(), config.pretrainPrompts(), dataRng);
        List<Prompt> grpoPrompts = tasks.sample(config.task(), config.trainPrompts(), dataRng);
        List<Prompt> heldOut = tasks.sample(config.task(), config.evalPrompts(), dataRng);

        TransformerPolicy policy = TransformerPolicy.initialize(config.model(), initRng);
        log.printf("model: %s, %d parameters%n", config.model(), policy.parameterCount());
        long t0 = System.nanoTime();
        double[] losses = Pretraining.run(policy, pretrainData, config.pretrainSteps(), config.pretrainBatch(),
                AdamW.create(config.pretrainOptimizer()), pretrainRng);
        double pretrainSeconds = (System.nanoTime() - t0) / 1e9;
        double finalLoss = losses.length == 0 ? Double.NaN : losses[losses.length - 1];
        log.printf("pretrained %d steps in %.1f s, final loss %.3f nats/token%n", config.pretrainSteps(),
                pretrainSeconds, finalLoss);

        SamplingConfig sampled = config.grpo().sampling().withTemperature(1).withGreedy(false);
        SamplingConfig greedy = sampled.withGreedy(true);
        ExactMatchVerifier verifier = new ExactMatchVerifier();
        double sampledBefore = Evaluation.meanReward(policy, heldOut, verifier, sampled, config.evalSamples(),
                evalRng.split());
        double greedyBefore = Evaluation.meanReward(policy, heldOut, verifier, greedy, 1, evalRng.split());
        log.printf("reward before GRPO: %.3f sampled, %.3f greedy (%d held-out prompts)%n", sampledBefore,
                greedyBefore, heldOut.size());

        long t1 = System.nanoTime();
        PhaseTimeSummary phases = new PhaseTimeSummary();
        try (GrpoTrainer trainer = new GrpoTrainer(config.grpo(), policy, verifier, grpoPrompts)) {
            trainer.addListener(phases);
            for (TrainingListener l : listeners) {
                trainer.addListener(l);
            }
            trainer.train();
        }
        double grpoSeconds = (System.nanoTime() - t1) / 1e9;
        double sampledAfter = Evaluation.meanReward(policy, heldOut, verifier, sampled, config.evalSamples(),
                evalRng.split());
        double greedyAfter = Evaluation.meanReward(policy, heldOut, verifier, greedy, 1, evalRng.split());
        log.printf("reward after GRPO:  %.3f sampled, %.3f greedy (%d steps in %.1f s)%n", sampledAfter, greedyAfter,
                config.grpo().steps(), grpoSeconds);
        log.printf("GRPO time by phase: %s%n", phases.format());
        return new PretrainThenGrpoResult(finalLoss, sampledBefore, greedyBefore, sampledAfter, greedyAfter,
                pretrainSeconds, grpoSeconds);
    }
}
