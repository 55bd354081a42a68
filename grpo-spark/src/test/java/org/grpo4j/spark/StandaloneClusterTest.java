package org.grpo4j.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Serializable;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.scheduler.SparkListenerTaskStart;
import org.grpo4j.GroupBatch;
import org.grpo4j.Prompt;
import org.grpo4j.Rewards;
import org.grpo4j.sampling.KeyedGroupSampler;
import org.grpo4j.transformer.TransformerPolicy;
import org.grpo4j.verify.VerifierConfig;
import org.grpo4j.verify.VerifierRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The integration test against a real standalone cluster: a master and a worker as separate JVMs on 127.0.0.1,
 * the driver in this JVM. A sampling step crosses JVMs (the broadcast weights, the tasks, the groups coming back)
 * and returns the local batch; then the worker is killed, with its executor, while a step's tasks run, a second
 * worker joins, and Spark's retry on it returns the same batch. Every process is stopped at the end, also on
 * failure.
 */
class StandaloneClusterTest {

    /** {@link Fixtures.TargetCount}, slowed down so a step lasts long enough to be interrupted. */
    static final class SlowTarget implements org.grpo4j.RewardVerifier, Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public double score(Prompt prompt, int[] completion) throws InterruptedException {
            Thread.sleep(250);
            return new Fixtures.TargetCount().score(prompt, completion);
        }

        @Override
        public String name() {
            return "target";
        }
    }

    @Test
    @Timeout(value = 300, unit = TimeUnit.SECONDS)
    void aStepOnAClusterSurvivesAKilledWorkerWithTheSameBatch() throws Exception {
        TransformerPolicy policy = Fixtures.transformer(21);
        List<Prompt> prompts = Fixtures.prompts(8, 22);
        VerifierConfig runner = new VerifierConfig(2, Duration.ofSeconds(20),
                org.grpo4j.verify.FailurePolicy.FAIL, 0);
        GroupBatch expected = new KeyedGroupSampler().sample(policy, prompts, 4, Fixtures.SAMPLING,
                new SplittableRandom(31));
        Rewards expectedRewards;
        try (VerifierRunner r = new VerifierRunner(new Fixtures.TargetCount(), runner)) {
            expectedRewards = r.score(expected);
        }

        StandaloneCluster cluster = StandaloneCluster.start(TestSpark.scratch().resolve("cluster"));
        JavaSparkContext spark = null;
        try {
            Process first = cluster.startWorker("worker-a");
            SparkConf conf = TestSpark.conf(cluster.masterUrl())
                    .set("spark.executor.extraClassPath", cluster.classpath())
                    .set("spark.executor.memory", "1g")
                    .set("spark.cores.max", "2")
                    .set("spark.task.maxFailures", "4")
                    .set("spark.network.timeout", "30s")
                    .set("spark.network.timeoutInterval", "10s")
                    .set("spark.executor.heartbeatInterval", "2s");
            spark = new JavaSparkContext(conf);
            awaitExecutors(spark, 1, Duration.ofSeconds(90));

            SparkGroupSampler fast = SparkGroupSampler.of(spark, PolicyCodec.transformer(),
                    VerifierFactory.of(new Fixtures.TargetCount()), runner, 4);
            GroupBatch acrossJvms = fast.sample(policy, prompts, 4, Fixtures.SAMPLING, new SplittableRandom(31));
            SparkGroupSamplerTest.assertSameBatch(expected, expectedRewards, acrossJvms);

            CountDownLatch started = new CountDownLatch(1);
            AtomicInteger failedTasks = new AtomicInteger();
            spark.sc().addSparkListener(new SparkListener() {
                @Override
                public void onTaskStart(SparkListenerTaskStart taskStart) {
                    started.countDown();
                }

                @Override
                public void onTaskEnd(SparkListenerTaskEnd taskEnd) {
                    if (!taskEnd.taskInfo().successful()) {
                        failedTasks.incrementAndGet();
                    }
                }
            });
            SparkGroupSampler slow = SparkGroupSampler.of(spark, PolicyCodec.transformer(),
                    VerifierFactory.of(new SlowTarget()), runner, 4);
            CompletableFuture<GroupBatch> step = CompletableFuture.supplyAsync(
                    () -> slow.sample(policy, prompts, 4, Fixtures.SAMPLING, new SplittableRandom(31)));
            assertTrue(started.await(60, TimeUnit.SECONDS), "a task started");
            StandaloneCluster.sleep(300);
            assertTrue(!step.isDone(), "the step is still running when the worker is killed");
            StandaloneCluster.kill(first);
            cluster.startWorker("worker-b");
            GroupBatch retried = step.get(120, TimeUnit.SECONDS);
            SparkGroupSamplerTest.assertSameBatch(expected, expectedRewards, retried);
            assertTrue(failedTasks.get() > 0, "tasks were lost with the worker and run again");
        } finally {
            if (spark != null) {
                spark.stop();
            }
            cluster.close();
        }
        assertTrue(cluster.allStopped(), "no process of the cluster is left");
    }

    private static void awaitExecutors(JavaSparkContext spark, int n, Duration limit) {
        long end = System.nanoTime() + limit.toNanos();
        while (spark.sc().statusTracker().getExecutorInfos().length < n + 1) {   // the driver is listed too
            if (System.nanoTime() > end) {
                throw new AssertionError("fewer than " + n + " executors registered within " + limit);
            }
            StandaloneCluster.sleep(200);
        }
        assertEquals(n + 1, spark.sc().statusTracker().getExecutorInfos().length);
    }
}
