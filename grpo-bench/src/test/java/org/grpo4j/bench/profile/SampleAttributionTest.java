package org.grpo4j.bench.profile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Stacks as JFR records them (top frame first), attributed by hand. */
class SampleAttributionTest {
    private static final Frame EXEC = new Frame("org.nd4j.linalg.cpu.nativecpu.ops.NativeOpExecutioner", "exec", 826);

    @Test
    void aProductCalledThroughGemmIsAMatrixProductAtTheGrpo4jLine() {
        SampleAttribution a = SampleAttribution.of(List.of(
                new Frame("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu", "execCustomOp2", -1), EXEC,
                new Frame("org.nd4j.linalg.factory.Nd4j", "gemm", 1011),
                new Frame("org.grpo4j.transformer.MatrixProducts", "times", 27),
                new Frame("org.grpo4j.transformer.FeedForward", "forward", 44)));
        assertEquals(new SampleAttribution("ND4J matrix product", "MatrixProducts.times:27", "Nd4j.gemm"), a);
    }

    @Test
    void anotherNativeOpIsNamedByItsNativeMethod() {
        SampleAttribution a = SampleAttribution.of(List.of(
                new Frame("org.nd4j.linalg.cpu.nativecpu.bindings.Nd4jCpu", "execTransformStrict", -1), EXEC,
                new Frame("org.nd4j.linalg.ops.transforms.Transforms", "sigmoid", 300),
                new Frame("org.grpo4j.transformer.FeedForward", "forward", 46)));
        assertEquals(new SampleAttribution("ND4J execTransformStrict", "FeedForward.forward:46", "Transforms.sigmoid"),
                a);
    }

    @Test
    void javaArithmeticInGrpo4jIsNamedByItsMethod() {
        SampleAttribution a = SampleAttribution.of(List.of(
                new Frame("org.grpo4j.transformer.JavaDecoder", "attend", 309),
                new Frame("org.grpo4j.transformer.JavaDecoder", "run", 240)));
        assertEquals(new SampleAttribution("Java JavaDecoder.attend", "JavaDecoder.attend:309", "JavaDecoder.attend"),
                a);
    }

    @Test
    void jdkCodeAndCodeOutsideGrpo4jAreOther() {
        SampleAttribution jdk = SampleAttribution.of(List.of(new Frame("java.util.Arrays", "fill", 10),
                new Frame("org.grpo4j.train.GrpoTrainer", "step", 200)));
        assertEquals(new SampleAttribution("other Arrays.fill", "GrpoTrainer.step:200", "Arrays.fill"), jdk);
        SampleAttribution outside = SampleAttribution.of(List.of(new Frame("java.lang.Thread", "run", 1)));
        assertEquals(new SampleAttribution("other Thread.run", "(outside grpo4j)", "Thread.run"), outside);
    }

    @Test
    void anEmptyStackIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SampleAttribution.of(List.of()));
        assertEquals("frames must not be empty", e.getMessage());
    }
}
