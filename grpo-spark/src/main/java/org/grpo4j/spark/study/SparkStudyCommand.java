package org.grpo4j.spark.study;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.grpo4j.spark.SparkSetup;
import org.grpo4j.tasks.study.cli.StudyCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Unmatched;

/**
 * {@code grpo4j-spark-study}: the study command ({@code grpo4j-study}) with its cells run as Spark tasks. Its own
 * options pick the cluster; every other option is {@code grpo4j-study}'s ({@code --mode}, {@code --out},
 * {@code --axes}, ...) and is passed on unchanged, so the sweep, its output folder, its resumption and its report
 * are those of the local command. Exit status as {@code grpo4j-study}'s.
 */
@Command(name = "grpo4j-spark-study", mixinStandardHelpOptions = true, version = "grpo4j spark study 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Run the grpo4j-study sweep with each (axis × p × seed) cell as a Spark task. Options other "
                + "than these are grpo4j-study's (see its --help) and are passed on.")
public final class SparkStudyCommand implements Callable<Integer> {

    @Option(names = "--master", description = "Spark master URL, e.g. spark://host:7077 or local[4] (default: "
            + "the spark.master system property that spark-submit sets, else local[*])")
    String master;

    @Option(names = "--scratch", description = "Spark's scratch, event-log and warehouse folder (default: "
            + "${DEFAULT-VALUE})", defaultValue = "target/spark")
    Path scratch;

    @Option(names = "--executor-classpath", description = "class path of the executors' JVMs; 'driver' uses this "
            + "JVM's (for machines that see the same files, e.g. a shared file system); default: none, the jars "
            + "come with spark-submit --jars")
    String executorClasspath;

    @Unmatched
    List<String> studyArgs = new ArrayList<>();

    private final PrintStream stdout;
    private final PrintStream stderr;

    private SparkStudyCommand(PrintStream stdout, PrintStream stderr) {
        this.stdout = stdout;
        this.stderr = stderr;
    }

    /**
     * Runs the command line.
     *
     * @param args the options
     */
    public static void main(String[] args) {
        System.setProperty("java.awt.headless", "true");
        System.exit(execute(System.out, System.err, args));
    }

    /**
     * Parses and runs, without exiting the JVM.
     *
     * @param stdout table and claims
     * @param stderr progress and errors
     * @param args   the options
     * @return the exit status: 0 done, 1 failed, 2 bad options
     */
    public static int execute(PrintStream stdout, PrintStream stderr, String... args) {
        CommandLine cli = new CommandLine(new SparkStudyCommand(stdout, stderr));
        cli.setOut(new java.io.PrintWriter(stdout, true));
        cli.setErr(new java.io.PrintWriter(stderr, true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            stderr.println("grpo4j-spark-study: " + e.getMessage());
            return 1;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        String url = master != null ? master : System.getProperty("spark.master", "local[*]");
        SparkConf conf = SparkSetup.conf(url, scratch);
        if (executorClasspath != null) {
            conf.set("spark.executor.extraClassPath", "driver".equals(executorClasspath)
                    ? System.getProperty("java.class.path") : executorClasspath);
        }
        try (JavaSparkContext spark = new JavaSparkContext(conf)) {
            stderr.println("grpo4j-spark-study: cells run on " + url + " (" + spark.defaultParallelism()
                    + " cores)");
            return StudyCommand.execute(stdout, stderr, new SparkCellExecutor(spark, EnvironmentFactory.alchemy()),
                    studyArgs.toArray(String[]::new));
        }
    }
}
