package org.grpo4j.sampling;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.grpo4j.Completion;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.PolicyForward;
import org.grpo4j.SamplingConfig;
import org.grpo4j.SequenceBatch;

/**
 * A policy that only samples, by a deterministic script, and records each call's prompts. It draws nothing from the
 * generator, so a test can tell randomness the sampler itself uses.
 */
final class ScriptedSamplingPolicy implements Policy {

    /** The token of one completion. */
    @FunctionalInterface
    interface Script {
        /**
         * @param prompt the prompt's first token
         * @param index  the completion's position in this call
         * @param call   1 for the first call, 2 for the second, ...
         * @return the token
         */
        int token(int prompt, int index, int call);
    }

    private final Script script;
    /** The prompts' first tokens of every call, in order. */
    final List<List<Integer>> calls = new ArrayList<>();

    ScriptedSamplingPolicy(Script script) {
        this.script = script;
    }

    @Override
    public int vocabularySize() {
        return Integer.MAX_VALUE;
    }

    @Override
    public List<Completion> sample(List<int[]> prompts, SamplingConfig sampling, RandomGenerator rng) {
        List<Integer> asked = new ArrayList<>();
        List<Completion> out = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            asked.add(prompts.get(i)[0]);
            out.add(new Completion(new int[] {script.token(prompts.get(i)[0], i, calls.size() + 1)}, new float[] {0f},
                    false));
        }
        calls.add(asked);
        return out;
    }

    @Override
    public PolicyForward forward(SequenceBatch batch) {
        throw new UnsupportedOperationException("sampling only");
    }

    @Override
    public List<Parameter> parameters() {
        return List.of();
    }

    @Override
    public Policy copy() {
        throw new UnsupportedOperationException("sampling only");
    }
}
