package org.grpo4j.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;
import org.grpo4j.transformer.TransformerConfig;
import org.grpo4j.transformer.TransformerPolicy;
import org.nd4j.linalg.api.buffer.DataType;

/** A small transformer, prompts and a deterministic serializable verifier shared by the tests. */
final class Fixtures {
    static final int VOCABULARY = 8;
    static final int EOS = 0;
    static final SamplingConfig SAMPLING = SamplingConfig.defaults().withMaxNewTokens(6).withEosToken(EOS);

    private Fixtures() {
    }

    /** @return a 1-layer width-16 transformer over 8 tokens, seeded */
    static TransformerPolicy transformer(long seed) {
        TransformerConfig c = TransformerConfig.builder().vocabularySize(VOCABULARY).contextLength(16).layers(1)
                .heads(2).modelWidth(16).ffWidth(32).dataType(DataType.FLOAT).build();
        return TransformerPolicy.initialize(c, new SplittableRandom(seed));
    }

    /** @return n prompts of 2 to 4 tokens in [1, 8), each with a one-token target */
    static List<Prompt> prompts(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<Prompt> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] t = new int[2 + r.nextInt(3)];
            for (int j = 0; j < t.length; j++) {
                t[j] = 1 + r.nextInt(VOCABULARY - 1);
            }
            out.add(new Prompt("p" + i, t, new int[] {1 + r.nextInt(VOCABULARY - 1)}));
        }
        return out;
    }

    /** Reward: the fraction of completion tokens equal to the target, plus 0.1 per token of length. */
    static final class TargetCount implements RewardVerifier, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public double score(Prompt prompt, int[] completion) {
            int hits = 0;
            for (int t : completion) {
                hits += t == prompt.target()[0] ? 1 : 0;
            }
            return (double) hits / Math.max(1, completion.length) + 0.1 * completion.length;
        }

        @Override
        public String name() {
            return "target";
        }
    }

    /** Reward 1 when the completion holds the target token, else 0: groups are often all-equal. */
    static final class ContainsTarget implements RewardVerifier, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public double score(Prompt prompt, int[] completion) {
            for (int t : completion) {
                if (t == prompt.target()[0]) {
                    return 1;
                }
            }
            return 0;
        }

        @Override
        public String name() {
            return "contains";
        }
    }
}
