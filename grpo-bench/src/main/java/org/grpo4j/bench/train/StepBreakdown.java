package org.grpo4j.bench.train;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.grpo4j.PolicyForward;
import org.grpo4j.Prompt;
import org.grpo4j.SequenceBatch;
import org.grpo4j.bench.objective.ObjectiveImplementation;
import org.grpo4j.bench.profile.MeasuredStep;
import org.grpo4j.memory.Workspaces;
import org.grpo4j.optim.AdamW;
import org.grpo4j.train.GrpoTrainer;
import org.grpo4j.train.StepMetrics;
import org.grpo4j.transformer.TransformerPolicy;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Where the time of one training step goes, phase by phase, at each {@link StepSize}: the GRPO step's phases are
 * the trainer's own {@code time/<phase>_seconds} metrics; the pretraining step is timed here around the same calls
 * {@code Pretraining.run} makes (batch, forward, loss and its gradient, backward, AdamW). Prints one Markdown
 * table per size. Each measured step is a {@link MeasuredStep} JFR event, so a recording of this run can be
 * summarised per phase with {@code ProfileSummary}. Run it with
 * {@code OMP_NUM_THREADS=1 java -cp grpo-bench/target/benchmarks.jar org.grpo4j.bench.train.StepBreakdown}.
 */
public final class StepBreakdown {
    private StepBreakdown() {
    }

    /**
     * Runs the breakdown.
     *
     * @param args optional: warm-up steps, measured steps (default 5 and 10) and the GRPO objective
     *             ({@code FUSED}, the default, or {@code ND4J})
     */
    public static void main(String[] args) {
        int warmup = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int measured = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        ObjectiveImplementation objective = args.length > 2 ? ObjectiveImplementation.valueOf(args[2])
                : ObjectiveImplementation.FUSED;
        for (StepSize size : StepSize.values()) {
            print(System.out, size + " GRPO step (" + objective + " objective)", grpo(size, warmup, measured,
                    objective));
            print(System.out, size + " pretraining step", pretraining(size, warmup, measured));
        }
    }

    /**
     * The mean seconds per GRPO step of each phase.
     *
     * @param size     the size
     * @param warmup   steps run first and not counted
     * @param measured steps averaged
     * @param objective the objective the trainer uses
     * @return phase → mean seconds, in the order they run, then {@code step}
     */
    public static Map<String, Double> grpo(StepSize size, int warmup, int measured,
                                           ObjectiveImplementation objective) {
        StepFixture f = size.fixture(WholeStepBenchmark.SEED);
        TransformerPolicy policy = TransformerPolicy.initialize(f.model(), new SplittableRandom(1));
        Map<String, Double> sums = new LinkedHashMap<>();
        try (GrpoTrainer trainer = new GrpoTrainer(f.trainer(), policy, f.verifier(), f.grpoPrompts(),
                objective.objective())) {
            for (int s = 0; s < warmup + measured; s++) {
                MeasuredStep span = MeasuredStep.start(size + " GRPO");
                StepMetrics m = trainer.step();
                if (s < warmup) {
                    continue;
                }
                span.commit();
                for (Map.Entry<String, Double> e : m.values().entrySet()) {
                    if (e.getKey().startsWith("time/")) {
                        String phase = e.getKey().substring(5).replace("_seconds", "");
                        sums.merge(phase, e.getValue() / measured, Double::sum);
                    }
                }
                sums.merge("step", m.get("step_seconds") / measured, Double::sum);
                sums.merge("completion tokens", m.get("num_tokens") / measured, Double::sum);
            }
        }
        return sums;
    }

    /**
     * The mean seconds per pretraining step of each phase.
     *
     * @param size     the size
     * @param warmup   steps run first and not counted
     * @param measured steps averaged
     * @return phase → mean seconds, then {@code step}
     */
    public static Map<String, Double> pretraining(StepSize size, int warmup, int measured) {
        StepFixture f = size.fixture(WholeStepBenchmark.SEED);
        SplittableRandom rng = new SplittableRandom(2);
        TransformerPolicy policy = TransformerPolicy.initialize(f.model(), rng);
        AdamW optimizer = AdamW.create(f.pretrainOptimizer());
        List<Prompt> data = f.pretraining();
        String[] phases = {"batch", "forward", "loss", "backward", "optimizer"};
        double[] sums = new double[phases.length];
        double tokens = 0;
        for (int s = 0; s < warmup + measured; s++) {
            MeasuredStep span = MeasuredStep.start(size + " pretraining");
            long[] t = new long[phases.length + 1];
            t[0] = System.nanoTime();
            List<int[]> prompts = new ArrayList<>(f.pretrainBatch());
            List<int[]> targets = new ArrayList<>(f.pretrainBatch());
            long batchTokens = 0;
            for (int i = 0; i < f.pretrainBatch(); i++) {
                Prompt p = data.get(rng.nextInt(data.size()));
                prompts.add(p.tokens());
                targets.add(p.target());
                batchTokens += p.tokens().length + p.target().length;
            }
            SequenceBatch batch = new SequenceBatch(prompts, targets);
            t[1] = System.nanoTime();
            try (MemoryWorkspace ws = Workspaces.step("grpo4j-pretrain-step")) {
                PolicyForward fwd = policy.forward(batch);
                t[2] = System.nanoTime();
                INDArray mask = batch.mask(fwd.logProbs().dataType());
                double count = mask.sumNumber().doubleValue();
                fwd.logProbs().mul(mask).sumNumber().doubleValue();
                mask.muli(-1.0 / count);
                t[3] = System.nanoTime();
                fwd.backward(mask);
                t[4] = System.nanoTime();
                optimizer.step(policy.parameters());
                t[5] = System.nanoTime();
            }
            if (s >= warmup) {
                span.commit();
                for (int k = 0; k < phases.length; k++) {
                    sums[k] += (t[k + 1] - t[k]) / 1e9 / measured;
                }
                tokens += (double) batchTokens / measured;
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        double step = 0;
        for (int k = 0; k < phases.length; k++) {
            out.put(phases[k], sums[k]);
            step += sums[k];
        }
        out.put("step", step);
        out.put("tokens", tokens);
        return out;
    }

    /**
     * Prints a breakdown as a Markdown table: phase, milliseconds per step, share of the step.
     *
     * @param out    where to print
     * @param title  the table's heading
     * @param phases phase → seconds, with {@code step} the whole step and a last entry counting tokens
     */
    static void print(PrintStream out, String title, Map<String, Double> phases) {
        double step = phases.get("step");
        out.println();
        out.println("### " + title);
        out.println();
        out.println("| Phase | ms per step | share |");
        out.println("|---|---|---|");
        for (Map.Entry<String, Double> e : phases.entrySet()) {
            String k = e.getKey();
            if (k.endsWith("tokens")) {
                out.printf(Locale.ROOT, "| %s per step | %.0f | %.0f tokens/s |%n", k, e.getValue(),
                        e.getValue() / step);
            } else if (k.equals("step")) {
                out.printf(Locale.ROOT, "| **whole step** | **%.2f** | 100%% |%n", 1e3 * e.getValue());
            } else {
                out.printf(Locale.ROOT, "| %s | %.2f | %.1f%% |%n", k, 1e3 * e.getValue(), 100 * e.getValue() / step);
            }
        }
    }
}
