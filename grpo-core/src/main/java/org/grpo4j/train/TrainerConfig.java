package org.grpo4j.train;

import java.nio.file.Path;
import org.grpo4j.Checks;
import org.grpo4j.GrpoConfig;
import org.grpo4j.SamplingConfig;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.verify.VerifierConfig;

/**
 * Everything a {@link GrpoTrainer} run is a function of, besides the policy, the verifier and the prompts: with
 * the same config (seed included) a run gives the same weights.
 *
 * <p>Defaults ({@link #builder()}): the GRPO objective ({@link GrpoConfig#defaults()}), temperature-1 sampling,
 * 16 prompts per step, μ = 1 iteration per batch (TRL {@code num_iterations}), one mini-batch per step, 100 steps,
 * no dynamic sampling (DAPO uses it; off in TRL), truncated completions kept in the loss (TRL
 * {@code mask_truncated_completions=False}), no reference sync (TRL {@code sync_ref_model=False}; when on, α = 0.6
 * and every 512 steps as TRL's {@code ref_model_mixup_alpha}/{@code ref_model_sync_steps}), no checkpoints, seed 0.
 *
 * @param grpo                   the objective's variant and group size G
 * @param sampling               how completions are drawn
 * @param optimizer              the optimiser, its learning-rate schedule and gradient clipping
 * @param verifiers              pool, time limit and failure policy of the verifiers
 * @param promptsPerStep         B, prompts sampled per step (each gets G completions); ≥ 1
 * @param groupsPerMiniBatch     groups per optimiser step; divides B
 * @param iterationsPerBatch     μ, passes over each sampled batch (GRPO's inner iterations); ≥ 1
 * @param steps                  the last step of the run; ≥ 1
 * @param dynamicSampling        drop and resample groups whose rewards are all equal (DAPO)
 * @param maxExtraSamplingRounds extra rounds dynamic sampling may take per step; ≥ 0
 * @param maskTruncated          exclude completions cut at {@code maxNewTokens} from the loss (DAPO overlong filtering)
 * @param refSyncEvery           every this many steps mix the policy into the reference; 0 turns it off; > 0
 *                               needs {@code grpo.beta > 0} (only then is there a reference)
 * @param refSyncAlpha           mixing weight α: ref ← α·policy + (1−α)·ref; in (0, 1]
 * @param checkpointEvery        write a checkpoint every this many steps; 0 turns it off
 * @param checkpointDir          where checkpoints go; required when {@code checkpointEvery > 0}
 * @param seed                   seeds every random choice of the run
 */
public record TrainerConfig(GrpoConfig grpo, SamplingConfig sampling, OptimizerConfig optimizer,
                            VerifierConfig verifiers, int promptsPerStep, int groupsPerMiniBatch,
                            int iterationsPerBatch, int steps, boolean dynamicSampling, int maxExtraSamplingRounds,
                            boolean maskTruncated, int refSyncEvery, double refSyncAlpha, int checkpointEvery,
                            Path checkpointDir, long seed) {

    /**
     * Validates every field and the rules between them.
     *
     * @throws IllegalArgumentException naming the field(s) and value(s) that break a rule
     */
    public TrainerConfig {
        Checks.notNull("grpo", grpo);
        Checks.notNull("sampling", sampling);
        Checks.notNull("optimizer", optimizer);
        Checks.notNull("verifiers", verifiers);
        Checks.atLeast("promptsPerStep", promptsPerStep, 1);
        Checks.atLeast("groupsPerMiniBatch", groupsPerMiniBatch, 1);
        if (promptsPerStep % groupsPerMiniBatch != 0) {
            throw new IllegalArgumentException("promptsPerStep (" + promptsPerStep + ") must be divisible by "
                    + "groupsPerMiniBatch (" + groupsPerMiniBatch + ")");
        }
        Checks.atLeast("iterationsPerBatch", iterationsPerBatch, 1);
        Checks.atLeast("steps", steps, 1);
        Checks.atLeast("maxExtraSamplingRounds", maxExtraSamplingRounds, 0);
        Checks.atLeast("refSyncEvery", refSyncEvery, 0);
        if (refSyncEvery > 0 && grpo.beta() == 0) {
            throw new IllegalArgumentException("refSyncEvery (" + refSyncEvery + ") needs a reference policy, but "
                    + "grpo.beta is " + grpo.beta() + " (no reference is kept when β = 0); set refSyncEvery to 0 "
                    + "or grpo.beta > 0");
        }
        if (!(refSyncAlpha > 0 && refSyncAlpha <= 1)) {
            throw new IllegalArgumentException("refSyncAlpha must be in (0, 1], was " + refSyncAlpha);
        }
        Checks.atLeast("checkpointEvery", checkpointEvery, 0);
        if (checkpointEvery > 0 && checkpointDir == null) {
            throw new IllegalArgumentException("checkpointDir must be set when checkpointEvery (" + checkpointEvery
                    + ") > 0");
        }
        if (sampling.maxNewTokens() > grpo.maxCompletionLength()) {
            throw new IllegalArgumentException("sampling.maxNewTokens (" + sampling.maxNewTokens()
                    + ") must be ≤ grpo.maxCompletionLength (" + grpo.maxCompletionLength() + ")");
        }
    }

    /** @return a builder holding the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder holding this configuration */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.grpo = grpo;
        b.sampling = sampling;
        b.optimizer = optimizer;
        b.verifiers = verifiers;
        b.promptsPerStep = promptsPerStep;
        b.groupsPerMiniBatch = groupsPerMiniBatch;
        b.iterationsPerBatch = iterationsPerBatch;
        b.steps = steps;
        b.dynamicSampling = dynamicSampling;
        b.maxExtraSamplingRounds = maxExtraSamplingRounds;
        b.maskTruncated = maskTruncated;
        b.refSyncEvery = refSyncEvery;
        b.refSyncAlpha = refSyncAlpha;
        b.checkpointEvery = checkpointEvery;
        b.checkpointDir = checkpointDir;
        b.seed = seed;
        return b;
    }

    /** @return G, completions per prompt */
    public int groupSize() {
        return grpo.groupSize();
    }

    /**
     * Builder for {@link TrainerConfig}, starting from the defaults in the class comment. {@code groupsPerMiniBatch}
     * defaults to {@code promptsPerStep} (one optimiser step per iteration) unless set.
     */
    public static final class Builder {
        private GrpoConfig grpo = GrpoConfig.defaults();
        private SamplingConfig sampling = SamplingConfig.defaults();
        private OptimizerConfig optimizer = OptimizerConfig.defaults();
        private VerifierConfig verifiers = VerifierConfig.defaults();
        private int promptsPerStep = 16;
        private int groupsPerMiniBatch = -1;
        private int iterationsPerBatch = 1;
        private int steps = 100;
        private boolean dynamicSampling;
        private int maxExtraSamplingRounds = 3;
        private boolean maskTruncated;
        private int refSyncEvery;
        private double refSyncAlpha = 0.6;
        private int checkpointEvery;
        private Path checkpointDir;
        private long seed;

        private Builder() {
        }

        /** @param v see {@link TrainerConfig#grpo()} @return this builder */
        public Builder grpo(GrpoConfig v) {
            grpo = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#sampling()} @return this builder */
        public Builder sampling(SamplingConfig v) {
            sampling = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#optimizer()} @return this builder */
        public Builder optimizer(OptimizerConfig v) {
            optimizer = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#verifiers()} @return this builder */
        public Builder verifiers(VerifierConfig v) {
            verifiers = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#promptsPerStep()} @return this builder */
        public Builder promptsPerStep(int v) {
            promptsPerStep = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#groupsPerMiniBatch()} @return this builder */
        public Builder groupsPerMiniBatch(int v) {
            groupsPerMiniBatch = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#iterationsPerBatch()} @return this builder */
        public Builder iterationsPerBatch(int v) {
            iterationsPerBatch = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#steps()} @return this builder */
        public Builder steps(int v) {
            steps = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#dynamicSampling()} @return this builder */
        public Builder dynamicSampling(boolean v) {
            dynamicSampling = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#maxExtraSamplingRounds()} @return this builder */
        public Builder maxExtraSamplingRounds(int v) {
            maxExtraSamplingRounds = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#maskTruncated()} @return this builder */
        public Builder maskTruncated(boolean v) {
            maskTruncated = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#refSyncEvery()} @return this builder */
        public Builder refSyncEvery(int v) {
            refSyncEvery = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#refSyncAlpha()} @return this builder */
        public Builder refSyncAlpha(double v) {
            refSyncAlpha = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#checkpointEvery()} @return this builder */
        public Builder checkpointEvery(int v) {
            checkpointEvery = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#checkpointDir()} @return this builder */
        public Builder checkpointDir(Path v) {
            checkpointDir = v;
            return this;
        }

        /** @param v see {@link TrainerConfig#seed()} @return this builder */
        public Builder seed(long v) {
            seed = v;
            return this;
        }

        /**
         * Builds and validates.
         *
         * @return the configuration
         * @throws IllegalArgumentException if a field or a rule between fields is violated
         */
        public TrainerConfig build() {
            return new TrainerConfig(grpo, sampling, optimizer, verifiers, promptsPerStep,
                    groupsPerMiniBatch < 0 ? promptsPerStep : groupsPerMiniBatch, iterationsPerBatch, steps,
                    dynamicSampling, maxExtraSamplingRounds, maskTruncated, refSyncEvery, refSyncAlpha,
                    checkpointEvery, checkpointDir, seed);
        }
    }
}
