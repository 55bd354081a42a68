package org.grpo4j.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.Checks;
import org.grpo4j.Completion;
import org.grpo4j.GroupBatch;
import org.grpo4j.GroupSampler;
import org.grpo4j.GrpoConfig;
import org.grpo4j.GrpoObjective;
import org.grpo4j.ObjectiveInput;
import org.grpo4j.ObjectiveMetrics;
import org.grpo4j.ObjectiveResult;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.PolicyForward;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.SequenceBatch;
import org.grpo4j.WeightedVerifier;
import org.grpo4j.io.TensorArchive;
import org.grpo4j.memory.Workspaces;
import org.grpo4j.objective.AdvantageRangeException;
import org.grpo4j.objective.Advantages;
import org.grpo4j.objective.FusedGrpoObjective;
import org.grpo4j.optim.AdamW;
import org.grpo4j.optim.OptimizerState;
import org.grpo4j.optim.StepResult;
import org.grpo4j.sampling.DynamicGroupSampler;
import org.grpo4j.sampling.IndependentGroupSampler;
import org.grpo4j.verify.VerifierException;
import org.grpo4j.verify.VerifierRunner;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * The GRPO training loop. Each {@link #step()}:
 * <ol>
 *   <li>draws B prompts and samples G completions for each (dynamic sampling refills all-equal groups, DAPO);</li>
 *   <li>scores them with the verifiers on a bounded pool ({@link VerifierRunner}); for ReMax's greedy baseline it
 *       also decodes one greedy completion per prompt ({@link GroupSampler#sampleGreedy}) and scores it;</li>
 *   <li>computes the advantages once for the whole batch, the old log-probabilities once (skipped when μ = 1 with
 *       a single mini-batch: the update is then exactly on-policy), and the reference log-probabilities when β &gt; 0;</li>
 *   <li>runs μ iterations over shuffled mini-batches of whole groups: forward, objective, backward, optimiser step;</li>
 *   <li>optionally mixes the policy into the reference (TRL's {@code sync_ref_model}) and writes a checkpoint;</li>
 *   <li>reports the step's metrics to the listeners.</li>
 * </ol>
 * Step k draws all its randomness from a generator seeded by (seed, k), so a run is reproduced by its config, and a
 * run resumed from a checkpoint ends with exactly the weights of an uninterrupted one. The reference policy is a
 * frozen copy of the initial policy, made only when β &gt; 0.
 *
 * <p>Call order: construct, optionally {@link #restore(Path)}, then {@link #train()} or {@link #step()} repeatedly,
 * then {@link #close()} (which releases the verifier threads).
 */
public final class GrpoTrainer implements AutoCloseable {
    /** The checkpoint format's name, stored in its metadata. */
    public static final String CHECKPOINT_FORMAT = "grpo4j-checkpoint";
    /** The checkpoint format's version. */
    public static final int CHECKPOINT_VERSION = 1;
    /** The name of the workspace a step runs in (see {@link Policy#supportsWorkspaces()}). */
    private static final String STEP_WORKSPACE = "grpo4j-grpo-step";
    /** Checkpoint metadata: the adaptive entropy coefficient of the next step (only when adaptive). */
    static final String ENTROPY_COEFFICIENT = "entropy.coefficient";

    private final TrainerConfig config;
    private final Policy policy;
    private final Policy reference;
    private final List<Prompt> prompts;
    private final GrpoObjective objective;
    private static final System.Logger LOG = System.getLogger(GrpoTrainer.class.getName());
    private final VerifierRunner verifiers;
    private final GroupSampler sampler;
    private final AdamW optimizer;
    private final List<TrainingListener> listeners = new ArrayList<>();
    /** Every intermediate array of a step lives in one reused workspace when the policy allows it. */
    private final boolean useWorkspace;
    private int completedSteps;
    /** The entropy bonus's coefficient c_k of the next step (adapted when the entropy control is adaptive). */
    private double entropyCoefficient;
    private List<String> resumeWarnings = List.of();
    private volatile boolean closed;

    /**
     * A trainer with the default objective, {@link FusedGrpoObjective} (the same function as the ND4J one, faster).
     *
     * @param config   the run's configuration
     * @param policy   the policy to train (updated in place)
     * @param verifier the reward; a {@link org.grpo4j.CombinedVerifier} is reported part by part
     * @param prompts  the prompt set steps draw from; not empty
     * @throws IllegalArgumentException if an argument is null or {@code prompts} is empty
     */
    public GrpoTrainer(TrainerConfig config, Policy policy, RewardVerifier verifier, List<Prompt> prompts) {
        this(config, policy, verifier, prompts, FusedGrpoObjective.create());
    }

    /**
     * A trainer with a given objective implementation.
     *
     * @param config    the run's configuration
     * @param policy    the policy to train (updated in place)
     * @param verifier  the reward
     * @param prompts   the prompt set; not empty
     * @param objective the objective
     * @throws IllegalArgumentException if an argument is null or {@code prompts} is empty
     */
    public GrpoTrainer(TrainerConfig config, Policy policy, RewardVerifier verifier, List<Prompt> prompts,
                       GrpoObjective objective) {
        this(config, policy, verifier, prompts, objective, new IndependentGroupSampler());
    }

    /**
     * A trainer drawing its groups with a given sampler, e.g. {@link org.grpo4j.sampling.KeyedGroupSampler} or a
     * distributed one (grpo-spark's {@code SparkGroupSampler}). With dynamic sampling on, the sampler draws each
     * round's groups; a sampler that returns scored batches saves the trainer's own scoring.
     *
     * @param config    the run's configuration
     * @param policy    the policy to train (updated in place)
     * @param verifier  the reward (scores the batches the sampler returns unscored)
     * @param prompts   the prompt set; not empty
     * @param objective the objective
     * @param sampler   draws each step's groups
     * @throws IllegalArgumentException if an argument is null or {@code prompts} is empty
     */
    public GrpoTrainer(TrainerConfig config, Policy policy, RewardVerifier verifier, List<Prompt> prompts,
                       GrpoObjective objective, GroupSampler sampler) {
        Checks.notNull("sampler", sampler);
        this.config = Checks.notNull("config", config);
        this.policy = Checks.notNull("policy", policy);
        Checks.notNull("verifier", verifier);
        Checks.notNull("prompts", prompts);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must not be empty");
        }
        this.prompts = List.copyOf(prompts);
        this.objective = Checks.notNull("objective", objective);
        this.reference = config.grpo().beta() > 0 ? policy.copy() : null;
        this.verifiers = new VerifierRunner(verifier, config.verifiers());
        this.sampler = config.dynamicSampling()
                ? new DynamicGroupSampler(sampler, verifiers, config.maxExtraSamplingRounds()) : sampler;
        this.optimizer = AdamW.create(config.optimizer());
        this.useWorkspace = policy.supportsWorkspaces() && (reference == null || reference.supportsWorkspaces());
        this.entropyCoefficient = config.grpo().entropyControl().entropyCoefficient();
        if (config.checkpointDir() != null) {
            StaleCheckpointFiles.delete(config.checkpointDir());
        }
    }

    /**
     * Adds a listener.
     *
     * @param listener receives each step's metrics
     * @return this trainer
     * @throws IllegalArgumentException if {@code listener} is null
     */
    public GrpoTrainer addListener(TrainingListener listener) {
        listeners.add(Checks.notNull("listener", listener));
        return this;
    }

    /** @return the policy being trained */
    public Policy policy() {
        return policy;
    }

    /** @return the frozen reference policy, or null when β = 0 */
    public Policy reference() {
        return reference;
    }

    /** @return the number of steps completed (restored ones included) */
    public int completedSteps() {
        return completedSteps;
    }

    /**
     * Runs the remaining steps up to {@link TrainerConfig#steps()}.
     *
     * @return the metrics of the steps run now
     * @throws org.grpo4j.verify.VerifierException if a verifier fails under {@code FailurePolicy.FAIL}
     * @throws IllegalStateException               if the trainer is closed
     */
    public List<StepMetrics> train() {
        checkOpen();
        listeners.forEach(l -> l.onStart(completedSteps + 1, config.steps()));
        List<StepMetrics> all = new ArrayList<>();
        while (completedSteps < config.steps()) {
            all.add(step());
        }
        listeners.forEach(TrainingListener::onEnd);
        return all;
    }

    /**
     * Runs one step (see the class comment).
     *
     * @return its metrics
     * @throws org.grpo4j.verify.VerifierException if a verifier fails under {@code FailurePolicy.FAIL}, or its
     *                                             rewards give advantages that cannot be represented (the message
     *                                             names the prompt, each verifier and its scores); the policy is
     *                                             then unchanged, as scoring precedes every update
     * @throws IllegalStateException               if the trainer is closed
     */
    public StepMetrics step() {
        checkOpen();
        StepMetrics metrics;
        if (useWorkspace) {
            try (MemoryWorkspace ws = Workspaces.step(STEP_WORKSPACE)) {
                metrics = runStep();
            }
        } else {
            metrics = runStep();
        }
        listeners.forEach(l -> l.onStep(metrics));
        return metrics;
    }

    private StepMetrics runStep() {
        long start = System.nanoTime();
        int stepNo = completedSteps + 1;
        SplittableRandom rng = stepRandom(config.seed(), stepNo);
        GrpoConfig grpo = config.grpo();
        int g = grpo.groupSize();

        PhaseTimes times = new PhaseTimes();
        GroupBatch batch = sampler.sample(policy, drawPrompts(rng), g, config.sampling(), rng);
        List<Completion> greedy = grpo.advantageBaseline() == AdvantageBaseline.GREEDY
                ? greedyCompletions(batch, rng) : null;                      // ReMax: one per prompt
        times.lap(PhaseTimes.Phase.SAMPLING);
        Rewards rewards = batch.scored().orElseGet(() -> verifiers.score(batch));
        double[] greedyRewards = greedy == null ? null : greedyRewards(batch, greedy);   // [B]
        int stuckCalls = verifiers.stuckCalls();
        times.lap(PhaseTimes.Phase.VERIFICATION);
        SequenceBatch seqs = batch.sequences();
        int b = batch.prompts().size();
        boolean singleUpdate = config.iterationsPerBatch() == 1 && config.groupsPerMiniBatch() == b;
        INDArray logpOld = singleUpdate ? null : policy.logProbs(seqs);           // [N, T]
        times.lap(PhaseTimes.Phase.OLD_LOGPROBS);
        INDArray logpRef = reference != null ? reference.logProbs(seqs) : null;   // [N, T]
        times.lap(PhaseTimes.Phase.REFERENCE_LOGPROBS);
        INDArray rewardArray = Nd4j.createFromArray(rewards.total());             // [N]
        INDArray advantages = advantages(rewardArray, rewards, greedyRewards, batch, grpo); // [N], once per batch

        MetricSum sums = new MetricSum();
        int[] order = new int[b];
        for (int i = 0; i < b; i++) {
            order[i] = i;
        }
        int perMini = config.groupsPerMiniBatch();
        org.grpo4j.correction.EntropyControl ec = grpo.entropyControl();
        GrpoConfig stepGrpo = grpo;                       // the objective's config: the adapted coefficient, if any
        double stepEntropy = Double.NaN;                  // e_k of the adaptive entropy control
        for (int it = 0; it < config.iterationsPerBatch(); it++) {
            if (perMini < b) {
                shuffle(order, rng);
            }
            for (int from = 0; from < b; from += perMini) {
                int[] rows = new int[perMini * g];
                for (int q = 0; q < perMini; q++) {
                    for (int k = 0; k < g; k++) {
                        rows[q * g + k] = order[from + q] * g + k;
                    }
                }
                SequenceBatch mini = subset(seqs, rows);
                times.lap(PhaseTimes.Phase.OTHER);
                PolicyForward forward = policy.forward(mini);
                times.lap(PhaseTimes.Phase.FORWARD);
                INDArray logpNew = forward.logProbs();                              // [n, t]
                int t = (int) logpNew.size(1);
                DataType mdt = logpNew.dataType();
                INDArray mask = rows(batch.lossMask(config.maskTruncated(), mdt), rows, t);
                // the sampler's log-probabilities and the entropies only when a correction reads them
                INDArray logpSampling = grpo.rolloutCorrection().usesSamplingLogProbs()
                        ? rows(batch.samplingLogProbs(mdt), rows, t) : null;
                INDArray entropies = grpo.entropyControl().needsEntropies() ? forward.entropies().castTo(mdt) : null;
                ObjectiveInput input = new ObjectiveInput(rows(rewardArray, rows), rows(advantages, rows), logpNew,
                        logpOld == null ? null : rows(logpOld, rows, t), logpRef == null ? null : rows(logpRef, rows, t),
                        mask, logpSampling, entropies);
                if (ec.adaptive() && Double.isNaN(stepEntropy)) {
                    // e_k: the mean entropy of the step's first mini-batch, before its update (Skywork-OR1)
                    double active = mask.sumNumber().doubleValue();
                    stepEntropy = active > 0 ? entropies.mul(mask).sumNumber().doubleValue() / active : 0;
                    stepGrpo = grpo.toBuilder().entropyControl(ec.withCoefficient(
                            ec.appliedCoefficient(entropyCoefficient, stepEntropy))).build();
                }
                ObjectiveResult result = objective.evaluate(input, stepGrpo);
                times.lap(PhaseTimes.Phase.OBJECTIVE);
                forward.backward(result.gradient(), result.entropyGradient());   // null without a bonus
                times.lap(PhaseTimes.Phase.BACKWARD);
                StepResult os = optimizer.step(policy.parameters());
                times.lap(PhaseTimes.Phase.OPTIMIZER);
                sums.add(result.metrics(), forward.entropies(), mask, os);
                sums.add(result.correction());
                times.lap(PhaseTimes.Phase.OTHER);
            }
        }
        double appliedCoefficient = stepGrpo.entropyControl().entropyCoefficient();
        if (ec.adaptive()) {
            entropyCoefficient = ec.nextCoefficient(entropyCoefficient, stepEntropy);
        }
        if (reference != null && config.refSyncEvery() > 0 && stepNo % config.refSyncEvery() == 0) {
            syncReference();
        }
        times.lap(PhaseTimes.Phase.OPTIMIZER);
        completedSteps = stepNo;
        if (config.checkpointEvery() > 0 && stepNo % config.checkpointEvery() == 0) {
            saveCheckpoint(config.checkpointDir().resolve(String.format("checkpoint-%06d.grpo4j", stepNo)));
        }
        times.lap(PhaseTimes.Phase.CHECKPOINT);
        double seconds = (System.nanoTime() - start) / 1e9;
        Map<String, Double> values = collect(batch, rewards, stuckCalls, sums, seconds);
        if (ec.adaptive()) {
            values.put("entropy/coefficient", appliedCoefficient);
        }
        if (greedyRewards != null) {
            values.put("remax/greedy_reward_mean", mean(greedyRewards));
        }
        times.putInto(values);
        return new StepMetrics(stepNo, values);
    }

    /**
     * Writes a checkpoint atomically: policy and reference parameters, optimiser state and the step count.
     *
     * @param file the checkpoint file (its directory is created)
     * @throws UncheckedIOException if it cannot be written; an existing file at {@code file} is then left intact
     */
    public void saveCheckpoint(Path file) {
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(CheckpointContent.FORMAT, CHECKPOINT_FORMAT);
        meta.put(CheckpointContent.VERSION, Integer.toString(CHECKPOINT_VERSION));
        meta.put(CheckpointContent.STEP, Integer.toString(completedSteps));
        meta.put(CheckpointContent.SEED, Long.toString(config.seed()));
        meta.put(CheckpointContent.THREADS, Integer.toString(ComputeThreads.current()));
        meta.put(CheckpointContent.CONFIG, config.toString());
        if (config.grpo().entropyControl().adaptive()) {
            meta.put(ENTROPY_COEFFICIENT, Double.toString(entropyCoefficient));
        }
        Map<String, INDArray> tensors = new LinkedHashMap<>();
        for (Parameter p : policy.parameters()) {
            tensors.put(CheckpointContent.POLICY + p.name(), p.value());
        }
        if (reference != null) {
            for (Parameter p : reference.parameters()) {
                tensors.put(CheckpointContent.REFERENCE + p.name(), p.value());
            }
        }
        OptimizerState state = optimizer.state();
        meta.put(CheckpointContent.OPTIMIZER_STEP, Long.toString(state.step()));
        state.firstMoments().forEach((k, v) -> tensors.put(CheckpointContent.FIRST_MOMENTS + k, v));
        state.secondMoments().forEach((k, v) -> tensors.put(CheckpointContent.SECOND_MOMENTS + k, v));
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create checkpoint directory for " + file, e);
        }
        try {
            TensorArchive.write(file, meta, tensors);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write checkpoint " + file, e);
        }
    }

    /**
     * Restores a checkpoint written by {@link #saveCheckpoint(Path)} by a trainer with the same seed, config
     * (except {@code steps}, {@code checkpointEvery} and {@code checkpointDir}, which a resumed run may change) and
     * policy architecture. The whole checkpoint is checked before anything is assigned: when this throws, the
     * policy, the reference, the optimiser and the step count are exactly as they were.
     *
     * @param file the checkpoint
     * @throws IllegalArgumentException naming the file and the offending key, tensor or value, if {@code file} is
     *                                  null, the file is not a grpo4j checkpoint, its version is unknown,
     *                                  {@code step}, {@code optimizer.step}, {@code seed} or {@code config} is
     *                                  missing or does not parse, the seed or the config differ from this
     *                                  trainer's, a tensor of a parameter (of the policy, the reference, or the
     *                                  optimiser's moments) is missing or has another shape or data type, a tensor
     *                                  matches no parameter of this trainer, or {@code optimizer.step > 0} comes
     *                                  without moments
     * @throws UncheckedIOException     if it cannot be read (or is not a valid tensor archive)
     */
    public void restore(Path file) {
        Checks.notNull("file", file);
        TensorArchive archive;
        try {
            archive = TensorArchive.read(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read checkpoint " + file, e);
        }
        CheckpointContent c = CheckpointContent.check(archive, file, config, policy, reference);
        double coefficient = entropyCoefficient;
        if (config.grpo().entropyControl().adaptive()) {
            String v = archive.metadata().get(ENTROPY_COEFFICIENT);
            try {
                coefficient = Double.parseDouble(v == null ? "" : v);
            } catch (NumberFormatException e) {
                coefficient = Double.NaN;
            }
            if (!(coefficient >= 0 && coefficient <= 1)) {
                throw new IllegalArgumentException("checkpoint " + file + ": metadata '" + ENTROPY_COEFFICIENT
                        + "' (the adaptive entropy coefficient) must be a number in [0, 1], was " + v);
            }
        }
        // Nothing below can fail: the content matches every parameter in shape and data type.
        assign(policy, c.policy());
        if (reference != null) {
            assign(reference, c.reference());
        }
        optimizer.restore(c.optimizerState());
        completedSteps = c.step();
        entropyCoefficient = coefficient;
        resumeWarnings = threadWarning(c.threads(), file);
        resumeWarnings.forEach(w -> LOG.log(System.Logger.Level.WARNING, w));
    }

    /**
     * What the last {@link #restore(Path)} found that makes the resumed run differ from an uninterrupted one while
     * still being a valid continuation: today, a compute thread count ({@link ComputeThreads}) other than the one
     * the checkpoint was written with, or a checkpoint that did not record it. Each warning is also logged
     * ({@link System.Logger}, level WARNING).
     *
     * @return the warnings, empty when nothing was restored or nothing differs
     */
    public List<String> resumeWarnings() {
        return resumeWarnings;
    }

    static List<String> threadWarning(String recorded, Path file) {
        String now = Integer.toString(ComputeThreads.current());
        if (recorded == null) {
            return List.of("checkpoint " + file + " does not record its compute thread count; this run uses " + now
                    + ": if the count differs, the resumed run is not bit-identical to an uninterrupted one");
        }
        if (!recorded.equals(now)) {
            return List.of("checkpoint " + file + " was written with " + recorded + " compute threads, this run "
                    + "uses " + now + " (OMP_NUM_THREADS): it continues the run correctly but not bit-identically to"
                    + " an uninterrupted run with " + recorded + "; set OMP_NUM_THREADS=" + recorded + " for that");
        }
        return List.of();
    }

    /**
     * Releases the verifier threads (see {@link VerifierRunner#close()}); {@link #step()} and {@link #train()} then
     * throw {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        verifiers.close();
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("the GrpoTrainer is closed: step() needs a trainer that is open");
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    static SplittableRandom stepRandom(long seed, int step) {
        return new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * step));
    }

    /** The greedy completions of ReMax's baseline, one per prompt of the batch. */
    private List<Completion> greedyCompletions(GroupBatch batch, SplittableRandom rng) {
        List<Completion> greedy = sampler.sampleGreedy(policy, batch.prompts(), config.sampling(), rng);
        if (greedy == null || greedy.size() != batch.prompts().size()) {
            throw new IllegalStateException("the sampler's sampleGreedy returned " + (greedy == null ? "null"
                    : greedy.size() + " completions") + " for " + batch.prompts().size() + " prompts");
        }
        return greedy;
    }

    /** The total rewards of the greedy completions, scored by the same verifiers as the batch. */
    private double[] greedyRewards(GroupBatch batch, List<Completion> greedy) {
        List<int[]> tokens = new ArrayList<>(greedy.size());
        for (Completion c : greedy) {
            tokens.add(c.tokens());
        }
        return verifiers.score(batch.prompts(), tokens).total();
    }

    /**
     * The advantages: the objective's, from the total rewards, unless the baseline needs the greedy rewards (ReMax)
     * or the aggregation needs each verifier's scores (GDPO); rewards whose advantages cannot be represented name
     * their verifiers.
     */
    private INDArray advantages(INDArray rewardArray, Rewards rewards, double[] greedyRewards, GroupBatch batch,
                                GrpoConfig grpo) {
        try {
            return switch (grpo.rewardAggregation()) {
                case SUM_THEN_NORMALIZE -> greedyRewards != null
                        ? Advantages.compute(rewardArray, greedyRewards, grpo)
                        : objective.advantages(rewardArray, grpo);
                case NORMALIZE_THEN_SUM -> normalizeThenSum(rewards, grpo).castTo(rewardArray.dataType());
            };
        } catch (AdvantageRangeException e) {
            int g = grpo.groupSize();
            int from = e.group() * g;
            StringBuilder m = new StringBuilder("the rewards of prompt '").append(batch.prompts().get(e.group()).id())
                    .append("' from ");
            String sep = "";
            for (WeightedVerifier p : verifiers.parts()) {
                double[] scores = rewards.byVerifier().get(p.name());
                m.append(sep).append("verifier '").append(p.name()).append("' (weight ").append(p.weight())
                        .append(", scores ").append(scores == null ? "?"
                                : Arrays.toString(Arrays.copyOfRange(scores, from, from + g))).append(')');
                sep = ", ";
            }
            throw new VerifierException(m.append(" give advantages that cannot be represented: ")
                    .append(e.getMessage()).toString(), e);
        }
    }

    /** GDPO's advantages from each verifier's scores and abstentions, weighted as the combination says. */
    private INDArray normalizeThenSum(Rewards rewards, GrpoConfig grpo) {
        List<WeightedVerifier> parts = verifiers.parts();
        double[][] scores = new double[parts.size()][];
        boolean[][] scored = new boolean[parts.size()][];
        double[] weights = new double[parts.size()];
        for (int k = 0; k < parts.size(); k++) {
            String name = parts.get(k).name();
            scores[k] = rewards.byVerifier().get(name);
            boolean[] abstained = rewards.abstained().get(name);
            scored[k] = new boolean[rewards.size()];
            for (int i = 0; i < scored[k].length; i++) {
                scored[k][i] = abstained == null || !abstained[i];
            }
            weights[k] = parts.get(k).weight();
        }
        return Nd4j.createFromArray(Advantages.normalizeThenSum(scores, scored, weights, grpo));
    }

    private List<Prompt> drawPrompts(SplittableRandom rng) {
        int b = config.promptsPerStep();
        List<Prompt> out = new ArrayList<>(b);
        if (prompts.size() >= b) {
            int[] idx = new int[prompts.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            for (int i = 0; i < b; i++) {                                   // partial Fisher-Yates: B distinct
                int j = i + rng.nextInt(idx.length - i);
                int tmp = idx[i];
                idx[i] = idx[j];
                idx[j] = tmp;
                out.add(prompts.get(idx[i]));
            }
        } else {
            for (int i = 0; i < b; i++) {
                out.add(prompts.get(rng.nextInt(prompts.size())));
            }
        }
        return out;
    }

    private void syncReference() {
        double a = config.refSyncAlpha();
        List<Parameter> ps = policy.parameters();
        List<Parameter> rs = reference.parameters();
        for (int i = 0; i < ps.size(); i++) {
            rs.get(i).value().muli(1 - a).addi(ps.get(i).value().mul(a));
        }
    }

    private static void assign(Policy target, List<INDArray> values) {
        List<Parameter> ps = target.parameters();
        for (int i = 0; i < ps.size(); i++) {
            ps.get(i).value().assign(values.get(i));
            ps.get(i).gradient().assign(0);
        }
    }

    private static void shuffle(int[] a, SplittableRandom rng) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = a[i];
            a[i] = a[j];
            a[j] = tmp;
        }
    }

    private static SequenceBatch subset(SequenceBatch s, int[] rows) {
        List<int[]> ps = new ArrayList<>(rows.length);
        List<int[]> cs = new ArrayList<>(rows.length);
        for (int r : rows) {
            ps.add(s.prompts().get(r));
            cs.add(s.completions().get(r));
        }
        return new SequenceBatch(ps, cs);
    }

    private static INDArray rows(INDArray vector, int[] rows) {
        double[] v = vector.toDoubleVector();
        double[] out = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = v[rows[i]];
        }
        return Nd4j.createFromArray(out).castTo(vector.dataType());
    }

    private static INDArray rows(INDArray matrix, int[] rows, int t) {
        INDArray picked = Nd4j.pullRows(matrix, 1, rows);                         // [n, T]
        return picked.size(1) == t ? picked : picked.get(NDArrayIndex.all(), NDArrayIndex.interval(0, t)).dup();
    }

    private Map<String, Double> collect(GroupBatch batch, Rewards rewards, int stuckCalls, MetricSum s,
                                        double seconds) {
        Map<String, Double> m = new LinkedHashMap<>();
        int g = batch.groupSize();
        double[] total = rewards.total();
        m.put("loss", s.mean(s.loss));
        m.put("reward", mean(total));
        m.put("reward_std", meanGroupStd(total, g));
        for (Map.Entry<String, double[]> e : rewards.byVerifier().entrySet()) {
            double[] own = scoredOnly(e.getValue(), rewards.abstained().get(e.getKey()));
            // TRL's nanmean / nanstd over the completions the verifier scored: NaN when there are too few
            m.put("rewards/" + e.getKey() + "/mean", own.length > 0 ? mean(own) : Double.NaN);
            m.put("rewards/" + e.getKey() + "/std", own.length > 1 ? Advantages.sampleStd(own, 0, own.length)
                    : Double.NaN);
        }
        m.put("frac_reward_zero_std", Advantages.fractionOfZeroStdGroups(total, g));
        m.put("kl", s.mean(s.kl));
        m.put("clip_ratio/low_mean", s.mean(s.clipLow));
        m.put("clip_ratio/high_mean", s.mean(s.clipHigh));
        m.put("clip_ratio/region_mean", s.mean(s.clipRegion));
        m.put("entropy", s.entropyTokens > 0 ? s.entropy / s.entropyTokens : 0);
        if (s.sampled > 0) {                                            // TRL's names
            m.put("sampling/importance_sampling_ratio/min", s.isMin);
            m.put("sampling/importance_sampling_ratio/mean", s.isMean / s.sampled);
            m.put("sampling/importance_sampling_ratio/max", s.isMax);
            m.put("sampling/sampling_logp_difference/mean", s.diffMean / s.sampled);
            m.put("sampling/sampling_logp_difference/max", s.diffMax);
        }
        if (config.grpo().rolloutCorrection().offPolicyMaskEnabled()) {
            m.put("sampling/off_policy_masked_fraction", s.mean(s.offPolicyMasked));
        }
        if (config.grpo().entropyControl().masksTokens()) {
            m.put("entropy/masked_fraction", s.mean(s.entropyMasked));
        }
        if (config.grpo().entropyControl().hasBonus()) {
            m.put("loss/entropy_bonus", s.mean(s.entropyBonus));
        }
        int minLen = Integer.MAX_VALUE;
        int maxLen = 0;
        long tokens = 0;
        int truncated = 0;
        for (Completion c : batch.completions()) {
            minLen = Math.min(minLen, c.length());
            maxLen = Math.max(maxLen, c.length());
            tokens += c.length();
            truncated += c.truncated() ? 1 : 0;
        }
        m.put("completions/mean_length", (double) tokens / batch.size());
        m.put("completions/min_length", (double) minLen);
        m.put("completions/max_length", (double) maxLen);
        m.put("completions/clipped_ratio", (double) truncated / batch.size());
        m.put("grad_norm", s.mean(s.gradNorm));
        m.put("learning_rate", s.lastLr);
        m.put("sampling/rounds", (double) batch.samplingRounds());
        m.put("sampling/dropped_groups", (double) batch.droppedGroups());
        m.put("verifier/failures", (double) rewards.failures());
        m.put("verifier/timeouts", (double) rewards.timeouts());
        m.put("verifier/abandoned", (double) rewards.abandoned());
        m.put("verifier/stuck", (double) stuckCalls);
        m.put("verifier/abstentions", (double) rewards.abstentions());
        m.put("verifier/all_abstained", (double) rewards.allAbstained());
        m.put("num_tokens", (double) tokens);
        m.put("tokens_per_second", tokens / Math.max(1e-9, seconds));
        m.put("step_seconds", seconds);
        m.put("system/compute_threads", (double) ComputeThreads.current());
        return m;
    }

    /** The scores a verifier gave, its abstentions left out. */
    private static double[] scoredOnly(double[] scores, boolean[] abstained) {
        if (abstained == null) {
            return scores;
        }
        double[] out = new double[scores.length];
        int n = 0;
        for (int i = 0; i < scores.length; i++) {
            if (!abstained[i]) {
                out[n++] = scores[i];
            }
        }
        return Arrays.copyOf(out, n);
    }

    private static double mean(double[] x) {
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    private static double meanGroupStd(double[] x, int g) {
        double s = 0;
        for (int from = 0; from < x.length; from += g) {
            s += Advantages.sampleStd(x, from, g);
        }
        return s / (x.length / g);
    }

    /** Averages of the per-update metrics of one step. */
    private static final class MetricSum {
        private int updates;
        private double loss;
        private double kl;
        private double clipLow;
        private double clipHigh;
        private double clipRegion;
        private double gradNorm;
        private double lastLr;
        private double entropy;
        private double entropyTokens;
        private int sampled;
        private double isMin = Double.POSITIVE_INFINITY;
        private double isMean;
        private double isMax;
        private double diffMean;
        private double diffMax;
        private double offPolicyMasked;
        private double entropyMasked;
        private double entropyBonus;

        void add(org.grpo4j.correction.CorrectionMetrics cm) {
            offPolicyMasked += cm.offPolicyMaskedFraction();
            entropyMasked += cm.entropyMaskedFraction();
            entropyBonus += cm.entropyBonus();
            if (cm.sampled()) {
                sampled++;
                isMin = Math.min(isMin, cm.importanceRatioMin());
                isMean += cm.importanceRatioMean();
                isMax = Math.max(isMax, cm.importanceRatioMax());
                diffMean += cm.samplingLogpDifferenceMean();
                diffMax = Math.max(diffMax, cm.samplingLogpDifferenceMax());
            }
        }

        void add(ObjectiveMetrics om, INDArray entropies, INDArray mask, StepResult os) {
            updates++;
            loss += om.loss();
            kl += om.meanKl();
            clipLow += om.clipFractionLow();
            clipHigh += om.clipFractionHigh();
            clipRegion += om.clipFractionRegion();
            gradNorm += os.gradNorm();
            lastLr = os.learningRate();
            INDArray e = entropies.castTo(mask.dataType());
            entropy += e.mul(mask).sumNumber().doubleValue();
            entropyTokens += mask.sumNumber().doubleValue();
        }

        double mean(double sum) {
            return updates > 0 ? sum / updates : 0;
        }
    }
}
