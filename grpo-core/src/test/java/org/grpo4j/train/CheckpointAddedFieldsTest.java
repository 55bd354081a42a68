package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.StdEstimator;
import org.grpo4j.io.TensorArchive;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint written before {@code grpo.advantageStd} and {@code grpo.rewardAggregation} existed was trained with
 * their defaults: it restores into a trainer with the defaults and is refused by one with another value.
 */
class CheckpointAddedFieldsTest {
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1));
    private static final RewardVerifier GRADED = (p, c) -> c[0] == 0 ? 1 : 0;

    private static TrainerConfig config(GrpoConfig grpo) {
        return TrainerConfig.builder().grpo(grpo).promptsPerStep(2).steps(3).seed(5).build();
    }

    private static TabularPolicy policy() {
        return TabularPolicy.ofProbabilities(new double[] {0.5, 0.5}, new double[] {0.3, 0.7});
    }

    @Test
    void anOldCheckpointRestoresWithTheDefaults(@TempDir Path dir) throws IOException {
        GrpoConfig grpo = GrpoConfig.builder().groupSize(2).build();
        Path file = dir.resolve("new.grpo4j");
        try (GrpoTrainer t = new GrpoTrainer(config(grpo), policy(), GRADED, PROMPTS)) {
            t.step();
            t.saveCheckpoint(file);
        }
        TensorArchive saved = TensorArchive.read(file);
        Map<String, String> meta = new LinkedHashMap<>(saved.metadata());
        String text = meta.get("config");
        // GrpoConfig.toString writes the fields added since only where they differ from their defaults, so a
        // default run's checkpoint reads exactly like one written before they existed
        assertFalse(text.contains("advantageStd") || text.contains("rewardAggregation"), text);
        String old = text;
        meta.put("config", old);
        Path oldFile = dir.resolve("old.grpo4j");
        TensorArchive.write(oldFile, meta, saved.tensors());
        try (GrpoTrainer t = new GrpoTrainer(config(grpo), policy(), GRADED, PROMPTS)) {
            t.restore(oldFile);
            assertEquals(1, t.completedSteps());
        }
        GrpoConfig population = grpo.toBuilder().advantageStd(StdEstimator.POPULATION).build();
        try (GrpoTrainer t = new GrpoTrainer(config(population), policy(), GRADED, PROMPTS)) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.restore(oldFile));
            assertTrue(e.getMessage().contains("grpo.advantageStd (checkpoint absent, this trainer POPULATION)"),
                    e.getMessage());
        }
    }
}
