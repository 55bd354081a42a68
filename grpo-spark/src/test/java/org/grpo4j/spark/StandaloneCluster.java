package org.grpo4j.spark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A Spark standalone master and workers as separate JVMs on 127.0.0.1, started from the test classpath (the Spark
 * jars the module depends on); every process and its descendants is stopped by {@link #close()}. Logs go to
 * {@code target/spark/cluster/*.log}, work folders under {@code target/spark/cluster}.
 */
final class StandaloneCluster implements AutoCloseable {
    private final Path dir;
    private final String classpath;
    private final int masterPort;
    private final Process master;
    private final List<Process> workers = new ArrayList<>();

    private StandaloneCluster(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir.resolve("home").resolve("jars"));
        this.classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        this.masterPort = freePort();
        this.master = start("master", "org.apache.spark.deploy.master.Master", "--host", "127.0.0.1", "--port",
                String.valueOf(masterPort), "--webui-port", String.valueOf(freePort()));
        awaitPort(masterPort, Duration.ofSeconds(60));
    }

    /**
     * @param dir the cluster's folder
     * @return a running master
     * @throws IOException if it does not start
     */
    static StandaloneCluster start(Path dir) throws IOException {
        return new StandaloneCluster(dir);
    }

    /** @return {@code spark://127.0.0.1:<port>} */
    String masterUrl() {
        return "spark://127.0.0.1:" + masterPort;
    }

    /** @return the class path executors need (the test classpath) */
    String classpath() {
        return classpath;
    }

    /**
     * Starts a worker with 2 cores and 2 GB.
     *
     * @param name its name, for its log and work folder
     * @return the worker process
     * @throws IOException if it cannot be started
     */
    Process startWorker(String name) throws IOException {
        Path work = dir.resolve(name);
        Files.createDirectories(work);
        Process p = start(name, "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--cores", "2",
                "--memory", "2g", "--webui-port", String.valueOf(freePort()), "--work-dir", work.toString(),
                masterUrl());
        workers.add(p);
        return p;
    }

    /**
     * Kills a process and its descendants (a worker's executors) at once, as a crashed machine would.
     *
     * @param p the process
     */
    static void kill(Process p) {
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Process start(String name, String mainClass, String... args) throws IOException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Xmx512m");
        for (String o : System.getProperty(SparkSetup.JAVA_OPTIONS_PROPERTY, "").split(" ")) {
            if (!o.isBlank()) {
                cmd.add(o);
            }
        }
        cmd.add("-cp");
        cmd.add(classpath);
        cmd.add(mainClass);
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile());
        pb.environment().put("SPARK_HOME", dir.resolve("home").toString());
        pb.environment().put("SPARK_SCALA_VERSION", "2.13");
        pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
        pb.environment().put("SPARK_LOG_DIR", dir.toString());
        pb.environment().put("OMP_NUM_THREADS", "1");
        return pb.start();
    }

    /** Stops the workers (and their executors), then the master; waits for them to end. */
    @Override
    public void close() {
        for (Process w : workers) {
            kill(w);
        }
        kill(master);
    }

    /** @return whether no process of the cluster, nor a descendant, is alive */
    boolean allStopped() {
        List<Process> all = new ArrayList<>(workers);
        all.add(master);
        return all.stream().noneMatch(p -> p.isAlive() || p.toHandle().descendants().anyMatch(ProcessHandle::isAlive));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            return s.getLocalPort();
        }
    }

    private void awaitPort(int port, Duration limit) throws IOException {
        long end = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < end) {
            if (!master.isAlive()) {
                throw new IOException("the master exited with " + master.exitValue() + "; see "
                        + dir.resolve("master.log"));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return;
            } catch (IOException notYet) {
                sleep(200);
            }
        }
        throw new IOException("the master did not open port " + port + " within " + limit + "; see "
                + dir.resolve("master.log"));
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
