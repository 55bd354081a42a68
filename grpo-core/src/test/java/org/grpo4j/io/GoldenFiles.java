package org.grpo4j.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Parameter;
import org.grpo4j.PolicyForward;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SequenceBatch;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.train.TrainerConfig;
import org.grpo4j.transformer.MlpActivation;
import org.grpo4j.transformer.TransformerConfig;
import org.grpo4j.transformer.TransformerPolicy;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The content of the golden files under {@code src/test/resources/golden/} and how they were made. Everything here
 * is exact and machine-independent except what a model computes (log-probabilities, training updates), which the
 * golden files store and the tests compare with a tolerance. {@link #writeAll(Path)} rewrites the files; it runs
 * only from {@code GoldenFilesTest.regenerate} under {@code -Dgrpo4j.regenerateGolden=true} (see docs/formats.md).
 */
final class GoldenFiles {
    /** The classpath folder of the golden files. */
    static final String RESOURCES = "/golden/";
    /** (a) A tensor archive with every data type: known constants. */
    static final String EVERY_DTYPE = "every-dtype.grpo4j";
    /** (b) A tiny transformer written by {@link TransformerPolicy#save}. */
    static final String MODEL = "transformer-tiny.grpo4j";
    /** (b) A fixed batch and the model's log-probabilities and entropies on it when the model was saved. */
    static final String MODEL_EXPECTED = "transformer-tiny-expected.grpo4j";
    /** (c) A {@link GrpoTrainer} checkpoint after {@link #CHECKPOINT_STEP} steps of {@link #checkpointRun()}. */
    static final String CHECKPOINT = "checkpoint-tabular-000002.grpo4j";
    /** The step after which the checkpoint was written. */
    static final int CHECKPOINT_STEP = 2;

    private static final long MODEL_SEED = 20_250_601L;

    private GoldenFiles() {
    }

    // ---------------------------------------------------------------------------------------------------------
    // (a) every data type

    /**
     * Every stored data type at ranks 0 to 4, empty tensors, special values (±0, ±∞, NaN, subnormals, extremes)
     * and non-ASCII metadata; all constants, so equal on every machine.
     *
     * @return the archive
     */
    static TensorArchive everyDtype() {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("purpose", "golden file: every dtype of tensor archive version 1");
        metadata.put("unicode ключ", "värde ✓ 😀");
        metadata.put("empty", "");
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("f32/scalar", Nd4j.createFromArray(1.5f).reshape());
        t.put("f32/special", Nd4j.createFromArray(-0f, Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
                Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 0.1f));
        t.put("f32/matrix", Nd4j.createFromArray(new float[][] {{1, 2, 3}, {4, 5, 6}}));
        t.put("f32/empty", Nd4j.create(DataType.FLOAT, 0));
        t.put("f64/scalar", Nd4j.createFromArray(Math.PI).reshape());
        t.put("f64/special", Nd4j.createFromArray(-0.0, Double.MIN_VALUE, Double.MAX_VALUE,
                Double.POSITIVE_INFINITY, Double.NaN, 0.1));
        t.put("f64/cube", Nd4j.createFromArray(-1, -0.75, -0.5, -0.25, 0, 0.25, 0.5, 0.75).reshape('c', 2, 2, 2));
        t.put("f64/empty", Nd4j.create(DataType.DOUBLE, 2, 0, 3));
        t.put("i32/scalar", Nd4j.createFromArray(-7).reshape());
        t.put("i32/vector", Nd4j.createFromArray(Integer.MIN_VALUE, -1, 0, 1, Integer.MAX_VALUE));
        t.put("i32/matrix", Nd4j.createFromArray(new int[][] {{1, 2}, {3, 4}, {5, 6}}));
        t.put("i32/empty", Nd4j.create(DataType.INT32, 0, 0));
        t.put("i64/scalar", Nd4j.createFromArray(Long.MIN_VALUE).reshape());
        t.put("i64/vector", Nd4j.createFromArray(Long.MIN_VALUE, -1L, 0L, 1L, 1L << 40, Long.MAX_VALUE));
        t.put("i64/rank4", Nd4j.createFromArray(10L, 11L, 12L, 13L).reshape('c', 1, 2, 1, 2));
        t.put("i64/empty", Nd4j.create(DataType.INT64, 0));
        return new TensorArchive(metadata, t);
    }

    // ---------------------------------------------------------------------------------------------------------
    // (b) a saved transformer

    /** @return vocabulary 5, context 6, 1 layer, 2 heads, width 4, feed-forward 8, GELU, FLOAT */
    static TransformerConfig tinyConfig() {
        return TransformerConfig.builder().vocabularySize(5).contextLength(6).layers(1).heads(2).modelWidth(4)
                .ffWidth(8).activation(MlpActivation.GELU).dataType(DataType.FLOAT).build();
    }

    /**
     * The golden model: {@link #tinyConfig()} with every parameter drawn as k/1000 (gains 1 + k/1000 · ¼) for
     * integers k uniform in [−1000, 1000] from a seeded generator, parameter by parameter in order, row-major.
     * Only integer draws and correctly rounded float operations are involved, so every machine regenerates the
     * same bits; the weights are larger than the GPT-2 initialisation so the logits are far from uniform.
     *
     * @return the model
     */
    static TransformerPolicy tinyModel() {
        TransformerPolicy model = TransformerPolicy.initialize(tinyConfig(), new SplittableRandom(MODEL_SEED));
        SplittableRandom rng = new SplittableRandom(MODEL_SEED);
        for (Parameter p : model.parameters()) {
            boolean gain = p.name().endsWith(".gain");
            float[] v = new float[(int) p.value().length()];
            for (int i = 0; i < v.length; i++) {
                float u = (rng.nextInt(2001) - 1000) / 1000f;
                v[i] = gain ? 1f + u * 0.25f : u;
            }
            p.value().assign(Nd4j.createFromArray(v).reshape('c', p.value().shape()));
        }
        return model;
    }

    /** @return four sequences of different prompt and completion lengths, the longest filling the context */
    static SequenceBatch fixedBatch() {
        return new SequenceBatch(
                List.of(new int[] {0, 1}, new int[] {2}, new int[] {3, 4, 1}, new int[] {4}),
                List.of(new int[] {2, 3, 0}, new int[] {1, 1, 4, 1, 1}, new int[] {0}, new int[] {3, 2}));
    }

    /**
     * The companion of the model file: the batch (token ids right-padded with −1) and what the model computes on
     * it.
     *
     * @param model the model
     * @return tensors {@code prompts} INT32 [N, P], {@code completions} INT32 [N, T], {@code logProbs} and
     *         {@code entropies} FLOAT32 [N, T]
     */
    static TensorArchive modelExpected(TransformerPolicy model) {
        SequenceBatch batch = fixedBatch();
        PolicyForward forward = model.forward(batch);
        Map<String, INDArray> t = new LinkedHashMap<>();
        t.put("prompts", padded(batch.prompts()));
        t.put("completions", padded(batch.completions()));
        t.put("logProbs", forward.logProbs().dup());
        t.put("entropies", forward.entropies().dup());
        return new TensorArchive(Map.of("purpose", "expected values of " + MODEL + " on a fixed batch"), t);
    }

    /**
     * @param padded INT32 [N, L] rows right-padded with −1
     * @return the rows without their padding
     */
    static List<int[]> unpadded(INDArray padded) {
        List<int[]> rows = new ArrayList<>();
        for (int[] row : padded.toIntMatrix()) {
            int n = 0;
            while (n < row.length && row[n] >= 0) {
                n++;
            }
            rows.add(Arrays.copyOf(row, n));
        }
        return rows;
    }

    private static INDArray padded(List<int[]> rows) {
        int width = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[][] out = new int[rows.size()][width];
        for (int i = 0; i < out.length; i++) {
            Arrays.fill(out[i], -1);
            System.arraycopy(rows.get(i), 0, out[i], 0, rows.get(i).length);
        }
        return Nd4j.createFromArray(out);
    }

    // ---------------------------------------------------------------------------------------------------------
    // (c) a trainer checkpoint

    /** @return three one-token prompts */
    static List<Prompt> prompts() {
        return List.of(Prompt.of("a", 0), Prompt.of("b", 1), Prompt.of("c", 2));
    }

    /** @return output 0 scores 1, output 1 scores 0.5, the rest 0 */
    static RewardVerifier verifier() {
        return (p, c) -> c[0] == 0 ? 1 : c[0] == 1 ? 0.5 : 0;
    }

    /** @return the starting policy: a DOUBLE table of 3 prompts × 4 outputs */
    static TabularPolicy checkpointBase() {
        return TabularPolicy.ofProbabilities(new double[] {0.1, 0.2, 0.3, 0.4},
                new double[] {0.25, 0.25, 0.25, 0.25}, new double[] {0.05, 0.15, 0.0, 0.8});
    }

    /**
     * A 4-step run with every piece of checkpointed state in use: a KL reference (β = 0.1) that is synced every
     * 2 steps, μ = 2 iterations over 2 mini-batches (4 optimiser steps per step), dynamic sampling; no automatic
     * checkpoints (the test writes one with {@link GrpoTrainer#saveCheckpoint}).
     *
     * @return the config
     */
    static TrainerConfig checkpointRun() {
        return TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().groupSize(4).beta(0.1).build())
                .optimizer(OptimizerConfig.defaults().toBuilder().learningRate(0.05).build())
                .promptsPerStep(2).groupsPerMiniBatch(1).iterationsPerBatch(2).dynamicSampling(true)
                .refSyncEvery(2).refSyncAlpha(0.5).steps(4).seed(42).build();
    }

    /** @return a fresh trainer of {@link #checkpointRun()} on a fresh {@link #checkpointBase()} */
    static GrpoTrainer checkpointTrainer() {
        return new GrpoTrainer(checkpointRun(), checkpointBase(), verifier(), prompts());
    }

    /**
     * Runs {@link #CHECKPOINT_STEP} steps of a fresh trainer and writes its checkpoint.
     *
     * @param file where to write it
     */
    static void writeCheckpoint(Path file) {
        try (GrpoTrainer trainer = checkpointTrainer()) {
            for (int i = 0; i < CHECKPOINT_STEP; i++) {
                trainer.step();
            }
            trainer.saveCheckpoint(file);
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Writes all golden files.
     *
     * @param dir the folder (normally {@link #sourceFolder()})
     * @throws IOException if a file cannot be written
     */
    static void writeAll(Path dir) throws IOException {
        everyDtype().writeTo(dir.resolve(EVERY_DTYPE));
        TransformerPolicy model = tinyModel();
        model.save(dir.resolve(MODEL));
        modelExpected(model).writeTo(dir.resolve(MODEL_EXPECTED));
        writeCheckpoint(dir.resolve(CHECKPOINT));
    }

    /**
     * @return {@code src/test/resources/golden} of this module (Maven runs tests in the module's folder)
     * @throws IOException if that folder does not exist
     */
    static Path sourceFolder() throws IOException {
        Path module = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
        Path dir = module.resolve("src/test/resources/golden").toAbsolutePath();
        if (!Files.isDirectory(dir)) {
            throw new IOException("no golden folder at " + dir + "; run the tests from the grpo-core module");
        }
        return dir;
    }
}
