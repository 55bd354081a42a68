package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.io.TensorArchive;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Examples of what a trainer does around its checkpoints: stale temporary files, the recorded thread count. */
class CheckpointHousekeepingTest {
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1));
    private static final RewardVerifier FIRST = (p, c) -> c[0] == 0 ? 1 : 0;

    private static TabularPolicy base() {
        return TabularPolicy.ofProbabilities(new double[] {0.3, 0.3, 0.4}, new double[] {0.5, 0.25, 0.25});
    }

    private static TrainerConfig config(Path dir) {
        return TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().groupSize(4).beta(0.1).build())
                .optimizer(OptimizerConfig.defaults().toBuilder().learningRate(0.05).build())
                .promptsPerStep(2).steps(4).checkpointEvery(2).checkpointDir(dir).seed(7).build();
    }

    @Test
    void aTemporaryFileLeftByAKilledCheckpointWriteIsDeletedOnTheNextStart(@TempDir Path dir) throws IOException {
        // what `kill -9` between AtomicFiles' temporary write and its rename leaves behind
        Path stale = dir.resolve(".checkpoint-000002.grpo4j.8410392781.tmp");
        Files.write(stale, new byte[] {1, 2, 3});
        Path unrelatedTemporary = dir.resolve(".notes.txt.99.tmp");
        Files.write(unrelatedTemporary, new byte[] {4});
        Path userFile = dir.resolve("checkpoint-000002.grpo4j.tmp.keep");
        Files.write(userFile, new byte[] {5});
        try (GrpoTrainer trainer = new GrpoTrainer(config(dir), base(), FIRST, PROMPTS)) {
            assertFalse(Files.exists(stale), "the stale temporary checkpoint is gone once the trainer exists");
            trainer.train();
        }
        assertTrue(Files.exists(unrelatedTemporary), "another program's temporary file is not the trainer's");
        assertTrue(Files.exists(userFile));
        assertTrue(Files.isRegularFile(dir.resolve("checkpoint-000004.grpo4j")));
        try (var listing = Files.list(dir)) {
            assertEquals(List.of(), listing.filter(p -> StaleCheckpointFiles.TEMPORARY.matcher(
                    p.getFileName().toString()).matches()).toList(), "no write leaves a temporary file");
        }
    }

    @Test
    void aMissingCheckpointDirectoryIsNotAnError(@TempDir Path dir) {
        Path absent = dir.resolve("not/yet");
        try (GrpoTrainer trainer = new GrpoTrainer(config(absent), base(), FIRST, PROMPTS)) {
            assertEquals(List.of(), trainer.resumeWarnings());
        }
        assertFalse(Files.exists(absent), "starting creates nothing");
    }

    @Test
    void theThreadCountIsRecordedInCheckpointsAndMetrics(@TempDir Path dir) throws IOException {
        try (GrpoTrainer trainer = new GrpoTrainer(config(dir), base(), FIRST, PROMPTS)) {
            List<StepMetrics> steps = trainer.train();
            assertEquals(ComputeThreads.current(), steps.get(0).values().get("system/compute_threads"));
        }
        TensorArchive written = TensorArchive.read(dir.resolve("checkpoint-000002.grpo4j"));
        assertEquals(Integer.toString(ComputeThreads.current()), written.metadata().get("threads"));
    }

    @Test
    void resumingWithTheSameThreadCountWarnsOfNothing(@TempDir Path dir) {
        try (GrpoTrainer first = new GrpoTrainer(config(dir), base(), FIRST, PROMPTS)) {
            first.step();
            first.step();
        }
        try (GrpoTrainer resumed = new GrpoTrainer(config(dir), base(), FIRST, PROMPTS)) {
            resumed.restore(dir.resolve("checkpoint-000002.grpo4j"));
            assertEquals(List.of(), resumed.resumeWarnings());
        }
    }

    @Test
    void resumingWithAnotherThreadCountWarnsAndStillRestores(@TempDir Path dir) throws IOException {
        TabularPolicy trained = base();
        try (GrpoTrainer first = new GrpoTrainer(config(dir), trained, FIRST, PROMPTS)) {
            first.step();
            first.step();
        }
        Path checkpoint = dir.resolve("checkpoint-000002.grpo4j");
        int other = ComputeThreads.current() + 3;
        rewriteThreads(checkpoint, Integer.toString(other));
        TabularPolicy restored = base();
        try (GrpoTrainer resumed = new GrpoTrainer(config(dir), restored, FIRST, PROMPTS)) {
            resumed.restore(checkpoint);
            assertEquals(List.of("checkpoint " + checkpoint + " was written with " + other + " compute threads, this"
                    + " run uses " + ComputeThreads.current() + " (OMP_NUM_THREADS): it continues the run correctly but"
                    + " not bit-identically to an uninterrupted run with " + other + "; set OMP_NUM_THREADS=" + other
                    + " for that"), resumed.resumeWarnings());
            assertEquals(2, resumed.completedSteps());
        }
        assertArrayEquals(trained.logitTable(), restored.logitTable(), "the weights are restored all the same");

        rewriteThreads(checkpoint, null);
        try (GrpoTrainer resumed = new GrpoTrainer(config(dir), base(), FIRST, PROMPTS)) {
            resumed.restore(checkpoint);
            assertEquals(1, resumed.resumeWarnings().size());
            assertTrue(resumed.resumeWarnings().get(0).contains("does not record its compute thread count"),
                    resumed.resumeWarnings().get(0));
        }
    }

    private static void rewriteThreads(Path checkpoint, String threads) throws IOException {
        TensorArchive a = TensorArchive.read(checkpoint);
        Map<String, String> meta = new LinkedHashMap<>(a.metadata());
        if (threads == null) {
            meta.remove("threads");
        } else {
            meta.put("threads", threads);
        }
        TensorArchive.write(checkpoint, meta, a.tensors());
    }
}
