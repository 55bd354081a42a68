package org.grpo4j.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.grpo4j.BatchRewardVerifier;
import org.grpo4j.Checks;
import org.grpo4j.CombinedVerifier;
import org.grpo4j.GroupBatch;
import org.grpo4j.PartialBatchRewardVerifier;
import org.grpo4j.PartialRewardVerifier;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.WeightedVerifier;

/**
 * Scores completions with one or several weighted verifiers, in parallel on a bounded pool, with a time limit per
 * call. A verifier that throws or exceeds its limit is handled by the configured {@link FailurePolicy}: the run
 * stops with a {@link VerifierException} naming the verifier, prompt and completion, or the score is replaced by the
 * failure reward and counted. A NaN or infinite score is always an error. A {@link PartialRewardVerifier} or
 * {@link PartialBatchRewardVerifier} may abstain: its abstentions are recorded in {@link Rewards#abstained()} and left out of the total (TRL's
 * {@code nansum}); a completion that every verifier abstains on gets the total 0.
 *
 * <p>The bound: the runner owns {@code threads} slots, one thread each, and a verifier call runs only while it
 * holds a slot, so at most {@code threads} calls ever run at once and the runner never has more than
 * {@code threads} threads. A call's time limit runs from when it gets its slot. A call past its limit is
 * interrupted and abandoned (counted in {@link Rewards#abandoned()} and {@link #abandonedCalls()}); if it ignores
 * the interrupt it keeps its slot and its thread until it returns ({@link #stuckCalls()}), and the runner goes on
 * with the other slots. When every slot is held by such a call and calls are waiting, scoring waits up to one more
 * {@code timeout} for a slot to come free, then fails with a {@link VerifierException} naming the verifiers that
 * hold the slots, whatever the failure policy: no call could run, and scoring them all with the failure reward
 * would train on nothing. The runner is usable again once a stuck call returns.
 *
 * <p>A {@link BatchRewardVerifier} gets up to {@link BatchRewardVerifier#maxBatchSize()} completions per call, in
 * order; such a call takes one slot and has the same time limit, and a failure or timeout of it replaces (under
 * {@link FailurePolicy#SCORE}) or reports (under {@link FailurePolicy#FAIL}) every completion of the call.
 *
 * <p>{@link #close()} interrupts the running calls and ends the threads; a thread stuck in a call that ignores
 * interrupts ends when that call returns. A verifier that can hang in code that cannot be interrupted belongs in a
 * child process ({@code org.grpo4j.verify.process}), which can be killed.
 */
public final class VerifierRunner implements AutoCloseable {
    private static final AtomicInteger RUNNERS = new AtomicInteger();
    private static final Object WAKE = new Object();

    private final List<WeightedVerifier> parts;
    private final VerifierConfig config;
    private final ThreadPoolExecutor pool;
    private final String threadPrefix;
    /** Abandoned calls whose verifier has not returned yet; each holds a slot (a pool thread). */
    private final Set<Call> stuck = ConcurrentHashMap.newKeySet();
    private final AtomicInteger abandoned = new AtomicInteger();
    /** The event queues of the {@code score} calls in progress, woken by {@link #close()}. */
    private final Set<BlockingQueue<Object>> active = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    /**
     * @param verifier a verifier; a {@link CombinedVerifier} is scored part by part
     * @param config   pool size, time limit and failure policy
     * @throws IllegalArgumentException if an argument is null
     */
    public VerifierRunner(RewardVerifier verifier, VerifierConfig config) {
        Checks.notNull("verifier", verifier);
        this.config = Checks.notNull("config", config);
        this.parts = verifier instanceof CombinedVerifier c ? c.parts() : List.of(WeightedVerifier.of(verifier));
        this.threadPrefix = "grpo4j-verifier-" + RUNNERS.incrementAndGet() + "-";
        AtomicInteger ids = new AtomicInteger();
        this.pool = new ThreadPoolExecutor(config.threads(), config.threads(), 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, threadPrefix + ids.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
    }

    /** @return the weighted verifiers scored, in order */
    public List<WeightedVerifier> parts() {
        return parts;
    }

    /**
     * Scores every completion of a batch.
     *
     * @param batch the groups
     * @return total and per-verifier rewards
     * @throws VerifierException     under {@link FailurePolicy#FAIL} when a verifier throws or times out, always
     *                               when a score is NaN or infinite, and when every slot stays held by a call that
     *                               ignored its interrupt (see the class comment)
     * @throws IllegalStateException if the runner is closed
     */
    public Rewards score(GroupBatch batch) {
        return score(batch.promptPerSequence(), batch.completionTokens());
    }

    /**
     * Scores completions of the given prompts.
     *
     * @param prompts     the prompt of each completion
     * @param completions the completions' token ids
     * @return total and per-verifier rewards
     * @throws IllegalArgumentException if the list sizes differ
     * @throws VerifierException        as {@link #score(GroupBatch)}
     * @throws IllegalStateException    if the runner is closed
     */
    public Rewards score(List<Prompt> prompts, List<int[]> completions) {
        if (prompts.size() != completions.size()) {
            throw new IllegalArgumentException("prompts size (" + prompts.size() + ") must equal completions size ("
                    + completions.size() + ")");
        }
        int n = prompts.size();
        int k = parts.size();
        if (closed) {
            throw closedException();
        }
        prompts = java.util.Collections.unmodifiableList(new ArrayList<>(prompts));
        completions = java.util.Collections.unmodifiableList(new ArrayList<>(completions));
        BlockingQueue<Object> events = new LinkedBlockingQueue<>();
        List<Call> calls = new ArrayList<>(n * k);
        for (int j = 0; j < k; j++) {
            int size = parts.get(j).verifier() instanceof BatchRewardVerifier b ? Math.max(1, b.maxBatchSize()) : 1;
            for (int i = 0; i < n; i += size) {
                calls.add(new Call(j, prompts, completions, i, (int) Math.min(n, (long) i + size), events));
            }
        }
        calls.sort(Comparator.comparingInt((Call c) -> c.from).thenComparingInt(c -> c.part));
        Batch b = new Batch(n, k, calls, events);
        active.add(events);
        try {
            for (Call c : calls) {
                pool.execute(c);
            }
            b.run();
        } catch (RejectedExecutionException e) {
            b.abandonAll();
            throw closedException();
        } catch (RuntimeException e) {
            b.abandonAll();
            throw e;
        } finally {
            active.remove(events);
        }
        Map<String, double[]> byName = new LinkedHashMap<>();
        Map<String, boolean[]> abstainedByName = new LinkedHashMap<>();
        for (int j = 0; j < k; j++) {
            byName.put(parts.get(j).name(), b.each[j]);
            if (b.anyAbstained[j]) {
                abstainedByName.put(parts.get(j).name(), b.abstained[j]);
            }
        }
        return new Rewards(b.total, byName, b.failures, b.timeouts, b.abandonedHere, abstainedByName);
    }

    /** @return how many timed-out calls were abandoned to their threads since the runner was made */
    public int abandonedCalls() {
        return abandoned.get();
    }

    /**
     * @return how many abandoned calls have not returned yet; each holds one of the {@code threads} slots, so
     *         {@code threads - stuckCalls()} calls can run now
     */
    public int stuckCalls() {
        return stuck.size();
    }

    /** The prefix of this runner's thread names (package-private for tests that count its threads). */
    String threadNamePrefix() {
        return threadPrefix;
    }

    /**
     * Interrupts the running calls and ends the runner's threads (a thread in a call that ignores interrupts ends
     * when the call returns). Later {@code score} calls throw {@link IllegalStateException}. Idempotent.
     */
    @Override
    public void close() {
        closed = true;
        pool.shutdownNow();
        active.forEach(q -> q.add(WAKE));
    }

    private static IllegalStateException closedException() {
        return new IllegalStateException("the VerifierRunner is closed: scoring needs a runner that is open");
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The scoring of one {@code score} call: waits for its calls' events and enforces their time limits. */
    private final class Batch {
        final double[] total;
        final double[][] each;
        final boolean[][] abstained;
        final boolean[] anyAbstained;
        final List<Call> calls;
        final BlockingQueue<Object> events;
        final List<Call> running = new ArrayList<>();
        int failures;
        int timeouts;
        int abandonedHere;
        int unresolved;

        Batch(int n, int k, List<Call> calls, BlockingQueue<Object> events) {
            this.total = new double[n];
            this.each = new double[k][n];
            this.abstained = new boolean[k][n];
            this.anyAbstained = new boolean[k];
            this.calls = calls;
            this.events = events;
            this.unresolved = calls.size();
        }

        void run() {
            long limit = config.timeout().toNanos();
            long blockedSince = 0;
            boolean blocked = false;
            Object event = null;
            while (unresolved > 0) {
                for (event = event != null ? event : events.poll(); event != null; event = events.poll()) {
                    if (event instanceof Call c && !c.resolved) {
                        if (c.isDone()) {
                            running.remove(c);
                            resolve(c, c.finishedAt - c.startedAt > limit ? Outcome.TIMEOUT : Outcome.RETURNED);
                        } else if (!running.contains(c)) {
                            running.add(c);
                        }
                    }
                }
                if (closed) {
                    throw closedException();
                }
                long now = System.nanoTime();
                long next = Long.MAX_VALUE;
                for (int r = running.size() - 1; r >= 0; r--) {
                    Call c = running.get(r);
                    long deadline = c.startedAt + limit;
                    if (now - deadline >= 0) {
                        if (c.abandon()) {
                            running.remove(r);
                            abandonedHere++;
                            abandoned.incrementAndGet();
                            resolve(c, Outcome.TIMEOUT);
                        } // else it has just returned: its end event is queued
                    } else {
                        next = Math.min(next, deadline - now);
                    }
                }
                if (unresolved == 0) {
                    break;
                }
                // Calls wait for a slot, and every slot is held by an abandoned call that has not returned: no call
                // can start until one does. Wait one more time limit, then fail.
                if (running.isEmpty() && stuck.size() >= config.threads()) {
                    if (!blocked) {
                        blocked = true;
                        blockedSince = now;
                    }
                    long left = blockedSince + limit - now;
                    if (left <= 0) {
                        throw blockedFailure();
                    }
                    next = Math.min(next, left);
                } else {
                    blocked = false;
                }
                try {
                    event = events.poll(next, TimeUnit.NANOSECONDS);      // a call's start or end, or close()
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new VerifierException("scoring was interrupted with " + unresolved + " of " + calls.size()
                            + " verifier calls unfinished", e);
                }
            }
        }

        private void resolve(Call c, Outcome outcome) {
            c.resolved = true;
            unresolved--;
            FailurePolicy policy = config.onFailure();
            double[] scores;
            boolean[] abstains = null;
            if (outcome == Outcome.TIMEOUT) {
                if (policy == FailurePolicy.FAIL) {
                    throw failure(c, "exceeded its time limit of " + config.timeout(), null);
                }
                timeouts += c.size();
                scores = filled(c.size(), config.failureReward());
            } else if (c.error != null) {
                if (policy == FailurePolicy.FAIL) {
                    throw failure(c, "threw " + c.error, c.error);
                }
                failures += c.size();
                scores = filled(c.size(), config.failureReward());
            } else {
                scores = c.scores;
                abstains = c.abstains;
            }
            WeightedVerifier p = parts.get(c.part);
            for (int i = 0; i < c.size(); i++) {
                if (abstains != null && abstains[i]) {
                    abstained[c.part][c.from + i] = true;             // no score: left out of the total (nansum)
                    anyAbstained[c.part] = true;
                    continue;
                }
                double s = scores[i];
                if (!Double.isFinite(s)) {
                    throw failure(c.single(i), "returned a non-finite reward " + s, null);
                }
                each[c.part][c.from + i] = s;
                total[c.from + i] += p.weight() * s;
            }
        }

        private VerifierException blockedFailure() {
            List<Call> holders = new ArrayList<>(stuck);
            StringBuilder who = new StringBuilder();
            long now = System.nanoTime();
            for (int h = 0; h < holders.size(); h++) {
                Call c = holders.get(h);
                who.append(h == 0 ? "" : "; ").append(describe(c)).append(String.format(" (running for %.2f s)",
                        (now - c.startedAt) / 1e9));
            }
            int waiting = unresolved;
            return new VerifierException("every verifier slot (" + holders.size() + " of " + config.threads()
                    + ") is held by a call that exceeded its time limit of " + config.timeout() + " and ignored the "
                    + "interrupt, and none came free within a further " + config.timeout() + ", so " + waiting
                    + " call(s) of this step could not run: " + who + ". Make the verifier return when interrupted "
                    + "or within its limit, or run it in a child process that can be killed "
                    + "(org.grpo4j.verify.process)", null);
        }

        void abandonAll() {
            for (Call c : calls) {
                if (c.abandon()) {
                    abandoned.incrementAndGet();
                }
                pool.remove(c);
            }
        }
    }

    private enum Outcome { RETURNED, TIMEOUT }

    private static double[] filled(int n, double v) {
        double[] a = new double[n];
        Arrays.fill(a, v);
        return a;
    }

    private VerifierException failure(Call c, String what, Throwable cause) {
        return new VerifierException("verifier '" + parts.get(c.part).name() + "' " + what + " on " + where(c), cause);
    }

    private String describe(Call c) {
        return "verifier '" + parts.get(c.part).name() + "' on " + where(c);
    }

    private static String where(Call c) {
        Prompt prompt = c.prompts.get(c.from);
        String first = "prompt '" + prompt.id() + "' " + Arrays.toString(prompt.tokens()) + " with completion "
                + Arrays.toString(c.completions.get(c.from));
        if (c.size() == 1) {
            return first;
        }
        return "completions " + c.from + " to " + (c.to - 1) + " of the batch (the first: " + first + ")";
    }

    /**
     * One verifier call: part {@code part} on completions {@code [from, to)}. It reports its start and its end to
     * its batch's event queue. States: queued, running, abandoned (still running, past its limit), done, cancelled
     * (abandoned before it started). Every transition holds the call's lock, so an interrupt reaches only the call
     * it was meant for, never a later task of the same thread.
     */
    private final class Call implements Runnable {
        private static final int QUEUED = 0;
        private static final int RUNNING = 1;
        private static final int ABANDONED = 2;
        private static final int DONE = 3;
        private static final int CANCELLED = 4;

        final int part;
        final List<Prompt> prompts;
        final List<int[]> completions;
        final int from;
        final int to;
        private final BlockingQueue<Object> events;
        private int state = QUEUED;
        private Thread thread;
        volatile long startedAt;
        volatile long finishedAt;
        volatile double[] scores;
        /** Which completions a {@link PartialRewardVerifier} abstained on; null when it scored them all. */
        volatile boolean[] abstains;
        volatile Throwable error;
        /** Set by the batch's own thread only. */
        boolean resolved;

        Call(int part, List<Prompt> prompts, List<int[]> completions, int from, int to, BlockingQueue<Object> events) {
            this.part = part;
            this.prompts = prompts;
            this.completions = completions;
            this.from = from;
            this.to = to;
            this.events = events;
        }

        int size() {
            return to - from;
        }

        /** The same call narrowed to completion {@code from + i}, for messages. */
        Call single(int i) {
            return new Call(part, prompts, completions, from + i, from + i + 1, events);
        }

        @Override
        public void run() {
            synchronized (this) {
                if (state != QUEUED) {
                    return;                                               // abandoned while queued
                }
                thread = Thread.currentThread();
                startedAt = System.nanoTime();
                state = RUNNING;
            }
            events.add(this);
            try {
                RewardVerifier v = parts.get(part).verifier();
                if (v instanceof PartialBatchRewardVerifier pb) {
                    List<OptionalDouble> r = pb.scoreBatchIfApplicable(prompts.subList(from, to),
                            completions.subList(from, to));
                    if (r == null || r.size() != size()) {
                        throw new IllegalStateException("scoreBatchIfApplicable returned " + (r == null ? "null"
                                : r.size() + " scores") + " for " + size() + " completions");
                    }
                    double[] s = new double[size()];
                    boolean[] none = new boolean[size()];
                    boolean any = false;
                    for (int i = 0; i < s.length; i++) {
                        OptionalDouble x = r.get(i);
                        if (x == null) {
                            throw new IllegalStateException("scoreBatchIfApplicable returned null for completion "
                                    + i + " of " + size() + "; return OptionalDouble.empty() to abstain");
                        }
                        none[i] = x.isEmpty();
                        any |= none[i];
                        s[i] = x.orElse(0);
                    }
                    abstains = any ? none : null;
                    scores = s;
                } else if (v instanceof BatchRewardVerifier b) {
                    double[] r = b.scoreBatch(prompts.subList(from, to), completions.subList(from, to));
                    if (r == null || r.length != size()) {
                        throw new IllegalStateException("scoreBatch returned " + (r == null ? "null" : r.length
                                + " rewards") + " for " + size() + " completions");
                    }
                    scores = r.clone();
                } else if (v instanceof PartialRewardVerifier partial) {
                    OptionalDouble s = partial.scoreIfApplicable(prompts.get(from), completions.get(from));
                    if (s == null) {
                        throw new IllegalStateException("scoreIfApplicable returned null; return "
                                + "OptionalDouble.empty() to abstain");
                    }
                    if (s.isEmpty()) {
                        abstains = new boolean[] {true};
                    }
                    scores = new double[] {s.orElse(0)};
                } else {
                    scores = new double[] {v.score(prompts.get(from), completions.get(from))};
                }
            } catch (Throwable t) {
                error = t;
            } finally {
                synchronized (this) {
                    finishedAt = System.nanoTime();
                    if (state == ABANDONED) {
                        stuck.remove(this);
                    }
                    state = DONE;
                    thread = null;
                    Thread.interrupted();                                 // an interrupt meant for this call only
                }
                events.add(this);
            }
        }

        synchronized boolean isDone() {
            return state == DONE;
        }

        /**
         * Stops waiting for this call: a queued call never starts; a running one is interrupted and, until it
         * returns, counted as stuck.
         *
         * @return whether the call was running (and is now abandoned)
         */
        synchronized boolean abandon() {
            if (state == QUEUED) {
                state = CANCELLED;
                return false;
            }
            if (state != RUNNING) {
                return false;
            }
            state = ABANDONED;
            stuck.add(this);
            thread.interrupt();
            return true;
        }
    }
}
