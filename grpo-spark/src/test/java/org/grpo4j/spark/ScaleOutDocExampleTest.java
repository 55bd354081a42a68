package org.grpo4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.api.java.JavaSparkContext;
import org.grpo4j.GroupSampler;
import org.grpo4j.GrpoConfig;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.objective.FusedGrpoObjective;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.train.TrainerConfig;
import org.grpo4j.transformer.TransformerPolicy;
import org.junit.jupiter.api.Test;

/**
 * The Spark snippet of README.md ("Scale out on Spark") and docs/scale-out.md ("The one-line switch"), verbatim
 * between the markers below, compiled and run in {@code local[2]} so it cannot rot.
 */
class ScaleOutDocExampleTest {
    private static final String BEGIN = "// ---- scale-out snippet begins";
    private static final String END = "// ---- scale-out snippet ends";

    @Test
    void theSnippetRunsAndIsTheOneInBothDocuments() throws IOException {
        String master = "local[2]";
        TrainerConfig config = TrainerConfig.builder().grpo(GrpoConfig.defaults().toBuilder().groupSize(4).build())
                .sampling(Fixtures.SAMPLING).promptsPerStep(4).steps(2).seed(3).build();
        TransformerPolicy policy = Fixtures.transformer(4);
        List<Prompt> prompts = Fixtures.prompts(6, 5);
        RewardVerifier verifier = new Fixtures.TargetCount();
        VerifierFactory verifierFactory = () -> new Fixtures.TargetCount();
        System.setProperty("spark.driver.host", "127.0.0.1");
        System.setProperty("spark.driver.bindAddress", "127.0.0.1");
        try {
            // ---- scale-out snippet begins
            JavaSparkContext spark = new JavaSparkContext(SparkSetup.conf(master, Path.of("target/spark")));
            GroupSampler sampler = SparkGroupSampler.of(spark, PolicyCodec.transformer(), verifierFactory, config.verifiers());
            // GroupSampler sampler = new KeyedGroupSampler();            // the same run, on this machine
            try (GrpoTrainer trainer = new GrpoTrainer(config, policy, verifier, prompts, FusedGrpoObjective.create(), sampler)) {
                trainer.train();
            }
            spark.stop();
            // ---- scale-out snippet ends
        } finally {
            System.clearProperty("spark.driver.host");
            System.clearProperty("spark.driver.bindAddress");
        }

        String source = Files.readString(Path.of("src/test/java/org/grpo4j/spark/ScaleOutDocExampleTest.java"),
                StandardCharsets.UTF_8);
        String body = source.substring(source.indexOf(BEGIN + "\n") + BEGIN.length() + 1,
                source.indexOf(END + "\n"));
        StringBuilder snippet = new StringBuilder();
        for (String line : body.lines().toList()) {
            String code = line.length() > 12 ? line.substring(12) : line.strip();
            if (!code.startsWith(END)) {
                snippet.append(code).append('\n');
            }
        }
        String block = "```java\n" + snippet.toString().strip() + "\n```";
        for (Path doc : List.of(Path.of("..", "README.md"), Path.of("..", "docs", "scale-out.md"))) {
            String text = Files.readString(doc, StandardCharsets.UTF_8);
            assertTrue(text.contains(block), doc + " holds the snippet:\n" + block);
        }
        assertEquals(2, config.steps());
    }
}
