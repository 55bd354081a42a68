package org.grpo4j.bench.train;

import java.util.List;
import java.util.SplittableRandom;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.SamplingConfig;
import org.grpo4j.optim.OptimizerConfig;
import org.grpo4j.tasks.ExactMatchVerifier;
import org.grpo4j.tasks.PretrainThenGrpoConfig;
import org.grpo4j.tasks.alchemy.AlchemyStudies;
import org.grpo4j.tasks.study.DatasetSizes;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.tasks.study.StudyDataset;
import org.grpo4j.train.TrainerConfig;
import org.grpo4j.transformer.MlpActivation;
import org.grpo4j.transformer.PositionEncoding;
import org.grpo4j.transformer.TransformerConfig;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The two model and batch sizes the training-step benchmarks run at.
 * <ul>
 *   <li>{@link #DEMO}: {@link PretrainThenGrpoConfig#defaults()}, a 17.5k-parameter 2-layer transformer reversing
 *       strings; 32 sequences per pretraining step, 8 prompts × G = 8 per GRPO step.</li>
 *   <li>{@link #STUDY}: the paper's studies (issue 8's size): 4 layers, width 64, 4 heads, GELU MLP of width 256,
 *       on the DataAlchemy depth task (ID k ∈ {1, 2}, chain of thought); 256 sequences per pretraining step and
 *       32 prompts × G = 8 = 256 completions per GRPO step, β = 0.04 (so the reference pass runs).</li>
 * </ul>
 */
public enum StepSize {
    /** The demo's size. */
    DEMO,
    /** The studies' size. */
    STUDY;

    /** Sequences per pretraining step at {@link #STUDY}. */
    static final int STUDY_BATCH = 256;

    /**
     * Builds the data, the model's configuration and the trainer's configuration of this size.
     *
     * @param seed the data's and the trainer's seed
     * @return the fixture
     */
    public StepFixture fixture(long seed) {
        return switch (this) {
            case DEMO -> {
                PretrainThenGrpoConfig c = PretrainThenGrpoConfig.defaults();
                List<Prompt> data = c.tasks().sample(c.task(), c.pretrainPrompts(), new SplittableRandom(seed));
                yield new StepFixture(c.model(), data, data, c.pretrainBatch(), c.pretrainOptimizer(), c.grpo(),
                        new ExactMatchVerifier());
            }
            case STUDY -> {
                StudyDataset d = new AlchemyStudies().dataset(StudyAxis.DEPTH, 0.0, new DatasetSizes(4096, 256, 16),
                        seed);
                TransformerConfig model = TransformerConfig.builder().vocabularySize(d.vocabularySize())
                        .contextLength(d.contextLength()).layers(4).heads(4).modelWidth(64).ffWidth(256)
                        .activation(MlpActivation.GELU).dataType(DataType.FLOAT)
                        .positionEncoding(PositionEncoding.LEARNED).build();
                SamplingConfig sampling = SamplingConfig.defaults().withEosToken(d.eosToken())
                        .withMaxNewTokens(d.maxNewTokens());
                TrainerConfig trainer = TrainerConfig.builder()
                        .grpo(org.grpo4j.GrpoConfig.defaults().toBuilder().groupSize(8).beta(0.04)
                                .maxCompletionLength(d.maxNewTokens()).build())
                        .sampling(sampling).optimizer(OptimizerConfig.defaults().toBuilder().learningRate(3e-4).build())
                        .promptsPerStep(32).steps(1_000_000).seed(seed).build();
                RewardVerifier verifier = d.outcomeVerifier();
                yield new StepFixture(model, d.pretraining(), d.idGrpoPrompts(), STUDY_BATCH,
                        OptimizerConfig.defaults().toBuilder().learningRate(3e-3).build(), trainer, verifier);
            }
        };
    }
}
