package org.grpo4j.spark;

import java.nio.file.Path;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/** Spark contexts for tests, their folders under {@code target/spark}. */
final class TestSpark {
    private TestSpark() {
    }

    /** @return the scratch folder the pom names, or {@code target/spark} */
    static Path scratch() {
        return Path.of(System.getProperty("grpo.spark.scratch", "target/spark")).toAbsolutePath();
    }

    /**
     * @param master the master URL
     * @return the test configuration: {@link SparkSetup#conf}, the driver on 127.0.0.1
     */
    static SparkConf conf(String master) {
        return SparkSetup.conf(master, scratch()).set("spark.driver.host", "127.0.0.1")
                .set("spark.driver.bindAddress", "127.0.0.1");
    }

    /** @return a {@code local[2]} context */
    static JavaSparkContext local() {
        return new JavaSparkContext(conf("local[2]"));
    }
}
