package org.grpo4j.io;

import static org.grpo4j.io.ArchiveAssertions.assertSameArchive;
import static org.grpo4j.io.ArchiveAssertions.assertSameTensor;
import static org.grpo4j.io.ArchiveAssertions.bits;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.grpo4j.Parameter;
import org.grpo4j.PolicyForward;
import org.grpo4j.SequenceBatch;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.DisabledIfSystemProperty;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The committed golden files stay loadable and mean what they meant when written. Exact, machine-independent
 * checks: the archive of every data type decodes to its constants and today's writer reproduces it byte for byte;
 * the model's metadata, names, shapes and weights (regenerated bit for bit from the seed) and its file's bytes; the
 * checkpoint's entries and the state a restore puts into a trainer. Checks of computed numbers (log-probabilities,
 * continued training), which may differ in the last bits between machines, compare with a tolerance against the
 * values stored in the golden files and against a run regenerated now.
 *
 * <p>{@code -Dgrpo4j.regenerateGolden=true} runs {@link #regenerate()} instead, which rewrites the files in
 * {@code src/test/resources/golden/} (see docs/formats.md); a normal run never writes them.
 */
class GoldenFilesTest {
    private static final String REGENERATE = "grpo4j.regenerateGolden";
    /** Log-probabilities of the FLOAT model: a few float ulps of the values, far below any real change. */
    private static final double MODEL_TOLERANCE = 1e-5;
    /** The DOUBLE tabular run: a few double ulps per update. */
    private static final double CHECKPOINT_TOLERANCE = 1e-9;

    private static Path golden(String name) throws URISyntaxException {
        URL url = GoldenFilesTest.class.getResource(GoldenFiles.RESOURCES + name);
        assertNotNull(url, "golden file " + name + " is missing from the test resources");
        return Path.of(url.toURI());
    }

    private static void assertClose(String what, double[][] expected, double[][] actual, double tolerance) {
        assertEquals(expected.length, actual.length, what + ": rows");
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i].length, actual[i].length, what + ": columns");
            for (int j = 0; j < expected[i].length; j++) {
                assertEquals(expected[i][j], actual[i][j], tolerance, what + " [" + i + ", " + j + "]");
            }
        }
    }

    private static double maxAbsDifference(double[][] a, double[][] b) {
        double max = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[i].length; j++) {
                if (a[i][j] != b[i][j]) {                     // equal infinities (outside the support) count 0
                    max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
                }
            }
        }
        return max;
    }

    @Test
    @EnabledIfSystemProperty(named = REGENERATE, matches = "true")
    void regenerate() throws IOException {
        Path dir = GoldenFiles.sourceFolder();
        GoldenFiles.writeAll(dir);
        System.out.println("rewrote the golden files in " + dir + "; run the tests again to check them");
    }

    // ---------------------------------------------------------------------------------------------------------
    // (a) every data type

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void theEveryDtypeFileHoldsItsKnownConstants() throws Exception {
        assertSameArchive(GoldenFiles.everyDtype(), TensorArchive.read(golden(GoldenFiles.EVERY_DTYPE)));
    }

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void todaysWriterStillWritesTheEveryDtypeFileByteForByte() throws Exception {
        assertArrayEquals(Files.readAllBytes(golden(GoldenFiles.EVERY_DTYPE)), GoldenFiles.everyDtype().encode(),
                "the writer no longer writes version-1 bytes; if the format changed on purpose, bump "
                        + "TensorArchive.VERSION, keep reading version 1 and add golden files (docs/formats.md)");
    }

    // ---------------------------------------------------------------------------------------------------------
    // (b) a saved transformer

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void theModelFileHoldsTheDocumentedMetadataAndParameters() throws Exception {
        TensorArchive file = TensorArchive.read(golden(GoldenFiles.MODEL));
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("grpo4j.model", "TransformerPolicy");
        metadata.put("transformer.vocabularySize", "5");
        metadata.put("transformer.contextLength", "6");
        metadata.put("transformer.layers", "1");
        metadata.put("transformer.heads", "2");
        metadata.put("transformer.modelWidth", "4");
        metadata.put("transformer.ffWidth", "8");
        metadata.put("transformer.activation", "GELU");
        metadata.put("transformer.dataType", "FLOAT");
        assertEquals(List.copyOf(metadata.entrySet()), List.copyOf(file.metadata().entrySet()));

        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("tokenEmbedding", new long[] {5, 4});
        shapes.put("positionEmbedding", new long[] {6, 4});
        shapes.put("block0.ln1.gain", new long[] {4});
        shapes.put("block0.ln1.bias", new long[] {4});
        shapes.put("block0.attention.wqkv", new long[] {4, 12});
        shapes.put("block0.attention.wo", new long[] {4, 4});
        shapes.put("block0.ln2.gain", new long[] {4});
        shapes.put("block0.ln2.bias", new long[] {4});
        shapes.put("block0.mlp.w1", new long[] {4, 8});
        shapes.put("block0.mlp.w2", new long[] {8, 4});
        shapes.put("final.gain", new long[] {4});
        shapes.put("final.bias", new long[] {4});
        shapes.put("head", new long[] {4, 5});
        assertEquals(new ArrayList<>(shapes.keySet()), new ArrayList<>(file.tensors().keySet()));
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            assertArrayEquals(e.getValue(), file.tensors().get(e.getKey()).shape(), e.getKey());
            assertEquals(DataType.FLOAT, file.tensors().get(e.getKey()).dataType(), e.getKey());
        }

        TransformerPolicy model = TransformerPolicy.load(golden(GoldenFiles.MODEL));
        assertEquals(GoldenFiles.tinyConfig(), model.config());
        assertEquals(new ArrayList<>(shapes.keySet()), model.parameters().stream().map(Parameter::name).toList());
    }

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void theModelFileHoldsTheWeightsRegeneratedFromTheSeed() throws Exception {
        TransformerPolicy loaded = TransformerPolicy.load(golden(GoldenFiles.MODEL));
        List<Parameter> expected = GoldenFiles.tinyModel().parameters();
        List<Parameter> actual = loaded.parameters();
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertSameTensor(expected.get(i).name(), expected.get(i).value(), actual.get(i).value());
            assertEquals(0.0, actual.get(i).gradient().norm2Number().doubleValue(), "loaded gradients are zero");
        }
    }

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void theLoadedModelScoresTheStoredBatchAsWhenItWasSaved() throws Exception {
        TensorArchive stored = TensorArchive.read(golden(GoldenFiles.MODEL_EXPECTED));
        SequenceBatch batch = new SequenceBatch(GoldenFiles.unpadded(stored.tensors().get("prompts")),
                GoldenFiles.unpadded(stored.tensors().get("completions")));
        SequenceBatch fixed = GoldenFiles.fixedBatch();
        for (int i = 0; i < fixed.size(); i++) {
            assertArrayEquals(fixed.prompts().get(i), batch.prompts().get(i), "stored prompt " + i);
            assertArrayEquals(fixed.completions().get(i), batch.completions().get(i), "stored completion " + i);
        }
        double[][] storedLogProbs = stored.tensors().get("logProbs").toDoubleMatrix();
        double lowest = 0;
        for (double[] row : storedLogProbs) {
            for (double v : row) {
                lowest = Math.min(lowest, v);
            }
        }
        assertTrue(lowest < -3, "the stored log-probabilities are far from uniform (log 1/5 = -1.61), so a wrong "
                + "weight shows; lowest was " + lowest);

        PolicyForward loaded = TransformerPolicy.load(golden(GoldenFiles.MODEL)).forward(batch);
        assertClose("logProbs", storedLogProbs, loaded.logProbs().toDoubleMatrix(), MODEL_TOLERANCE);
        assertClose("entropies", stored.tensors().get("entropies").toDoubleMatrix(),
                loaded.entropies().toDoubleMatrix(), MODEL_TOLERANCE);
        PolicyForward regenerated = GoldenFiles.tinyModel().forward(batch);
        assertArrayEquals(bits(regenerated.logProbs()), bits(loaded.logProbs()),
                "on one machine the loaded and the regenerated model compute the same bits");
    }

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void savingTheRegeneratedModelGivesTheGoldenBytes(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("model.grpo4j");
        GoldenFiles.tinyModel().save(file);
        assertArrayEquals(Files.readAllBytes(golden(GoldenFiles.MODEL)), Files.readAllBytes(file),
                "TransformerPolicy.save no longer writes the golden model's bytes; see docs/formats.md");
    }

    // ---------------------------------------------------------------------------------------------------------
    // (c) a trainer checkpoint

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void theCheckpointHoldsTheDocumentedEntries() throws Exception {
        TensorArchive c = TensorArchive.read(golden(GoldenFiles.CHECKPOINT));
        assertEquals(List.of("format", "version", "step", "seed", "config", "optimizer.step"),
                new ArrayList<>(c.metadata().keySet()));
        assertEquals(GrpoTrainer.CHECKPOINT_FORMAT, c.metadata().get("format"));
        assertEquals("grpo4j-checkpoint", c.metadata().get("format"));
        assertEquals("1", c.metadata().get("version"));
        assertEquals(Integer.toString(GoldenFiles.CHECKPOINT_STEP), c.metadata().get("step"));
        assertEquals("42", c.metadata().get("seed"));
        assertTrue(c.metadata().get("config").startsWith("TrainerConfig["), c.metadata().get("config"));
        var run = GoldenFiles.checkpointRun();
        long updates = (long) GoldenFiles.CHECKPOINT_STEP * run.iterationsPerBatch()
                * (run.promptsPerStep() / run.groupsPerMiniBatch());
        assertEquals(8, updates);
        assertEquals(Long.toString(updates), c.metadata().get("optimizer.step"));
        assertEquals(List.of("policy/logits", "reference/logits", "optimizer/m/logits", "optimizer/v/logits"),
                new ArrayList<>(c.tensors().keySet()));
        for (INDArray t : c.tensors().values()) {
            assertEquals(DataType.DOUBLE, t.dataType());
            assertArrayEquals(new long[] {3, 4}, t.shape());
        }
        double[][] policy = c.tensors().get("policy/logits").toDoubleMatrix();
        double[][] base = GoldenFiles.checkpointBase().logitTable();
        assertTrue(maxAbsDifference(policy, base) > 0.01, "the checkpoint is of a policy that has trained");
        assertEquals(Double.NEGATIVE_INFINITY, policy[2][2], "an output outside the support stays at -inf");
    }

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void restoringTheCheckpointRestoresEveryPieceOfState(@TempDir Path dir) throws Exception {
        TensorArchive golden = TensorArchive.read(golden(GoldenFiles.CHECKPOINT));
        Path again = dir.resolve("again.grpo4j");
        try (GrpoTrainer trainer = GoldenFiles.checkpointTrainer()) {
            trainer.restore(golden(GoldenFiles.CHECKPOINT));
            assertEquals(GoldenFiles.CHECKPOINT_STEP, trainer.completedSteps());
            assertSameTensor("policy", golden.tensors().get("policy/logits"),
                    trainer.policy().parameters().get(0).value());
            assertSameTensor("reference", golden.tensors().get("reference/logits"),
                    trainer.reference().parameters().get(0).value());
            trainer.saveCheckpoint(again);                  // writes what the trainer now holds, optimiser included
        }
        TensorArchive rewritten = TensorArchive.read(again);
        Map<String, String> goldenMeta = new LinkedHashMap<>(golden.metadata());
        Map<String, String> rewrittenMeta = new LinkedHashMap<>(rewritten.metadata());
        goldenMeta.remove("config");                        // restore compared it field by field; its text
        rewrittenMeta.remove("config");                     // changes with the toString of TrainerConfig's parts
        // the golden file predates the recorded thread count; a checkpoint written now carries it
        assertEquals(Integer.toString(org.grpo4j.train.ComputeThreads.current()), rewrittenMeta.remove("threads"));
        assertEquals(goldenMeta, rewrittenMeta);
        assertSameArchive(new TensorArchive(Map.of(), golden.tensors()), new TensorArchive(Map.of(),
                rewritten.tensors()));
    }

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void theRestoredCheckpointTrainsOnLikeARegeneratedOneAndAnUninterruptedRun(@TempDir Path dir)
            throws Exception {
        double[][] fromGolden = continueFrom(golden(GoldenFiles.CHECKPOINT));

        Path regenerated = dir.resolve("checkpoint-000002.grpo4j");
        GoldenFiles.writeCheckpoint(regenerated);
        TensorArchive now = TensorArchive.read(regenerated);
        TensorArchive then = TensorArchive.read(golden(GoldenFiles.CHECKPOINT));
        for (String name : then.tensors().keySet()) {
            assertClose(name + " (regenerated vs golden)", then.tensors().get(name).toDoubleMatrix(),
                    now.tensors().get(name).toDoubleMatrix(), CHECKPOINT_TOLERANCE);
        }
        double[][] fromRegenerated = continueFrom(regenerated);

        TabularPolicy policy = GoldenFiles.checkpointBase();
        try (GrpoTrainer uninterrupted = new GrpoTrainer(GoldenFiles.checkpointRun(), policy,
                GoldenFiles.verifier(), GoldenFiles.prompts())) {
            uninterrupted.train();
        }
        double[][] straight = policy.logitTable();

        assertArrayEquals(straight, fromRegenerated, "a regenerated checkpoint resumes bit for bit");
        assertClose("continued from the golden checkpoint", straight, fromGolden, CHECKPOINT_TOLERANCE);
        assertTrue(maxAbsDifference(straight, then.tensors().get("policy/logits").toDoubleMatrix()) > 0.01,
                "steps 3 and 4 changed the policy");
    }

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void withoutItsOptimiserStateTheCheckpointWouldTrainOnDifferently(@TempDir Path dir) throws Exception {
        TensorArchive golden = TensorArchive.read(golden(GoldenFiles.CHECKPOINT));
        Map<String, String> metadata = new LinkedHashMap<>(golden.metadata());
        metadata.put("optimizer.step", "0");
        Map<String, INDArray> tensors = new LinkedHashMap<>(golden.tensors());
        tensors.keySet().removeIf(k -> k.startsWith("optimizer/"));
        Path stripped = dir.resolve("stripped.grpo4j");
        TensorArchive.write(stripped, metadata, tensors);
        double[][] withState = continueFrom(golden(GoldenFiles.CHECKPOINT));
        double[][] withoutState = continueFrom(stripped);
        assertTrue(maxAbsDifference(withState, withoutState) > 1e3 * CHECKPOINT_TOLERANCE,
                "the optimiser state matters far beyond the tolerance, so the resume comparison has teeth; "
                        + "difference was " + maxAbsDifference(withState, withoutState));
    }

    /** Restores a fresh trainer from {@code checkpoint}, trains to the end and returns the policy's logits. */
    private static double[][] continueFrom(Path checkpoint) {
        TabularPolicy policy = GoldenFiles.checkpointBase();
        try (GrpoTrainer trainer = new GrpoTrainer(GoldenFiles.checkpointRun(), policy, GoldenFiles.verifier(),
                GoldenFiles.prompts())) {
            trainer.restore(checkpoint);
            assertEquals(GoldenFiles.checkpointRun().steps() - GoldenFiles.CHECKPOINT_STEP, trainer.train().size());
        }
        return policy.logitTable();
    }

    @Test
    @DisabledIfSystemProperty(named = REGENERATE, matches = "true")
    void theGoldenFilesStaySmall() throws Exception {
        for (String name : List.of(GoldenFiles.EVERY_DTYPE, GoldenFiles.MODEL, GoldenFiles.MODEL_EXPECTED,
                GoldenFiles.CHECKPOINT)) {
            long size = Files.size(golden(name));
            assertTrue(size < 8 * 1024, name + " is " + size + " bytes");
        }
    }
}
