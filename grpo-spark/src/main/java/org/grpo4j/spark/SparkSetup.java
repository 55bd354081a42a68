package org.grpo4j.spark;

import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.grpo4j.Checks;

/**
 * The Spark configuration grpo4j's jobs assume. {@link #conf(String, Path)} sets:
 * <ul>
 *   <li>{@code spark.speculation=false}: a speculative task copy only duplicates sampling and verifier cost (and
 *       any verifier side effect); retries of failed tasks stay on ({@code spark.task.maxFailures}, default 4 on a
 *       cluster);</li>
 *   <li>{@code spark.executorEnv.OMP_NUM_THREADS=1}: executors compute with one OpenMP thread per task, as the
 *       driver's tests do, so their ND4J numerics match the driver's (see {@code docs/scale-out.md});</li>
 *   <li>Spark's scratch ({@code spark.local.dir}), event-log ({@code spark.eventLog.dir}) and warehouse
 *       ({@code spark.sql.warehouse.dir}) folders under {@code scratch};</li>
 *   <li>the Java 17 {@code --add-opens} options Spark needs, on the executors, from the system property
 *       {@code grpo.spark.javaOptions} when it is set (the module's tests set it from the pom).</li>
 * </ul>
 */
public final class SparkSetup {
    /** The system property holding extra executor JVM options (the {@code --add-opens} list of the pom). */
    public static final String JAVA_OPTIONS_PROPERTY = "grpo.spark.javaOptions";

    private SparkSetup() {
    }

    /**
     * The configuration of a grpo4j Spark application.
     *
     * @param master  the master URL: {@code local[2]}, {@code spark://host:7077}, ...
     * @param scratch the folder for Spark's scratch, event logs and warehouse
     * @return a new configuration, application name {@code grpo4j}
     * @throws IllegalArgumentException if an argument is null or {@code master} is blank
     */
    public static SparkConf conf(String master, Path scratch) {
        Checks.notNull("master", master);
        if (master.isBlank()) {
            throw new IllegalArgumentException("master must not be blank");
        }
        Checks.notNull("scratch", scratch);
        Path dir = scratch.toAbsolutePath();
        SparkConf conf = new SparkConf().setMaster(master).setAppName("grpo4j")
                .set("spark.speculation", "false")
                .set("spark.executorEnv.OMP_NUM_THREADS", "1")
                .set("spark.local.dir", dir.resolve("local").toString())
                .set("spark.eventLog.dir", dir.resolve("events").toString())
                .set("spark.sql.warehouse.dir", dir.resolve("warehouse").toString())
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        String options = System.getProperty(JAVA_OPTIONS_PROPERTY);
        if (options != null && !options.isBlank()) {
            conf.set("spark.executor.extraJavaOptions", options);
        }
        return conf;
    }
}
