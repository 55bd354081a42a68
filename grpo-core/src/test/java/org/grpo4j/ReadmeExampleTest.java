package org.grpo4j;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grpo4j.objective.Nd4jGrpoObjective;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The README's example "Score a group and compute the GRPO loss", verbatim (so it is compiled with the tests), with
 * its claims checked; {@link #theReadmeSnippetIsTheOneCompiledHere()} fails when README.md and this file drift
 * apart.
 */
class ReadmeExampleTest {

    private static final String BEGIN = "// ---- README snippet begins";
    private static final String END = "// ---- README snippet ends";

    @Test
    void scoresAGroupAndComputesTheLoss() throws Exception {
        // ---- README snippet begins
        RewardVerifier endsWithSeven = (prompt, completion) ->
                completion.length > 0 && completion[completion.length - 1] == 7 ? 1.0 : 0.0;

        Prompt prompt = Prompt.of("p0", 1, 2, 3);
        List<int[]> group = List.of(new int[] {4, 7}, new int[] {5, 6}, new int[] {7, 0}, new int[] {6, 6});
        double[] rewards = new double[group.size()];
        for (int i = 0; i < rewards.length; i++) {
            rewards[i] = endsWithSeven.score(prompt, group.get(i));            // 1, 0, 0, 0
        }
        // per-token log-probabilities [4 sequences, 2 tokens] under the current, sampling and reference policies
        INDArray logpNew = Nd4j.createFromArray(new float[][] {{-0.2f, -0.4f}, {-1.1f, -0.7f}, {-0.3f, -2.0f}, {-0.9f, -1.3f}});
        INDArray logpOld = logpNew.add(0.05);
        INDArray logpRef = logpNew.sub(0.1);
        INDArray mask = Nd4j.ones(DataType.FLOAT, 4, 2);

        GrpoConfig config = GrpoConfig.builder().groupSize(4).build();       // GRPO: group-std advantages, k3 KL, β = 0.04
        ObjectiveResult result = Nd4jGrpoObjective.create().evaluate(
                ObjectiveInput.of(Nd4j.createFromArray(rewards), logpNew, logpOld, logpRef, mask), config);

        result.loss();          // scalar loss to minimise
        result.gradient();      // dLoss/dlogp_new, [4, 2] — hand it to PolicyForward.backward
        result.advantages();    // [4]: 1.5, -0.5, -0.5, -0.5 (up to the 1e-4 epsilon)
        result.metrics();       // clip fractions, KL, ratio, reward statistics
        // ---- README snippet ends

        assertArrayEquals(new double[] {1, 0, 0, 0}, rewards);
        // std_{n-1}(1,0,0,0) = 0.5, so A = (r - 0.25) / (0.5 + 1e-4) ≈ (1.5, -0.5, -0.5, -0.5)
        double s = 0.5 + 1e-4;
        double[] a = {0.75 / s, -0.25 / s, -0.25 / s, -0.25 / s};
        assertArrayEquals(a, result.advantages().toDoubleVector(), 1e-6);
        // every ratio is exp(-0.05), inside [0.8, 1.2]: nothing is clipped; d = logp_ref - logp_new = -0.1
        double rho = Math.exp(-0.05);
        double k3 = Math.expm1(-0.1) + 0.1;
        assertEquals(0, result.metrics().clipFractionRegion());
        assertEquals(rho, result.metrics().meanRatio(), 1e-6);
        assertEquals(k3, result.metrics().meanKl(), 1e-6);
        // weights 1/(L·N') = 1/8; the advantages sum to 0, so the policy part is 0 and the loss is β·k3
        assertEquals(0.04 * k3, result.loss(), 1e-6);
        // dLoss/dlogp_new = (1/8)(-ρ A_i + β (1 - e^d))
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 2; j++) {
                assertEquals((-rho * a[i] - 0.04 * Math.expm1(-0.1)) / 8, result.gradient().getDouble(i, j), 1e-6,
                        "gradient[" + i + ", " + j + "]");
            }
        }
        assertArrayEquals(new long[] {4, 2}, result.gradient().shape());
    }

    /**
     * The first Java block under "Score a group and compute the GRPO loss" in README.md, line by line (leading and
     * trailing blanks ignored), is the block between the markers in {@link #scoresAGroupAndComputesTheLoss()}.
     *
     * @throws IOException if README.md or this source file cannot be read
     */
    @Test
    void theReadmeSnippetIsTheOneCompiledHere() throws IOException {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        String readme = Files.readString(module.getParent().resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("## Score a group and compute the GRPO loss.*?```java\\n(.*?)```", Pattern.DOTALL)
                .matcher(readme);
        assertTrue(m.find(), "README.md has no Java block under 'Score a group and compute the GRPO loss'");
        String source = Files.readString(module.resolve("src/test/java/org/grpo4j/ReadmeExampleTest.java"),
                StandardCharsets.UTF_8);
        int from = source.lastIndexOf(BEGIN);
        int to = source.lastIndexOf(END);
        assertTrue(from > 0 && to > from, "snippet markers not found in ReadmeExampleTest.java");
        String compiled = source.substring(source.indexOf('\n', from) + 1, source.lastIndexOf('\n', to));
        List<String> inReadme = lines(m.group(1));
        List<String> here = lines(compiled);
        for (int k = 0; k < Math.min(inReadme.size(), here.size()); k++) {
            assertEquals(inReadme.get(k), here.get(k), "line " + (k + 1) + " of README.md's example differs from the "
                    + "one compiled in ReadmeExampleTest");
        }
        assertEquals(inReadme.size(), here.size(), "README.md's example and ReadmeExampleTest's copy differ in length");
    }

    /**
     * {@code .ci/run} runs exactly the command README.md gives for running the tests, and stops on failure.
     *
     * @throws IOException if README.md or .ci/run cannot be read
     */
    @Test
    void ciRunsTheReadmeTestCommand() throws IOException {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
        String readme = Files.readString(root.resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("Run the tests[^\\n]*\\n\\s*\\n {4}(\\S[^\\n]*)\\n").matcher(readme);
        assertTrue(m.find(), "README.md has no indented command after 'Run the tests'");
        String command = m.group(1).strip();
        List<String> ci = new ArrayList<>();
        for (String line : Files.readAllLines(root.resolve(".ci/run"), StandardCharsets.UTF_8)) {
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                ci.add(line.strip());
            }
        }
        assertTrue(ci.contains("set -euo pipefail"), ".ci/run must stop on the first failing command: " + ci);
        assertEquals(command, ci.get(ci.size() - 1), ".ci/run's last command must be README's test command");
    }

    private static List<String> lines(String block) {
        List<String> out = new ArrayList<>();
        for (String line : block.split("\\R")) {
            if (!line.isBlank()) {
                out.add(line.strip());
            }
        }
        return out;
    }
}
