package org.grpo4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class ApiRecordsTest {

    private static Completion c(boolean truncated, int... tokens) {
        return new Completion(tokens, new float[tokens.length], truncated);
    }

    @Test
    void lossMaskPadsRaggedCompletionsAndOptionallyMasksTruncatedOnes() {
        GroupBatch b = GroupBatch.of(List.of(Prompt.of("p", 1)), 3,
                List.of(c(false, 4, 5, 6), c(true, 7, 8, 9), c(false, 2)));
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1, 1, 0, 0},
                b.lossMask(false, DataType.FLOAT).reshape(9).toFloatVector());
        assertArrayEquals(new float[] {1, 1, 1, 0, 0, 0, 1, 0, 0},
                b.lossMask(true, DataType.FLOAT).reshape(9).toFloatVector());
        SequenceBatch s = b.sequences();
        assertEquals(3, s.maxCompletionLength());
        assertArrayEquals(b.lossMask(false, DataType.DOUBLE).toDoubleMatrix(), s.mask(DataType.DOUBLE).toDoubleMatrix());
    }

    @Test
    void samplingLogProbsArePaddedWithZero() {
        GroupBatch b = GroupBatch.of(List.of(Prompt.of("p", 1)), 2,
                List.of(new Completion(new int[] {1, 2}, new float[] {-0.5f, -1f}, false),
                        new Completion(new int[] {3}, new float[] {-2f}, false)));
        assertArrayEquals(new float[] {-0.5f, -1f, -2f, 0f},
                b.samplingLogProbs(DataType.FLOAT).reshape(4).toFloatVector());
    }

    @Test
    void groupBatchRejectsWrongCompletionCount() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GroupBatch.of(List.of(Prompt.of("p", 1)), 2, List.of(c(false, 1))));
        assertEquals("completions size (1) must equal prompts size (1) × groupSize (2)", e.getMessage());
        assertEquals("groupSize must be ≥ 2, was 1", assertThrows(IllegalArgumentException.class,
                () -> GroupBatch.of(List.of(Prompt.of("p", 1)), 1, List.of(c(false, 1)))).getMessage());
    }

    @Test
    void recordsRejectBadInputNamingIt() {
        assertEquals("tokens must not be empty (prompt 'x')",
                assertThrows(IllegalArgumentException.class, () -> Prompt.of("x")).getMessage());
        assertEquals("id must not be blank, was ' '",
                assertThrows(IllegalArgumentException.class, () -> Prompt.of(" ", 1)).getMessage());
        assertEquals("logProbs length (1) must equal tokens length (2)", assertThrows(IllegalArgumentException.class,
                () -> new Completion(new int[] {1, 2}, new float[] {0}, false)).getMessage());
        assertEquals("prompts size (1) must equal completions size (0)", assertThrows(IllegalArgumentException.class,
                () -> new SequenceBatch(List.of(new int[] {1}), List.of())).getMessage());
        assertEquals("total[1] must be finite, was NaN", assertThrows(IllegalArgumentException.class,
                () -> new Rewards(new double[] {0, Double.NaN}, Map.of(), 0, 0)).getMessage());
        assertEquals("temperature must be finite and > 0, was 0.0", assertThrows(IllegalArgumentException.class,
                () -> SamplingConfig.defaults().withTemperature(0)).getMessage());
        assertEquals("topP must be in (0, 1], was 1.5", assertThrows(IllegalArgumentException.class,
                () -> SamplingConfig.defaults().withTopP(1.5)).getMessage());
        assertEquals("minP must be in [0, 1), was 1.0", assertThrows(IllegalArgumentException.class,
                () -> SamplingConfig.defaults().withMinP(1)).getMessage());
        assertEquals("eosToken must be ≥ -1, was -2", assertThrows(IllegalArgumentException.class,
                () -> SamplingConfig.defaults().withEosToken(-2)).getMessage());
    }

    @Test
    void promptCopiesItsArrays() {
        int[] t = {1, 2};
        Prompt p = Prompt.of("p", t);
        t[0] = 9;
        assertEquals(1, p.token(0));
        p.tokens()[1] = 9;
        assertEquals(2, p.token(1));
    }

    @Test
    void rewardsSliceKeepsPerVerifierColumns() {
        Rewards r = new Rewards(new double[] {1, 2, 3}, Map.of("a", new double[] {4, 5, 6}), 1, 0);
        Rewards s = r.slice(1, 3);
        assertArrayEquals(new double[] {2, 3}, s.total(), 0);
        assertArrayEquals(new double[] {5, 6}, s.byVerifier().get("a"), 0);
    }
}
