package org.grpo4j.tasks.demo;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.grpo4j.tasks.PretrainThenGrpo;
import org.grpo4j.tasks.PretrainThenGrpoConfig;
import org.grpo4j.tasks.PretrainThenGrpoResult;
import org.grpo4j.train.ConsoleProgressBar;

/**
 * Command-line demo: pretrain a small transformer on string reversal, then train it with GRPO and an exact-match
 * verifier, with a progress bar, and print the reward before and after. Arguments are {@code key=value}:
 * {@code seed} (default 1), {@code pretrainSteps} (150), {@code grpoSteps} (150).
 */
public final class ReverseDemo {
    private ReverseDemo() {
    }

    /**
     * Runs the demo.
     *
     * @param args {@code key=value} pairs, see the class comment
     * @throws IllegalArgumentException if an argument is not {@code key=value} with a known key and an integer value,
     *                                  or a step count is negative or larger than {@link Integer#MAX_VALUE}; the
     *                                  message names the argument and the value
     */
    public static void main(String[] args) {
        PretrainThenGrpoConfig config = PretrainThenGrpoConfig.defaults();
        long seed = config.seed();
        int pretrain = config.pretrainSteps();
        int grpo = config.grpo().steps();
        for (String arg : args) {
            for (String kv : arg.trim().split("\\s+")) {
                if (kv.isEmpty()) {
                    continue;
                }
                String[] parts = kv.split("=", 2);
                if (parts.length != 2) {
                    throw new IllegalArgumentException("argument must be key=value, was '" + kv + "'");
                }
                long value;
                try {
                    value = Long.parseLong(parts[1]);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException(parts[0] + " must be an integer, was '" + parts[1] + "'", e);
                }
                switch (parts[0]) {
                    case "seed" -> seed = value;
                    case "pretrainSteps" -> pretrain = steps(parts[0], value);
                    case "grpoSteps" -> grpo = steps(parts[0], value);
                    default -> throw new IllegalArgumentException("unknown argument '" + parts[0]
                            + "'; known: seed, pretrainSteps, grpoSteps");
                }
            }
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        PretrainThenGrpoResult r = PretrainThenGrpo.run(config.withSeed(seed).withSteps(pretrain, grpo), out,
                new ConsoleProgressBar(out));
        out.printf("exact-match reward: before %.3f, after %.3f (greedy %.3f -> %.3f)%n", r.sampledBefore(),
                r.sampledAfter(), r.greedyBefore(), r.greedyAfter());
    }

    private static int steps(String name, long value) {
        if (value < 0 || value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(name + " must be an integer in [0, " + Integer.MAX_VALUE + "], was "
                    + value);
        }
        return (int) value;
    }
}
