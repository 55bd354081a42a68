package org.grpo4j.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.runner.BenchmarkList;
import org.openjdk.jmh.runner.BenchmarkListEntry;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.VerboseMode;

/** Every benchmark JMH generated forks its JVMs with the JavaCPP cache under {@code target/}. */
class ForkedJvmTest {
    @Test
    void theCacheOptionIsARelativePathUnderTarget() {
        String prefix = "-Dorg.bytedeco.javacpp.cachedir=";
        assertTrue(ForkedJvm.JAVACPP_CACHE_UNDER_TARGET.startsWith(prefix));
        String dir = ForkedJvm.JAVACPP_CACHE_UNDER_TARGET.substring(prefix.length());
        assertFalse(new File(dir).isAbsolute(), dir);
        assertEquals("target", new File(dir).toPath().getName(0).toString());
    }

    @Test
    void everyGeneratedBenchmarkPrependsTheCacheOption() {
        Set<BenchmarkListEntry> all = BenchmarkList.defaultList()
                .getAll(OutputFormatFactory.createFormatInstance(System.out, VerboseMode.SILENT), List.of());
        Set<String> classes = new TreeSet<>();
        for (BenchmarkListEntry e : all) {
            classes.add(e.getUserClassQName());
            Collection<String> prepend = e.getJvmArgsPrepend().orElse(List.of());
            assertEquals(List.of(ForkedJvm.JAVACPP_CACHE_UNDER_TARGET), List.copyOf(prepend), e.getUsername());
        }
        Set<String> ours = Set.of("org.grpo4j.bench.limits.MachineLimitsBenchmark",
                "org.grpo4j.bench.objective.AdvantagesBenchmark",
                "org.grpo4j.bench.objective.GrpoObjectiveBenchmark",
                "org.grpo4j.bench.objective.ObjectiveKernelBenchmark",
                "org.grpo4j.bench.optim.AdamWBenchmark",
                "org.grpo4j.bench.sampling.DecodingBenchmark",
                "org.grpo4j.bench.sampling.TokenSamplerBenchmark",
                "org.grpo4j.bench.train.TrainingStepBenchmark",
                "org.grpo4j.bench.train.WholeStepBenchmark");
        // the PyTorch peer (profile pytorch) adds its own package and nothing else
        assertTrue(classes.containsAll(ours), "expected " + ours + ", found " + classes);
        Set<String> extra = new TreeSet<>(classes);
        extra.removeAll(ours);
        for (String c : extra) {
            assertTrue(c.startsWith("org.grpo4j.bench.pytorch."), c);
        }
    }
}
