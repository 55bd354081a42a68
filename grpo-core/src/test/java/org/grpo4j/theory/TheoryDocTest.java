package org.grpo4j.theory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.grpo4j.AdvantageBaseline;
import org.grpo4j.AdvantageScaling;
import org.grpo4j.GrpoConfig;
import org.grpo4j.KlEstimator;
import org.junit.jupiter.api.Test;

/**
 * The table of fixed-point ceilings in {@code docs/theory.md} (section 4) is what {@link FixedPoints#binaryCeiling}
 * and {@link BinaryRewardBound#ceiling} compute, to the four decimals printed.
 */
class TheoryDocTest {
    private static final Pattern TABLE = Pattern.compile(
            "<!-- ceiling-table: beta=([0-9.]+) groupSize=([0-9]+) -->\\R(.*?)<!-- ceiling-table: end -->",
            Pattern.DOTALL);

    @Test
    void theCeilingTableIsWhatTheCodeComputes() throws IOException {
        Path root = Path.of(System.getProperty("basedir", ".")).toAbsolutePath().normalize().getParent();
        String doc = Files.readString(root.resolve("docs/theory.md"), StandardCharsets.UTF_8);
        Matcher m = TABLE.matcher(doc);
        assertTrue(m.find(), "docs/theory.md has no ceiling table");
        double beta = Double.parseDouble(m.group(1));
        int g = Integer.parseInt(m.group(2));
        List<String> lines = m.group(3).lines().filter(l -> l.startsWith("|")).toList();
        double[] qs = columns(lines.get(0)).stream().skip(1).mapToDouble(c -> Double.parseDouble(c.replace("Q = ", "")))
                .toArray();
        GrpoConfig loo = config(g, beta, KlEstimator.K2, AdvantageScaling.NONE, AdvantageBaseline.LEAVE_ONE_OUT);
        Map<String, DoubleUnaryOperator> rows = Map.of(
                "paper, `c(Q, β)` (= k2, `NONE`, leave-one-out)", q -> {
                    double paper = BinaryRewardBound.ceiling(q, beta);
                    assertEquals(paper, FixedPoints.binaryCeiling(loo, q), 1e-12, "RLOO with k2 is the paper's optimum");
                    return paper;
                },
                "k2, `NONE`", ceiling(config(g, beta, KlEstimator.K2, AdvantageScaling.NONE)),
                "k2, `GROUP_STD`", ceiling(config(g, beta, KlEstimator.K2, AdvantageScaling.GROUP_STD)),
                "k3, `NONE`", ceiling(config(g, beta, KlEstimator.K3, AdvantageScaling.NONE)),
                "k3, `GROUP_STD`", ceiling(config(g, beta, KlEstimator.K3, AdvantageScaling.GROUP_STD)));
        int checked = 0;
        for (String line : lines.subList(2, lines.size())) {
            List<String> cells = columns(line);
            DoubleUnaryOperator f = rows.get(cells.get(0));
            assertTrue(f != null, "unknown row '" + cells.get(0) + "'");
            for (int k = 0; k < qs.length; k++) {
                double printed = Double.parseDouble(cells.get(k + 1));
                assertEquals(printed, f.applyAsDouble(qs[k]), 5e-5 + 1e-12, cells.get(0) + " at Q = " + qs[k]);
                checked++;
            }
        }
        assertEquals(rows.size() * qs.length, checked);
    }

    private static GrpoConfig config(int g, double beta, KlEstimator k, AdvantageScaling s, AdvantageBaseline b) {
        return GrpoConfig.builder().groupSize(g).beta(beta).advantageEpsilon(1e-4).klEstimator(k).advantageScaling(s)
                .advantageBaseline(b).build();
    }

    private static GrpoConfig config(int g, double beta, KlEstimator k, AdvantageScaling s) {
        return config(g, beta, k, s, AdvantageBaseline.GROUP_MEAN);
    }

    private static DoubleUnaryOperator ceiling(GrpoConfig c) {
        return q -> FixedPoints.binaryCeiling(c, q);
    }

    private static List<String> columns(String line) {
        List<String> out = new ArrayList<>();
        for (String cell : line.split("\\|")) {
            if (!cell.isBlank()) {
                out.add(cell.trim());
            }
        }
        return out;
    }
}
