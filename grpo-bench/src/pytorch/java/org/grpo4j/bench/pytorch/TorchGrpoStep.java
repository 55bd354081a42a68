package org.grpo4j.bench.pytorch;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.train.TrainerConfig;
import org.grpo4j.transformer.TransformerPolicy;

/**
 * One GRPO step in PyTorch, the peer of {@code GrpoTrainer.step()} for the configuration the studies-size benchmark
 * uses (one mini-batch, one iteration per batch, so the old log-probabilities are the current ones, detached): draw
 * B distinct prompts, sample G completions each with {@link TorchDecoder} (KV cache), score them with the same Java
 * verifier, the reference model's log-probabilities without autograd (β &gt; 0), the policy's with autograd, TRL's loss
 * ({@link TorchObjective#loss}), backward, global-norm clipping and AdamW. The completion tokens are counted as the
 * trainer's {@code num_tokens}.
 */
public final class TorchGrpoStep implements AutoCloseable {
    private final Engine engine;
    private final TorchTransformer policy;
    private final TorchTransformer reference;
    private final TrainerConfig config;
    private final RewardVerifier verifier;
    private final List<Prompt> prompts;
    private long lastTokens;

    /**
     * Copies the policy (and, when β &gt; 0, a frozen reference).
     *
     * @param initial  the grpo4j policy to copy
     * @param config   the trainer's configuration: one mini-batch, one iteration, sampling without filters
     * @param verifier the reward
     * @param prompts  the prompt set
     * @throws IllegalArgumentException if the configuration is one the peer does not reproduce
     */
    public TorchGrpoStep(TransformerPolicy initial, TrainerConfig config, RewardVerifier verifier,
                         List<Prompt> prompts) {
        GrpoConfig g = config.grpo();
        TorchObjective.check(g);
        var s = config.sampling();
        if (config.iterationsPerBatch() != 1 || s.temperature() != 1 || s.topK() != 0 || s.topP() != 1
                || s.minP() != 0 || s.greedy() || config.dynamicSampling()) {
            throw new IllegalArgumentException("the PyTorch GRPO step covers one iteration per batch and plain "
                    + "sampling at temperature 1, not " + config);
        }
        engine = Torch.engine();
        this.config = config;
        this.verifier = verifier;
        this.prompts = List.copyOf(prompts);
        policy = new TorchTransformer(initial, config.optimizer());
        reference = g.beta() > 0 ? new TorchTransformer(initial, config.optimizer()) : null;
    }

    /**
     * One step.
     *
     * @param rng the prompt draws and the sampling
     * @return the mean reward of the batch
     * @throws IllegalStateException if the verifier throws
     */
    public double step(SplittableRandom rng) {
        GrpoConfig g = config.grpo();
        int b = Math.min(config.promptsPerStep(), prompts.size());
        int[] order = rng.ints(0, prompts.size()).distinct().limit(b).toArray();
        int n = b * g.groupSize();
        int[][] promptTokens = new int[n][];
        for (int i = 0; i < n; i++) {
            promptTokens[i] = prompts.get(order[i / g.groupSize()]).tokens();
        }
        TorchDecoder.Rollouts r = TorchDecoder.sample(policy, promptTokens, config.sampling().maxNewTokens(),
                config.sampling().eosToken(), rng);
        float[] rewards = new float[n];
        double total = 0;
        long tokens = 0;
        for (int i = 0; i < n; i++) {
            try {
                rewards[i] = (float) verifier.score(prompts.get(order[i / g.groupSize()]), r.completions()[i]);
            } catch (Exception e) {
                throw new IllegalStateException("the verifier failed on completion " + i, e);
            }
            total += rewards[i];
            tokens += r.completions()[i].length;
        }
        lastTokens = tokens;
        PaddedBatch batch = PaddedBatch.of(promptTokens, r.completions());
        try (NDManager m = policy.manager().newSubManager()) {
            NDArray x = m.create(batch.inputs());
            NDArray y = m.create(batch.labels());
            NDArray mask = m.create(batch.mask());
            NDArray a = TorchObjective.advantages(m.create(rewards), g);
            NDArray logpRef = reference == null ? null : reference.takenLogProbs(x, y);
            try (GradientCollector gc = engine.newGradientCollector()) {
                NDArray logpNew = policy.takenLogProbs(x, y);
                NDArray loss = TorchObjective.loss(a, logpNew, logpNew.stopGradient(), logpRef, mask, g);
                gc.backward(loss);
            }
            policy.clipAndUpdate();
        }
        return total / n;
    }

    /** @return the completion tokens of the last step */
    public long lastTokens() {
        return lastTokens;
    }

    /** @return the policy, for tests */
    TorchTransformer policy() {
        return policy;
    }

    @Override
    public void close() {
        policy.close();
        if (reference != null) {
            reference.close();
        }
    }
}
