package org.grpo4j.verify.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A child process and every descendant seen while it ran. Descendants are remembered at each {@link #snapshot()},
 * since one whose parent has exited is no longer found among the root's descendants; {@link #kill()} kills the
 * root, then every remembered process top-down, each after remembering its own descendants.
 *
 * <p>Limits: a process that detaches itself between two snapshots and whose parent exits before the next one (a
 * double fork that returns at once) escapes; code that tries to escape needs an OS sandbox around the command.
 */
final class ProcessTree {
    private final ProcessHandle root;
    private final Map<Long, ProcessHandle> seen = new LinkedHashMap<>();

    ProcessTree(ProcessHandle root) {
        this.root = root;
    }

    /** Remembers the root's current descendants. */
    synchronized void snapshot() {
        if (root.isAlive()) {
            root.descendants().forEach(h -> seen.putIfAbsent(h.pid(), h));
        }
    }

    /**
     * Kills the root and every remembered descendant and waits (up to 2 s) until none runs.
     *
     * @return how many processes were still running and were killed
     */
    synchronized int kill() {
        int killed = 0;
        snapshot();
        if (running(root)) {
            root.destroyForcibly();
            killed++;
        }
        List<ProcessHandle> todo = new ArrayList<>(seen.values());
        for (int i = 0; i < todo.size(); i++) {
            ProcessHandle h = todo.get(i);
            if (running(h)) {
                h.descendants().forEach(d -> {
                    if (seen.putIfAbsent(d.pid(), d) == null) {
                        todo.add(d);
                    }
                });
                h.destroyForcibly();
                killed++;
            }
        }
        long end = System.nanoTime() + 2_000_000_000L;
        todo.add(0, root);                                                     // the root too, not only its tree
        for (ProcessHandle h : todo) {
            while (running(h) && System.nanoTime() < end) {
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return killed;
                }
            }
        }
        return killed;
    }

    /** @return whether any process of the tree (root or remembered) still runs */
    synchronized boolean anyRunning() {
        if (running(root)) {
            return true;
        }
        for (ProcessHandle h : seen.values()) {
            if (running(h)) {
                return true;
            }
        }
        return false;
    }

    /** @return the pids of the root and every remembered descendant */
    synchronized List<Long> pids() {
        List<Long> out = new ArrayList<>();
        out.add(root.pid());
        out.addAll(seen.keySet());
        return out;
    }

    /**
     * Whether a process runs: alive and, where {@code /proc} tells, not a zombie (a killed process whose new parent
     * has not reaped it yet is dead, though {@link ProcessHandle#isAlive()} may still say otherwise).
     */
    static boolean running(ProcessHandle h) {
        if (!h.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", Long.toString(h.pid()), "stat");
        try {
            String s = Files.readString(stat);
            int close = s.lastIndexOf(')');
            if (close > 0 && close + 2 < s.length()) {
                char state = s.charAt(close + 2);
                return state != 'Z' && state != 'X';
            }
            return true;
        } catch (IOException | RuntimeException e) {
            return h.isAlive();
        }
    }
}
