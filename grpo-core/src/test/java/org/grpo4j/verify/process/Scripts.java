package org.grpo4j.verify.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.grpo4j.Prompt;

/** Reward scripts for the tests: POSIX sh files in a temporary directory, and checks that their processes are gone. */
final class Scripts {
    private Scripts() {
    }

    /** Writes {@code name} with {@code body} in {@code dir} and returns a config running it with /bin/sh there. */
    static ProcessVerifierConfig.Builder sh(Path dir, String name, String body) throws IOException {
        Files.writeString(dir.resolve(name), body);
        return ProcessVerifierConfig.builder(List.of("/bin/sh", name), dir).timeLimit(Duration.ofSeconds(20));
    }

    static List<Prompt> prompts(int n) {
        List<Prompt> ps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ps.add(new Prompt("p" + i, new int[] {1, i}, new int[] {i}));
        }
        return ps;
    }

    static List<int[]> completions(int n) {
        List<int[]> cs = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            cs.add(new int[] {i, i + 1});
        }
        return cs;
    }

    /** The pids a script wrote to {@code file}, one per line. */
    static List<Long> pids(Path file) throws IOException {
        List<Long> out = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            if (!line.isBlank()) {
                out.add(Long.parseLong(line.strip()));
            }
        }
        return out;
    }

    /**
     * Whether a process still runs: its {@code /proc} entry exists and is not a zombie (a killed process whose new
     * parent has not reaped it is dead). Without {@code /proc}, what {@link ProcessHandle} says.
     */
    static boolean running(long pid) {
        Path stat = Path.of("/proc", Long.toString(pid), "stat");
        if (Files.isDirectory(Path.of("/proc/self"))) {
            try {
                String s = Files.readString(stat);
                char state = s.charAt(s.lastIndexOf(')') + 2);
                return state != 'Z' && state != 'X';
            } catch (IOException e) {
                return false;
            }
        }
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /** Waits (up to 10 s) until {@code file} holds {@code lines} lines. */
    static void awaitLines(Path file, int lines) throws Exception {
        long end = System.nanoTime() + 10_000_000_000L;
        while (System.nanoTime() < end) {
            if (Files.exists(file) && pids(file).size() >= lines) {
                return;
            }
            Thread.sleep(5);
        }
        throw new AssertionError(file + " did not get " + lines + " lines");
    }

    /** The live helper threads of reward processes, after waiting (up to 5 s) for them to end. */
    static List<String> helperThreadsAfterAWhile() throws InterruptedException {
        long end = System.nanoTime() + 5_000_000_000L;
        List<String> names;
        do {
            names = Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                    .filter(n -> n.startsWith("grpo4j-reward-process-")).toList();
            if (names.isEmpty()) {
                return names;
            }
            Thread.sleep(10);
        } while (System.nanoTime() < end);
        return names;
    }
}
