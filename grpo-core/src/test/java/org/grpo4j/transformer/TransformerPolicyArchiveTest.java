package org.grpo4j.transformer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.grpo4j.io.TensorArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * {@link TransformerPolicy#fromArchive} and {@link TransformerPolicy#load} read only archives that say they hold
 * a {@code TransformerPolicy} ({@code grpo4j.model}), and say which key is wrong; {@code load} names the file.
 */
class TransformerPolicyArchiveTest {
    private static final TransformerPolicy MODEL =
            TestModels.randomized(TestModels.tiny(DataType.FLOAT, MlpActivation.GELU), 5);

    private static TensorArchive withMetadata(Consumer<Map<String, String>> edit) {
        TensorArchive a = MODEL.toArchive();
        Map<String, String> m = new LinkedHashMap<>(a.metadata());
        edit.accept(m);
        return new TensorArchive(m, a.tensors());
    }

    private static String refusal(TensorArchive a) {
        return assertThrows(IllegalArgumentException.class, () -> TransformerPolicy.fromArchive(a)).getMessage();
    }

    @Test
    void aWrittenArchiveReadsBackToTheSameWeights() {
        TransformerPolicy back = TransformerPolicy.fromArchive(MODEL.toArchive());
        assertEquals(MODEL.config(), back.config());
        for (int i = 0; i < MODEL.parameters().size(); i++) {
            assertArrayEquals(MODEL.parameters().get(i).value().dup().data().asFloat(),
                    back.parameters().get(i).value().dup().data().asFloat(), MODEL.parameters().get(i).name());
        }
    }

    @Test
    void aMissingModelKeyIsNamed() {
        assertEquals("metadata key 'grpo4j.model' is missing: not a grpo4j model file",
                refusal(withMetadata(m -> m.remove("grpo4j.model"))));
    }

    /** The likeliest mistake: loading a trainer checkpoint as a model. */
    @Test
    void aCheckpointIsToldApart() {
        assertEquals("metadata key 'grpo4j.model' is missing: not a grpo4j model file (format grpo4j-checkpoint; a "
                        + "trainer checkpoint is read by GrpoTrainer.restore)",
                refusal(withMetadata(m -> {
                    m.remove("grpo4j.model");
                    m.put("format", "grpo4j-checkpoint");
                })));
    }

    @Test
    void anotherModelTypeIsNamedWithItsValue() {
        assertEquals("metadata 'grpo4j.model' must be TransformerPolicy, was 'TabularPolicy'",
                refusal(withMetadata(m -> m.put("grpo4j.model", "TabularPolicy"))));
        assertEquals("metadata 'grpo4j.model' must be TransformerPolicy, was 'transformerpolicy'",
                refusal(withMetadata(m -> m.put("grpo4j.model", "transformerpolicy"))));
    }

    @Test
    void theModelKeyIsCheckedBeforeTheConfig() {
        assertEquals("metadata 'grpo4j.model' must be TransformerPolicy, was 'Other'",
                refusal(new TensorArchive(Map.of("grpo4j.model", "Other"), Map.of())));
    }

    @Test
    void loadNamesTheFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("model.grpo4j");
        TensorArchive bad = withMetadata(m -> m.put("grpo4j.model", "TabularPolicy"));
        bad.writeTo(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TransformerPolicy.load(file));
        assertEquals(file + ": metadata 'grpo4j.model' must be TransformerPolicy, was 'TabularPolicy'",
                e.getMessage());
        MODEL.save(file);
        assertEquals(List.copyOf(MODEL.toArchive().metadata().entrySet()),
                List.copyOf(TensorArchive.read(file).metadata().entrySet()));
        assertEquals(MODEL.config(), TransformerPolicy.load(file).config());
    }

    @Test
    void aNullArchiveIsNamed() {
        assertEquals("archive must not be null", refusal(null));
    }
}
