package org.grpo4j.tasks;

import java.util.ArrayList;
import java.util.List;
import java.util.random.RandomGenerator;
import org.grpo4j.Checks;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.SequenceBatch;
import org.grpo4j.memory.Workspaces;
import org.grpo4j.optim.AdamW;
import org.grpo4j.transformer.TeacherForcing;
import org.nd4j.linalg.api.memory.MemoryWorkspace;

/**
 * Supervised pretraining of a policy on prompts with targets: each step draws a mini-batch of prompts (with
 * replacement), scores {@code prompt ++ target} by teacher forcing with the prompt tokens excluded from the loss, and
 * takes one optimiser step. This is how the paper's base models are made before GRPO.
 */
public final class Pretraining {
    /** Each step's intermediates live in one reused workspace when the policy allows it. */
    private static final String WORKSPACE = "grpo4j-pretrain-step";
    private Pretraining() {
    }

    /**
     * Runs {@code steps} supervised steps.
     *
     * @param policy    the model, updated in place
     * @param data      prompts with non-empty targets; not empty
     * @param steps     optimiser steps; ≥ 0
     * @param batchSize prompts per step; ≥ 1
     * @param optimizer the optimiser (its schedule counts these steps)
     * @param rng       draws the mini-batches
     * @return the mean cross-entropy (nats per target token) of each step, before its update
     * @throws IllegalArgumentException if an argument is null, {@code data} is empty or holds a prompt without a
     *                                  target, {@code steps < 0} or {@code batchSize < 1}
     */
    public static double[] run(Policy policy, List<Prompt> data, int steps, int batchSize, AdamW optimizer,
                               RandomGenerator rng) {
        Checks.notNull("policy", policy);
        Checks.notNull("data", data);
        Checks.atLeast("steps", steps, 0);
        Checks.atLeast("batchSize", batchSize, 1);
        Checks.notNull("optimizer", optimizer);
        Checks.notNull("rng", rng);
        if (data.isEmpty()) {
            throw new IllegalArgumentException("data must not be empty");
        }
        for (Prompt p : data) {
            if (Checks.notNull("data element", p).target().length == 0) {
                throw new IllegalArgumentException("prompt '" + p.id() + "' has no target to pretrain on");
            }
        }
        double[] losses = new double[steps];
        policy.zeroGradients();                                    // AdamW.step zeroes them after each step
        for (int s = 0; s < steps; s++) {
            List<int[]> prompts = new ArrayList<>(batchSize);
            List<int[]> targets = new ArrayList<>(batchSize);
            for (int i = 0; i < batchSize; i++) {
                Prompt p = data.get(rng.nextInt(data.size()));
                prompts.add(p.tokens());
                targets.add(p.target());
            }
            SequenceBatch batch = new SequenceBatch(prompts, targets);
            if (policy.supportsWorkspaces()) {
                try (MemoryWorkspace ws = Workspaces.step(WORKSPACE)) {
                    losses[s] = TeacherForcing.lossAndBackward(policy, batch);
                    optimizer.step(policy.parameters());
                }
            } else {
                losses[s] = TeacherForcing.lossAndBackward(policy, batch);
                optimizer.step(policy.parameters());
            }
        }
        return losses;
    }
}
