package org.grpo4j.bench.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.grpo4j.SamplingConfig;
import org.grpo4j.sampling.TokenSampler;
import org.junit.jupiter.api.Test;

/** Runs each benchmark method once per setting, as JMH would after its trial set-up. */
class TokenSamplerBenchmarkTest {

    @Test
    void topPSettingsAreTheDefaultsWithTheirTopP() {
        assertEquals(SamplingConfig.defaults(), TopP.OFF.config());
        assertEquals(SamplingConfig.defaults().withTopP(0.9), TopP.P90.config());
    }

    @Test
    void drawsATokenWithPositiveProbabilityForEverySetting() {
        TokenSamplerBenchmark bench = new TokenSamplerBenchmark();
        for (int v : new int[] {32, 1024, 32000}) {
            TokenSamplerBenchmark.Row row = new TokenSamplerBenchmark.Row();
            row.vocabularySize = v;
            row.setUp();
            assertEquals(v, row.logits.length);
            for (TopP topP : TopP.values()) {
                TokenSamplerBenchmark.Filter filter = new TokenSamplerBenchmark.Filter();
                filter.topP = topP;
                filter.setUp();
                double[] p = TokenSampler.distribution(row.logits, filter.sampling);
                int token = bench.distributionAndDraw(row, filter);
                assertTrue(token >= 0 && token < v && p[token] > 0, "V=" + v + " " + topP + " drew " + token);
            }
            double z = bench.baseline(row);
            assertTrue(z >= 1 && z <= v, "normaliser " + z);
        }
    }
}
