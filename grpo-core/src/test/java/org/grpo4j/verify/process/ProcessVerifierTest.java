package org.grpo4j.verify.process;

import static org.grpo4j.verify.process.Scripts.completions;
import static org.grpo4j.verify.process.Scripts.prompts;
import static org.grpo4j.verify.process.Scripts.sh;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.grpo4j.Prompt;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link ProcessVerifier} with real child processes: /bin/sh scripts, and one single-file Java program. */
class ProcessVerifierTest {
    @TempDir
    Path dir;

    @AfterEach
    void noHelperThreadOutlivesACall() throws InterruptedException {
        assertEquals(List.of(), Scripts.helperThreadsAfterAWhile());
    }

    @Test
    void aShellScriptScoresABatchInOneProcessInItsDirectoryWithOnlyTheGivenEnvironment() throws Exception {
        String script = """
                [ -z "$HOME" ] || { echo "HOME leaked: $HOME" >&2; exit 3; }
                [ "$(pwd)" = "$EXPECTED_DIR" ] || { echo "wrong directory $(pwd)" >&2; exit 4; }
                echo run >> runs.log
                while IFS= read -r line; do
                  printf '%s\\n' "$line" >> requests.jsonl
                  case "$line" in
                    *'"completion":[2,3]'*) echo 1 ;;
                    *) echo "  -0.5e0 " ;;
                  esac
                done
                """;
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "score.sh", script)
                .environment("EXPECTED_DIR", dir.toRealPath().toString()).build());
        double[] r = v.scoreBatch(prompts(4), completions(4));
        assertArrayEquals(new double[] {-0.5, -0.5, 1, -0.5}, r, 0);
        assertEquals(List.of("run"), Files.readAllLines(dir.resolve("runs.log")), "one process for the batch");
        assertEquals(List.of(
                "{\"index\":0,\"prompt_id\":\"p0\",\"prompt\":[1,0],\"target\":[0],\"completion\":[0,1]}",
                "{\"index\":1,\"prompt_id\":\"p1\",\"prompt\":[1,1],\"target\":[1],\"completion\":[1,2]}",
                "{\"index\":2,\"prompt_id\":\"p2\",\"prompt\":[1,2],\"target\":[2],\"completion\":[2,3]}",
                "{\"index\":3,\"prompt_id\":\"p3\",\"prompt\":[1,3],\"target\":[3],\"completion\":[3,4]}"),
                Files.readAllLines(dir.resolve("requests.jsonl")));
    }

    @Test
    void batchesLargerThanTheBatchSizeRunSeveralProcesses() throws Exception {
        String script = "echo run >> runs.log\nwhile read -r line; do echo 2; done\n";
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "score.sh", script).batchSize(3).build());
        assertEquals(3, v.maxBatchSize());
        assertArrayEquals(new double[] {2, 2, 2, 2, 2, 2, 2}, v.scoreBatch(prompts(7), completions(7)), 0);
        assertEquals(3, Files.readAllLines(dir.resolve("runs.log")).size(), "3 + 3 + 1");
    }

    @Test
    void withADecoderTheRequestsCarryTheTextEscaped() throws Exception {
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "score.sh", "cat > requests.jsonl; echo 1\n").build(),
                tokens -> tokens.length == 0 ? "" : "a\"b\\c\nd\té\u0001" + tokens[0] + "\uD83D\uDE00\uD800");
        v.scoreBatch(List.of(Prompt.of("q \"1\"", 5)), List.of(new int[] {7}));
        assertEquals("{\"index\":0,\"prompt_id\":\"q \\\"1\\\"\",\"prompt\":[5],\"target\":[],\"completion\":[7],"
                        + "\"prompt_text\":\"a\\\"b\\\\c\\nd\\té\\u00015\uD83D\uDE00\\ud800\",\"target_text\":\"\","
                        + "\"completion_text\":\"a\\\"b\\\\c\\nd\\té\\u00017\uD83D\uDE00\\ud800\"}\n",
                Files.readString(dir.resolve("requests.jsonl")));
    }

    @Test
    void aSingleFileJavaProgramScores() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Files.writeString(dir.resolve("Score.java"), """
                import java.io.BufferedReader;
                import java.io.InputStreamReader;
                import java.util.regex.Matcher;
                import java.util.regex.Pattern;

                public class Score {
                    public static void main(String[] args) throws Exception {
                        Pattern completion = Pattern.compile("\\"completion\\":\\\\[([0-9,]*)\\\\]");
                        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
                        for (String line; (line = in.readLine()) != null; ) {
                            Matcher m = completion.matcher(line);
                            if (!m.find()) {
                                System.err.println("no completion in " + line);
                                System.exit(2);
                            }
                            int sum = 0;
                            for (String t : m.group(1).split(",")) {
                                sum += Integer.parseInt(t);
                            }
                            System.out.println(sum / 4.0);
                        }
                    }
                }
                """);
        ProcessVerifier v = ProcessVerifier.of(ProcessVerifierConfig.builder(List.of(java, "Score.java"), dir)
                .timeLimit(Duration.ofSeconds(60)).build());
        assertArrayEquals(new double[] {0.25, 0.75, 1.25}, v.scoreBatch(prompts(3), completions(3)), 0);
    }

    @Test
    void aCrashIsReportedWithTheExitStatusTheRewardsReadAndStderr() throws Exception {
        String script = "echo 1; echo 0; echo 1; echo 'Traceback: boom' >&2; exit 1\n";
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "score.sh", script).build());
        RewardProcessException e = assertThrows(RewardProcessException.class,
                () -> v.scoreBatch(prompts(8), completions(8)));
        assertEquals("reward command [/bin/sh, score.sh] exited with 1 after 3 of 8 rewards; stderr: Traceback: boom",
                e.getMessage());
        assertEquals(ProcessFailure.EXITED_NONZERO, e.failure());
        assertEquals(3, e.rewardsRead());
        assertEquals(8, e.rewardsExpected());
        assertEquals(List.of("/bin/sh", "score.sh"), e.command());
    }

    @Test
    void aHangIsKilledAtTheTimeLimitWithItsWholeProcessTreeGrandchildrenIncluded() throws Exception {
        // sh -> sleep (a child of the script) and sh -> sh -> sleep (a grandchild of the script)
        String script = """
                echo $$ > pids
                sleep 1000 &
                echo $! >> pids
                sh -c 'sleep 1000 & echo $! >> pids; echo $$ >> pids; wait' &
                echo 0.5
                wait
                """;
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "hang.sh", script).timeLimit(Duration.ofMillis(700)).build());
        long start = System.nanoTime();
        RewardProcessException e = assertThrows(RewardProcessException.class,
                () -> v.scoreBatch(prompts(4), completions(4)));
        double seconds = (System.nanoTime() - start) / 1e9;
        assertEquals(ProcessFailure.TIMED_OUT, e.failure());
        assertTrue(e.getMessage().startsWith("reward command [/bin/sh, hang.sh] ran past its time limit of PT0.7S "
                + "after 1 of 4 rewards and was killed with its process tree ("), e.getMessage());
        assertTrue(seconds < 5, "killed at the limit, not when sleep ends: " + seconds);
        List<Long> pids = Scripts.pids(dir.resolve("pids"));
        assertEquals(4, pids.size(), "the script, its sleep, the inner sh and its sleep: " + pids);
        for (long pid : pids) {
            assertFalse(Scripts.running(pid), "process " + pid + " of the tree is gone");
        }
    }

    @Test
    void aScriptThatNeverReadsItsInputAndHangsIsKilled() throws Exception {
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "hang.sh", "echo $$ > pids; exec sleep 1000\n")
                .timeLimit(Duration.ofMillis(300)).build());
        // far more input than a pipe buffers, so the writer blocks until the kill
        RewardProcessException e = assertThrows(RewardProcessException.class,
                () -> v.scoreBatch(prompts(64), longCompletions(64, 2000)));
        assertEquals(ProcessFailure.TIMED_OUT, e.failure());
        assertFalse(Scripts.running(Scripts.pids(dir.resolve("pids")).get(0)));
    }

    private static List<int[]> longCompletions(int n, int length) {
        List<int[]> cs = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            cs.add(new int[length]);
        }
        return cs;
    }

    @Test
    void garbageOnStdoutIsRefusedNamingTheLine() throws Exception {
        for (String bad : List.of("hello", "NaN", "Infinity", "1e999", "0x10", "1.0f", "+1", "01", "1.", ".5", "",
                "1 2", "[1]", "\"1\"")) {
            ProcessVerifier v = ProcessVerifier.of(sh(dir, "score.sh", "echo 1\nprintf '%s\\n' '" + bad
                    + "'\necho 1\nexec sleep 1000\n").build());
            RewardProcessException e = assertThrows(RewardProcessException.class,
                    () -> v.scoreBatch(prompts(3), completions(3)));
            assertEquals(ProcessFailure.BAD_REWARD_LINE, e.failure(), bad);
            assertEquals("reward command [/bin/sh, score.sh] printed '" + bad + "' as reward line 2 of 3, which is "
                    + "not a finite JSON number, and was killed with its process tree; stderr: (empty)",
                    e.getMessage());
            assertEquals(1, e.rewardsRead());
        }
    }

    @Test
    void wellFormedNumbersAreAccepted() throws Exception {
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "score.sh",
                "printf '0\\n-0\\n1.5\\r\\n\\t2E+2 \\n-3.25e-2\\n7'\n").build());
        assertArrayEquals(new double[] {0, -0.0, 1.5, 200, -0.0325, 7}, v.scoreBatch(prompts(6), completions(6)), 0);
    }

    @Test
    void tooFewAndTooManyLinesAreRefused() throws Exception {
        ProcessVerifier few = ProcessVerifier.of(sh(dir, "few.sh", "echo 1; echo 1\n").build());
        RewardProcessException e = assertThrows(RewardProcessException.class,
                () -> few.scoreBatch(prompts(4), completions(4)));
        assertEquals(ProcessFailure.TOO_FEW_REWARDS, e.failure());
        assertEquals("reward command [/bin/sh, few.sh] exited with 0 after 2 of 4 rewards; stderr: (empty)",
                e.getMessage());

        ProcessVerifier many = ProcessVerifier.of(sh(dir, "many.sh", "echo $$ > pids; yes 1\n").build());
        RewardProcessException m = assertThrows(RewardProcessException.class,
                () -> many.scoreBatch(prompts(4), completions(4)));
        assertEquals(ProcessFailure.TOO_MANY_REWARDS, m.failure());
        assertEquals("reward command [/bin/sh, many.sh] printed more than 4 reward lines (line 5: '1') for 4 "
                + "completions and was killed with its process tree; stderr: (empty)", m.getMessage());
        assertFalse(Scripts.running(Scripts.pids(dir.resolve("pids")).get(0)));
    }

    @Test
    void floodingStdoutStopsAtTheBound() throws Exception {
        // one endless line of digits: no line feed ever comes, only the byte bound stops it
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "flood.sh", "echo 1; yes 1 | tr -d '\\n'\n")
                .maxOutputBytes(65536).build());
        RewardProcessException e = assertThrows(RewardProcessException.class,
                () -> v.scoreBatch(prompts(2), completions(2)));
        assertEquals(ProcessFailure.STDOUT_LIMIT, e.failure());
        assertEquals("reward command [/bin/sh, flood.sh] wrote more than 65536 bytes to stdout (maxOutputBytes) "
                + "after 1 of 2 rewards and was killed with its process tree; stderr: (empty)", e.getMessage());
    }

    @Test
    void floodingStderrStopsAtTheBoundAndQuotesItsEnd() throws Exception {
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "flood.sh", "echo 1; yes 'warning: deprecated' >&2\n")
                .maxOutputBytes(100_000).build());
        RewardProcessException e = assertThrows(RewardProcessException.class,
                () -> v.scoreBatch(prompts(2), completions(2)));
        assertEquals(ProcessFailure.STDERR_LIMIT, e.failure());
        assertTrue(e.getMessage().startsWith("reward command [/bin/sh, flood.sh] wrote more than 100000 bytes to "
                + "stderr (maxOutputBytes) after "), e.getMessage());
        assertTrue(e.getMessage().contains("; stderr: ...warning: deprecated"), e.getMessage());
        assertTrue(e.getMessage().length() < 2400, "stderr is quoted up to 2000 characters");
    }

    @Test
    void aCommandThatCannotStartIsReported() throws Exception {
        ProcessVerifier missing = ProcessVerifier.of(ProcessVerifierConfig.builder(
                List.of(dir.resolve("no-such-program").toString()), dir).build());
        RewardProcessException e = assertThrows(RewardProcessException.class,
                () -> missing.scoreBatch(prompts(1), completions(1)));
        assertEquals(ProcessFailure.START_FAILED, e.failure());
        assertTrue(e.getMessage().startsWith("reward command [" + dir.resolve("no-such-program")
                + "] could not be started in " + dir + ": "), e.getMessage());

        Path gone = dir.resolve("gone");
        ProcessVerifier noDir = ProcessVerifier.of(ProcessVerifierConfig.builder(List.of("/bin/sh"), gone).build());
        RewardProcessException d = assertThrows(RewardProcessException.class,
                () -> noDir.scoreBatch(prompts(1), completions(1)));
        assertEquals("reward command [/bin/sh] could not be started: its working directory " + gone
                + " is not a directory", d.getMessage());
    }

    @Test
    void anInterruptedCallKillsTheTreeAndThrowsInterruptedException() throws Exception {
        String script = "echo $$ > pids; sleep 1000 & echo $! >> pids; wait\n";
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "hang.sh", script).build());
        Thread caller = Thread.currentThread();
        Thread interrupter = new Thread(() -> {
            try {
                Scripts.awaitLines(dir.resolve("pids"), 2);
                caller.interrupt();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        interrupter.start();
        InterruptedException e = assertThrows(InterruptedException.class,
                () -> v.scoreBatch(prompts(2), completions(2)));
        interrupter.join();
        assertTrue(e.getMessage().startsWith("reward command [/bin/sh, hang.sh] was interrupted after 0 of 2 "
                + "rewards; its process tree was killed"), e.getMessage());
        for (long pid : Scripts.pids(dir.resolve("pids"))) {
            assertFalse(Scripts.running(pid), "process " + pid);
        }
    }

    @Test
    void anEmptyBatchStartsNothingAndSizesMustMatch() throws Exception {
        ProcessVerifier v = ProcessVerifier.of(sh(dir, "score.sh", "echo run >> runs.log\n").build());
        assertArrayEquals(new double[0], v.scoreBatch(List.of(), List.of()), 0);
        assertFalse(Files.exists(dir.resolve("runs.log")));
        assertEquals("prompts size (2) must equal completions size (1)", assertThrows(IllegalArgumentException.class,
                () -> v.scoreBatch(prompts(2), completions(1))).getMessage());
    }

    @Test
    void theConfigIsValidatedNamingTheField() {
        Path d = Path.of(".");
        assertEquals("command must hold at least the program, was []", assertThrows(IllegalArgumentException.class,
                () -> ProcessVerifierConfig.builder(List.of(), d).build()).getMessage());
        assertEquals("command[0] (the program) must not be blank, in [ , x]",
                assertThrows(IllegalArgumentException.class,
                        () -> ProcessVerifierConfig.builder(List.of(" ", "x"), d).build()).getMessage());
        assertEquals("command[1] must not contain NUL, in [sh, a\0b]", assertThrows(IllegalArgumentException.class,
                () -> ProcessVerifierConfig.builder(List.of("sh", "a\0b"), d).build()).getMessage());
        assertEquals("workingDirectory must not be null", assertThrows(IllegalArgumentException.class,
                () -> ProcessVerifierConfig.builder(List.of("sh"), null).build()).getMessage());
        assertEquals("timeLimit must be positive, was PT0S", assertThrows(IllegalArgumentException.class,
                () -> ProcessVerifierConfig.builder(List.of("sh"), d).timeLimit(Duration.ZERO).build()).getMessage());
        assertEquals("maxOutputBytes must be ≥ 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> ProcessVerifierConfig.builder(List.of("sh"), d).maxOutputBytes(0).build()).getMessage());
        assertEquals("batchSize must be ≥ 1, was 0", assertThrows(IllegalArgumentException.class,
                () -> ProcessVerifierConfig.builder(List.of("sh"), d).batchSize(0).build()).getMessage());
        assertEquals("name must not be blank, was ' '", assertThrows(IllegalArgumentException.class,
                () -> ProcessVerifierConfig.builder(List.of("sh"), d).name(" ").build()).getMessage());
        assertEquals("environment names must be non-empty without '=' or NUL, was 'A=B'",
                assertThrows(IllegalArgumentException.class, () -> ProcessVerifierConfig.builder(List.of("sh"), d)
                        .environment("A=B", "x").build()).getMessage());
        assertEquals("environment['A'] must be a string without NUL, was null",
                assertThrows(IllegalArgumentException.class, () -> ProcessVerifierConfig.builder(List.of("sh"), d)
                        .environment("A", null).build()).getMessage());

        ProcessVerifierConfig c = ProcessVerifierConfig.builder(List.of("sh", "score.sh"), d).build();
        assertEquals("reward-command", c.name());
        assertEquals(Map.of("PATH", ProcessVerifierConfig.DEFAULT_PATH), c.environment());
        assertEquals(Duration.ofSeconds(5), c.timeLimit());
        assertEquals(1 << 20, c.maxOutputBytes());
        assertEquals(64, c.batchSize());
        assertEquals(c, c.toBuilder().build());
        assertThrows(UnsupportedOperationException.class, () -> c.command().add("x"));
        assertThrows(UnsupportedOperationException.class, () -> c.environment().put("X", "y"));
    }
}
