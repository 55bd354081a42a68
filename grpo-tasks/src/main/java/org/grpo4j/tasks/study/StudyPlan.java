package org.grpo4j.tasks.study;

import java.util.ArrayList;
import java.util.List;
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
 * A study sweep: which cells to run and the protocol of each (see {@code docs/studies.md}).
 *
 * <p>Defaults, in {@link #of(StudyMode)} only: the model is DataAlchemy's (Zhao, Tan et al. 2026: 4 layers, width
 * 32, 4 heads; feed-forward 4 × width as GPT-2); the short GRPO horizon is the paper's ~60 steps (Ni et al. 2025)
 * and the long one 10× that, as its reviewers asked; β = 0.04 is GRPO's (Shao et al. 2024) and β = 0 the KL-free
 * control; G = 8 is TRL's {@code num_generations}; p ∈ {0, 0.5%, 2%, 10%} and 3 seeds are the sweep;
 * pass@k up to k = 64 needs 64 samples per prompt.
 *
 * <p>The quick mode trades the model for time: a 2-layer, width-64 transformer learns the ID tasks in ~1000 steps
 * of 32 examples (a 4-layer width-32 one needs ~2000 steps of 64, too slow for a few minutes on 2 cores; a 1-layer
 * one is faster but cannot learn the ID lengths with rotary positions), one seed,
 * p ∈ {0, 10%}, one 30-step horizon and 16 samples per prompt. GRPO's learning rate, 5e-4 (full mode 3e-4 over
 * 10× the steps), lies between the rates measured in docs/studies.md: 1e-4 moved nothing in 30 steps, 1e-3 lowered
 * ID accuracy over 100 steps and 3e-3 destroyed the model.
 *
 * @param mode                 the sweep these values came from (recorded in the report)
 * @param axes                 the studies to run; not empty, no repeats
 * @param oodFractions         the p values; each in [0, 1]; not empty
 * @param seeds                seeds 1..seeds per cell; ≥ 1
 * @param lengthEncodings      position encodings the LENGTH axis runs with (the other axes use the first)
 * @param sizes                dataset sizes of every cell
 * @param layers               transformer blocks; ≥ 1
 * @param heads                attention heads; ≥ 1
 * @param width                model width; divisible by heads
 * @param pretrainSteps        supervised steps; ≥ 1
 * @param pretrainBatch        examples per supervised step; ≥ 1
 * @param pretrainLearningRate peak learning rate of the warm-up-cosine schedule; positive
 * @param groupSize            GRPO's G; ≥ 2
 * @param promptsPerStep       GRPO prompts per step; ≥ 1
 * @param grpoLearningRate     GRPO's constant learning rate; positive
 * @param shortSteps           the short horizon; ≥ 1
 * @param longSteps            the long horizon; ≥ {@code shortSteps} (equal: one horizon)
 * @param betas                the KL coefficients to run; each ≥ 0; not empty, no repeats
 * @param idArm                also run GRPO on ID prompts (the saturation arm)
 * @param evalSamples          completions per evaluation prompt (n of Q = c/n and of pass@k); ≥ 1
 * @param gainThreshold        the accuracy change the report's claims count as a gain; in (0, 1)
 * @param threads              cells run at once; ≥ 1
 */
public record StudyPlan(StudyMode mode, List<StudyAxis> axes, List<Double> oodFractions, int seeds,
                        List<PositionEncoding> lengthEncodings, DatasetSizes sizes, int layers, int heads, int width,
                        int pretrainSteps, int pretrainBatch, double pretrainLearningRate, int groupSize,
                        int promptsPerStep, double grpoLearningRate, int shortSteps, int longSteps,
                        List<Double> betas, boolean idArm, int evalSamples, double gainThreshold, int threads) {

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException naming the field and value that break a rule
     */
    public StudyPlan {
        Checks.notNull("mode", mode);
        axes = distinct("axes", axes);
        oodFractions = distinct("oodFractions", oodFractions);
        for (double p : oodFractions) {
            Checks.inClosedRange("oodFractions element", p, 0, 1);
        }
        Checks.atLeast("seeds", seeds, 1);
        lengthEncodings = distinct("lengthEncodings", lengthEncodings);
        Checks.notNull("sizes", sizes);
        Checks.atLeast("layers", layers, 1);
        Checks.atLeast("heads", heads, 1);
        Checks.atLeast("width", width, 1);
        if (width % heads != 0) {
            throw new IllegalArgumentException("width (" + width + ") must be divisible by heads (" + heads + ")");
        }
        Checks.atLeast("pretrainSteps", pretrainSteps, 1);
        Checks.atLeast("pretrainBatch", pretrainBatch, 1);
        Checks.positive("pretrainLearningRate", pretrainLearningRate);
        Checks.atLeast("groupSize", groupSize, 2);
        Checks.atLeast("promptsPerStep", promptsPerStep, 1);
        Checks.positive("grpoLearningRate", grpoLearningRate);
        Checks.atLeast("shortSteps", shortSteps, 1);
        if (longSteps < shortSteps) {
            throw new IllegalArgumentException("longSteps (" + longSteps + ") must be ≥ shortSteps (" + shortSteps
                    + ")");
        }
        betas = distinct("betas", betas);
        for (double b : betas) {
            Checks.nonNegative("betas element", b);
        }
        Checks.atLeast("evalSamples", evalSamples, 1);
        if (!(gainThreshold > 0 && gainThreshold < 1)) {
            throw new IllegalArgumentException("gainThreshold must be in (0, 1), was " + gainThreshold);
        }
        Checks.atLeast("threads", threads, 1);
    }

    /**
     * The prepared sweep of a mode (see {@link StudyMode}).
     *
     * @param mode QUICK or FULL
     * @return its plan
     * @throws IllegalArgumentException if {@code mode} is null
     */
    public static StudyPlan of(StudyMode mode) {
        List<StudyAxis> all = List.of(StudyAxis.values());
        List<PositionEncoding> both = List.of(PositionEncoding.LEARNED, PositionEncoding.ROTARY);
        return switch (Checks.notNull("mode", mode)) {
            case QUICK -> new StudyPlan(mode, all, List.of(0.0, 0.1), 1, both, new DatasetSizes(20000, 64, 32), 2, 4,
                    64, 1000, 32, 5e-3, 8, 8, 5e-4, 30, 30, List.of(0.04, 0.0), false, 16, 0.05, 2);
            case FULL -> new StudyPlan(mode, all, List.of(0.0, 0.005, 0.02, 0.1), 3, both,
                    new DatasetSizes(20000, 128, 64), 4, 4, 32, 2000, 64, 3e-3, 8, 8, 3e-4, 60, 600,
                    List.of(0.04, 0.0), true, 64, 0.05, 2);
        };
    }

    /**
     * This plan run with another number of cells at once. Every cell trains on one core with its own seeded
     * randomness, so the thread count changes how long a sweep takes, never its numbers: a sweep can be resumed
     * with a different count.
     *
     * @param count cells run at once; ≥ 1
     * @return the plan with {@code threads = count}
     * @throws IllegalArgumentException if {@code count < 1}
     */
    public StudyPlan withThreads(int count) {
        return new StudyPlan(mode, axes, oodFractions, seeds, lengthEncodings, sizes, layers, heads, width,
                pretrainSteps, pretrainBatch, pretrainLearningRate, groupSize, promptsPerStep, grpoLearningRate,
                shortSteps, longSteps, betas, idArm, evalSamples, gainThreshold, count);
    }

    /** @return the arms every cell runs: OOD, then ID when {@link #idArm()} */
    public List<GrpoArm> arms() {
        return idArm ? List.of(GrpoArm.OOD, GrpoArm.ID) : List.of(GrpoArm.OOD);
    }

    /** @return the horizons every run is measured at: short, then long when it differs */
    public List<Integer> horizons() {
        return longSteps == shortSteps ? List.of(shortSteps) : List.of(shortSteps, longSteps);
    }

    /** @return every cell of the sweep, axis by axis, then encoding, p and seed */
    public List<CellKey> cells() {
        List<CellKey> out = new ArrayList<>();
        for (StudyAxis axis : axes) {
            List<PositionEncoding> encodings = axis == StudyAxis.LENGTH ? lengthEncodings
                    : List.of(lengthEncodings.get(0));
            for (PositionEncoding e : encodings) {
                for (double p : oodFractions) {
                    for (int s = 1; s <= seeds; s++) {
                        out.add(new CellKey(axis, e, p, s));
                    }
                }
            }
        }
        return out;
    }

    /**
     * The transformer of a cell.
     *
     * @param dataset   the cell's data (vocabulary and context)
     * @param positions the position encoding
     * @return the model's configuration
     * @throws IllegalArgumentException if an argument is null
     */
    public TransformerConfig model(StudyDataset dataset, PositionEncoding positions) {
        Checks.notNull("dataset", dataset);
        return TransformerConfig.builder().vocabularySize(dataset.vocabularySize())
                .contextLength(dataset.contextLength()).layers(layers).heads(heads).modelWidth(width)
                .ffWidth(4 * width).activation(MlpActivation.GELU).dataType(DataType.FLOAT)
                .positionEncoding(Checks.notNull("positions", positions)).build();
    }

    /** @return pretraining's optimiser: AdamW, 5% warm-up, cosine to 10% of the peak rate */
    public OptimizerConfig pretrainOptimizer() {
        int warmup = Math.max(1, Math.min(pretrainSteps - 1, pretrainSteps / 20));
        return OptimizerConfig.defaults().toBuilder().learningRate(pretrainLearningRate)
                .schedule(new WarmupCosineSchedule(warmup, Math.max(2, pretrainSteps), 0.1)).build();
    }

    /**
     * The objective of a GRPO run: GRPO's defaults with this plan's G and the given β.
     *
     * @param beta          β ≥ 0
     * @param maxCompletion the longest completion
     * @return the configuration
     * @throws IllegalArgumentException if an argument is out of range
     */
    public GrpoConfig grpo(double beta, int maxCompletion) {
        return GrpoConfig.defaults().toBuilder().groupSize(groupSize).beta(beta).maxCompletionLength(maxCompletion)
                .build();
    }

    /**
     * The trainer of one GRPO run of a cell, to the long horizon.
     *
     * @param beta     β ≥ 0
     * @param sampling the cell's sampling (EOS and length budget)
     * @param seed     the run's seed
     * @return the configuration
     * @throws IllegalArgumentException if an argument is out of range
     */
    public TrainerConfig trainer(double beta, SamplingConfig sampling, long seed) {
        return TrainerConfig.builder().grpo(grpo(beta, sampling.maxNewTokens())).sampling(sampling)
                .optimizer(OptimizerConfig.defaults().toBuilder().learningRate(grpoLearningRate).build())
                .promptsPerStep(promptsPerStep).steps(longSteps).seed(seed).build();
    }

    private static <T> List<T> distinct(String name, List<T> values) {
        Checks.notNull(name, values);
        if (values.isEmpty()) {
            throw new IllegalArgumentException(name + " must not be empty");
        }
        for (T v : values) {
            Checks.notNull(name + " element", v);
        }
        if (values.stream().distinct().count() != values.size()) {
            throw new IllegalArgumentException(name + " must not repeat a value, was " + values);
        }
        return List.copyOf(values);
    }
}
