/**
 * Tests of {@link org.grpo4j.io.TensorArchive} and of the files written with it: the byte layout of
 * {@code docs/formats.md} against archives built byte by byte in the tests, round trips of every data type and
 * rank, the rejection of corrupt, truncated and foreign files, atomic replacement, and the golden files under
 * {@code src/test/resources/golden/} (an archive of every data type, a saved transformer and a trainer checkpoint)
 * that keep today's files loadable.
 */
package org.grpo4j.io;
