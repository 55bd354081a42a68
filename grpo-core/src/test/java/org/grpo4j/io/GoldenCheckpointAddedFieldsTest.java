package org.grpo4j.io;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.grpo4j.GrpoConfig;
import org.grpo4j.correction.CorrectionLevel;
import org.grpo4j.correction.CorrectionMode;
import org.grpo4j.correction.EntropyControl;
import org.grpo4j.correction.RolloutCorrection;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.train.TrainerConfig;
import org.junit.jupiter.api.Test;

/**
 * The golden checkpoint predates {@code GrpoConfig.rolloutCorrection} and {@code entropyControl}: its config text
 * lacks them. Restore accepts it when this trainer holds their defaults (the golden restore test) and refuses it,
 * naming the field, when it does not: the checkpoint's run cannot have used a correction.
 */
class GoldenCheckpointAddedFieldsTest {

    private static Path golden() throws Exception {
        return Path.of(GoldenCheckpointAddedFieldsTest.class.getResource("/golden/" + GoldenFiles.CHECKPOINT).toURI());
    }

    @Test
    void theGoldenConfigTextLacksTheNewFields() throws Exception {
        String config = TensorArchive.read(golden()).metadata().get("config");
        assertFalse(config.contains("rolloutCorrection"), config);
        assertFalse(config.contains("entropyControl"), config);
    }

    @Test
    void aNonDefaultNewFieldIsRefusedByName() throws Exception {
        TrainerConfig base = GoldenFiles.checkpointRun();
        GrpoConfig withCorrection = base.grpo().toBuilder().rolloutCorrection(
                RolloutCorrection.trl(CorrectionMode.TRUNCATE, CorrectionLevel.TOKEN, 2)).build();
        GrpoConfig withEntropy = base.grpo().toBuilder().entropyControl(EntropyControl.topQuantile(0.2)).build();
        String[] fields = {"grpo.rolloutCorrection.mode", "grpo.entropyControl.topEntropyQuantile"};
        GrpoConfig[] configs = {withCorrection, withEntropy};
        for (int k = 0; k < configs.length; k++) {
            TrainerConfig c = base.toBuilder().grpo(configs[k]).build();
            try (GrpoTrainer trainer = new GrpoTrainer(c, GoldenFiles.checkpointBase(), GoldenFiles.verifier(),
                    GoldenFiles.prompts())) {
                Path file = golden();
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> trainer.restore(file));
                assertTrue(e.getMessage().contains(fields[k]) && e.getMessage().contains("checkpoint absent"),
                        e.getMessage());
            }
        }
    }
}
