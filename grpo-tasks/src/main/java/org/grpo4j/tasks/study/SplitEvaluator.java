package org.grpo4j.tasks.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Completion;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;
import org.grpo4j.theory.SupportDiagnostic;

/**
 * Measures a policy on evaluation splits: greedy accuracy, and n samples per prompt at temperature 1 giving each
 * prompt's correct mass Q = c/n (the estimate {@link SupportDiagnostic} makes, batched over all prompts) and pass@k
 * by the unbiased estimator ({@link SupportDiagnostic#passAtK}).
 */
final class SplitEvaluator {
    /** Sequences per sampling call: bounds the key/value cache (a few tens of MB at the studies' size). */
    private static final int CHUNK = 1024;

    private final RewardVerifier verifier;
    private final SamplingConfig sampled;
    private final int samples;
    private final List<Integer> ks;

    /**
     * @param verifier the 0/1 outcome reward
     * @param sampling the cell's sampling (EOS, budget); evaluated at temperature 1 without filters and greedily
     * @param samples  n per prompt
     */
    SplitEvaluator(RewardVerifier verifier, SamplingConfig sampling, int samples) {
        this.verifier = verifier;
        this.sampled = sampling.withTemperature(1).withTopK(0).withTopP(1).withMinP(0).withGreedy(false);
        this.samples = samples;
        this.ks = ks(samples);
    }

    /** @return 1, 2, 4, … up to n, and n itself */
    static List<Integer> ks(int n) {
        List<Integer> out = new ArrayList<>();
        for (int k = 1; k < n; k *= 2) {
            out.add(k);
        }
        out.add(n);
        return out;
    }

    List<SplitMetrics> evaluate(Policy policy, List<EvalSplit> splits, SplittableRandom rng) {
        List<SplitMetrics> out = new ArrayList<>(splits.size());
        for (EvalSplit s : splits) {
            out.add(evaluate(policy, s, rng.split()));
        }
        return out;
    }

    private SplitMetrics evaluate(Policy policy, EvalSplit split, SplittableRandom rng) {
        List<Prompt> prompts = split.prompts();
        List<int[]> once = new ArrayList<>(prompts.size());
        for (Prompt p : prompts) {
            once.add(p.tokens());
        }
        List<Completion> greedy = policy.sample(once, sampled.withGreedy(true), rng.split());
        int greedyCorrect = 0;
        for (int i = 0; i < prompts.size(); i++) {
            greedyCorrect += correct(prompts.get(i), greedy.get(i)) ? 1 : 0;
        }
        int[] counts = new int[prompts.size()];
        List<int[]> batch = new ArrayList<>(CHUNK);
        List<Integer> owner = new ArrayList<>(CHUNK);
        for (int i = 0; i < prompts.size(); i++) {
            for (int j = 0; j < samples; j++) {
                batch.add(once.get(i));
                owner.add(i);
                if (batch.size() == CHUNK) {
                    score(policy, prompts, batch, owner, counts, rng);
                }
            }
        }
        if (!batch.isEmpty()) {
            score(policy, prompts, batch, owner, counts, rng);
        }
        List<Integer> correct = new ArrayList<>(counts.length);
        double meanQ = 0;
        for (int c : counts) {
            correct.add(c);
            meanQ += (double) c / samples;
        }
        List<Double> pass = new ArrayList<>(ks.size());
        for (int k : ks) {
            double sum = 0;
            for (int c : counts) {
                sum += SupportDiagnostic.passAtK(samples, c, k);
            }
            pass.add(sum / counts.length);
        }
        return new SplitMetrics(split.name(), split.inDistribution(), (double) greedyCorrect / prompts.size(),
                Math.min(1, meanQ / counts.length), samples, correct, ks, pass);
    }

    private void score(Policy policy, List<Prompt> prompts, List<int[]> batch, List<Integer> owner, int[] counts,
                       SplittableRandom rng) {
        List<Completion> completions = policy.sample(batch, sampled, rng.split());
        for (int i = 0; i < completions.size(); i++) {
            int p = owner.get(i);
            if (correct(prompts.get(p), completions.get(i))) {
                counts[p]++;
            }
        }
        batch.clear();
        owner.clear();
    }

    private boolean correct(Prompt prompt, Completion completion) {
        int[] tokens = completion.tokens();
        double r;
        try {
            r = verifier.score(prompt, tokens);
        } catch (Exception e) {
            throw new IllegalStateException("verifier " + verifier.name() + " failed on prompt '" + prompt.id()
                    + "', completion " + Arrays.toString(tokens) + ": " + e, e);
        }
        if (!Double.isFinite(r)) {
            throw new IllegalStateException("verifier " + verifier.name() + " returned " + r + " for prompt '"
                    + prompt.id() + "'; rewards must be finite");
        }
        return r >= 0.5;
    }
}
