package org.grpo4j.verify.process;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.grpo4j.Checks;

/**
 * How a {@link ProcessVerifier} runs its command.
 *
 * <p>Defaults ({@link #builder(List, Path)}): name {@code reward-command}; environment {@code PATH=/usr/local/bin:
 * /usr/bin:/bin} and nothing else (the child inherits no variable of the JVM: secrets in the trainer's environment
 * stay there); a time limit of 5 s per process (half the runner's default 10 s per call, so the process's own,
 * more precise error comes first); at most 1 MiB on stdout and on stderr each (a reward line is a few bytes); 64
 * completions per process (a group size of 8 to 16 times a few prompts, so one process start is shared by
 * many completions while a batch still finishes well within the limit).
 *
 * @param name             the verifier's name in metrics ({@code rewards/<name>/mean}) and messages; not blank
 * @param command          the program and its arguments, run directly without a shell; not empty, no element null
 *                         or containing NUL, the program not blank (copied). The program is looked up on the
 *                         JVM's {@code PATH} unless it is a path; give an absolute path to be independent of it
 * @param environment      the child's whole environment: names not empty and without {@code =} or NUL, values
 *                         without NUL (copied, sorted by name)
 * @param workingDirectory the child's working directory; must exist when the verifier runs
 * @param timeLimit        wall-clock limit of one process, from its start to its exit and the end of its output;
 *                         past it the whole process tree is killed; positive
 * @param maxOutputBytes   the most bytes read from stdout, and separately from stderr; past it the process tree is
 *                         killed and the call fails; ≥ 1
 * @param batchSize        the most completions one process scores; ≥ 1
 */
public record ProcessVerifierConfig(String name, List<String> command, Map<String, String> environment,
                                    Path workingDirectory, Duration timeLimit, int maxOutputBytes, int batchSize) {

    /** The default {@code PATH}: the POSIX locations of the usual tools, nothing user-specific. */
    public static final String DEFAULT_PATH = "/usr/local/bin:/usr/bin:/bin";

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException naming the field and the value that break a rule
     */
    public ProcessVerifierConfig {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("name must not be blank, was " + (name == null ? "null" : "'" + name
                    + "'"));
        }
        Checks.notNull("command", command);
        if (command.isEmpty()) {
            throw new IllegalArgumentException("command must hold at least the program, was []");
        }
        List<String> argv = new ArrayList<>(command.size());
        for (int i = 0; i < command.size(); i++) {
            String a = command.get(i);
            if (a == null) {
                throw new IllegalArgumentException("command[" + i + "] must not be null, in " + command);
            }
            if (a.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("command[" + i + "] must not contain NUL, in " + command);
            }
            argv.add(a);
        }
        if (argv.get(0).isBlank()) {
            throw new IllegalArgumentException("command[0] (the program) must not be blank, in " + command);
        }
        command = List.copyOf(argv);
        Checks.notNull("environment", environment);
        Map<String, String> env = new TreeMap<>();
        for (Map.Entry<String, String> e : environment.entrySet()) {
            String k = e.getKey();
            if (k == null || k.isEmpty() || k.indexOf('=') >= 0 || k.indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment names must be non-empty without '=' or NUL, was "
                        + (k == null ? "null" : "'" + k + "'"));
            }
            if (e.getValue() == null || e.getValue().indexOf('\0') >= 0) {
                throw new IllegalArgumentException("environment['" + k + "'] must be a string without NUL, was "
                        + (e.getValue() == null ? "null" : "'" + e.getValue() + "'"));
            }
            env.put(k, e.getValue());
        }
        environment = Collections.unmodifiableMap(env);
        Checks.notNull("workingDirectory", workingDirectory);
        Checks.notNull("timeLimit", timeLimit);
        if (timeLimit.isNegative() || timeLimit.isZero()) {
            throw new IllegalArgumentException("timeLimit must be positive, was " + timeLimit);
        }
        Checks.atLeast("maxOutputBytes", maxOutputBytes, 1);
        Checks.atLeast("batchSize", batchSize, 1);
    }

    /**
     * A builder with the defaults of the class comment.
     *
     * @param command          the program and its arguments
     * @param workingDirectory the child's working directory
     * @return the builder
     */
    public static Builder builder(List<String> command, Path workingDirectory) {
        return new Builder(command, workingDirectory);
    }

    /** @return a builder holding this configuration */
    public Builder toBuilder() {
        Builder b = new Builder(command, workingDirectory);
        b.name = name;
        b.environment = new java.util.LinkedHashMap<>(environment);
        b.timeLimit = timeLimit;
        b.maxOutputBytes = maxOutputBytes;
        b.batchSize = batchSize;
        return b;
    }

    /** Builder for {@link ProcessVerifierConfig}, starting from the defaults in the class comment. */
    public static final class Builder {
        private final List<String> command;
        private final Path workingDirectory;
        private String name = "reward-command";
        private Map<String, String> environment = new java.util.LinkedHashMap<>(Map.of("PATH", DEFAULT_PATH));
        private Duration timeLimit = Duration.ofSeconds(5);
        private int maxOutputBytes = 1 << 20;
        private int batchSize = 64;

        private Builder(List<String> command, Path workingDirectory) {
            this.command = command;
            this.workingDirectory = workingDirectory;
        }

        /** @param n see {@link ProcessVerifierConfig#name()} @return this builder */
        public Builder name(String n) {
            name = n;
            return this;
        }

        /**
         * Replaces the whole environment.
         *
         * @param env see {@link ProcessVerifierConfig#environment()}
         * @return this builder
         */
        public Builder environment(Map<String, String> env) {
            environment = env == null ? null : new java.util.LinkedHashMap<>(env);
            return this;
        }

        /**
         * Adds or replaces one variable.
         *
         * @param variable the name
         * @param value    the value
         * @return this builder
         */
        public Builder environment(String variable, String value) {
            if (environment == null) {
                environment = new java.util.LinkedHashMap<>();
            }
            environment.put(variable, value);
            return this;
        }

        /** @param limit see {@link ProcessVerifierConfig#timeLimit()} @return this builder */
        public Builder timeLimit(Duration limit) {
            timeLimit = limit;
            return this;
        }

        /** @param bytes see {@link ProcessVerifierConfig#maxOutputBytes()} @return this builder */
        public Builder maxOutputBytes(int bytes) {
            maxOutputBytes = bytes;
            return this;
        }

        /** @param size see {@link ProcessVerifierConfig#batchSize()} @return this builder */
        public Builder batchSize(int size) {
            batchSize = size;
            return this;
        }

        /**
         * @return the configuration
         * @throws IllegalArgumentException as the record's constructor
         */
        public ProcessVerifierConfig build() {
            return new ProcessVerifierConfig(name, command, environment, workingDirectory, timeLimit,
                    maxOutputBytes, batchSize);
        }
    }
}
