package org.grpo4j.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Parameter;
import org.grpo4j.Policy;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.io.TensorArchive;
import org.grpo4j.optim.LearningRateSchedule;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.policy.TabularPolicy;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link GrpoTrainer#restore}: every defect of a checkpoint is refused with a message naming the file and the
 * offending key, tensor or value, and a refused restore leaves the trainer exactly as it was (weights, gradients,
 * reference, optimiser state and step count, compared bit for bit). Each case edits one entry of a real checkpoint,
 * so the rest of the file is valid and the case tests only its own rule. The trainer that refuses has already
 * taken a step of its own, so an overwrite by a partial restore would show.
 */
class CheckpointRestoreTest {
    private static final List<Prompt> PROMPTS = List.of(Prompt.of("a", 0), Prompt.of("b", 1), Prompt.of("c", 2));
    /** Output 0 scores 1, output 1 scores 0.5, the rest 0. */
    private static final RewardVerifier GRADED = (p, c) -> c[0] == 0 ? 1 : c[0] == 1 ? 0.5 : 0;
    /** A gradient value no trainer step leaves behind, so a restore that zeroes gradients shows. */
    private static final double MARKER_GRADIENT = 0.125;

    @TempDir
    Path dir;
    private Path checkpoint;
    private TensorArchive saved;

    private static TabularPolicy base() {
        return TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4}, new double[] {0.25, 0.25, 0.25, 0.25},
                new double[] {0.05, 0.15, 0.0, 0.8});
    }

    /** A reference (β = 0.1) that is synced, μ = 2 over two mini-batches: every piece of checkpointed state. */
    private static TrainerConfig.Builder config() {
        return TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().groupSize(4).beta(0.1).build())
                .optimizer(OptimizerConfig.defaults().toBuilder().learningRate(0.05).build())
                .promptsPerStep(2).groupsPerMiniBatch(1).iterationsPerBatch(2)
                .refSyncEvery(2).refSyncAlpha(0.5).steps(4).seed(42);
    }

    /** Two steps of {@link #config()}, then a checkpoint. */
    @BeforeEach
    void writeCheckpoint() throws IOException {
        checkpoint = dir.resolve("checkpoint-000002.grpo4j");
        try (GrpoTrainer t = new GrpoTrainer(config().build(), base(), GRADED, PROMPTS)) {
            t.step();
            t.step();
            t.saveCheckpoint(checkpoint);
        }
        saved = TensorArchive.read(checkpoint);
    }

    /** The checkpoint with some metadata and tensors edited. */
    private Path edited(String name, Consumer<Map<String, String>> metadata, Consumer<Map<String, INDArray>> tensors)
            throws IOException {
        Map<String, String> m = new LinkedHashMap<>(saved.metadata());
        Map<String, INDArray> t = new LinkedHashMap<>(saved.tensors());
        metadata.accept(m);
        tensors.accept(t);
        Path file = dir.resolve(name + ".grpo4j");
        TensorArchive.write(file, m, t);
        return file;
    }

    private Path editedMetadata(String name, Consumer<Map<String, String>> metadata) throws IOException {
        return edited(name, metadata, t -> { });
    }

    private Path editedTensors(String name, Consumer<Map<String, INDArray>> tensors) throws IOException {
        return edited(name, m -> { }, tensors);
    }

    /**
     * Builds a trainer of {@code config}, runs one step, marks its gradients, checks that restoring {@code file}
     * throws and changes nothing, and returns the exception.
     */
    private IllegalArgumentException refused(TrainerConfig config, Path file) {
        try (GrpoTrainer t = new GrpoTrainer(config, base(), GRADED, PROMPTS)) {
            t.step();
            markGradients(t.policy());
            if (t.reference() != null) {
                markGradients(t.reference());
            }
            State before = State.of(t, dir.resolve("before.grpo4j"));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> t.restore(file));
            State.of(t, dir.resolve("after.grpo4j")).assertSameAs(before);
            assertTrue(e.getMessage().contains(file.toString()), "names the file: " + e.getMessage());
            return e;
        }
    }

    private IllegalArgumentException refused(Path file) {
        return refused(config().build(), file);
    }

    private static void assertContains(String expected, Exception e) {
        assertTrue(e.getMessage().contains(expected), "expected «" + expected + "» in: " + e.getMessage());
    }

    private static void markGradients(Policy p) {
        for (Parameter q : p.parameters()) {
            q.gradient().assign(MARKER_GRADIENT);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    @Test
    void theUneditedCheckpointRestoresEveryPieceOfState() throws IOException {
        try (GrpoTrainer t = new GrpoTrainer(config().build(), base(), GRADED, PROMPTS)) {
            t.step();
            State own = State.of(t, dir.resolve("own.grpo4j"));
            assertFalse(Arrays.equals(own.tensors.get("policy/logits"),
                    State.data(saved.tensors().get("policy/logits"))),
                    "the trainer's own state differs from the checkpoint's, so the refusal tests have teeth");
            markGradients(t.policy());
            t.restore(checkpoint);
            assertEquals(2, t.completedSteps());
            State restored = State.of(t, dir.resolve("restored.grpo4j"));
            assertEquals(saved.metadata(), restored.metadata);
            assertEquals(List.copyOf(saved.tensors().keySet()), List.copyOf(restored.tensors.keySet()));
            saved.tensors().forEach((k, v) -> assertArrayEquals(State.data(v), restored.tensors.get(k), k));
            for (double[] g : restored.gradients) {
                assertArrayEquals(new double[g.length], g, "gradients are zeroed");
            }
        }
    }

    @Test
    void aMissingStepIsNamed() throws IOException {
        assertContains("metadata key 'step' is missing", refused(editedMetadata("no-step", m -> m.remove("step"))));
    }

    @Test
    void aMissingOptimizerStepIsNamed() throws IOException {
        assertContains("metadata key 'optimizer.step' is missing",
                refused(editedMetadata("no-optimizer-step", m -> m.remove("optimizer.step"))));
    }

    @Test
    void stepsThatAreNotCountsAreNamedWithTheirValue() throws IOException {
        assertContains("metadata 'step' must be an integer in [0, 2147483647], was 'two'",
                refused(editedMetadata("step-word", m -> m.put("step", "two"))));
        assertContains("metadata 'step' must be an integer in [0, 2147483647], was '-1'",
                refused(editedMetadata("step-negative", m -> m.put("step", "-1"))));
        assertContains("metadata 'step' must be an integer in [0, 2147483647], was '2147483648'",
                refused(editedMetadata("step-big", m -> m.put("step", "2147483648"))));
        assertContains("metadata 'optimizer.step' must be an integer ≥ 0, was '1.5'",
                refused(editedMetadata("optimizer-step-fraction", m -> m.put("optimizer.step", "1.5"))));
    }

    @Test
    void aMissingFormatOrAnotherVersionIsRefused() throws IOException {
        assertContains("is not a grpo4j checkpoint: it has no 'format' metadata key",
                refused(editedMetadata("no-format", m -> m.remove("format"))));
        assertContains("checkpoint version must be 1, was 2",
                refused(editedMetadata("version-2", m -> m.put("version", "2"))));
        assertContains("metadata key 'version' is missing",
                refused(editedMetadata("no-version", m -> m.remove("version"))));
    }

    /** Resuming with another seed would draw other prompts and completions from step 3 on: not that run. */
    @Test
    void anotherSeedIsRefusedQuotingBoth() {
        IllegalArgumentException e = refused(config().seed(43).build(), checkpoint);
        assertContains("was written by a run with seed 42, but this trainer's seed is 43", e);
    }

    @Test
    void aMissingOrUnparsableSeedIsNamed() throws IOException {
        assertContains("metadata key 'seed' is missing", refused(editedMetadata("no-seed", m -> m.remove("seed"))));
        assertContains("metadata 'seed' must be an integer, was '4x2'",
                refused(editedMetadata("seed-word", m -> m.put("seed", "4x2"))));
    }

    @Test
    void anotherConfigIsRefusedQuotingEveryDifferentFieldWithBothValues() {
        TrainerConfig other = config().optimizer(OptimizerConfig.defaults().toBuilder().learningRate(0.07).build())
                .grpo(GrpoConfig.defaults().toBuilder().groupSize(4).beta(0.2).build()).build();
        IllegalArgumentException e = refused(other, checkpoint);
        assertContains("was written with another config; it differs in grpo.beta (checkpoint 0.1, this trainer "
                + "0.2), optimizer.learningRate (checkpoint 0.05, this trainer 0.07); a resumed run may change only "
                + "steps, checkpointEvery, checkpointDir", e);
    }

    @Test
    void anotherScheduleIsRefusedByItsType() {
        TrainerConfig other = config().optimizer(OptimizerConfig.defaults().toBuilder().learningRate(0.05)
                .schedule(LearningRateSchedule.warmupConstant(3)).build()).build();
        IllegalArgumentException e = refused(other, checkpoint);
        assertContains("optimizer.schedule (checkpoint ConstantSchedule, this trainer WarmupConstantSchedule), "
                + "optimizer.schedule.warmupSteps (checkpoint absent, this trainer 3)", e);
    }

    @Test
    void aMissingOrUnreadableConfigIsNamed() throws IOException {
        assertContains("metadata key 'config' is missing",
                refused(editedMetadata("no-config", m -> m.remove("config"))));
        assertContains("metadata 'config' cannot be compared with this trainer's config (not a TrainerConfig text), "
                + "was 'hello'", refused(editedMetadata("config-word", m -> m.put("config", "hello"))));
        String config = saved.metadata().get("config");
        assertContains("unbalanced", refused(editedMetadata("config-brackets",
                m -> m.put("config", config.replace("ConstantSchedule[]", "ConstantSchedule[")))));
    }

    /**
     * The run may be extended, and checkpoint elsewhere or not at all: a resume with other steps, checkpointEvery
     * and checkpointDir (one with commas, brackets and "seed=" in it) ends with the weights of an uninterrupted run
     * of the new length.
     */
    @Test
    void stepsAndCheckpointSettingsMayChangeOnAResume() {
        TrainerConfig longer = config().steps(5).build();
        TabularPolicy straight = base();
        try (GrpoTrainer t = new GrpoTrainer(longer, straight, GRADED, PROMPTS)) {
            t.train();
        }
        Path odd = dir.resolve("odd, dir [x]=1, seed=7");
        TabularPolicy resumed = base();
        try (GrpoTrainer t = new GrpoTrainer(config().steps(5).checkpointEvery(4).checkpointDir(odd).build(), resumed,
                GRADED, PROMPTS)) {
            t.restore(checkpoint);
            assertEquals(3, t.train().size(), "steps 3 to 5");
        }
        assertArrayEquals(straight.logitTable(), resumed.logitTable());
        assertTrue(java.nio.file.Files.isRegularFile(odd.resolve("checkpoint-000004.grpo4j")));
    }

    /** The reviewer's case: the policy's tensor is fine, the reference's is missing; nothing may be assigned. */
    @Test
    void aMissingReferenceTensorLeavesThePolicyUntouched() throws IOException {
        assertContains("has no tensor reference/logits",
                refused(editedTensors("no-reference", t -> t.remove("reference/logits"))));
    }

    @Test
    void aMissingPolicyTensorIsNamed() throws IOException {
        assertContains("has no tensor policy/logits",
                refused(editedTensors("no-policy", t -> t.remove("policy/logits"))));
    }

    /** Before the fix the weights were assigned and only the optimiser state then failed. */
    @Test
    void incompleteOptimiserMomentsLeaveTheWeightsUntouched() throws IOException {
        assertContains("has no tensor optimizer/v/logits",
                refused(editedTensors("no-second-moment", t -> t.remove("optimizer/v/logits"))));
        assertContains("has no tensor optimizer/m/logits",
                refused(editedTensors("no-first-moment", t -> t.remove("optimizer/m/logits"))));
        assertContains("has optimizer.step = 8 but no optimiser moments", refused(editedTensors("no-moments",
                t -> t.keySet().removeIf(k -> k.startsWith("optimizer/")))));
    }

    @Test
    void aTensorOfAnotherShapeOrDataTypeIsNamedWithBoth() throws IOException {
        assertContains("checkpoint tensor policy/logits in " + dir.resolve("wide.grpo4j") + " is DOUBLE[3, 5], the "
                + "parameter is DOUBLE[3, 4]",
                refused(editedTensors("wide", t -> t.put("policy/logits", Nd4j.zeros(DataType.DOUBLE, 3, 5)))));
        assertContains("checkpoint tensor reference/logits in " + dir.resolve("float.grpo4j") + " is FLOAT[3, 4], "
                + "the parameter is DOUBLE[3, 4]", refused(editedTensors("float",
                t -> t.put("reference/logits", saved.tensors().get("reference/logits").castTo(DataType.FLOAT)))));
        assertContains("checkpoint tensor optimizer/m/logits in " + dir.resolve("moment.grpo4j") + " is DOUBLE[12]",
                refused(editedTensors("moment", t -> t.put("optimizer/m/logits", Nd4j.zeros(DataType.DOUBLE, 12)))));
    }

    /** A tensor with no parameter to go to would be silently dropped by the next checkpoint. */
    @Test
    void tensorsThatMatchNoParameterAreRefusedByName() throws IOException {
        assertContains("holds tensors that match no parameter of this trainer: [policy/extra, notes]",
                refused(editedTensors("extra", t -> {
                    t.put("policy/extra", Nd4j.zeros(DataType.DOUBLE, 2));
                    t.put("notes", Nd4j.zeros(DataType.DOUBLE, 1));
                })));
    }

    @Test
    void referenceTensorsAreRefusedByATrainerWithoutAReference() throws IOException {
        TrainerConfig noKl = config().grpo(GrpoConfig.defaults().toBuilder().groupSize(4).beta(0).build())
                .refSyncEvery(0).build();
        Path file = dir.resolve("no-kl.grpo4j");
        try (GrpoTrainer t = new GrpoTrainer(noKl, base(), GRADED, PROMPTS)) {
            t.step();
            t.saveCheckpoint(file);
        }
        TensorArchive noKlSaved = TensorArchive.read(file);
        assertFalse(noKlSaved.tensors().containsKey("reference/logits"));
        Map<String, INDArray> tensors = new LinkedHashMap<>(noKlSaved.tensors());
        tensors.put("reference/logits", saved.tensors().get("reference/logits"));
        Path withReference = dir.resolve("no-kl-with-reference.grpo4j");
        TensorArchive.write(withReference, noKlSaved.metadata(), tensors);
        IllegalArgumentException e = refused(noKl, withReference);
        assertContains("holds tensors that match no parameter of this trainer (which has no reference, as grpo.beta "
                + "is 0): [reference/logits]", e);
    }

    @Test
    void aNullFileIsNamed() {
        try (GrpoTrainer t = new GrpoTrainer(config().build(), base(), GRADED, PROMPTS)) {
            assertEquals("file must not be null", assertThrows(IllegalArgumentException.class,
                    () -> t.restore(null)).getMessage());
        }
    }

    /** The config text is split into fields by dotted path; a checkpoint directory is taken whole. */
    @Test
    void configFieldsAreReadByPath() {
        Path odd = Path.of("runs", "a, b=[c]", "x, seed=5]");
        TrainerConfig c = config().optimizer(OptimizerConfig.defaults().toBuilder()
                .schedule(LearningRateSchedule.warmupCosine(10, 100, 0.1)).build())
                .checkpointEvery(3).checkpointDir(odd).seed(-9).build();
        Map<String, String> f = CheckpointContent.configFields(c.toString());
        assertEquals(odd.toString(), f.get("checkpointDir"));
        assertEquals("-9", f.get("seed"));
        assertEquals("3", f.get("checkpointEvery"));
        assertEquals("4", f.get("steps"));
        assertEquals("0.1", f.get("grpo.beta"));
        assertEquals("4", f.get("grpo.groupSize"));
        assertEquals("WarmupCosineSchedule", f.get("optimizer.schedule"));
        assertEquals("10", f.get("optimizer.schedule.warmupSteps"));
        assertEquals("100", f.get("optimizer.schedule.totalSteps"));
        assertEquals("PT10S", f.get("verifiers.timeout"));
        List<String> leaves = new ArrayList<>(f.keySet());
        assertEquals("grpo", leaves.get(0));
        assertEquals("seed", leaves.get(leaves.size() - 1));
        assertTrue(f.values().stream().noneMatch(v -> v.contains("[") && !v.equals(odd.toString())),
                "every record was split into its fields: " + f);
    }

    // ---------------------------------------------------------------------------------------------------------

    /** Everything a restore can change, read exactly: the checkpoint the trainer would write, and the gradients. */
    private static final class State {
        private final int completedSteps;
        private final Map<String, String> metadata;
        private final Map<String, double[]> tensors = new LinkedHashMap<>();
        private final Map<String, String> types = new LinkedHashMap<>();
        private final List<double[]> gradients = new ArrayList<>();

        private State(GrpoTrainer t, TensorArchive a) {
            completedSteps = t.completedSteps();
            metadata = a.metadata();
            a.tensors().forEach((k, v) -> {
                tensors.put(k, data(v));
                types.put(k, v.dataType() + Arrays.toString(v.shape()));
            });
            for (Parameter p : t.policy().parameters()) {
                gradients.add(data(p.gradient()));
            }
            if (t.reference() != null) {
                for (Parameter p : t.reference().parameters()) {
                    gradients.add(data(p.gradient()));
                }
            }
        }

        static State of(GrpoTrainer t, Path file) {
            t.saveCheckpoint(file);
            try {
                return new State(t, TensorArchive.read(file));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        static double[] data(INDArray a) {
            return a.dup('c').data().asDouble();
        }

        void assertSameAs(State before) {
            assertEquals(before.completedSteps, completedSteps, "completed steps");
            assertEquals(before.metadata, metadata, "metadata (step, optimizer.step, …)");
            assertEquals(before.types, types, "tensor names, types and shapes");
            before.tensors.forEach((k, v) -> assertArrayEquals(v, tensors.get(k), k + " unchanged"));
            assertEquals(before.gradients.size(), gradients.size());
            for (int i = 0; i < gradients.size(); i++) {
                assertArrayEquals(before.gradients.get(i), gradients.get(i), "gradient " + i + " unchanged");
            }
        }
    }
}
