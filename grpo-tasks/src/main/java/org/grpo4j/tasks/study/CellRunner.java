package org.grpo4j.tasks.study;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.grpo4j.Prompt;
import org.grpo4j.SamplingConfig;
import org.grpo4j.optim.AdamW;
import org.grpo4j.tasks.Pretraining;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.train.JsonLinesMetricsWriter;
import org.grpo4j.transformer.TransformerPolicy;

/**
 * Runs the protocol of one cell: build its data, pretrain a transformer from scratch, measure it, then for every
 * arm and β GRPO-train a copy to the long horizon, measuring it at each horizon. Every random choice derives from
 * the cell's seed; the dataset does not depend on the position encoding, so both encodings see the same data.
 */
final class CellRunner {
    /** Pretraining runs in chunks of this many steps between progress updates (same result as one call). */
    private static final int CHUNK = 25;

    private final StudyPlan plan;
    private final StudyEnvironment environment;
    private final Path runsDir;
    private final SweepProgress progress;

    CellRunner(StudyPlan plan, StudyEnvironment environment, Path runsDir, SweepProgress progress) {
        this.plan = plan;
        this.environment = environment;
        this.runsDir = runsDir;
        this.progress = progress;
    }

    CellResult run(CellKey key) {
        long dataSeed = new SplittableRandom(key.seed()).split().nextLong() ^ (31L * key.axis().ordinal());
        StudyDataset data = environment.dataset(key.axis(), key.oodFraction(), plan.sizes(), dataSeed);
        SplittableRandom root = new SplittableRandom(1_000_003L * key.seed() + key.axis().ordinal());
        SplittableRandom initRng = root.split();
        SplittableRandom pretrainRng = root.split();
        SplittableRandom evalRng = root.split();
        SplittableRandom grpoSeeds = root.split();
        String label = key.id();

        TransformerPolicy base = TransformerPolicy.initialize(plan.model(data, key.positions()), initRng);
        long t0 = System.nanoTime();
        AdamW optimizer = AdamW.create(plan.pretrainOptimizer());
        double lastLoss = Double.NaN;
        for (int done = 0; done < plan.pretrainSteps(); done += CHUNK) {
            int n = Math.min(CHUNK, plan.pretrainSteps() - done);
            double[] losses = Pretraining.run(base, data.pretraining(), n, plan.pretrainBatch(), optimizer,
                    pretrainRng);
            lastLoss = losses[n - 1];
            progress.advance(n, String.format(Locale.ROOT, "%s pretrain %d/%d loss %.3f", label, done + n,
                    plan.pretrainSteps(), lastLoss));
        }
        double pretrainSeconds = seconds(t0);

        SamplingConfig sampling = SamplingConfig.defaults().withEosToken(data.eosToken())
                .withMaxNewTokens(data.maxNewTokens());
        SplitEvaluator evaluator = new SplitEvaluator(data.outcomeVerifier(), sampling, plan.evalSamples());
        long evalNanos = 0;
        long t1 = System.nanoTime();
        List<SplitMetrics> before = evaluator.evaluate(base, data.evaluations(), evalRng.split());
        evalNanos += System.nanoTime() - t1;
        progress.advance(SweepProgress.EVALUATION, label + " evaluated the base model");

        List<ArmResult> arms = new ArrayList<>();
        long grpoNanos = 0;
        for (GrpoArm arm : plan.arms()) {
            List<Prompt> prompts = arm == GrpoArm.OOD ? data.oodGrpoPrompts() : data.idGrpoPrompts();
            for (double beta : plan.betas()) {
                TransformerPolicy policy = base.copy();
                String run = arm.name().toLowerCase(Locale.ROOT) + "-beta" + CellKey.formatFraction(beta);
                Path metrics = runsDir.resolve(key.id()).resolve(run + ".jsonl");
                try (GrpoTrainer trainer = new GrpoTrainer(plan.trainer(beta, sampling, grpoSeeds.nextLong()),
                        policy, data.outcomeVerifier(), prompts);
                     JsonLinesMetricsWriter writer = new JsonLinesMetricsWriter(metrics)) {
                    trainer.addListener(writer);
                    for (int horizon : plan.horizons()) {
                        long t2 = System.nanoTime();
                        while (trainer.completedSteps() < horizon) {
                            double reward = trainer.step().get("reward");
                            progress.advance(SweepProgress.GRPO_STEP, String.format(Locale.ROOT,
                                    "%s grpo %s step %d/%d reward %.2f", label, run, trainer.completedSteps(),
                                    plan.longSteps(), reward));
                        }
                        grpoNanos += System.nanoTime() - t2;
                        long t3 = System.nanoTime();
                        arms.add(new ArmResult(arm, beta, horizon,
                                evaluator.evaluate(policy, data.evaluations(), evalRng.split())));
                        evalNanos += System.nanoTime() - t3;
                        progress.advance(SweepProgress.EVALUATION, label + " evaluated " + run + " at step "
                                + horizon);
                    }
                }
            }
        }
        return new CellResult(key, data.evaluations().get(1).name(), lastLoss, pretrainSeconds, grpoNanos / 1e9, evalNanos / 1e9, before, arms);
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }
}
