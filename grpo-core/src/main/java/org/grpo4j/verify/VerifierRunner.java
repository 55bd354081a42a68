package org.grpo4j.verify;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.grpo4j.Checks;
import org.grpo4j.CombinedVerifier;
import org.grpo4j.Completion;
import org.grpo4j.GroupBatch;
import org.grpo4j.Prompt;
import org.grpo4j.RewardVerifier;
import org.grpo4j.Rewards;
import org.grpo4j.WeightedVerifier;

/**
 * Scores completions with one or several weighted verifiers, in parallel on a bounded pool, with a time limit per
 * call. A verifier that throws or exceeds its limit is handled by the configured {@link FailurePolicy}: the run
 * stops with a {@link VerifierException} naming the verifier, prompt and completion, or the score is replaced by the
 * failure reward and counted. A NaN or infinite score is always an error.
 *
 * <p>At most {@code threads} calls run at once. A timed-out call is interrupted; one that ignores the interrupt
 * keeps its (daemon) thread until it returns but no longer counts against the bound, so a hanging verifier can
 * never stall training. {@link #abandonedCalls()} counts such calls. Close the runner to release its threads.
 */
public final class VerifierRunner implements AutoCloseable {
    private final List<WeightedVerifier> parts;
    private final VerifierConfig config;
    private final ExecutorService pool;
    private final Semaphore slots;
    private final AtomicInteger abandoned = new AtomicInteger();

    /**
     * @param verifier a verifier; a {@link CombinedVerifier} is scored part by part
     * @param config   pool size, time limit and failure policy
     * @throws IllegalArgumentException if an argument is null
     */
    public VerifierRunner(RewardVerifier verifier, VerifierConfig config) {
        Checks.notNull("verifier", verifier);
        this.config = Checks.notNull("config", config);
        this.parts = verifier instanceof CombinedVerifier c ? c.parts() : List.of(WeightedVerifier.of(verifier));
        AtomicInteger ids = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "grpo4j-verifier-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.slots = new Semaphore(config.threads());
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
     * @throws VerifierException under {@link FailurePolicy#FAIL} when a verifier throws or times out, and always
     *                           when a score is NaN or infinite
     */
    public Rewards score(GroupBatch batch) {
        List<Prompt> prompts = new ArrayList<>(batch.size());
        List<int[]> completions = new ArrayList<>(batch.size());
        for (int i = 0; i < batch.size(); i++) {
            prompts.add(batch.promptOf(i));
            completions.add(batch.completions().get(i).tokens());
        }
        return score(prompts, completions);
    }

    /**
     * Scores completions of the given prompts.
     *
     * @param prompts     the prompt of each completion
     * @param completions the completions' token ids
     * @return total and per-verifier rewards
     * @throws IllegalArgumentException if the list sizes differ
     * @throws VerifierException        as {@link #score(GroupBatch)}
     */
    public Rewards score(List<Prompt> prompts, List<int[]> completions) {
        if (prompts.size() != completions.size()) {
            throw new IllegalArgumentException("prompts size (" + prompts.size() + ") must equal completions size ("
                    + completions.size() + ")");
        }
        int n = prompts.size();
        int k = parts.size();
        List<Call> calls = new ArrayList<>(n * k);
        for (int i = 0; i < n; i++) {
            for (WeightedVerifier p : parts) {
                Call call = new Call(p.verifier(), prompts.get(i), completions.get(i));
                call.future = pool.submit(call);
                calls.add(call);
            }
        }
        double[] total = new double[n];
        double[][] each = new double[k][n];
        int failures = 0;
        int timeouts = 0;
        RuntimeException fatal = null;
        long limitNanos = config.timeout().toNanos();
        for (int i = 0; i < n && fatal == null; i++) {
            for (int j = 0; j < k && fatal == null; j++) {
                Call call = calls.get(i * k + j);
                WeightedVerifier p = parts.get(j);
                double s;
                try {
                    s = call.await(limitNanos, calls);
                } catch (TimeoutException e) {
                    call.abandon();
                    abandoned.incrementAndGet();
                    if (config.onFailure() == FailurePolicy.FAIL) {
                        fatal = failure(p, prompts.get(i), completions.get(i), "exceeded its time limit of "
                                + config.timeout(), null);
                        break;
                    }
                    timeouts++;
                    s = config.failureReward();
                } catch (ExecutionException e) {
                    if (config.onFailure() == FailurePolicy.FAIL) {
                        fatal = failure(p, prompts.get(i), completions.get(i), "threw " + e.getCause(), e.getCause());
                        break;
                    }
                    failures++;
                    s = config.failureReward();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    fatal = failure(p, prompts.get(i), completions.get(i), "was interrupted", e);
                    break;
                }
                if (!Double.isFinite(s)) {
                    fatal = failure(p, prompts.get(i), completions.get(i), "returned a non-finite reward " + s, null);
                    break;
                }
                each[j][i] = s;
                total[i] += p.weight() * s;
            }
        }
        if (fatal != null) {
            calls.forEach(Call::abandon);
            throw fatal;
        }
        Map<String, double[]> byName = new LinkedHashMap<>();
        for (int j = 0; j < k; j++) {
            byName.put(parts.get(j).name(), each[j]);
        }
        return new Rewards(total, byName, failures, timeouts);
    }

    /** @return how many timed-out calls were abandoned to their threads since the runner was made */
    public int abandonedCalls() {
        return abandoned.get();
    }

    /**
     * One verifier call. Its time limit runs from when it gets a slot, not from when it was queued. A call that
     * times out gives its slot back at once, whether or not its thread ever returns.
     */
    private final class Call implements java.util.concurrent.Callable<Double> {
        private final RewardVerifier verifier;
        private final Prompt prompt;
        private final int[] completion;
        private final AtomicInteger state = new AtomicInteger(); // 0 queued, 1 holds a slot, 2 slot given back
        private volatile long startedAt;
        private volatile boolean timedOut;
        private Future<Double> future;

        Call(RewardVerifier verifier, Prompt prompt, int[] completion) {
            this.verifier = verifier;
            this.prompt = prompt;
            this.completion = completion;
        }

        @Override
        public Double call() throws Exception {
            slots.acquire();
            if (!state.compareAndSet(0, 1)) {
                slots.release(); // abandoned while queued
                throw new InterruptedException("abandoned");
            }
            startedAt = System.nanoTime();
            try {
                return verifier.score(prompt, completion);
            } finally {
                releaseSlot();
            }
        }

        double await(long limitNanos, List<Call> batch)
                throws InterruptedException, ExecutionException, TimeoutException {
            while (true) {
                if (timedOut) {
                    throw new TimeoutException();
                }
                long started = startedAt;
                long now = System.nanoTime();
                long wait = started == 0 ? limitNanos : started + limitNanos - now;
                try {
                    return future.get(Math.max(0, wait), TimeUnit.NANOSECONDS);
                } catch (java.util.concurrent.CancellationException e) {
                    throw new TimeoutException();
                } catch (TimeoutException e) {
                    long s = startedAt;
                    if (s != 0 && System.nanoTime() - s >= limitNanos) {
                        throw e;
                    }
                    // still queued: calls later in the batch may hold every slot; free those past their limit
                    reapExpired(batch, limitNanos);
                }
            }
        }

        void abandon() {
            state.compareAndSet(0, 2);
            future.cancel(true);
            releaseSlot();
        }

        private void releaseSlot() {
            if (state.compareAndSet(1, 2)) {
                slots.release();
            }
        }
    }

    private static void reapExpired(List<Call> batch, long limitNanos) {
        long now = System.nanoTime();
        for (Call c : batch) {
            long s = c.startedAt;
            if (s != 0 && now - s >= limitNanos && !c.future.isDone()) {
                c.timedOut = true;
                c.abandon();
            }
        }
    }

    private static VerifierException failure(WeightedVerifier p, Prompt prompt, int[] completion, String what,
                                             Throwable cause) {
        return new VerifierException("verifier '" + p.name() + "' " + what + " on prompt '" + prompt.id() + "' "
                + Arrays.toString(prompt.tokens()) + " with completion " + Arrays.toString(completion), cause);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
