package org.grpo4j.transformer;

import java.util.LinkedHashMap;
import java.util.Map;
import org.grpo4j.Checks;
import org.nd4j.linalg.api.buffer.DataType;

/**
 * The shape of a decoder-only {@link TransformerPolicy}: vocabulary, context, depth, width and numeric type.
 *
 * <p>Defaults ({@link #defaults()}): the small model this project pre-trains and GRPO-trains on two CPU cores —
 * vocabulary 32, context 32, 2 layers, 4 heads, width 64, feed-forward width 256, GELU, FLOAT, learned positions.
 * The feed-forward width is 4 × the model width as in "Attention Is All You Need" (Vaswani et al. 2017, §3.3) and GPT-2; the
 * depth/width ladder follows minGPT's small presets ({@code gpt-nano}: 3 layers, 3 heads, width 48;
 * {@code gpt-micro}: 4 layers, 4 heads, width 128; Karpathy, minGPT {@code model.py}).
 *
 * @param vocabularySize V, the number of token ids; ≥ 2
 * @param contextLength  C, the most tokens (prompt + completion) a sequence may have; ≥ 2
 * @param layers         the number of transformer blocks; ≥ 1
 * @param heads          attention heads per block; ≥ 1 and divides {@code modelWidth}
 * @param modelWidth     D, the residual stream's width; ≥ 1
 * @param ffWidth        F, the feed-forward network's hidden width; ≥ 1
 * @param activation     the feed-forward non-linearity
 * @param dataType       FLOAT for training, DOUBLE for gradient checks
 * @param positionEncoding learned absolute positions or rotary embeddings (needs an even head width)
 */
public record TransformerConfig(int vocabularySize, int contextLength, int layers, int heads, int modelWidth,
                                int ffWidth, MlpActivation activation, DataType dataType,
                                PositionEncoding positionEncoding) {

    /** Metadata keys a saved config uses, all prefixed so they can share a checkpoint's metadata map. */
    private static final String PREFIX = "transformer.";

    /**
     * Validates.
     *
     * @throws IllegalArgumentException naming the field and value that break a rule, e.g.
     *                                  {@code "modelWidth (10) must be divisible by heads (4)"}
     */
    public TransformerConfig {
        Checks.atLeast("vocabularySize", vocabularySize, 2);
        Checks.atLeast("contextLength", contextLength, 2);
        Checks.atLeast("layers", layers, 1);
        Checks.atLeast("heads", heads, 1);
        Checks.atLeast("modelWidth", modelWidth, 1);
        Checks.atLeast("ffWidth", ffWidth, 1);
        Checks.notNull("activation", activation);
        Checks.notNull("dataType", dataType);
        Checks.notNull("positionEncoding", positionEncoding);
        if (modelWidth % heads != 0) {
            throw new IllegalArgumentException("modelWidth (" + modelWidth + ") must be divisible by heads ("
                    + heads + ")");
        }
        if (positionEncoding == PositionEncoding.ROTARY && (modelWidth / heads) % 2 != 0) {
            throw new IllegalArgumentException("ROTARY needs an even head width, was modelWidth (" + modelWidth
                    + ") / heads (" + heads + ") = " + modelWidth / heads);
        }
        if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
            throw new IllegalArgumentException("dataType must be FLOAT or DOUBLE, was " + dataType);
        }
        long largest = Math.max((long) contextLength * contextLength,
                Math.max((long) vocabularySize, (long) ffWidth) * modelWidth);
        if (largest > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException("model too large: a weight of " + largest + " elements (vocabularySize "
                    + vocabularySize + ", contextLength " + contextLength + ", modelWidth " + modelWidth
                    + ", ffWidth " + ffWidth + ")");
        }
    }

    /**
     * The project's small default model (see the type's documentation for the sources).
     *
     * @return vocabulary 32, context 32, 2 layers, 4 heads, width 64, feed-forward width 256, GELU, FLOAT, learned
     *         positions
     */
    public static TransformerConfig defaults() {
        return new TransformerConfig(32, 32, 2, 4, 64, 256, MlpActivation.GELU, DataType.FLOAT,
                PositionEncoding.LEARNED);
    }

    /** @return a builder starting from {@link #defaults()} */
    public static Builder builder() {
        return new Builder(defaults());
    }

    /** @return a builder starting from this config */
    public Builder toBuilder() {
        return new Builder(this);
    }

    /** @return dh = modelWidth / heads, the width of one attention head */
    public int headWidth() {
        return modelWidth / heads;
    }

    /**
     * This config as string metadata, every key prefixed with {@code "transformer."}, for {@code TensorArchive}
     * files and checkpoints. {@code positionEncoding} is written only when it is not the default
     * {@link PositionEncoding#LEARNED}, so files of learned-position models are byte-identical to those written before
     * the option existed.
     *
     * @return a new insertion-ordered map
     */
    public Map<String, String> toMetadata() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(PREFIX + "vocabularySize", Integer.toString(vocabularySize));
        m.put(PREFIX + "contextLength", Integer.toString(contextLength));
        m.put(PREFIX + "layers", Integer.toString(layers));
        m.put(PREFIX + "heads", Integer.toString(heads));
        m.put(PREFIX + "modelWidth", Integer.toString(modelWidth));
        m.put(PREFIX + "ffWidth", Integer.toString(ffWidth));
        m.put(PREFIX + "activation", activation.name());
        m.put(PREFIX + "dataType", dataType.name());
        if (positionEncoding != PositionEncoding.LEARNED) {
            // LEARNED is the default a missing key reads as, so files of learned-position models keep their bytes
            m.put(PREFIX + "positionEncoding", positionEncoding.name());
        }
        return m;
    }

    /**
     * Reads a config written by {@link #toMetadata()}; other keys are ignored. Files written before position
     * encodings were configurable have no {@code positionEncoding} key and read as {@link PositionEncoding#LEARNED}.
     *
     * @param metadata string metadata
     * @return the config
     * @throws IllegalArgumentException if a key is missing, a value does not parse, or the config is invalid
     */
    public static TransformerConfig fromMetadata(Map<String, String> metadata) {
        Checks.notNull("metadata", metadata);
        return new TransformerConfig(intValue(metadata, "vocabularySize"), intValue(metadata, "contextLength"),
                intValue(metadata, "layers"), intValue(metadata, "heads"), intValue(metadata, "modelWidth"),
                intValue(metadata, "ffWidth"), enumValue(metadata, "activation", MlpActivation.class),
                dataTypeValue(metadata), metadata.containsKey(PREFIX + "positionEncoding")
                        ? enumValue(metadata, "positionEncoding", PositionEncoding.class) : PositionEncoding.LEARNED);
    }

    private static String value(Map<String, String> metadata, String field) {
        String v = metadata.get(PREFIX + field);
        if (v == null) {
            throw new IllegalArgumentException("metadata key '" + PREFIX + field + "' is missing");
        }
        return v;
    }

    private static int intValue(Map<String, String> metadata, String field) {
        String v = value(metadata, field);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("metadata '" + PREFIX + field + "' must be an integer, was '" + v
                    + "'", e);
        }
    }

    private static <E extends Enum<E>> E enumValue(Map<String, String> metadata, String field, Class<E> type) {
        String v = value(metadata, field);
        try {
            return Enum.valueOf(type, v);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("metadata '" + PREFIX + field + "' must be one of "
                    + java.util.Arrays.toString(type.getEnumConstants()) + ", was '" + v + "'", e);
        }
    }

    private static DataType dataTypeValue(Map<String, String> metadata) {
        String v = value(metadata, "dataType");
        return switch (v) {
            case "FLOAT" -> DataType.FLOAT;
            case "DOUBLE" -> DataType.DOUBLE;
            default -> throw new IllegalArgumentException("metadata '" + PREFIX + "dataType' must be FLOAT or DOUBLE, "
                    + "was '" + v + "'");
        };
    }

    /** A mutable builder for {@link TransformerConfig}; {@link #build()} validates. */
    public static final class Builder {
        private int vocabularySize;
        private int contextLength;
        private int layers;
        private int heads;
        private int modelWidth;
        private int ffWidth;
        private MlpActivation activation;
        private DataType dataType;
        private PositionEncoding positionEncoding;

        private Builder(TransformerConfig c) {
            vocabularySize = c.vocabularySize;
            contextLength = c.contextLength;
            layers = c.layers;
            heads = c.heads;
            modelWidth = c.modelWidth;
            ffWidth = c.ffWidth;
            activation = c.activation;
            dataType = c.dataType;
            positionEncoding = c.positionEncoding();
        }

        /** @param v V @return this builder */
        public Builder vocabularySize(int v) {
            vocabularySize = v;
            return this;
        }

        /** @param v C @return this builder */
        public Builder contextLength(int v) {
            contextLength = v;
            return this;
        }

        /** @param v number of blocks @return this builder */
        public Builder layers(int v) {
            layers = v;
            return this;
        }

        /** @param v attention heads @return this builder */
        public Builder heads(int v) {
            heads = v;
            return this;
        }

        /** @param v D @return this builder */
        public Builder modelWidth(int v) {
            modelWidth = v;
            return this;
        }

        /** @param v F @return this builder */
        public Builder ffWidth(int v) {
            ffWidth = v;
            return this;
        }

        /** @param v the feed-forward non-linearity @return this builder */
        public Builder activation(MlpActivation v) {
            activation = v;
            return this;
        }

        /** @param v learned positions or rotary embeddings @return this builder */
        public Builder positionEncoding(PositionEncoding v) {
            positionEncoding = v;
            return this;
        }

        /** @param v FLOAT or DOUBLE @return this builder */
        public Builder dataType(DataType v) {
            dataType = v;
            return this;
        }

        /**
         * Validates and builds.
         *
         * @return the config
         * @throws IllegalArgumentException as the record's constructor
         */
        public TransformerConfig build() {
            return new TransformerConfig(vocabularySize, contextLength, layers, heads, modelWidth, ffWidth, activation,
                    dataType, positionEncoding);
        }
    }
}
