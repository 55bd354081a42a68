package org.grpo4j.spark;

import java.io.Serializable;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grpo4j.Completion;
import org.grpo4j.Prompt;
import org.grpo4j.Rewards;
import org.grpo4j.SamplingConfig;
import org.grpo4j.verify.FailurePolicy;
import org.grpo4j.verify.VerifierConfig;

/**
 * The serializable forms of grpo-core's records (which are not {@link Serializable}) as they cross between the
 * driver and the executors, and the conversions both ways. Every conversion is exact.
 */
final class Wire {
    private Wire() {
    }

    /** A prompt with its index in the step's (or batch's) list. */
    record IndexedPrompt(int index, String id, int[] tokens, int[] target) implements Serializable {
        private static final long serialVersionUID = 1L;

        static IndexedPrompt of(int index, Prompt p) {
            return new IndexedPrompt(index, p.id(), p.tokens(), p.target());
        }

        Prompt prompt() {
            return new Prompt(id, tokens, target);
        }
    }

    /** A (prompt, completion) pair to score, with its index in the batch. */
    record Pair(int index, IndexedPrompt prompt, int[] completion) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** {@link SamplingConfig}. */
    record Sampling(double temperature, int topK, double topP, double minP, boolean greedy, int maxNewTokens,
                    int eosToken) implements Serializable {
        private static final long serialVersionUID = 1L;

        static Sampling of(SamplingConfig s) {
            return new Sampling(s.temperature(), s.topK(), s.topP(), s.minP(), s.greedy(), s.maxNewTokens(),
                    s.eosToken());
        }

        SamplingConfig config() {
            return new SamplingConfig(temperature, topK, topP, minP, greedy, maxNewTokens, eosToken);
        }
    }

    /** {@link VerifierConfig}. */
    record Verifiers(int threads, Duration timeout, FailurePolicy onFailure, double failureReward)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        static Verifiers of(VerifierConfig c) {
            return new Verifiers(c.threads(), c.timeout(), c.onFailure(), c.failureReward());
        }

        VerifierConfig config() {
            return new VerifierConfig(threads, timeout, onFailure, failureReward);
        }
    }

    /** {@link Completion}. */
    record Sampled(int[] tokens, float[] logProbs, boolean truncated) implements Serializable {
        private static final long serialVersionUID = 1L;

        static Sampled of(Completion c) {
            return new Sampled(c.tokens(), c.logProbs(), c.truncated());
        }

        Completion completion() {
            return new Completion(tokens, logProbs, truncated);
        }
    }

    /** {@link Rewards}, the verifiers' names in order. */
    record Scores(double[] total, String[] names, double[][] byVerifier, int failures, int timeouts, int abandoned)
            implements Serializable {
        private static final long serialVersionUID = 1L;

        static Scores of(Rewards r) {
            String[] names = r.byVerifier().keySet().toArray(String[]::new);
            double[][] each = new double[names.length][];
            for (int j = 0; j < names.length; j++) {
                each[j] = r.byVerifier().get(names[j]).clone();
            }
            return new Scores(r.total(), names, each, r.failures(), r.timeouts(), r.abandoned());
        }
    }

    /** The groups one partition sampled, in index order, and their scores (sequence-major over the groups). */
    record Groups(int[] indices, List<List<Sampled>> groups, Scores scores) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** The scores of one partition's pairs, in the order of {@code indices}. */
    record Scored(int[] indices, Scores scores) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Assembles partition scores into the batch's rewards: row {@code rows[p][i]} of the result is row i of part p;
     * the counters are summed.
     *
     * @param n     the batch's size
     * @param rows  where each part's rows go
     * @param parts the parts' scores
     * @return the rewards
     */
    static Rewards assemble(int n, List<int[]> rows, List<Scores> parts) {
        List<String> names = parts.isEmpty() ? List.of() : List.of(parts.get(0).names());
        double[] total = new double[n];
        Map<String, double[]> byVerifier = new LinkedHashMap<>();
        for (String name : names) {
            byVerifier.put(name, new double[n]);
        }
        boolean[] seen = new boolean[n];
        int failures = 0;
        int timeouts = 0;
        int abandoned = 0;
        for (int p = 0; p < parts.size(); p++) {
            Scores s = parts.get(p);
            int[] at = rows.get(p);
            for (int i = 0; i < at.length; i++) {
                if (seen[at[i]]) {
                    throw new IllegalStateException("row " + at[i] + " was scored twice");
                }
                seen[at[i]] = true;
                total[at[i]] = s.total()[i];
                for (int j = 0; j < s.names().length; j++) {
                    double[] column = byVerifier.get(s.names()[j]);
                    if (column == null) {
                        throw new IllegalStateException("an executor scored with verifier '" + s.names()[j]
                                + "', the driver expected " + names);
                    }
                    column[at[i]] = s.byVerifier()[j][i];
                }
            }
            failures += s.failures();
            timeouts += s.timeouts();
            abandoned += s.abandoned();
        }
        for (int i = 0; i < n; i++) {
            if (!seen[i]) {
                throw new IllegalStateException("row " + i + " was not scored");
            }
        }
        return new Rewards(total, byVerifier, failures, timeouts, abandoned);
    }

    /**
     * @param prompts the prompts
     * @return each with its index
     */
    static List<IndexedPrompt> indexed(List<Prompt> prompts) {
        List<IndexedPrompt> out = new ArrayList<>(prompts.size());
        for (int i = 0; i < prompts.size(); i++) {
            out.add(IndexedPrompt.of(i, prompts.get(i)));
        }
        return out;
    }
}
