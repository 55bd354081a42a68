package org.grpo4j.tasks.study.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.grpo4j.tasks.alchemy.AlchemyStudies;
import org.grpo4j.tasks.study.CellExecutor;
import org.grpo4j.tasks.study.CellResult;
import org.grpo4j.tasks.study.DatasetSizes;
import org.grpo4j.tasks.study.StudyAxis;
import org.grpo4j.tasks.study.StudyMode;
import org.grpo4j.tasks.study.StudyPlan;
import org.grpo4j.tasks.study.StudyRunner;
import org.grpo4j.tasks.study.report.Claim;
import org.grpo4j.tasks.study.report.StudyReport;
import org.grpo4j.transformer.PositionEncoding;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code grpo4j-study}: runs the paper's four controlled studies on the DataAlchemy-style environment and writes
 * the report. {@code --mode quick} (the default) checks every axis in a few minutes; {@code --mode full} runs the
 * whole protocol. Every option of the plan can be overridden; {@code --help} lists them. Exit status: 0 on success,
 * 1 when the run fails, 2 on bad options.
 */
@Command(name = "grpo4j-study", mixinStandardHelpOptions = true, version = "grpo4j study 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Pretrain transformers from scratch on string-transformation tasks, run GRPO on OOD (and ID) "
                + "prompts, and report whether the paper's claims hold: depth, length, token representation and "
                + "composition, each with a fraction p of OOD examples mixed into pretraining.")
public final class StudyCommand implements Callable<Integer> {

    @Option(names = "--mode", description = "quick or full (default: ${DEFAULT-VALUE})", defaultValue = "quick",
            converter = ModeConverter.class)
    StudyMode mode;

    @Option(names = "--out", description = "output folder (default: target/study/<mode>)")
    Path out;

    @Option(names = "--fresh", description = "delete earlier results in the output folder instead of resuming")
    boolean fresh;

    @Option(names = "--report-only", description = "write the report of the cells already finished in the output "
            + "folder (of the same plan) and run none")
    boolean reportOnly;

    @Option(names = "--axes", split = ",", description = "studies to run: depth, length, token-representation, "
            + "composition (default: all)", converter = AxisConverter.class)
    List<StudyAxis> axes;

    @Option(names = "--p", split = ",", description = "OOD fractions mixed into pretraining, e.g. 0,0.005,0.02,0.1")
    List<Double> oodFractions;

    @Option(names = "--seeds", description = "seeds per cell")
    Integer seeds;

    @Option(names = "--betas", split = ",", description = "KL coefficients; 0 is the KL-free control")
    List<Double> betas;

    @Option(names = "--length-encodings", split = ",", description = "position encodings of the length axis: "
            + "learned, rotary", converter = EncodingConverter.class)
    List<PositionEncoding> lengthEncodings;

    @Option(names = "--pretrain-steps", description = "supervised steps per cell")
    Integer pretrainSteps;

    @Option(names = "--pretrain-batch", description = "examples per pretraining step")
    Integer pretrainBatch;

    @Option(names = "--pretrain-lr", description = "peak learning rate of pretraining")
    Double pretrainLearningRate;

    @Option(names = "--grpo-lr", description = "GRPO's learning rate")
    Double grpoLearningRate;

    @Option(names = "--group-size", description = "GRPO's G, completions per prompt")
    Integer groupSize;

    @Option(names = "--short-steps", description = "the short GRPO horizon")
    Integer shortSteps;

    @Option(names = "--long-steps", description = "the long GRPO horizon (equal to --short-steps: one horizon)")
    Integer longSteps;

    @Option(names = "--id-arm", negatable = true, description = "also run GRPO on ID prompts (saturation arm)")
    Boolean idArm;

    @Option(names = "--eval-samples", description = "samples per evaluation prompt (n of Q and of pass@k)")
    Integer evalSamples;

    @Option(names = "--pretrain-examples", description = "distinct pretraining examples per cell")
    Integer pretrainExamples;

    @Option(names = "--eval-prompts", description = "prompts per evaluation split")
    Integer evalPrompts;

    @Option(names = "--layers", description = "transformer blocks")
    Integer layers;

    @Option(names = "--width", description = "model width")
    Integer width;

    @Option(names = "--threads", description = "cells run at once (each on one core)")
    Integer threads;

    @Option(names = "--gain-threshold", description = "accuracy change the claims count as a gain")
    Double gainThreshold;

    private final PrintStream stdout;
    private final PrintStream stderr;
    /** Runs the cells; null for the local thread pool. */
    private final CellExecutor executor;

    /**
     * @param stdout receives the table and the claims
     * @param stderr receives the progress bar
     */
    public StudyCommand(PrintStream stdout, PrintStream stderr) {
        this(stdout, stderr, null);
    }

    private StudyCommand(PrintStream stdout, PrintStream stderr, CellExecutor executor) {
        this.stdout = stdout;
        this.stderr = stderr;
        this.executor = executor;
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
     * @return the exit status: 0 done, 1 failed, 2 bad options (unparsable, or a value out of its range; the message
     *     names the option and the value)
     */
    public static int execute(PrintStream stdout, PrintStream stderr, String... args) {
        return run(new StudyCommand(stdout, stderr), stdout, stderr, args);
    }

    /**
     * Parses and runs with the cells on a given executor (grpo-spark's sweep command passes a Spark one).
     *
     * @param stdout   table and claims
     * @param stderr   progress and errors
     * @param executor runs the missing cells
     * @param args     the options
     * @return the exit status, as {@link #execute(PrintStream, PrintStream, String...)}
     * @throws IllegalArgumentException if {@code executor} is null
     */
    public static int execute(PrintStream stdout, PrintStream stderr, CellExecutor executor, String... args) {
        return run(new StudyCommand(stdout, stderr, org.grpo4j.Checks.notNull("executor", executor)), stdout, stderr,
                args);
    }

    private static int run(StudyCommand command, PrintStream stdout, PrintStream stderr, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(new java.io.PrintWriter(stdout, true));
        cli.setErr(new java.io.PrintWriter(stderr, true));
        cli.setExecutionExceptionHandler((e, line, parsed) -> {
            stderr.println("grpo4j-study: " + (e.getMessage() != null ? e.getMessage() : e));  // never "null"
            return 1;
        });
        cli.setParameterExceptionHandler((e, argv) -> {
            stderr.println("grpo4j-study: " + e.getMessage());
            stderr.println("run with --help for the options");
            return 2;
        });
        return cli.execute(args);
    }

    /** @return the mode's plan with every given option applied */
    StudyPlan plan() {
        StudyPlan d = StudyPlan.of(mode);
        DatasetSizes sizes = new DatasetSizes(or(pretrainExamples, d.sizes().pretrainExamples()),
                d.sizes().grpoPrompts(), or(evalPrompts, d.sizes().evalPrompts()));
        int shortH = or(shortSteps, d.shortSteps());
        int longH = longSteps != null ? longSteps : scaledLongHorizon(shortH, d);
        return new StudyPlan(mode, or(axes, d.axes()), or(oodFractions, d.oodFractions()), or(seeds, d.seeds()),
                or(lengthEncodings, d.lengthEncodings()), sizes, or(layers, d.layers()), d.heads(),
                or(width, d.width()), or(pretrainSteps, d.pretrainSteps()), or(pretrainBatch, d.pretrainBatch()),
                or(pretrainLearningRate, d.pretrainLearningRate()), or(groupSize, d.groupSize()), d.promptsPerStep(),
                or(grpoLearningRate, d.grpoLearningRate()), shortH, longH,
                or(betas, d.betas()), or(idArm, d.idArm()), or(evalSamples, d.evalSamples()),
                or(gainThreshold, d.gainThreshold()), or(threads, d.threads()));
    }

    /** The mode's long horizon scaled to a given short one, refusing one that does not fit an int. */
    private static int scaledLongHorizon(int shortH, StudyPlan d) {
        long scaled = Math.max(shortH, (long) d.longSteps() * shortH / d.shortSteps());
        if (scaled > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("--short-steps " + shortH + " makes the long horizon " + scaled
                    + " steps (" + d.longSteps() + "/" + d.shortSteps() + " of it), more than " + Integer.MAX_VALUE
                    + "; give --long-steps too");
        }
        return (int) scaled;
    }

    @Override
    public Integer call() {
        StudyPlan plan;
        try {
            plan = plan();
        } catch (IllegalArgumentException e) {
            stderr.println("grpo4j-study: " + e.getMessage());
            stderr.println("run with --help for the options");
            return 2;
        }
        Path folder = out != null ? out : Path.of("target", "study", mode.name().toLowerCase(Locale.ROOT));
        stderr.printf(Locale.ROOT, "grpo4j-study: %s mode, %d cells, output in %s%n",
                mode.name().toLowerCase(Locale.ROOT), plan.cells().size(), folder.toAbsolutePath());
        long t0 = System.nanoTime();
        StudyRunner runner = executor == null ? new StudyRunner(plan, new AlchemyStudies(), folder)
                : new StudyRunner(plan, new AlchemyStudies(), folder, executor);
        List<CellResult> cells = reportOnly ? runner.finished() : runner.run(fresh, stderr, System.console() != null);
        if (cells.isEmpty()) {
            stderr.println("grpo4j-study: --report-only found no finished cell of this plan in " + folder
                    + "; run without it first");
            return 1;
        }
        if (cells.size() < plan.cells().size()) {
            stderr.printf(Locale.ROOT, "grpo4j-study: reporting %d of %d cells; the others are not finished%n",
                    cells.size(), plan.cells().size());
        }
        double wall = reportOnly ? Double.NaN : (System.nanoTime() - t0) / 1e9;   // NaN: no cell ran
        StudyReport report = StudyReport.of(plan, cells);
        report.write(folder, wall);
        stdout.println(report.table());
        for (Claim c : report.claims()) {
            stdout.println(c.verdict() + ": " + c.name() + " — " + c.evidence());
        }
        stdout.printf(Locale.ROOT, "%nreport: %s%s%n", folder.resolve("report.md").toAbsolutePath(),
                reportOnly ? "" : String.format(Locale.ROOT, " (%.0f s)", wall));
        return 0;
    }

    private static <T> T or(T value, T fallback) {
        return value != null ? value : fallback;
    }

    /** Accepts {@code quick}/{@code full} in any case. */
    static final class ModeConverter implements CommandLine.ITypeConverter<StudyMode> {
        @Override
        public StudyMode convert(String value) {
            return StudyMode.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }

    /** Accepts {@code depth}, {@code length}, {@code token-representation}, {@code composition}. */
    static final class AxisConverter implements CommandLine.ITypeConverter<StudyAxis> {
        @Override
        public StudyAxis convert(String value) {
            return StudyAxis.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }

    /** Accepts {@code learned} and {@code rotary}. */
    static final class EncodingConverter implements CommandLine.ITypeConverter<PositionEncoding> {
        @Override
        public PositionEncoding convert(String value) {
            return PositionEncoding.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
    }
}
