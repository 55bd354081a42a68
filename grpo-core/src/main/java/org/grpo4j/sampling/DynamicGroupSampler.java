package org.grpo4j.sampling;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;
import org.grpo4j.Checks;
import org.grpo4j.Completion;
import org.grpo4j.GroupBatch;
import org.grpo4j.GroupSampler;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.Rewards;
import org.grpo4j.SamplingConfig;
import org.grpo4j.verify.VerifierRunner;

/**
 * DAPO's dynamic sampling (Yu et al. 2025, section 3.2): groups whose rewards are all equal carry no learning
 * signal under group-relative advantages, so they are dropped and their prompts are sampled again, for at most
 * {@code maxExtraRounds} extra rounds. Groups still all-equal after the last round are kept (the batch never
 * shrinks below B prompts and the loop always ends). The returned batch is scored; it reports its rounds and the
 * number of dropped groups.
 */
public final class DynamicGroupSampler implements GroupSampler {
    private final GroupSampler inner;
    private final VerifierRunner scorer;
    private final int maxExtraRounds;

    /**
     * @param inner          draws each round's groups
     * @param scorer         scores them
     * @param maxExtraRounds rounds after the first; ≥ 0
     * @throws IllegalArgumentException if an argument is null or {@code maxExtraRounds < 0}
     */
    public DynamicGroupSampler(GroupSampler inner, VerifierRunner scorer, int maxExtraRounds) {
        this.inner = Checks.notNull("inner", inner);
        this.scorer = Checks.notNull("scorer", scorer);
        this.maxExtraRounds = Checks.atLeast("maxExtraRounds", maxExtraRounds, 0);
    }

    /** The inner sampler's greedy completions: dynamic sampling refills groups, not the greedy baseline. */
    @Override
    public List<Completion> sampleGreedy(Policy policy, List<Prompt> prompts, SamplingConfig sampling,
                                         RandomGenerator rng) {
        return inner.sampleGreedy(policy, prompts, sampling, rng);
    }

    @Override
    public GroupBatch sample(Policy policy, List<Prompt> prompts, int groupSize, SamplingConfig sampling,
                             RandomGenerator rng) {
        Checks.notNull("prompts", prompts);
        if (prompts.isEmpty()) {
            throw new IllegalArgumentException("prompts must not be empty");
        }
        int b = prompts.size();
        Prompt[] keptPrompts = new Prompt[b];
        Completion[][] kept = new Completion[b][];
        Rewards[] keptRewards = new Rewards[b];
        List<Integer> pending = new ArrayList<>();
        for (int i = 0; i < b; i++) {
            pending.add(i);
        }
        int rounds = 0;
        int dropped = 0;
        int failures = 0;
        int timeouts = 0;
        int abandoned = 0;
        while (!pending.isEmpty()) {
            rounds++;
            boolean last = rounds > maxExtraRounds;
            List<Prompt> ask = new ArrayList<>(pending.size());
            for (int i : pending) {
                ask.add(prompts.get(i));
            }
            GroupBatch round = inner.sample(policy, ask, groupSize, sampling, rng);
            Rewards r = round.scored().orElseGet(() -> scorer.score(round));
            failures += r.failures();
            timeouts += r.timeouts();
            abandoned += r.abandoned();
            double[] total = r.total();
            List<Integer> still = new ArrayList<>();
            for (int g = 0; g < pending.size(); g++) {
                int slot = pending.get(g);
                boolean flat = true;
                for (int k = 1; k < groupSize; k++) {
                    flat &= total[g * groupSize + k] == total[g * groupSize];
                }
                if (flat && !last) {
                    dropped++;
                    still.add(slot);
                    continue;
                }
                keptPrompts[slot] = ask.get(g);
                kept[slot] = round.completions().subList(g * groupSize, (g + 1) * groupSize).toArray(Completion[]::new);
                keptRewards[slot] = r.slice(g * groupSize, (g + 1) * groupSize);
            }
            pending = still;
        }
        List<Completion> completions = new ArrayList<>(b * groupSize);
        double[] total = new double[b * groupSize];
        Map<String, double[]> byVerifier = new LinkedHashMap<>();
        Map<String, boolean[]> abstainedFlags = new LinkedHashMap<>();
        for (int slot = 0; slot < b; slot++) {
            for (int k = 0; k < groupSize; k++) {
                completions.add(kept[slot][k]);
            }
            System.arraycopy(keptRewards[slot].total(), 0, total, slot * groupSize, groupSize);
            for (Map.Entry<String, double[]> e : keptRewards[slot].byVerifier().entrySet()) {
                System.arraycopy(e.getValue(), 0, byVerifier.computeIfAbsent(e.getKey(), x -> new double[b * groupSize]),
                        slot * groupSize, groupSize);
            }
            for (Map.Entry<String, boolean[]> e : keptRewards[slot].abstained().entrySet()) {
                System.arraycopy(e.getValue(), 0, abstainedFlags.computeIfAbsent(e.getKey(),
                        x -> new boolean[b * groupSize]), slot * groupSize, groupSize);
            }
        }
        return new GroupBatch(List.of(keptPrompts), groupSize, completions, rounds, dropped,
                new Rewards(total, byVerifier, failures, timeouts, abandoned, abstainedFlags));
    }
}
