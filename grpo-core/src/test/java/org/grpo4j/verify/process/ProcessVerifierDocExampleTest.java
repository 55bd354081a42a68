package org.grpo4j.verify.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.verify.VerifierConfig;
import org.grpo4j.verify.VerifierRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sh reward script and the config snippet of docs/training.md ("Out-of-process verifiers"), run as written. */
class ProcessVerifierDocExampleTest {

    /** The first {@code ```sh} block of docs/training.md, found from the module or the repository root. */
    private static String docScript() throws Exception {
        Path doc = Path.of("..", "docs", "training.md");
        if (!Files.exists(doc)) {
            doc = Path.of("docs", "training.md");
        }
        String text = Files.readString(doc);
        int start = text.indexOf("```sh\n");
        assertTrue(start >= 0, "docs/training.md has a ```sh block");
        int end = text.indexOf("```", start + 6);
        return text.substring(start + 6, end);
    }

    @Test
    void theGuidesScriptRewardsCompletionsEqualToTheTarget(@TempDir Path root) throws Exception {
        Path verifiers = Files.createDirectory(root.resolve("verifiers"));
        Files.writeString(verifiers.resolve("score.sh"), docScript());
        ProcessVerifierConfig command = ProcessVerifierConfig.builder(List.of("/bin/sh", "score.sh"), verifiers)
                .name("exact")
                .timeLimit(Duration.ofSeconds(5))
                .batchSize(64)
                .environment("LC_ALL", "C")
                .build();
        RewardVerifier verifier = ProcessVerifier.of(command);
        Prompt p = new Prompt("p7", new int[] {1, 2}, new int[] {3, 10});
        Prompt empty = Prompt.of("q", 4);
        try (VerifierRunner runner = new VerifierRunner(verifier, VerifierConfig.defaults())) {
            double[] r = runner.score(List.of(p, p, p, empty, empty),
                    List.of(new int[] {3, 10}, new int[] {3, 1}, new int[] {3, 10, 0}, new int[0], new int[] {4}))
                    .total();
            assertArrayEquals(new double[] {1, 0, 0, 1, 0}, r, 0);
        }
    }
}
