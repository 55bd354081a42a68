/**
 * Files: {@link org.grpo4j.io.TensorArchive}, the versioned, atomically written binary format of string
 * metadata and named tensors used for model weights and training checkpoints (specified in
 * {@code docs/formats.md}).
 */
package org.grpo4j.io;
