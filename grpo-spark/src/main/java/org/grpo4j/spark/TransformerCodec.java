package org.grpo4j.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import org.grpo4j.Checks;
import org.grpo4j.Policy;
import org.grpo4j.io.TensorArchive;
import org.grpo4j.transformer.TransformerPolicy;

/** {@link PolicyCodec#transformer()}: the archive of {@link TransformerPolicy#toArchive()}. */
final class TransformerCodec implements PolicyCodec {
    private static final long serialVersionUID = 1L;
    static final TransformerCodec INSTANCE = new TransformerCodec();

    private TransformerCodec() {
    }

    @Override
    public byte[] encode(Policy policy) {
        if (!(policy instanceof TransformerPolicy t)) {
            throw new IllegalArgumentException("PolicyCodec.transformer() encodes a TransformerPolicy, was "
                    + (policy == null ? "null" : policy.getClass().getName())
                    + "; use PolicyCodec.parameters(template) for other policies");
        }
        return t.toArchive().encode();
    }

    @Override
    public Policy decode(byte[] bytes) {
        return TransformerPolicy.fromArchive(archive(bytes));
    }

    /**
     * @param bytes archive bytes
     * @return the archive
     * @throws UncheckedIOException if the bytes are not an archive
     */
    static TensorArchive archive(byte[] bytes) {
        Checks.notNull("bytes", bytes);
        try {
            return TensorArchive.decode(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("the policy bytes are not a tensor archive", e);
        }
    }

    private Object readResolve() {
        return INSTANCE;
    }
}
