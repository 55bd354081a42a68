package org.grpo4j.bench;

/**
 * The JVM options every benchmark's {@code @Fork} prepends to its forked JVMs.
 *
 * <p>JavaCPP unpacks ND4J's native libraries (about 400 MB) on first use into {@code ~/.javacpp/cache} unless
 * {@code org.bytedeco.javacpp.cachedir} is set. The benchmarks set it to {@code target/javacpp}, resolved against
 * the working directory of {@code java -jar}: run from the project root, that is the directory the Maven tests use
 * (JavaCPP keeps one subdirectory per jar, so the shaded jar's copy is {@code target/javacpp/benchmarks.jar/}), and
 * {@code mvn clean} removes it. The option is <em>prepended</em>, so a later setting wins: pass
 * {@code -jvmArgsAppend -Dorg.bytedeco.javacpp.cachedir=DIR} to JMH, or {@code -Dorg.bytedeco.javacpp.cachedir=DIR}
 * to the host JVM (JMH forwards the host's options after the prepended ones). A {@code -jvmArgsPrepend} on the JMH
 * command line replaces this option.
 */
public final class ForkedJvm {
    /** The JavaCPP cache option: {@code -Dorg.bytedeco.javacpp.cachedir=target/javacpp}. */
    public static final String JAVACPP_CACHE_UNDER_TARGET = "-Dorg.bytedeco.javacpp.cachedir=target/javacpp";

    private ForkedJvm() {
    }
}
