package org.grpo4j.verify.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.grpo4j.BatchRewardVerifier;
import org.grpo4j.Checks;
import org.grpo4j.Prompt;

/**
 * Scores completions by running a command in a child process: a reward script in any language, or a sandbox.
 * Each {@link #scoreBatch} call (up to {@link ProcessVerifierConfig#batchSize()} completions; a larger call runs
 * several processes one after the other) starts the command once, without a shell, in the configured working
 * directory with exactly the configured environment, and:
 * <ol>
 *   <li>writes one JSON object per completion to its stdin, each on one line, then closes stdin:
 *       <pre>{"index":0,"prompt_id":"p7","prompt":[1,2],"target":[3],"completion":[3,0]}</pre>
 *       {@code index} counts from 0 within this process; {@code prompt}, {@code target} (empty when the prompt has
 *       no reference answer) and {@code completion} are token ids. With a decoder
 *       ({@link #of(ProcessVerifierConfig, Function)}) each object also has {@code prompt_text},
 *       {@code target_text} and {@code completion_text}. Fields come in this order; UTF-8, no other whitespace;</li>
 *   <li>reads its stdout: one reward per line, in index order, each a finite JSON number ({@code 1}, {@code -0.5},
 *       {@code 2.5e-3}) optionally surrounded by spaces or tabs, the line ending in {@code \n} or
 *       {@code \r\n} (the last line may lack it). Nothing else may be printed on stdout; diagnostics go to
 *       stderr, whose end is quoted in errors;</li>
 *   <li>expects exit status 0 after exactly one reward per completion.</li>
 * </ol>
 *
 * <p>Anything else is a {@link RewardProcessException} naming the command, what happened, the rewards read so far
 * and the end of stderr: a process past its time limit, a nonzero exit status, a line that is not a finite number,
 * too few or too many lines, more than {@code maxOutputBytes} on stdout or on stderr, a command that cannot start.
 * The process tree (the child and every descendant seen while it ran) is killed as soon as the outcome is known and
 * before the call returns or throws, also when the calling thread is interrupted (the runner's own time limit):
 * the call then throws {@link InterruptedException}. So a hanging, crashing or memory-hungry verifier costs one
 * child process, never a thread of the JVM for longer than its time limit, nor the JVM's heap. Each call uses
 * three short-lived helper threads (stdin, stdout, stderr) that end with the process.
 *
 * <p>Not covered: a process that detaches itself from the tree (double fork, {@code setsid}) and exits its parent
 * at once may escape the kill, and the child's memory and CPU are not limited: run hostile code under an OS
 * sandbox, or limit it in the command itself (e.g. {@code [sh, -c, ulimit -v 1000000; exec python3 score.py]}).
 */
public final class ProcessVerifier implements BatchRewardVerifier {
    private static final int STDERR_QUOTED = 2000;

    private final ProcessVerifierConfig config;
    private final Function<int[], String> decoder;

    private ProcessVerifier(ProcessVerifierConfig config, Function<int[], String> decoder) {
        this.config = config;
        this.decoder = decoder;
    }

    /**
     * A verifier whose requests carry token ids only.
     *
     * @param config the command and its limits
     * @return the verifier
     * @throws IllegalArgumentException if {@code config} is null
     */
    public static ProcessVerifier of(ProcessVerifierConfig config) {
        return new ProcessVerifier(Checks.notNull("config", config), null);
    }

    /**
     * A verifier whose requests also carry the text of the prompt, the target and the completion.
     *
     * @param config  the command and its limits
     * @param decoder turns token ids into text (called on the scoring thread); its exceptions fail the call
     * @return the verifier
     * @throws IllegalArgumentException if an argument is null
     */
    public static ProcessVerifier of(ProcessVerifierConfig config, Function<int[], String> decoder) {
        return new ProcessVerifier(Checks.notNull("config", config), Checks.notNull("decoder", decoder));
    }

    /** @return the configuration */
    public ProcessVerifierConfig config() {
        return config;
    }

    @Override
    public String name() {
        return config.name();
    }

    @Override
    public int maxBatchSize() {
        return config.batchSize();
    }

    /**
     * Scores completions in child processes of at most {@code batchSize} completions each.
     *
     * @throws IllegalArgumentException if the list sizes differ
     * @throws RewardProcessException   if a process fails (see the class comment); its tree is gone
     * @throws InterruptedException     if the calling thread is interrupted; the process tree is gone
     */
    @Override
    public double[] scoreBatch(List<Prompt> prompts, List<int[]> completions)
            throws RewardProcessException, InterruptedException {
        Checks.notNull("prompts", prompts);
        Checks.notNull("completions", completions);
        if (prompts.size() != completions.size()) {
            throw new IllegalArgumentException("prompts size (" + prompts.size() + ") must equal completions size ("
                    + completions.size() + ")");
        }
        int n = prompts.size();
        double[] out = new double[n];
        for (int from = 0; from < n; from += config.batchSize()) {
            int to = Math.min(n, from + config.batchSize());
            double[] part = run(prompts.subList(from, to), completions.subList(from, to));
            System.arraycopy(part, 0, out, from, part.length);
        }
        return out;
    }

    private double[] run(List<Prompt> prompts, List<int[]> completions)
            throws RewardProcessException, InterruptedException {
        int n = prompts.size();
        StringBuilder request = new StringBuilder();
        for (int i = 0; i < n; i++) {
            request.append(JsonLines.request(i, prompts.get(i), completions.get(i), decoder)).append('\n');
        }
        byte[] input = request.toString().getBytes(StandardCharsets.UTF_8);
        if (!Files.isDirectory(config.workingDirectory())) {
            throw new RewardProcessException(ProcessFailure.START_FAILED, config.command(), 0, n, "reward command "
                    + config.command() + " could not be started: its working directory " + config.workingDirectory()
                    + " is not a directory", null);
        }
        ProcessBuilder pb = new ProcessBuilder(config.command()).directory(config.workingDirectory().toFile());
        pb.environment().clear();
        pb.environment().putAll(config.environment());
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new RewardProcessException(ProcessFailure.START_FAILED, config.command(), 0, n, "reward command "
                    + config.command() + " could not be started in " + config.workingDirectory() + ": "
                    + e.getMessage(), e);
        }
        Run run = new Run(process, n);
        return run.await(input);
    }

    /** One child process: its helper threads, its tree and the first failure any of them saw. */
    private final class Run {
        private final Process process;
        private final ProcessTree tree;
        private final int expected;
        private final List<Double> rewards = new ArrayList<>();
        private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
        private ProcessFailure failure;
        private String failureDetail;

        Run(Process process, int expected) {
            this.process = process;
            this.tree = new ProcessTree(process.toHandle());
            this.expected = expected;
        }

        double[] await(byte[] input) throws RewardProcessException, InterruptedException {
            long pid = process.pid();
            Thread writer = helper(pid, "stdin", () -> {
                try (OutputStream os = process.getOutputStream()) {
                    os.write(input);
                } catch (IOException e) {
                    // the child closed its stdin or died: its exit status and output tell what happened
                }
            });
            Thread out = helper(pid, "stdout", this::readStdout);
            Thread err = helper(pid, "stderr", this::readStderr);
            long limit = config.timeLimit().toNanos();
            long start = System.nanoTime();
            boolean timedOut = false;
            boolean heldOpen = false;
            int killed;
            try {
                long poll = 5_000_000L;
                while (true) {
                    long left = start + limit - System.nanoTime();
                    if (left <= 0) {
                        timedOut = true;
                        break;
                    }
                    if (process.waitFor(Math.min(left, poll), java.util.concurrent.TimeUnit.NANOSECONDS)
                            || failed()) {
                        break;
                    }
                    tree.snapshot();
                    poll = Math.min(100_000_000L, poll * 2);
                }
                if (!timedOut) {
                    // the child has exited (or failed): its output ends when every process holding it has exited
                    out.join(Math.max(1, (start + limit - System.nanoTime()) / 1_000_000));
                    err.join(Math.max(1, (start + limit - System.nanoTime()) / 1_000_000));
                    heldOpen = out.isAlive() || err.isAlive();
                }
            } catch (InterruptedException e) {
                int k = tree.kill();
                finish(writer, out, err);
                InterruptedException ie = new InterruptedException(prefix() + " was interrupted after " + read()
                        + " of " + expected + " rewards; its process tree was killed (" + k + " processes)");
                ie.initCause(e);
                throw ie;
            } finally {
                killed = tree.kill();
            }
            finish(writer, out, err);
            ProcessFailure f;
            String detail;
            synchronized (this) {
                f = failure;
                detail = failureDetail;
            }
            if (f != null) {
                throw fail(f, detail + " and was killed with its process tree");
            }
            if (timedOut) {
                throw fail(ProcessFailure.TIMED_OUT, "ran past its time limit of " + config.timeLimit() + " after "
                        + read() + " of " + expected + " rewards and was killed with its process tree (" + killed
                        + " processes)");
            }
            if (heldOpen) {
                throw fail(ProcessFailure.OUTPUT_HELD_OPEN, "exited, but a process it started kept its output open "
                        + "until the time limit of " + config.timeLimit() + ", after " + read() + " of " + expected
                        + " rewards; the process tree was killed");
            }
            int status = process.exitValue();
            if (status != 0) {
                String signal = status > 128 ? " (killed by signal " + (status - 128) + ")" : "";
                throw fail(ProcessFailure.EXITED_NONZERO, "exited with " + status + signal + " after " + read()
                        + " of " + expected + " rewards");
            }
            if (read() < expected) {
                throw fail(ProcessFailure.TOO_FEW_REWARDS, "exited with 0 after " + read() + " of " + expected
                        + " rewards");
            }
            double[] r = new double[expected];
            synchronized (this) {
                for (int i = 0; i < expected; i++) {
                    r[i] = rewards.get(i);
                }
            }
            return r;
        }

        private void finish(Thread... helpers) {
            for (Thread t : helpers) {
                try {
                    t.join(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }

        private Thread helper(long pid, String stream, Runnable body) {
            Thread t = new Thread(body, "grpo4j-reward-process-" + pid + "-" + stream);
            t.setDaemon(true);
            t.start();
            return t;
        }

        private synchronized int read() {
            return rewards.size();
        }

        private synchronized boolean failed() {
            return failure != null;
        }

        /** Records the first failure and kills the tree (outside the lock: the kill waits for the processes). */
        private void failWith(ProcessFailure f, String detail) {
            synchronized (this) {
                if (failure != null) {
                    return;
                }
                failure = f;
                failureDetail = detail;
            }
            tree.kill();
        }

        private void readStdout() {
            byte[] buf = new byte[8192];
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            long total = 0;
            int lineNo = 0;
            try (InputStream in = process.getInputStream()) {
                for (int k; (k = in.read(buf)) > 0; ) {
                    total += k;
                    if (total > config.maxOutputBytes()) {
                        failWith(ProcessFailure.STDOUT_LIMIT, "wrote more than " + config.maxOutputBytes()
                                + " bytes to stdout (maxOutputBytes) after " + read() + " of " + expected + " rewards");
                        return;
                    }
                    for (int i = 0; i < k; i++) {
                        if (buf[i] == '\n') {
                            if (!reward(++lineNo, line)) {
                                return;
                            }
                            line.reset();
                        } else {
                            line.write(buf[i]);
                        }
                    }
                }
                if (line.size() > 0) {
                    reward(++lineNo, line);
                }
            } catch (IOException e) {
                // the stream was closed: the process tree is gone
            }
        }

        /** Handles one stdout line; false when it failed the run. */
        private boolean reward(int lineNo, ByteArrayOutputStream bytes) {
            String text = bytes.toString(StandardCharsets.UTF_8);
            Double v = RewardLines.parse(text);
            if (v == null) {
                failWith(ProcessFailure.BAD_REWARD_LINE, "printed " + RewardLines.quote(text) + " as reward line "
                        + lineNo + " of " + expected + ", which is not a finite JSON number,");
                return false;
            }
            synchronized (this) {
                if (rewards.size() < expected) {
                    rewards.add(v);
                    return true;
                }
            }
            failWith(ProcessFailure.TOO_MANY_REWARDS, "printed more than " + expected + " reward lines (line "
                    + lineNo + ": " + RewardLines.quote(text) + ") for " + expected + " completions");
            return false;
        }

        private void readStderr() {
            byte[] buf = new byte[8192];
            long total = 0;
            try (InputStream in = process.getErrorStream()) {
                for (int k; (k = in.read(buf)) > 0; ) {
                    total += k;
                    synchronized (this) {
                        stderr.write(buf, 0, Math.min(k, Math.max(0, config.maxOutputBytes() - stderr.size())));
                    }
                    if (total > config.maxOutputBytes()) {
                        failWith(ProcessFailure.STDERR_LIMIT, "wrote more than " + config.maxOutputBytes()
                                + " bytes to stderr (maxOutputBytes) after " + read() + " of " + expected + " rewards");
                        return;
                    }
                }
            } catch (IOException e) {
                // the stream was closed: the process tree is gone
            }
        }

        private String prefix() {
            return "reward command " + config.command();
        }

        private RewardProcessException fail(ProcessFailure f, String what) {
            return new RewardProcessException(f, config.command(), read(), expected, prefix() + " " + what
                    + "; stderr: " + stderrTail(), null);
        }

        private synchronized String stderrTail() {
            String s = stderr.toString(StandardCharsets.UTF_8).strip();
            if (s.isEmpty()) {
                return "(empty)";
            }
            if (s.length() <= STDERR_QUOTED) {
                return s;
            }
            String tail = s.substring(s.length() - STDERR_QUOTED);
            int line = tail.indexOf('\n');
            return "..." + (line >= 0 && line < 200 ? tail.substring(line + 1) : tail);
        }
    }
}
