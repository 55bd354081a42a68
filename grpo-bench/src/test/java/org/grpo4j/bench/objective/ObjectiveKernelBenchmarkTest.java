package org.grpo4j.bench.objective;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.grpo4j.ObjectiveResult;
import org.junit.jupiter.api.Test;

/** The three implementations the kernel benchmark times compute the same loss and gradient. */
class ObjectiveKernelBenchmarkTest {

    private static ObjectiveResult run(ObjectiveImplementation impl, KernelSize size, ObjectiveVariant variant) {
        ObjectiveKernelBenchmark b = new ObjectiveKernelBenchmark();
        b.implementation = impl;
        b.size = size;
        b.variant = variant;
        b.setUp();
        ObjectiveResult r = b.objective.evaluate(b.input, b.config);
        assertEquals(r.loss(), b.evaluate(), 0.0, "the benchmark, inside its workspace, computes the same loss");
        return r;
    }

    @Test
    void implementationsAgreeForEveryVariant() {
        for (ObjectiveVariant variant : ObjectiveVariant.values()) {
            ObjectiveResult ref = run(ObjectiveImplementation.REFERENCE, KernelSize.E4K, variant);
            double[] want = ref.gradient().reshape(ref.gradient().length()).toDoubleVector();
            for (ObjectiveImplementation impl : new ObjectiveImplementation[] {
                    ObjectiveImplementation.ND4J, ObjectiveImplementation.FUSED}) {
                ObjectiveResult got = run(impl, KernelSize.E4K, variant);
                assertEquals(ref.loss(), got.loss(), 1e-5 * Math.max(1, Math.abs(ref.loss())), impl + " " + variant);
                assertArrayEquals(want, got.gradient().reshape(want.length).toDoubleVector(), 1e-6,
                        impl + " " + variant);
            }
        }
    }

    @Test
    void sizesHaveTheirNamedElementCounts() {
        assertEquals(4096, KernelSize.E4K.elements());
        assertEquals(65_536, KernelSize.E64K.elements());
        assertEquals(1 << 20, KernelSize.E1M.elements());
        assertEquals(1 << 22, KernelSize.E4M.elements());
        for (KernelSize s : KernelSize.values()) {
            assertEquals(true, s.tokens() <= ObjectiveShape.MAX_TOKENS, s.name());
        }
    }
}
