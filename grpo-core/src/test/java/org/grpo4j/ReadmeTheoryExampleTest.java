package org.grpo4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grpo4j.policy.TabularPolicy;
import org.grpo4j.testing.GrpoObjectiveLaws;
import org.grpo4j.testing.ReweightingContract;
import org.grpo4j.theory.BinaryRewardBound;
import org.grpo4j.theory.FixedPoints;
import org.grpo4j.theory.PromptSupport;
import org.grpo4j.theory.SupportDiagnostic;
import org.grpo4j.theory.SupportDiagnosticConfig;
import org.junit.jupiter.api.Test;

/**
 * README's section "Check GRPO's theory, on your own objective too": its Java snippet, verbatim, with the values its
 * comments state, and its suite class ({@link ReadmeSuiteExample}).
 */
class ReadmeTheoryExampleTest {
    private static final String BEGIN = "// ---- README theory snippet begins";
    private static final String END = "// ---- README theory snippet ends";

    @Test
    void theTheorySnippetRunsAndItsCommentsHold() {
        TabularPolicy policy = TabularPolicy.ofProbabilities(new double[] {0.1, 0.9}, new double[] {0.0, 1.0});
        RewardVerifier verifier = (p, c) -> c[0] == 0 ? 1 : 0;
        List<Prompt> prompts = List.of(Prompt.of("Q=0.1", 0), Prompt.of("Q=0", 1));
        SamplingConfig sampling = SamplingConfig.defaults().withMaxNewTokens(1);
        // ---- README theory snippet begins
        double ceiling = BinaryRewardBound.ceiling(0.1, 0.5);                     // 0.4509: the paper's bound at Q = 0.1, β = 0.5
        double grpo = FixedPoints.binaryCeiling(GrpoConfig.defaults(), 0.1);      // where GRPO (k3, std-scaled) actually goes
        List<PromptSupport> q = SupportDiagnostic.run(policy, verifier, prompts, sampling,
                SupportDiagnosticConfig.defaults(), new SplittableRandom(7));     // Q per prompt, with intervals and pass@k
        // ---- README theory snippet ends
        assertEquals(0.4509, ceiling, 5e-5);
        assertTrue(grpo > 0.98 && grpo < 1, "k3 with std scaling at β = 0.04 goes almost all the way: " + grpo);
        assertEquals(2, q.size());
        assertTrue(q.get(0).lower() <= 0.1 && 0.1 <= q.get(0).upper(), "the interval covers Q = 0.1: " + q.get(0));
        assertTrue(q.get(1).noSuccessObserved());
        assertTrue(GrpoObjectiveLaws.class.isAssignableFrom(ReadmeSuiteExample.class)
                && ReweightingContract.class.isAssignableFrom(ReadmeSuiteExample.class));
    }

    @Test
    void theReadmeSnippetsAreTheOnesCompiledHere() throws IOException {
        Path module = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize();
        String readme = Files.readString(module.getParent().resolve("README.md"), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("## Check GRPO's theory, on your own objective too.*?```java\\n(.*?)```.*?"
                + "```java\\n(.*?)```", Pattern.DOTALL).matcher(readme);
        assertTrue(m.find(), "README.md has no Java blocks under 'Check GRPO's theory, on your own objective too'");
        String source = Files.readString(module.resolve("src/test/java/org/grpo4j/ReadmeTheoryExampleTest.java"),
                StandardCharsets.UTF_8);
        int from = source.lastIndexOf(BEGIN);
        int to = source.lastIndexOf(END);
        assertEquals(lines(source.substring(source.indexOf('\n', from) + 1, source.lastIndexOf('\n', to))),
                lines(m.group(1)), "README.md's theory snippet differs from the one compiled here");
        String suite = Files.readString(module.resolve("src/test/java/org/grpo4j/ReadmeSuiteExample.java"),
                StandardCharsets.UTF_8);
        List<String> readmeSuite = lines(m.group(2).replace("MyObjectiveProperties", "ReadmeSuiteExample")
                .replace("new MyObjective()", "Nd4jGrpoObjective.create()")
                .replace("   // org.grpo4j.testing", ""));
        String body = suite.substring(suite.indexOf("class ReadmeSuiteExample"));
        assertEquals(readmeSuite, lines(body), "README.md's suite class differs from ReadmeSuiteExample");
    }

    private static List<String> lines(String block) {
        return block.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }
}
